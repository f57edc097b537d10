"""The sanctions register (filter; approve or reject a proposal, revoke one in force)
and the appeals waiting for a decision."""

from __future__ import annotations

from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.development.base_component import Component

from core.models import SANCTION_MEASURES, SANCTION_STATUSES, SANCTION_SUBJECTS, User
from core.queries import appeals as appeal_queries
from core.queries import choices
from core.queries import sanctions as sanction_queries
from core.services import appeals as appeal_service
from core.services import sanctions as sanction_service
from dashboards import ui
from dashboards.bridge import Portal

TITLE = "Sanctions register"
PREFIX = "sanctions"
STATUS = "sanctions-status"
MEASURE = "sanctions-measure"
SUBJECT = "sanctions-subject"
DEPLOYER = "sanctions-deployer"
TABLE = "sanctions-table"
MESSAGE = "sanctions-message"
REFRESH = "sanctions-refresh"
# Bumped by an appeal decision: a reversed appeal ends a sanction.
REFRESH_BY_APPEAL = "sanctions-refresh-by-appeal"
APPEALS = "appeals-list"
APPEALS_MESSAGE = "appeals-message"
# Pattern-matching types: {"type": ..., "index": sanction or appeal id}.
REVOKE = "sanction-revoke"
REVOKE_REASON = "sanction-revoke-reason"
APPROVE = "register-approve"
REJECT = "register-reject"
CONFIRM = "register-confirm"
APPEAL_OUTCOME = "appeal-outcome"
APPEAL_REASON = "appeal-reason"
APPEAL_DECIDE = "appeal-decide"
PAGE_SIZE = 50
ANY = "any"


def _choice(control_id: str, values: tuple[str, ...], value: str = ANY) -> dcc.RadioItems:
    return dcc.RadioItems(
        id=control_id,
        options=[{"label": " any", "value": ANY}]
        + [{"label": f" {ui.label(v)}", "value": v} for v in values],
        value=value,
        inline=True,
    )


def layout(portal: Portal) -> Component:
    deployers = choices.deployers(portal.session())
    return html.Div(
        [
            ui.header(TITLE),
            html.Div(
                [
                    ui.field("Status", _choice(STATUS, SANCTION_STATUSES), STATUS),
                    ui.field("Measure", _choice(MEASURE, SANCTION_MEASURES), MEASURE),
                    ui.field("Subject", _choice(SUBJECT, SANCTION_SUBJECTS), SUBJECT),
                    ui.field(
                        "Deployer",
                        dcc.Dropdown(
                            id=DEPLOYER,
                            options=[{"label": d["name"], "value": d["id"]} for d in deployers],
                            placeholder="Any deployer",
                        ),
                        DEPLOYER,
                    ),
                ],
                className="filters",
            ),
            html.Div(id=MESSAGE),
            ui.confirm_box(CONFIRM),
            dcc.Store(id=REFRESH, data=0),
            dcc.Store(id=REFRESH_BY_APPEAL, data=0),
            html.Div(id=TABLE),
            ui.pager(PREFIX),
            html.Section(
                [
                    html.H2("Appeals waiting for a decision"),
                    html.P(
                        "Someone other than who decided reviews each appeal. A reversed "
                        "appeal ends the sanction at once.",
                        className="hint",
                    ),
                    html.Div(id=APPEALS_MESSAGE),
                    html.Div(id=APPEALS),
                ]
            ),
        ]
    )


def _reason_box(s: dict[str, Any], what: str) -> Component:
    return ui.labelled(
        f"Reason to {what} {s['reference']}",
        dcc.Input(
            id={"type": REVOKE_REASON, "index": s["id"]},
            value="",
            placeholder=f"Reason to {what}",
        ),
    )


