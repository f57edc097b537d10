"""One account at a deployer: its history, the groups it posted into, the campaigns it
is in, the alerts raised on it, the sanctions on it and the cases about it."""

from __future__ import annotations

from typing import Any, TypedDict
from urllib.parse import unquote

from dash import Dash, Input, Output, State, ctx, dcc, html
from dash.development.base_component import Component

from core.queries import subjects
from dashboards import figures, ui
from dashboards.bridge import Portal
from dashboards.pages.group import alerts_table, campaigns_table, cases_table

TITLE = "Account"
PREFIX = "account-logs"
ACCOUNT = "account-key"
LOGS = "account-logs-table"
PAGE_SIZE = 25


def title(deployer: str, account_id: str) -> str:
    return f"Account {unquote(account_id)} at {unquote(deployer)}"


def _logs_table(rows: list[dict[str, Any]]) -> Component:
    body = [
        [
            ui.item_link("log", r["id"]),
            html.Span(ui.fmt_time(r["seen"]), className="nowrap"),
            r["model"] or "—",
            ui.group_link(r["group_id"]),
            f"{r['offensive_prob']:.0%}",
            html.Span(r["snippet"], className="snippet"),
        ]
        for r in rows
    ]
    return ui.table(
        ["Log sample", "Time", "Model", "Group", "Offensive", "Response"],
        body,
        empty="No log samples from this account.",
    )


def layout(portal: Portal, deployer: str, account_id: str) -> Component:
    a = subjects.account_detail(portal.session(), unquote(deployer), unquote(account_id))
    groups = [
        [
            ui.group_link(g["id"], f"Group {g['id']}"),
            f"{g['items']:,}",
            f"{g['size']:,} items from {g['accounts']:,} accounts",
            html.Span(g["sample"], className="snippet"),
        ]
        for g in a["groups"]
    ]
    sanctions = [
        [
            s["reference"],
            ui.label(s["measure"]),
            ui.badge(s["status"]),
            ui.in_force(s),
            ui.item_link("case", s["case_id"], f"case {s['case_id']}"),
        ]
        for s in a["sanctions"]
    ]
    campaigns = campaigns_table(a["campaigns"], "This account is in no campaign.")
    summary = ui.meta(
        [
            ("Deployer", f"{a['deployer']} ({a['deployer_status']})"),
            ("Account", a["account_id"]),
            ("Log samples", f"{a['log_samples']:,}"),
            ("First and last", f"{ui.fmt_time(a['first_seen'])} – {ui.fmt_time(a['last_seen'])}"),
            (
                "Sanctions in force",
                str(sum(1 for s in a["sanctions"] if s["status"] == "active")) or "none",
            ),
        ],
        "account-summary",
    )
    return html.Div(
        [
            dcc.Store(
                id=ACCOUNT, data={"deployer_id": a["deployer_id"], "account": a["account_id"]}
            ),
            ui.header(f"Account {a['account_id']} at {a['deployer']}"),
            html.Div(
                [
                    html.Section([html.H2("Who"), summary]),
                    html.Section(
                        [
                            html.H2("Sanctions"),
                            ui.table(
                                ["Reference", "Measure", "Status", "In force", "Case"],
                                sanctions,
                                empty="No sanction on this account.",
                            ),
                        ],
                        id="account-sanctions",
                    ),
                ],
                className="two-col",
            ),
            dcc.Graph(
                figure=figures.stacked_counts(
                    a["timeline"],
                    series="series",
                    title="Log samples per day",
                    empty_message="No log samples.",
                ),
                config={"displaylogo": False},
            ),
            html.Div(
                [
                    html.Section([html.H2("Campaigns"), campaigns], id="account-campaigns"),
                    html.Section(
                        [html.H2("Alerts"), alerts_table(a["alerts"], "No alert on this account.")],
                        id="account-alerts",
                    ),
                ],
                className="two-col",
            ),
            html.Div(
                [
                    html.Section(
                        [
                            html.H2("Groups it posted into"),
                            ui.table(
                                ["Group", "Its items", "Group size", "A text"],
                                groups,
                                empty="Its texts are not grouped yet.",
                            ),
                        ],
                        id="account-groups",
                    ),
                    html.Section(
                        [
                            html.H2("Cases"),
                            cases_table(a["cases"], "No case is about this account."),
                        ],
                        id="account-cases",
                    ),
                ],
                className="two-col",
            ),
            html.Section(
                [html.H2("History, newest first"), html.Div(id=LOGS), ui.pager(PREFIX)],
                id="account-history",
            ),
        ]
    )


class AccountKey(TypedDict):
    """The account a page shows, as its dcc.Store keeps it."""

    deployer_id: int
    account: str


def register(app: Dash, portal: Portal) -> None:
    @app.callback(
        Output(LOGS, "children"),
        *ui.pager_outputs(PREFIX),
        Input(ACCOUNT, "data"),
        Input(f"{PREFIX}-prev", "n_clicks"),
        Input(f"{PREFIX}-next", "n_clicks"),
        State(f"{PREFIX}-page", "data"),
    )
    def show(key: AccountKey, _p: int | None, _n: int | None, page: int | None) -> tuple[Any, ...]:
        portal.user()

        def fetch(limit: int, offset: int) -> dict[str, Any]:
            return subjects.account_logs(
                portal.session(),
                key["deployer_id"],
                key["account"],
                limit=limit,
                offset=offset,
            )

        shown, result = ui.paginate(ctx.triggered_id, PREFIX, page, PAGE_SIZE, fetch)
        return _logs_table(result["rows"]), *ui.pager_state(
            shown, result["total"], PAGE_SIZE, "log samples"
        )
