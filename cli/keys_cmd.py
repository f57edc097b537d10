"""``misuse keys``."""

from __future__ import annotations

from typing import Any

import click

from cli.context import CLI_ACTOR, Context, echo_json, friendly_errors, pass_ctx, print_key
from core.taxonomy import API_KEY_SCOPES


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
    print_key(issued.key)


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
