"""``misuse db``."""

from __future__ import annotations

import click

from cli.context import Context, pass_ctx


@click.group()
def db() -> None:
    """Database schema (Alembic migrations)."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Target revision.")
@pass_ctx
def db_upgrade(ctx: Context, revision: str) -> None:
    """Create or upgrade the schema to the latest migration."""
    from core.migrate import current_revision, upgrade

    upgrade(ctx.db.engine, revision)
    click.echo(f"database at revision {current_revision(ctx.db.engine)}")


@db.command("current")
@pass_ctx
def db_current(ctx: Context) -> None:
    """Print the schema revision of the database."""
    from core.migrate import current_revision

    click.echo(current_revision(ctx.db.engine) or "empty (run: misuse db upgrade)")