def _actions(s: dict[str, Any], user: User) -> ui.Child:
    """What this person may do with the sanction: approve or reject a proposal
    (a supervisor other than the proposer), revoke one in force (a supervisor)."""
    if s["status"] == "proposed":
        if not user.has_role("supervisor"):
            return html.Span("Waiting for a supervisor's approval.", className="hint")
        if s["proposed_by"] == user.email:
            return html.Span("You proposed it: another supervisor decides.", className="hint")
        return html.Div(
            [
                html.Button("Approve…", id={"type": APPROVE, "index": s["id"]}, className="small"),
                _reason_box(s, "reject"),
                html.Button(
                    "Reject", id={"type": REJECT, "index": s["id"]}, className="small secondary"
                ),
            ],
            className="actions",
        )
    if s["status"] != "active":
        return html.Span(s["end_reason"] or "", className="hint")
    if not user.has_role("supervisor"):
        return html.Span("A supervisor can revoke it.", className="hint")
    return html.Div(
        [
            _reason_box(s, "revoke"),
            html.Button(
                "Revoke", id={"type": REVOKE, "index": s["id"]}, className="small secondary"
            ),
        ],
        className="actions",
    )


def _table(rows: list[dict[str, Any]], user: User) -> Component:
    body = [
        [
            s["reference"],
            ui.label(s["measure"])
            + (f" ({s['rate_limit_per_minute']}/min)" if s["rate_limit_per_minute"] else ""),
            ui.sanction_subject(s),
            ui.badge(s["status"]),
            dcc.Link(f"case {s['case_id']}", href=ui.href("cases", s["case_id"])),
            ui.in_force(s),
            f"{s['proposed_by'] or '—'} / {s['approved_by'] or '—'}",
            _actions(s, user),
        ]
        for s in rows
    ]
    return ui.table(
        [
            "Reference",
            "Measure",
            "Subject",
            "Status",
            "Case",
            "In force",
            "Proposed / approved by",
            "",
        ],
        body,
        empty="No sanctions match.",
        row_ids=[f"sanction-{s['id']}" for s in rows],
    )


def _appeals(rows: list[dict[str, Any]]) -> Component:
    body = [
        [
            f"Appeal {a['id']}",
            ui.fmt_time(a["created_at"]),
            f"sanction {a['sanction_reference']}"
            if a["sanction_reference"]
            else ui.item_link("report", a["report_id"], f"report {a['report_id']}"),
            ui.label(a["appellant_type"]),
            html.Span(a["statement"], className="snippet"),
            html.Div(
                [
                    dcc.RadioItems(
                        id={"type": APPEAL_OUTCOME, "index": a["id"]},
                        options=[
                            {"label": " uphold the decision", "value": "upheld"},
                            {"label": " reverse it", "value": "reversed"},
                        ],
                        value="upheld",
                    ),
                    ui.labelled(
                        f"Reasons for the outcome of appeal {a['id']}",
                        dcc.Input(
                            id={"type": APPEAL_REASON, "index": a["id"]},
                            value="",
                            placeholder="Reasons for the outcome",
                        ),
                    ),
                    html.Button(
                        "Decide", id={"type": APPEAL_DECIDE, "index": a["id"]}, className="small"
                    ),
                ]
            ),
        ]
        for a in rows
    ]
    return ui.table(
        ["Appeal", "Filed", "Against", "By", "Statement", "Decision"],
        body,
        empty="No appeal is waiting.",
    )


