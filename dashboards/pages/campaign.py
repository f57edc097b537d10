"""One campaign candidate: why it was flagged, its timeline, which accounts posted
which texts, sample items; acknowledge, escalate, dismiss or open a case."""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, State, ctx, dcc, html
from dash.development.base_component import Component

from core.queries import campaigns as campaign_queries
from core.services import cases as case_service
from core.services import detection as detection_service
from core.services.access import actor_of
from core.taxonomy import HARM_CATEGORIES
from dashboards import figures, ui
from dashboards.bridge import Portal

TITLE = "Campaign"
CAMPAIGN_ID = "campaign-id"
SUMMARY = "campaign-summary"
TIMELINE = "campaign-timeline"
MATRIX = "campaign-matrix"
MATRIX_NOTE = "campaign-matrix-note"
MATRIX_GROUPS = "campaign-matrix-groups"
ACK = "campaign-ack"
ESCALATE = "campaign-escalate"
DISMISS = "campaign-dismiss"
REASON = "campaign-reason"
CASE_TITLE = "campaign-case-title"
CASE_OPEN = "campaign-case-open"
MESSAGE = "campaign-message"
ACCOUNT_LIMIT = 200
MATRIX_ACCOUNTS = 60
MATRIX_GROUPS_SHOWN = 30


def title(campaign_id: str) -> str:
    return f"Campaign {campaign_id}"


def _summary(c: dict[str, Any]) -> Component:
    pairs: list[tuple[str, ui.Child]] = [
        ("Status", [ui.badge(c["status"]), f" {c['status_reason']}" if c["status_reason"] else ""]),
        ("Still found", "yes" if c["active"] else "no: the last run did not find it again"),
        ("Score", f"{c['score']:.3f}"),
        (
            "Category (guess)",
            HARM_CATEGORIES.get(c["category_guess"] or "", c["category_guess"] or "—"),
        ),
        ("Keywords", ", ".join(c["keywords"]) or "—"),
        (
            "Size",
            f"{c['accounts']} accounts at {c['deployers']} deployers; {c['items']} items, "
            f"{c['reports']} of them reports",
        ),
        ("Seen", f"{ui.fmt_time(c['first_seen'])} – {ui.fmt_time(c['last_seen'])}"),
        ("Why it was flagged", c["explanation"]),
        (
            "Cases",
            [
                html.Span([dcc.Link(f"case {k['id']}", href=ui.href("cases", k["id"])), " "])
                for k in c["cases"]
            ]
            or "none",
        ),
    ]
    return html.Dl(
        [part for name, value in pairs for part in (html.Dt(name), html.Dd(value))],
        className="meta",
    )


def layout(portal: Portal, campaign_id: str) -> Component:
    c = campaign_queries.campaign_detail(
        portal.session(), int(campaign_id), account_limit=ACCOUNT_LIMIT
    )
    accounts = [
        [
            a["deployer"] or "(reports)",
            ui.account_link(a["deployer"], a["account_id"], a["account_id"]),
            str(a["items"]),
        ]
        for a in c["account_rows"]
    ]
    more = (
        f"The {len(accounts)} accounts with most items of {c['accounts']:,}."
        if c["accounts"] > len(accounts)
        else f"All {len(accounts)} accounts."
    )
    samples = [
        [
            ui.item_link(i["kind"], i["id"]),
            ui.fmt_time(i["seen"]),
            ui.account_link(i.get("deployer"), i.get("account_id"), i["who"])
            if i["kind"] == "log"
            else i["who"],
            html.Span(i["snippet"], className="snippet"),
        ]
        for i in c["sample_items"]
    ]
    return html.Div(
        [
            dcc.Store(id=CAMPAIGN_ID, data=c["id"]),
            ui.header(f"Campaign {c['id']}", dcc.Link("All campaigns", href=ui.href("alerts"))),
            html.Div(
                [
                    html.Section([html.H2("Why"), html.Div(_summary(c), id=SUMMARY)]),
                    html.Section(
                        [
                            html.H2("Act on it"),
                            html.Div(
                                [
                                    html.Button("Acknowledge", id=ACK),
                                    html.Button("Escalate", id=ESCALATE),
                                ],
                                className="actions",
                            ),
                            html.Div(
                                [
                                    ui.labelled(
                                        "Reason",
                                        dcc.Input(
                                            id=REASON,
                                            value="",
                                            placeholder="Reason (to dismiss, or to step back "
                                            "from an escalation)",
                                        ),
                                    ),
                                    html.Button("Dismiss", id=DISMISS, className="secondary"),
                                ],
                                className="actions",
                            ),
                            html.Div(
                                [
                                    ui.labelled(
                                        "Case title",
                                        dcc.Input(
                                            id=CASE_TITLE,
                                            value=f"Campaign {c['id']}: "
                                            + ", ".join(c["keywords"][:4]),
                                            maxLength=200,
                                        ),
                                    ),
                                    html.Button("Open case", id=CASE_OPEN),
                                ],
                                className="actions",
                            ),
                            html.Div(id=MESSAGE),
                        ]
                    ),
                ],
                className="two-col",
            ),
            dcc.Graph(
                id=TIMELINE,
                figure=figures.stacked_counts(
                    c["timeline"],
                    series="series",
                    title="Items per day, by deployer (and reports)",
                    empty_message="No items.",
                ),
                config={"displaylogo": False},
            ),
            html.Section(
                [
                    html.H2("Who posted what"),
                    html.P(
                        "Each row is an account, each column a near-duplicate group of its "
                        "log samples; a cell counts that account's items in that group.",
                        className="hint",
                    ),
                    html.P(id=MATRIX_NOTE, className="hint", **ui.live()),
                    dcc.Graph(id=MATRIX, config={"displaylogo": False}),
                    html.Div(id=MATRIX_GROUPS),
                ]
            ),
            html.Div(
                [
                    html.Section(
                        [
                            html.H2("Accounts"),
                            html.P(more, className="hint"),
                            ui.table(["Deployer", "Account", "Items"], accounts),
                        ]
                    ),
                    html.Section(
                        [
                            html.H2("Sample items"),
                            ui.table(["Item", "Seen", "Who", "Text"], samples, empty="No items."),
                        ]
                    ),
                ],
                className="two-col",
            ),
        ]
    )


