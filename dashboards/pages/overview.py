"""Overview: volumes over time, open alerts, active campaigns, sanctions in force,
all for one date range."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from dash import Dash, Input, Output, dcc, html
from dash.development.base_component import Component

from core.queries import overview as overview_queries
from core.queries import subjects
from core.taxonomy import HARM_CATEGORIES
from dashboards import figures, ui
from dashboards.bridge import Portal

TITLE = "Overview"
RANGE = "overview-range"
TILES = "overview-tiles"
REPORTS_GRAPH = "overview-reports-graph"
LOGS_GRAPH = "overview-logs-graph"
ALERTS = "overview-alerts"
CAMPAIGNS = "overview-campaigns"
SANCTIONS = "overview-sanctions"
APPROVALS = "overview-approvals"
DEFAULT_DAYS = 90


def _approvals(portal: Portal) -> Component | None:
    """For a supervisor: the proposals waiting for them, where they start the day."""
    user = portal.user()
    if not user.has_role("supervisor"):
        return None
    data = overview_queries.awaiting_approval(portal.session(), user.id)
    rows = [
        [
            s["reference"],
            ui.label(s["measure"]),
            ui.sanction_subject(s),
            s["proposed_by"] or "—",
            ui.fmt_time(s["proposed_at"]),
            ui.item_link("case", s["case_id"], f"case {s['case_id']}"),
        ]
        for s in data["top"]
    ]
    count = data["count"]
    return html.Section(
        [
            html.H2(f"Awaiting your approval ({count})"),
            html.P(
                [
                    "Suspensions and stronger measures take effect only when a supervisor "
                    "other than the proposer approves them. ",
                    dcc.Link(
                        "Approve or reject in the sanctions register", href=ui.href("sanctions")
                    ),
                ],
                className="hint",
            ),
            ui.table(
                ["Reference", "Measure", "Subject", "Proposed by", "Proposed", "Case"],
                rows,
                empty="Nothing is waiting for you.",
            ),
        ],
        id=APPROVALS,
        className="approvals",
    )


def layout(portal: Portal) -> Component:
    today = datetime.now(UTC).date()
    return html.Div(
        [
            ui.header(TITLE),
            _approvals(portal),
            html.Div(
                [
                    html.Label("Date range (UTC, both days included)", htmlFor=RANGE),
                    dcc.DatePickerRange(
                        id=RANGE,
                        start_date=(today - timedelta(days=DEFAULT_DAYS)).isoformat(),
                        end_date=today.isoformat(),
                        display_format="YYYY-MM-DD",
                        clearable=True,
                    ),
                    html.P(
                        "Applies to every panel on this page. Clear it to see all time.",
                        className="hint",
                    ),
                ],
                className="filters",
            ),
            html.Div(id=TILES, className="tiles"),
            html.Div(
                [
                    dcc.Graph(id=REPORTS_GRAPH, config={"displaylogo": False}),
                    dcc.Graph(id=LOGS_GRAPH, config={"displaylogo": False}),
                ],
                className="two-col",
            ),
            html.Div(
                [
                    html.Section([html.H2("Open alerts"), html.Div(id=ALERTS)]),
                    html.Section([html.H2("Active campaigns"), html.Div(id=CAMPAIGNS)]),
                ],
                className="two-col",
            ),
            html.Section([html.H2("Sanctions in force in the range"), html.Div(id=SANCTIONS)]),
        ]
    )


def _tile(name: str, value: int, target: str | None = None) -> html.Div:
    number: ui.Child = f"{value:,}"
    if target:
        number = dcc.Link(f"{value:,}", href=target)
    return html.Div([html.Div(number, className="tile-value"), html.Div(name)], className="tile")


def _alerts(data: dict[str, Any], leads: dict[int, dict[str, Any]]) -> Component:
    rows = [
        [
            f"{a['score']:.2f}",
            html.Div(
                [
                    ui.alert_subject(a, leads.get(a["id"])),
                    html.Div(ui.campaign_links(leads.get(a["id"], {}).get("campaigns", []))),
                ]
            ),
            f"{ui.fmt_time(a['window_start'])} – {ui.fmt_time(a['window_end'])}",
            a["explanation"],
        ]
        for a in data["top"]
    ]
    more = f"{data['count']:,} open in the range" + (
        f"; the {len(rows)} highest scores:" if data["count"] > len(rows) else ":"
    )
    return html.Div(
        [
            html.P([more, " ", dcc.Link("all alerts", href=ui.href("alerts"))]),
            ui.table(
                ["Score", "Subject", "Window", "Why"], rows, empty="No open alerts in the range."
            ),
        ]
    )


def _campaigns(data: dict[str, Any]) -> Component:
    rows = [
        [
            dcc.Link(f"Campaign {c['id']}", href=ui.href("campaigns", c["id"])),
            f"{c['score']:.2f}",
            ui.badge(c["status"]),
            f"{c['accounts']} accounts, {c['items']} items",
            ", ".join(c["keywords"][:5]),
        ]
        for c in data["top"]
    ]
    return html.Div(
        [
            html.P(f"{data['count']:,} active in the range."),
            ui.table(
                ["Campaign", "Score", "Status", "Size", "Keywords"],
                rows,
                empty="No active campaigns in the range.",
            ),
        ]
    )


def _sanctions(data: dict[str, Any]) -> Component:
    summary = ", ".join(f"{n} {ui.label(m)}" for m, n in data["by_measure"].items())
    rows = [
        [
            s["reference"],
            ui.label(s["measure"]),
            ui.sanction_subject(s),
            ui.badge(s["status"]),
            ui.fmt_time(s["starts_at"]),
            ui.fmt_time(s["ends_at"]) if s["ends_at"] else "no end date",
            dcc.Link(f"case {s['case_id']}", href=ui.href("cases", s["case_id"])),
        ]
        for s in data["top"]
    ]
    return html.Div(
        [
            html.P(
                [
                    f"{data['count']:,} in force at some time in the range"
                    + (f" ({summary})." if summary else "."),
                    " ",
                    dcc.Link("Sanctions register", href=ui.href("sanctions")),
                ]
            ),
            ui.table(
                ["Reference", "Measure", "Subject", "Status", "From", "Until", "Case"],
                rows,
                empty="No sanction was in force in the range.",
            ),
        ]
    )


def register(app: Dash, portal: Portal) -> None:
    @app.callback(
        Output(TILES, "children"),
        Output(REPORTS_GRAPH, "figure"),
        Output(LOGS_GRAPH, "figure"),
        Output(ALERTS, "children"),
        Output(CAMPAIGNS, "children"),
        Output(SANCTIONS, "children"),
        Input(RANGE, "start_date"),
        Input(RANGE, "end_date"),
    )
    def refresh(start_date: str | None, end_date: str | None) -> tuple[Any, ...]:
        portal.user()
        start, end = ui.date_range(start_date, end_date)
        data = overview_queries.overview(portal.session(), start=start, end=end)
        leads = subjects.alert_leads(portal.session(), data["open_alerts"]["top"])
        totals = data["totals"]
        tiles = [
            _tile("reports", totals["reports"], ui.href("triage")),
            _tile("log samples", totals["log_samples"]),
            _tile("open alerts", totals["open_alerts"], ui.href("alerts")),
            _tile("active campaigns", totals["active_campaigns"], ui.href("alerts")),
            _tile("sanctions in force", totals["sanctions_in_force"], ui.href("sanctions")),
        ]
        return (
            tiles,
            figures.stacked_counts(
                data["reports_by_category"],
                series="category",
                title="Reports by category",
                labels=HARM_CATEGORIES,
            ),
            figures.stacked_counts(
                data["logs_by_deployer"], series="deployer", title="Log samples by deployer"
            ),
            _alerts(data["open_alerts"], leads),
            _campaigns(data["active_campaigns"]),
            _sanctions(data["sanctions_in_force"]),
        )
