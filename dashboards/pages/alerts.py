"""Alerts and campaign candidates, best scores first, with their explanations;
acknowledge, dismiss with a reason, or open a case."""

from __future__ import annotations

from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.development.base_component import Component

from core.models import ALERT_STATUSES, CAMPAIGN_STATUSES
from core.queries import alerts as alert_queries
from core.queries import campaigns as campaign_queries
from core.queries import subjects
from core.services import cases as case_service
from core.services import detection as detection_service
from core.services.access import actor_of
from core.taxonomy import HARM_CATEGORIES
from dashboards import ui
from dashboards.bridge import Portal

TITLE = "Alerts and campaigns"
ALERT_PREFIX = "alerts"
ALERT_STATUS = "alerts-status"
ALERT_TABLE = "alerts-table"
ALERT_REFRESH = "alerts-refresh"
ALERT_MESSAGE = "alerts-message"
# Pattern-matching types, one button or box per alert: {"type": ..., "index": alert id}.
ALERT_ACK = "alert-ack"
ALERT_DISMISS = "alert-dismiss"
ALERT_REASON = "alert-reason"
ALERT_CASE = "alert-case"
CAMPAIGN_PREFIX = "campaigns"
CAMPAIGN_STATUS = "campaigns-status"
CAMPAIGN_INACTIVE = "campaigns-inactive"
CAMPAIGN_TABLE = "campaigns-table"
PAGE_SIZE = 25
ANY = "any"


def layout(portal: Portal) -> Component:
    return html.Div(
        [
            ui.header(TITLE),
            html.Section(
                [
                    html.H2("Alerts"),
                    html.P(
                        "Anomalies in the volume of a near-duplicate group or an account, "
                        "scored by the detect job (higher is more unusual).",
                        className="hint",
                    ),
                    ui.field(
                        "Status",
                        dcc.RadioItems(
                            id=ALERT_STATUS,
                            options=[{"label": " any", "value": ANY}]
                            + [{"label": f" {s}", "value": s} for s in ALERT_STATUSES],
                            value="open",
                            inline=True,
                        ),
                        ALERT_STATUS,
                    ),
                    html.Div(id=ALERT_MESSAGE),
                    dcc.Store(id=ALERT_REFRESH, data=0),
                    html.Div(id=ALERT_TABLE),
                    ui.pager(ALERT_PREFIX),
                ]
            ),
            html.Section(
                [
                    html.H2("Campaign candidates"),
                    html.Div(
                        [
                            ui.field(
                                "Status",
                                dcc.RadioItems(
                                    id=CAMPAIGN_STATUS,
                                    options=[{"label": " any", "value": ANY}]
                                    + [{"label": f" {s}", "value": s} for s in CAMPAIGN_STATUSES],
                                    value=ANY,
                                    inline=True,
                                ),
                                CAMPAIGN_STATUS,
                            ),
                            dcc.Checklist(
                                id=CAMPAIGN_INACTIVE,
                                options=[
                                    {
                                        "label": " Include campaigns the last run no longer found",
                                        "value": "yes",
                                    }
                                ],
                                value=[],
                            ),
                        ],
                        className="filters",
                    ),
                    html.Div(id=CAMPAIGN_TABLE),
                    ui.pager(CAMPAIGN_PREFIX),
                ]
            ),
        ]
    )


def _features(features: dict[str, Any]) -> str:
    parts = []
    for key, value in list(features.items())[:4]:
        shown = f"{value:.3g}" if isinstance(value, float) else str(value)
        parts.append(f"{ui.label(key)} {shown}")
    return "; ".join(parts)


def _alert_actions(a: dict[str, Any]) -> Component:
    if a["status"] in ("dismissed", "escalated"):
        return html.Span(a["status_reason"] or "", className="hint")
    index = a["id"]
    return html.Div(
        [
            html.Button(
                "Acknowledge",
                id={"type": ALERT_ACK, "index": index},
                disabled=a["status"] == "acknowledged",
                className="small",
            ),
            ui.labelled(
                f"Reason to dismiss alert {index}",
                dcc.Input(
                    id={"type": ALERT_REASON, "index": index},
                    placeholder="Reason to dismiss",
                    value="",
                ),
            ),
            html.Button(
                "Dismiss", id={"type": ALERT_DISMISS, "index": index}, className="small secondary"
            ),
            html.Button("Open case", id={"type": ALERT_CASE, "index": index}, className="small"),
        ],
        className="actions",
    )


def _alert_table(rows: list[dict[str, Any]], leads: dict[int, dict[str, Any]]) -> Component:
    body = [
        [
            f"{a['score']:.2f}",
            html.Div(
                [
                    ui.alert_subject(a, leads.get(a["id"])),
                    html.Div(ui.campaign_links(leads.get(a["id"], {}).get("campaigns", []))),
                ]
            ),
            f"{ui.fmt_time(a['window_start'])} – {ui.fmt_time(a['window_end'])}",
            html.Div(
                [html.P(a["explanation"]), html.P(_features(a["features"]), className="hint")]
            ),
            ui.badge(a["status"]),
            _alert_actions(a),
        ]
        for a in rows
    ]
    return ui.table(
        ["Score", "Subject", "Window", "Why", "Status", ""],
        body,
        empty="No alerts with this status.",
        row_ids=[f"alert-{a['id']}" for a in rows],
    )


