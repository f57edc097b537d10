"""``misuse deployers``."""

from __future__ import annotations

import click

from cli.context import CLI_ACTOR, Context, echo_json, friendly_errors, pass_ctx, print_key


@click.group()
def deployers() -> None:
    """AI deployers who send samples of their production logs."""


@deployers.command("create")
@click.argument("name")
@click.option(
    "--retention-days",
    type=click.IntRange(min=1),
    default=90,
    show_default=True,
    help="Delete log samples older than this (unless they are evidence).",
)
@pass_ctx
def deployers_create(ctx: Context, name: str, retention_days: int) -> None:
    """Register deployer NAME and print its first API key (scopes logs:write, sanctions:read)."""
    from core.services.clients import create_deployer

    with ctx.db.session_scope() as session, friendly_errors():
        deployer, issued = create_deployer(
            session,
            name,
            retention_days=retention_days,
            secret_key=ctx.settings.secret_key,
            actor=CLI_ACTOR,
        )
    click.echo(
        f"deployer {deployer.name} created (id {deployer.id}, retention {retention_days} days)"
    )
    print_key(issued.key)


@deployers.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def deployers_list(ctx: Context, as_json: bool) -> None:
    """List deployers with their status and log counts."""
    from core.services.retention import deployer_summaries

    with ctx.db.session_scope() as session:
        rows = deployer_summaries(session)
    if as_json:
        echo_json(rows)
        return
    for r in rows:
        click.echo(
            f"{r['name']:<24} {r['status']:<10} retention {r['retention_days']:>4} d  "
            f"{r['log_records']:>9} log samples"
        )


@deployers.command("webhook")
@click.argument("name")
@click.argument("url")
@click.option("--rotate-secret", is_flag=True, help="Make a new signing secret (shown once).")
@pass_ctx
def deployers_webhook(ctx: Context, name: str, url: str, rotate_secret: bool) -> None:
    """Push sanctions on deployer NAME's accounts, keys and models to URL, signed.

    The first registration prints the signing secret once; it is stored encrypted.
    See docs/webhooks.md for the signature and a receiver."""
    from core.services.webhooks import set_webhook

    with ctx.db.session_scope() as session, friendly_errors():
        hook, secret = set_webhook(
            session,
            name,
            url,
            secret_key=ctx.settings.secret_key,
            actor=CLI_ACTOR,
            rotate_secret=rotate_secret,
        )
    click.echo(f"deployer {name}: sanctions are pushed to {hook.url}")
    if secret is not None:
        click.echo("signing secret (shown once; store it in the receiver now):")
        click.echo(f"  {secret}")


@deployers.command("webhook-retry")
@click.argument("name")
@pass_ctx
def deployers_webhook_retry(ctx: Context, name: str) -> None:
    """Send deployer NAME's given-up webhook deliveries again, in order."""
    from core.services.webhooks import retry_failed

    with ctx.db.session_scope() as session, friendly_errors():
        count = retry_failed(session, name, actor=CLI_ACTOR)
    click.echo(f"{count} deliveries to {name} queued again")


@deployers.command("suspend")
@click.argument("name")
@click.option("--reason", required=True, help="Shown to the deployer's API clients.")
@pass_ctx
def deployers_suspend(ctx: Context, name: str, reason: str) -> None:
    """Suspend deployer NAME: its keys get 403 with the reason."""
    from core.services.clients import set_deployer_status

    with ctx.db.session_scope() as session, friendly_errors():
        set_deployer_status(session, name, "suspended", reason=reason, actor=CLI_ACTOR)
    click.echo(f"deployer {name} suspended")


@deployers.command("activate")
@click.argument("name")
@pass_ctx
def deployers_activate(ctx: Context, name: str) -> None:
    """Lift a suspension of deployer NAME."""
    from core.services.clients import set_deployer_status

    with ctx.db.session_scope() as session, friendly_errors():
        set_deployer_status(session, name, "active", reason="", actor=CLI_ACTOR)
    click.echo(f"deployer {name} active")


@deployers.command("purge")
@click.argument("name")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@pass_ctx
def deployers_purge(ctx: Context, name: str, yes: bool) -> None:
    """Delete every log sample of deployer NAME (a data deletion request). Audited."""
    from core.services.retention import purge_deployer

    if not yes:
        click.confirm(f"Delete every log sample of {name}?", abort=True)
    with ctx.db.session_scope() as session, friendly_errors():
        deleted = purge_deployer(session, name, actor=CLI_ACTOR)
    click.echo(f"deleted {deleted} log samples of {name}")
