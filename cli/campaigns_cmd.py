"""``misuse campaigns``."""

from __future__ import annotations

import click

from cli.context import Context, echo_json, pass_ctx


@click.group()
def campaigns() -> None:
    """Coordinated-campaign candidates found by the detect job."""


@campaigns.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array (with items).")
@click.option("--all", "include_inactive", is_flag=True, help="Also campaigns no longer found.")
@pass_ctx
def campaigns_list(ctx: Context, as_json: bool, include_inactive: bool) -> None:
    """Campaigns, best score first: accounts as {deployer, account_id}, items with external_id."""
    from core.services.detection import list_campaigns

    with ctx.db.session_scope() as session:
        rows = list_campaigns(session, include_inactive=include_inactive, with_items=as_json)
    if as_json:
        echo_json(rows)
        return
    for c in rows:
        click.echo(
            f"#{c['id']:<4} score {c['score']:.2f}  {c['status']:<12} "
            f"{c['category_guess'] or '-':<16} {c['explanation']}"
        )
