"""``misuse audit``."""

from __future__ import annotations

import sys

import click

from cli.context import Context, pass_ctx


@click.group()
def audit() -> None:
    """The hash-chained audit log."""


@audit.command("verify")
@pass_ctx
def audit_verify(ctx: Context) -> None:
    """Check every audit entry against the chain; name each edited or deleted one."""
    from sqlalchemy import func, select

    from core.models import AuditEvent
    from core.services.audit import verify_chain

    with ctx.db.session_scope() as session:
        problems = list(verify_chain(session))
        total = session.execute(select(func.count()).select_from(AuditEvent)).scalar_one()
    if problems:
        for p in problems:
            click.echo(f"audit entry {p.event_id}: {p.problem}", err=True)
        click.echo(f"audit log BROKEN: {len(problems)} problem(s) in {total} entries", err=True)
        sys.exit(1)
    click.echo(f"audit log intact: {total} entries verified")
