"""``misuse users``."""

from __future__ import annotations

import sys

import click

from cli.context import CLI_ACTOR, Context, friendly_errors, pass_ctx
from core.models import ROLES


@click.group()
def users() -> None:
    """People who log in to the analyst workspace."""


@users.command("create")
@click.argument("email")
@click.option("--role", type=click.Choice(ROLES), default="analyst", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option(
    "--invite",
    is_flag=True,
    help="Set no password; print a one-time code to set it at /set-password (24 h).",
)
@pass_ctx
def users_create(ctx: Context, email: str, role: str, password_stdin: bool, invite: bool) -> None:
    """Create an account for EMAIL; asks for the password (at least 12 characters)."""
    from core.services.users import create_user, invite_user

    if invite:
        with ctx.db.session_scope() as session, friendly_errors():
            user, code = invite_user(
                session, email, role=role, secret_key=ctx.settings.secret_key, actor=CLI_ACTOR
            )
        _print_code(ctx, user.email, code)
        return
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    with ctx.db.session_scope() as session, friendly_errors():
        user = create_user(session, email, password, role=role, actor=CLI_ACTOR)
    click.echo(f"user {user.email} created with role {user.role}")


def _print_code(ctx: Context, email: str, code: str) -> None:
    # The code goes to this terminal only: never into a URL, a log or the database.
    base = f"http://{ctx.settings.host}:{ctx.settings.port}"
    click.echo(f"user {email}: set the password at {base}/set-password")
    click.echo(f"one-time code (24 hours): {code}")


@users.command("reset-code")
@click.argument("email")
@pass_ctx
def users_reset_code(ctx: Context, email: str) -> None:
    """Print a new one-time code with which EMAIL sets a new password."""
    from core.services.users import reset_code

    with ctx.db.session_scope() as session, friendly_errors():
        code = reset_code(session, email, secret_key=ctx.settings.secret_key, actor=CLI_ACTOR)
    _print_code(ctx, email.strip().lower(), code)


@users.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice(ROLES))
@pass_ctx
def users_set_role(ctx: Context, email: str, role: str) -> None:
    """Give EMAIL the ROLE; their open sessions end, so it applies at once."""
    from core.services.users import set_role

    with ctx.db.session_scope() as session, friendly_errors():
        user = set_role(session, email, role, actor=CLI_ACTOR)
    click.echo(f"user {user.email} now has the role {user.role}; their sessions ended")


@users.command("lock")
@click.argument("email")
@pass_ctx
def users_lock(ctx: Context, email: str) -> None:
    """Lock EMAIL out: no login, and every open session ends at once."""
    from core.services.users import set_active

    with ctx.db.session_scope() as session, friendly_errors():
        user = set_active(session, email, False, actor=CLI_ACTOR)
    click.echo(f"user {user.email} locked; their sessions ended")


@users.command("unlock")
@click.argument("email")
@pass_ctx
def users_unlock(ctx: Context, email: str) -> None:
    """Let EMAIL log in again after `misuse users lock`."""
    from core.services.users import set_active

    with ctx.db.session_scope() as session, friendly_errors():
        user = set_active(session, email, True, actor=CLI_ACTOR)
    click.echo(f"user {user.email} unlocked")
