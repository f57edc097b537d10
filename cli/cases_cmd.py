"""``misuse cases``."""

from __future__ import annotations

import click

from cli.context import Context, echo_json, pass_ctx
from core.models import CASE_STATUSES


@click.group()
def cases() -> None:
    """Cases opened by analysts."""


@cases.command("list")
@click.option("--status", type=click.Choice(CASE_STATUSES), default=None)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@pass_ctx
def cases_list(ctx: Context, status: str | None, as_json: bool) -> None:
    """Cases, most recently changed first."""
    from core.queries.cases import list_cases

    with ctx.db.session_scope() as session:
        rows = list_cases(session, status=status, limit=1000)
    if as_json:
        echo_json(rows)
        return
    for c in rows:
        click.echo(f"#{c['id']:<5} {c['status']:<13} {c['assignee'] or '-':<28} {c['title']}")