def register(app: Dash, portal: Portal) -> None:
    @app.callback(
        Output(TABLE, "children"),
        *ui.pager_outputs(PREFIX),
        Input(STATUS, "value"),
        Input(MEASURE, "value"),
        Input(SUBJECT, "value"),
        Input(DEPLOYER, "value"),
        Input(f"{PREFIX}-prev", "n_clicks"),
        Input(f"{PREFIX}-next", "n_clicks"),
        Input(REFRESH, "data"),
        Input(REFRESH_BY_APPEAL, "data"),
        State(f"{PREFIX}-page", "data"),
    )
    def show(
        status: str | None,
        measure: str | None,
        subject: str | None,
        deployer_id: int | None,
        _p: int | None,
        _n: int | None,
        _r: int | None,
        _a: int | None,
        page: int | None,
    ) -> tuple[Any, ...]:
        user = portal.user()
        filters: dict[str, Any] = {
            "status": None if status in (None, ANY) else status,
            "measure": None if measure in (None, ANY) else measure,
            "subject_type": None if subject in (None, ANY) else subject,
            "deployer_id": deployer_id,
        }

        def fetch(limit: int, offset: int) -> dict[str, Any]:
            session = portal.session()
            return {
                "total": sanction_queries.sanctions_total(session, **filters),
                "rows": sanction_queries.list_sanctions(
                    session, limit=limit, offset=offset, **filters
                ),
            }

        trigger = ctx.triggered_id
        if trigger == REFRESH_BY_APPEAL:
            trigger = f"{PREFIX}-refresh"
        shown, result = ui.paginate(trigger, PREFIX, page, PAGE_SIZE, fetch)
        return (
            _table(result["rows"], user),
            *ui.pager_state(shown, result["total"], PAGE_SIZE, "sanctions"),
        )

    @app.callback(
        Output(MESSAGE, "children"),
        Output(REFRESH, "data"),
        Output(f"{CONFIRM}-box", "hidden"),
        Output(f"{CONFIRM}-question", "children"),
        Output(f"{CONFIRM}-pending", "data"),
        Input({"type": REVOKE, "index": ALL}, "n_clicks"),
        Input({"type": REJECT, "index": ALL}, "n_clicks"),
        Input({"type": APPROVE, "index": ALL}, "n_clicks"),
        Input(f"{CONFIRM}-yes", "n_clicks"),
        Input(f"{CONFIRM}-no", "n_clicks"),
        State({"type": REVOKE_REASON, "index": ALL}, "value"),
        State({"type": REVOKE_REASON, "index": ALL}, "id"),
        State(f"{CONFIRM}-pending", "data"),
        State(REFRESH, "data"),
        prevent_initial_call=True,
    )
    def act(
        _revoke: list[int | None],
        _reject: list[int | None],
        _approve: list[int | None],
        _yes: int | None,
        _no: int | None,
        reasons: list[str | None],
        reason_ids: list[dict[str, Any]],
        pending: int | None,
        refresh: int | None,
    ) -> tuple[Any, ...]:
        return ui.decide_sanction(
            portal,
            CONFIRM,
            APPROVE,
            {
                REJECT: (sanction_service.reject_sanction, "rejected"),
                REVOKE: (sanction_service.revoke_sanction, "revoked"),
            },
            reason_ids,
            reasons,
            pending,
            refresh,
        )

    @app.callback(
        Output(APPEALS, "children"),
        Input(REFRESH_BY_APPEAL, "data"),
    )
    def show_appeals(_refresh: int | None) -> Component:
        portal.user()
        return _appeals(appeal_queries.list_appeals(portal.session(), status="pending"))

    @app.callback(
        Output(APPEALS_MESSAGE, "children"),
        Output(REFRESH_BY_APPEAL, "data"),
        Input({"type": APPEAL_DECIDE, "index": ALL}, "n_clicks"),
        State({"type": APPEAL_OUTCOME, "index": ALL}, "value"),
        State({"type": APPEAL_OUTCOME, "index": ALL}, "id"),
        State({"type": APPEAL_REASON, "index": ALL}, "value"),
        State({"type": APPEAL_REASON, "index": ALL}, "id"),
        State(REFRESH_BY_APPEAL, "data"),
        prevent_initial_call=True,
    )
    def decide(
        _clicks: list[int | None],
        outcomes: list[str | None],
        outcome_ids: list[dict[str, Any]],
        reasons: list[str | None],
        reason_ids: list[dict[str, Any]],
        refresh: int | None,
    ) -> tuple[Any, ...]:
        clicked = ui.clicked_row(reason_ids, reasons)
        if clicked is None:
            return no_update, no_update
        _, appeal_id, reason = clicked
        outcome = ui.by_row(outcome_ids, outcomes).get(appeal_id)
        user = portal.user()

        def run() -> str:
            appeal = appeal_service.decide_appeal(
                portal.session(), appeal_id, user=user, outcome=outcome or "", reason=reason or ""
            )
            return f"Appeal {appeal.id} {appeal.status}."

        ok, message = ui.attempt(portal, run)
        return message, (refresh or 0) + 1 if ok else no_update