def register(app: Dash, portal: Portal) -> None:
    @app.callback(
        Output(MATRIX, "figure"),
        Output(MATRIX_NOTE, "children"),
        Output(MATRIX_GROUPS, "children"),
        Input(CAMPAIGN_ID, "data"),
    )
    def draw_matrix(campaign_id: int) -> tuple[Any, ...]:
        portal.user()
        data = campaign_queries.campaign_matrix(
            portal.session(),
            int(campaign_id),
            max_accounts=MATRIX_ACCOUNTS,
            max_groups=MATRIX_GROUPS_SHOWN,
        )
        note = (
            f"{data['accounts_total']:,} accounts posted into {data['groups_total']:,} "
            f"groups; {data['shared_groups']:,} of the groups carry items of more than "
            "one account."
        )
        if data["accounts_total"] > len(data["accounts"]) or data["groups_total"] > len(
            data["groups"]
        ):
            note += (
                f" Shown: the {len(data['accounts'])} busiest accounts and the "
                f"{len(data['groups'])} largest groups."
            )
        groups = ui.table(
            ["Group", "Items", "Accounts", "A text"],
            [
                [
                    ui.group_link(g["id"], g["label"]) if g["id"] else g["label"],
                    f"{g['items']:,}",
                    f"{g['accounts']:,}",
                    html.Span(g["sample"], className="snippet"),
                ]
                for g in data["groups"]
            ],
            empty="No groups.",
        )
        return (
            figures.account_group_matrix(data, title="Accounts × near-duplicate groups"),
            note,
            groups,
        )

    @app.callback(
        Output(MESSAGE, "children"),
        Output(SUMMARY, "children"),
        Input(ACK, "n_clicks"),
        Input(ESCALATE, "n_clicks"),
        Input(DISMISS, "n_clicks"),
        Input(CASE_OPEN, "n_clicks"),
        State(CAMPAIGN_ID, "data"),
        State(REASON, "value"),
        State(CASE_TITLE, "value"),
        prevent_initial_call=True,
    )
    def act(
        _ack: int | None,
        _escalate: int | None,
        _dismiss: int | None,
        _case: int | None,
        campaign_id: int,
        reason: str | None,
        title: str | None,
    ) -> tuple[Any, ...]:
        user = portal.user()
        trigger = ctx.triggered_id
        session = portal.session()
        opened: list[int] = []

        def run() -> str:
            if trigger == CASE_OPEN:
                case = case_service.open_case(
                    session,
                    title=title or "",
                    origin_type="campaign",
                    origin_id=campaign_id,
                    user=user,
                )
                opened.append(case.id)
                return f"Case {case.id} opened; the campaign is escalated to it."
            status = {ACK: "acknowledged", ESCALATE: "escalated", DISMISS: "dismissed"}[
                str(trigger)
            ]
            detection_service.set_campaign_status(
                session, campaign_id, status, actor=actor_of(user), reason=reason or ""
            )
            return f"Campaign {campaign_id} {status}."

        _, message = ui.attempt(portal, run)
        if opened:
            message = html.Div(
                [message, " ", dcc.Link("Go to the case", href=ui.href("cases", opened[0]))]
            )
        return message, _summary(
            campaign_queries.campaign_detail(session, campaign_id, account_limit=1)
        )