def _campaign_table(rows: list[dict[str, Any]]) -> Component:
    body = [
        [
            dcc.Link(f"Campaign {c['id']}", href=ui.href("campaigns", c["id"])),
            f"{c['score']:.2f}",
            ui.badge(c["status"]) if c["active"] else ui.badge("inactive"),
            HARM_CATEGORIES.get(c["category_guess"] or "", c["category_guess"] or "—"),
            ", ".join(c["keywords"][:6]),
            f"{c['accounts']} accounts at {c['deployers']} deployers, {c['items']} items",
            f"{ui.fmt_day(c['first_seen'])} – {ui.fmt_day(c['last_seen'])}",
            html.Span(c["explanation"], className="snippet"),
        ]
        for c in rows
    ]
    return ui.table(
        ["Campaign", "Score", "Status", "Category (guess)", "Keywords", "Size", "Seen", "Why"],
        body,
        empty="No campaign candidates match.",
    )


def register(app: Dash, portal: Portal) -> None:
    @app.callback(
        Output(ALERT_TABLE, "children"),
        *ui.pager_outputs(ALERT_PREFIX),
        Input(ALERT_STATUS, "value"),
        Input(f"{ALERT_PREFIX}-prev", "n_clicks"),
        Input(f"{ALERT_PREFIX}-next", "n_clicks"),
        Input(ALERT_REFRESH, "data"),
        State(f"{ALERT_PREFIX}-page", "data"),
    )
    def show_alerts(
        status: str | None, _p: int | None, _n: int | None, _r: int | None, page: int | None
    ) -> tuple[Any, ...]:
        portal.user()

        def fetch(limit: int, offset: int) -> dict[str, Any]:
            return alert_queries.alerts_page(
                portal.session(),
                status=None if status in (None, ANY) else status,
                limit=limit,
                offset=offset,
            )

        shown, result = ui.paginate(ctx.triggered_id, ALERT_PREFIX, page, PAGE_SIZE, fetch)
        leads = subjects.alert_leads(portal.session(), result["rows"])
        return (
            _alert_table(result["rows"], leads),
            *ui.pager_state(shown, result["total"], PAGE_SIZE, "alerts"),
        )

    @app.callback(
        Output(ALERT_MESSAGE, "children"),
        Output(ALERT_REFRESH, "data"),
        Input({"type": ALERT_ACK, "index": ALL}, "n_clicks"),
        Input({"type": ALERT_DISMISS, "index": ALL}, "n_clicks"),
        Input({"type": ALERT_CASE, "index": ALL}, "n_clicks"),
        State({"type": ALERT_REASON, "index": ALL}, "value"),
        State({"type": ALERT_REASON, "index": ALL}, "id"),
        State(ALERT_REFRESH, "data"),
        prevent_initial_call=True,
    )
    def act(
        _ack: list[int | None],
        _dismiss: list[int | None],
        _case: list[int | None],
        reasons: list[str | None],
        reason_ids: list[dict[str, Any]],
        refresh: int | None,
    ) -> tuple[Any, ...]:
        clicked = ui.clicked_row(reason_ids, reasons)
        if clicked is None:
            return no_update, no_update
        kind, alert_id, reason = clicked
        user = portal.user()
        session = portal.session()
        opened: list[int] = []

        def run() -> str:
            if kind == ALERT_ACK:
                detection_service.set_alert_status(
                    session, alert_id, "acknowledged", actor=actor_of(user)
                )
                return f"Alert {alert_id} acknowledged."
            if kind == ALERT_DISMISS:
                detection_service.set_alert_status(
                    session, alert_id, "dismissed", actor=actor_of(user), reason=reason or ""
                )
                return f"Alert {alert_id} dismissed."
            alert = alert_queries.alert_detail(session, alert_id)
            case = case_service.open_case(
                session,
                title=f"Alert {alert_id}: {ui.subject(alert['subject_type'], alert['subject_id'])}"[
                    :200
                ],
                origin_type="alert",
                origin_id=alert_id,
                user=user,
            )
            opened.append(case.id)
            return f"Case {case.id} opened from alert {alert_id}."

        ok, message = ui.attempt(portal, run)
        if opened:
            message = html.Div(
                [message, " ", dcc.Link("Go to the case", href=ui.href("cases", opened[0]))]
            )
        return message, (refresh or 0) + 1 if ok else no_update

    @app.callback(
        Output(CAMPAIGN_TABLE, "children"),
        *ui.pager_outputs(CAMPAIGN_PREFIX),
        Input(CAMPAIGN_STATUS, "value"),
        Input(CAMPAIGN_INACTIVE, "value"),
        Input(f"{CAMPAIGN_PREFIX}-prev", "n_clicks"),
        Input(f"{CAMPAIGN_PREFIX}-next", "n_clicks"),
        State(f"{CAMPAIGN_PREFIX}-page", "data"),
    )
    def show_campaigns(
        status: str | None,
        inactive: list[str] | None,
        _p: int | None,
        _n: int | None,
        page: int | None,
    ) -> tuple[Any, ...]:
        portal.user()

        def fetch(limit: int, offset: int) -> dict[str, Any]:
            return campaign_queries.campaigns_page(
                portal.session(),
                status=None if status in (None, ANY) else status,
                include_inactive=bool(inactive),
                limit=limit,
                offset=offset,
            )

        shown, result = ui.paginate(ctx.triggered_id, CAMPAIGN_PREFIX, page, PAGE_SIZE, fetch)
        return (
            _campaign_table(result["rows"]),
            *ui.pager_state(shown, result["total"], PAGE_SIZE, "campaigns"),
        )
