"""``misuse users``."""

from __future__ import annotations

import sys

import click

from cli.main import Context, friendly_errors, main, pass_ctx
from core.models import ROLES


@main.group()
def users() -> None:
    """People who log in to the analyst workspace."""


@users.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), default="analyst", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@pass_ctx
def users_create(ctx: Context, email: str, role: str, password_stdin: bool) -> None:
    """Create an account for EMAIL; asks for the password (at least 12 characters)."""
    from core.services.users import create_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with ctx.db.session_scope() as session, friendly_errors():
        user = create_user(session, email, password, role=role, actor="cli")
    click.echo(f"user {user.email} created with role {user.role}")
