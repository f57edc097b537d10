"""``misuse sanctions``."""

from __future__ import annotations

import click

from cli.context import Context, echo_json, pass_ctx
from core.models import SANCTION_MEASURES, SANCTION_STATUSES


@click.group()
def sanctions() -> None:
    """The sanctions register."""


@sanctions.command("list")
@click.option("--status", type=click.Choice(SANCTION_STATUSES), default=None)
@click.option("--measure", type=click.Choice(SANCTION_MEASURES), default=None)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@pass_ctx
def sanctions_list(ctx: Context, status: str | None, measure: str | None, as_json: bool) -> None:
    """Sanctions, newest first, with subject, measure and end."""
    from core.queries.sanctions import list_sanctions

    with ctx.db.session_scope() as session:
        rows = list_sanctions(session, status=status, measure=measure, limit=10_000)
    if as_json:
        echo_json(rows)
        return
    for s in rows:
        ends = (s["ends_at"] or "no end")[:16]
        click.echo(
            f"{s['reference']}  {s['status']:<9} {s['measure']:<17} "
            f"{s['subject']['label']:<40} ends {ends}"
        )
