"""``misuse flaggers``."""

from __future__ import annotations

import click

from cli.context import CLI_ACTOR, Context, friendly_errors, pass_ctx, print_key


@click.group()
def flaggers() -> None:
    """Trusted flaggers (NGOs, fact-checkers) whose reports come first in triage."""


@flaggers.command("create")
@click.argument("name")
@pass_ctx
def flaggers_create(ctx: Context, name: str) -> None:
    """Register trusted flagger NAME and print its first API key (scope reports:write)."""
    from core.services.clients import create_flagger

    with ctx.db.session_scope() as session, friendly_errors():
        flagger, issued = create_flagger(
            session, name, secret_key=ctx.settings.secret_key, actor=CLI_ACTOR
        )
    click.echo(f"trusted flagger {flagger.name} created (id {flagger.id})")
    print_key(issued.key)
