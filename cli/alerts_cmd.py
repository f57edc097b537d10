"""``misuse alerts``."""

from __future__ import annotations

import click

from cli.context import CLI_ACTOR, Context, echo_json, friendly_errors, pass_ctx


@click.group()
def alerts() -> None:
    """Anomaly alerts raised by the detect job."""


@alerts.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
@click.option("--status", default=None, help="Only alerts in this status (e.g. open).")
@pass_ctx
def alerts_list(ctx: Context, as_json: bool, status: str | None) -> None:
    """Alerts, highest score first, with the features that drove them."""
    from core.services.detection import list_alerts

    with ctx.db.session_scope() as session:
        rows = list_alerts(session, status=status)
    if as_json:
        echo_json(rows)
        return
    for a in rows:
        click.echo(f"#{a['id']:<5} {a['status']:<12} {a['score']:.2f}  {a['explanation']}")


@alerts.command("set-status")
@click.argument("alert_id", type=int)
@click.argument("status", type=click.Choice(["open", "acknowledged", "dismissed", "escalated"]))
@click.option("--reason", default="", help="Required to dismiss.")
@pass_ctx
def alerts_set_status(ctx: Context, alert_id: int, status: str, reason: str) -> None:
    """Acknowledge, dismiss (with a reason) or escalate an alert."""
    from core.services.detection import set_alert_status

    with ctx.db.session_scope() as session, friendly_errors():
        set_alert_status(session, alert_id, status, actor=CLI_ACTOR, reason=reason)
    click.echo(f"alert {alert_id}: {status}")
