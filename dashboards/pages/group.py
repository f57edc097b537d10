"""One near-duplicate group: its texts with time, account, deployer and signals, its
timeline, and the alerts, campaigns, cases and reports that involve it."""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, State, ctx, dcc, html
from dash.development.base_component import Component

from core.queries import subjects
from core.taxonomy import HARM_CATEGORIES
from dashboards import figures, ui
from dashboards.bridge import Portal

TITLE = "Group"
PREFIX = "group-items"
GROUP_ID = "group-id"
ITEMS = "group-items-table"
TIMELINE = "group-timeline"
PAGE_SIZE = 25


def title(group_id: str) -> str:
    return f"Group {group_id}"


def alerts_table(alerts: list[dict[str, Any]], empty: str) -> Component:
    rows = [
        [
            html.A(f"alert {a['id']}", href=ui.item_href("alert", a["id"])),
            f"{a['score']:.2f}",
            f"{ui.fmt_time(a['window_start'])} – {ui.fmt_time(a['window_end'])}",
            a["explanation"],
            ui.badge(a["status"]),
        ]
        for a in alerts
    ]
    return ui.table(["Alert", "Score", "Window", "Why", "Status"], rows, empty=empty)


def campaigns_table(campaigns: list[dict[str, Any]], empty: str) -> Component:
    rows = [
        [
            ui.item_link("campaign", c["id"], f"Campaign {c['id']}"),
            f"{c['score']:.2f}",
            ui.badge(c["status"]) if c["active"] else ui.badge("inactive"),
            f"{c['accounts']} accounts, {c['items']} items",
            f"{ui.fmt_day(c['first_seen'])} – {ui.fmt_day(c['last_seen'])}",
        ]
        for c in campaigns
    ]
    return ui.table(["Campaign", "Score", "Status", "Size", "Seen"], rows, empty=empty)


def cases_table(cases: list[dict[str, Any]], empty: str) -> Component:
    rows = [
        [ui.item_link("case", c["id"], f"Case {c['id']}"), c["title"], ui.badge(c["status"])]
        for c in cases
    ]
    return ui.table(["Case", "Title", "Status"], rows, empty=empty)


def _items_table(rows: list[dict[str, Any]]) -> Component:
    body = [
        [
            ui.item_link(r["kind"], r["id"]),
            html.Span(ui.fmt_time(r["seen"]), className="nowrap"),
            ui.account_link(r["deployer"], r["account_id"], r["account_id"])
            if r["kind"] == "log"
            else "report",
            r["deployer"] or "—",
            ui.signals_text(r),
            html.Span(r["snippet"], className="snippet"),
        ]
        for r in rows
    ]
    return ui.table(
        ["Item", "Time", "Account", "Deployer", "Signals", "Text"],
        body,
        empty="No items in this group.",
    )


def layout(portal: Portal, group_id: str) -> Component:
    g = subjects.group_detail(portal.session(), int(group_id))
    reports = [
        [
            ui.item_link("report", r["id"], f"Report {r['id']}"),
            ui.fmt_time(r["created_at"]),
            HARM_CATEGORIES.get(r["category"], r["category"]),
            ui.report_status(r["status"]),
            ui.item_link("report", r["duplicate_of"], f"duplicate of #{r['duplicate_of']}")
            if r["duplicate_of"]
            else "",
        ]
        for r in g["report_rows"]
    ]
    summary = ui.meta(
        [
            ("Size", f"{g['log_samples']:,} log samples and {g['reports']:,} reports"),
            ("Distinct texts", f"{g['texts']:,}"),
            ("Accounts", f"{g['accounts']:,} at {g['deployers']:,} deployers"),
            ("Seen", f"{ui.fmt_time(g['first_seen'])} – {ui.fmt_time(g['last_seen'])}"),
        ],
        "group-summary",
    )
    return html.Div(
        [
            dcc.Store(id=GROUP_ID, data=g["id"]),
            ui.header(f"Group {g['id']}", dcc.Link("Alerts & campaigns", href=ui.href("alerts"))),
            html.Div(
                [
                    html.Section([html.H2("What it is"), summary]),
                    html.Section(
                        [
                            html.H2("A text of the group"),
                            html.Pre(g["sample"] or "", className="text"),
                        ]
                    ),
                ],
                className="two-col",
            ),
            dcc.Graph(
                id=TIMELINE,
                figure=figures.stacked_counts(
                    g["timeline"],
                    series="series",
                    title="Items per day, by deployer (and reports)",
                    empty_message="No items.",
                ),
                config={"displaylogo": False},
            ),
            html.Div(
                [
                    html.Section(
                        [
                            html.H2("Alerts on this group"),
                            alerts_table(g["alerts"], "No alert was raised on this group."),
                        ],
                        id="group-alerts",
                    ),
                    html.Section(
                        [
                            html.H2("Campaigns with its texts"),
                            campaigns_table(g["campaigns"], "No campaign includes these texts."),
                        ],
                        id="group-campaigns",
                    ),
                ],
                className="two-col",
            ),
            html.Div(
                [
                    html.Section(
                        [
                            html.H2("Cases"),
                            cases_table(g["cases"], "No case involves this group."),
                        ],
                        id="group-cases",
                    ),
                    html.Section(
                        [
                            html.H2("Reports"),
                            ui.table(
                                ["Report", "Received", "Category", "Status", ""],
                                reports,
                                empty="Nobody reported these texts.",
                            ),
                        ],
                        id="group-reports",
                    ),
                ],
                className="two-col",
            ),
            html.Section(
                [html.H2("Texts, newest first"), html.Div(id=ITEMS), ui.pager(PREFIX)],
                id="group-texts",
            ),
        ]
    )


def register(app: Dash, portal: Portal) -> None:
    @app.callback(
        Output(ITEMS, "children"),
        *ui.pager_outputs(PREFIX),
        Input(GROUP_ID, "data"),
        Input(f"{PREFIX}-prev", "n_clicks"),
        Input(f"{PREFIX}-next", "n_clicks"),
        State(f"{PREFIX}-page", "data"),
    )
    def show(group_id: int, _p: int | None, _n: int | None, page: int | None) -> tuple[Any, ...]:
        portal.user()

        def fetch(limit: int, offset: int) -> dict[str, Any]:
            return subjects.group_items(portal.session(), int(group_id), limit=limit, offset=offset)

        shown, result = ui.paginate(ctx.triggered_id, PREFIX, page, PAGE_SIZE, fetch)
        return _items_table(result["rows"]), *ui.pager_state(
            shown, result["total"], PAGE_SIZE, "items"
        )
