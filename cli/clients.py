"""``misuse deployers``, ``misuse flaggers`` and ``misuse keys``."""

from __future__ import annotations

from typing import Any

import click

from cli.context import CLI_ACTOR, Context, echo_json, friendly_errors, pass_ctx
from core.taxonomy import API_KEY_SCOPES


def _print_key(key: str) -> None:
    click.echo("API key (shown once; store it now, only its hash is kept):")
    click.echo(f"  {key}")


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
    _print_key(issued.key)


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
    _print_key(issued.key)


@click.group()
def keys() -> None:
    """API keys of deployers and trusted flaggers."""


@keys.command("create")
@click.argument("owner")
@click.option("--name", default="key", show_default=True, help="A label for people.")
@click.option(
    "--scope",
    "scopes",
    multiple=True,
    required=True,
    type=click.Choice(list(API_KEY_SCOPES)),
    help="Repeat for several scopes.",
)
@pass_ctx
def keys_create(ctx: Context, owner: str, name: str, scopes: tuple[str, ...]) -> None:
    """Create a key for deployer or trusted flagger OWNER and print it once."""
    from core.services.clients import create_key

    with ctx.db.session_scope() as session, friendly_errors():
        issued = create_key(
            session,
            owner=owner,
            name=name,
            scopes=scopes,
            secret_key=ctx.settings.secret_key,
            actor=CLI_ACTOR,
        )
    click.echo(
        f"key {issued.prefix}… (id {issued.id}) for {issued.owner}: {', '.join(issued.scopes)}"
    )
    _print_key(issued.key)


@keys.command("list")
@click.option("--owner", default=None, help="Only this deployer's or flagger's keys.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def keys_list(ctx: Context, owner: str | None, as_json: bool) -> None:
    """List keys: id, prefix, owner, name, scopes, last used, revoked. Never the key."""
    from core.services.clients import list_keys

    with ctx.db.session_scope() as session:
        rows: list[dict[str, Any]] = [
            {
                "id": k.id,
                "prefix": k.prefix,
                "owner": k.owner_name,
                "name": k.name,
                "scopes": k.scopes,
                "created_at": k.created_at,
                "last_used_at": k.last_used_at,
                "revoked_at": k.revoked_at,
                "revoked_reason": k.revoked_reason,
            }
            for k in list_keys(session, owner)
        ]
    if as_json:
        echo_json(rows)
        return
    for r in rows:
        state = f"revoked {r['revoked_at']:%Y-%m-%d}" if r["revoked_at"] else "active"
        used = f"{r['last_used_at']:%Y-%m-%d %H:%M}" if r["last_used_at"] else "never"
        click.echo(
            f"{r['id']:>4} {r['prefix']}…  {r['owner']:<20} {r['name']:<12} "
            f"{','.join(r['scopes']):<30} used {used:<16} {state}"
        )


@keys.command("revoke")
@click.argument("key_id_or_prefix")
@click.option("--reason", required=True, help="Shown to whoever still uses the key.")
@pass_ctx
def keys_revoke(ctx: Context, key_id_or_prefix: str, reason: str) -> None:
    """Revoke a key (by id or prefix): it gets 403 with the reason from now on."""
    from core.services.clients import revoke_key

    with ctx.db.session_scope() as session, friendly_errors():
        key = revoke_key(session, key_id_or_prefix, reason=reason, actor=CLI_ACTOR)
    click.echo(f"key {key.prefix}… revoked")
