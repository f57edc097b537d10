"""One report: masked texts, signals, similar items, the conversation with the reporter,
and the analyst's actions on it."""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.development.base_component import Component

from core.exceptions import ValidationFailed
from core.models import User
from core.queries import choices
from core.queries import reports as report_queries
from core.services import cases as case_service
from core.services import reports as report_service
from core.services.access import actor_of
from core.taxonomy import HARM_CATEGORIES, REPORT_STATUSES
from dashboards import ui
from dashboards.bridge import Portal

TITLE = "Report"
REPORT_ID = "report-id"
REASON = "report-decision-reason"
META = "report-meta"
STATUS_CHOICE = "report-status-choice"
STATUS_APPLY = "report-status-apply"
ASSIGN_ME = "report-assign-me"
ASSIGNEE = "report-assignee"
ASSIGN = "report-assign"
UNASSIGN = "report-unassign"
ACTION_MESSAGE = "report-action-message"
CONVERSATION = "report-conversation"
REPLY = "report-reply"
REPLY_SEND = "report-reply-send"
REPLY_MESSAGE = "report-reply-message"
CASE_TITLE = "report-case-title"
CASE_OPEN = "report-case-open"
CASE_MESSAGE = "report-case-message"


def title(report_id: str) -> str:
    return f"Report {report_id}"


def _meta(r: dict[str, Any]) -> Component:
    pairs: list[tuple[str, ui.Child]] = [
        ("Status", ui.report_status(r["status"])),
        ("Category", HARM_CATEGORIES.get(r["category"], r["category"])),
        ("Reporter", ui.label(r["reporter_type"])),
        (
            "Serious incident",
            "the reporter says it caused or could cause one"
            if r["serious_incident"]
            else "not claimed",
        ),
        ("Source", r["source"] + (" · trusted flagger" if r["trusted_flagger"] else "")),
        ("Assignee", r["assignee"] or "nobody"),
        ("Received", ui.fmt_time(r["created_at"])),
        ("Decided", ui.fmt_time(r["decided_at"])),
        ("Reason given", r["decision_reason"] or "—"),
        (
            "Duplicate of",
            ui.item_link("report", r["duplicate_of"], f"report {r['duplicate_of']}")
            if r["duplicate_of"]
            else "—",
        ),
        (
            "Its duplicates",
            [html.Span([ui.item_link("report", d, f"report {d}"), " "]) for d in r["duplicates"]]
            or "none",
        ),
        ("Output seen", ui.fmt_time(r["occurred_at"])),
        ("Model", " ".join(x for x in (r["provider"], r["model_name"], r["model_version"]) if x)),
        ("Product", r["product_url"] or "—"),
        ("Published at", r["published_url"] or "—"),
        (
            "Cases",
            [
                html.Span([dcc.Link(f"case {c['id']}", href=ui.href("cases", c["id"])), " "])
                for c in r["cases"]
            ]
            or "none",
        ),
    ]
    return html.Dl(
        [part for name, value in pairs for part in (html.Dt(name), html.Dd(value))],
        className="meta",
    )


def _signals(r: dict[str, Any]) -> Component:
    s = r["signals"]
    return html.Dl(
        [
            html.Dt("Offensive language"),
            html.Dd(f"{s['offensive_prob']:.0%} probability"),
            html.Dt("Personal data masked"),
            html.Dd(", ".join(s["pii_kinds"]) or "none found"),
            html.Dt("Prompt-injection markers"),
            html.Dd(", ".join(s["injection_markers"]) or "none found"),
            html.Dt("Near-duplicates"),
            html.Dd(
                ui.group_link(
                    r["group_id"],
                    f"{r['similar_reports']} other reports and {r['similar_log_samples']} log "
                    f"samples in group {r['group_id']}",
                )
                if r["group_id"]
                else "not grouped yet"
            ),
        ],
        className="meta",
    )


def similar_table(similar: list[dict[str, Any]]) -> Component:
    """Similar items, each linked to its page."""
    rows = []
    for item in similar:
        kind, _, number = item["id"].partition("-")
        rows.append(
            [
                ui.item_link(kind, int(number), item["id"]),
                f"{item['score']:.2f}",
                ui.fmt_time(item["seen"]),
                html.Span(item["snippet"], className="snippet"),
            ]
        )
    return ui.table(
        ["Item", "Cosine", "Seen", "Text"],
        rows,
        empty="No similar items found (or the group job has not run yet).",
    )


def _author(message: dict[str, Any]) -> str:
    if message["author"] == "reporter":
        return "Reporter"
    return str(message["author_name"] or "Analyst")


def _conversation(messages: list[dict[str, Any]]) -> Component:
    if not messages:
        return html.P("No messages yet.", className="empty")
    return html.Ol(
        [
            html.Li(
                [
                    html.P(f"{_author(m)} · {ui.fmt_time(m['created_at'])}", className="meta"),
                    html.P(m["body"], className="body"),
                ],
                className=f"message {m['author']}",
            )
            for m in messages
        ],
        className="messages",
    )


def layout(portal: Portal, report_id: str) -> Component:
    r = report_queries.report_detail(portal.session(), int(report_id))
    people = choices.analysts(portal.session())
    texts: list[Component] = [html.H3("Output (masked)"), html.Pre(r["output"], className="text")]
    if r["prompt"]:
        texts += [html.H3("Prompt (masked)"), html.Pre(r["prompt"], className="text")]
    texts += [html.H3("Why the reporter thinks it is harmful"), html.P(r["explanation"])]
    return html.Div(
        [
            dcc.Store(id=REPORT_ID, data=r["id"]),
            ui.header(f"Report {r['id']}", dcc.Link("Back to the queue", href=ui.href("triage"))),
            html.Div(
                [
                    html.Section([html.H2("Details"), html.Div(_meta(r), id=META)]),
                    html.Section(
                        [
                            html.H2("Act on it"),
                            ui.field(
                                "Status",
                                dcc.RadioItems(
                                    id=STATUS_CHOICE,
                                    options=ui.options(list(REPORT_STATUSES), REPORT_STATUSES),
                                    value=r["status"],
                                ),
                                STATUS_CHOICE,
                            ),
                            ui.field(
                                "Reason for the reporter",
                                dcc.Textarea(
                                    id=REASON, value=r["decision_reason"] or "", maxLength=1000
                                ),
                                REASON,
                                hint="Needed for a decision; the reporter reads it on the "
                                "follow-up page and may appeal.",
                            ),
                            html.Button("Change status", id=STATUS_APPLY),
                            html.Div(
                                [
                                    html.Button("Assign to me", id=ASSIGN_ME),
                                    dcc.Dropdown(
                                        id=ASSIGNEE,
                                        options=[
                                            {"label": p["email"], "value": p["id"]} for p in people
                                        ],
                                        placeholder="Someone else",
                                        className="inline-control",
                                    ),
                                    html.Button("Assign", id=ASSIGN),
                                    html.Button("Unassign", id=UNASSIGN, className="secondary"),
                                ],
                                className="actions",
                            ),
                            html.Div(id=ACTION_MESSAGE),
                            html.H3("Open a case from this report"),
                            html.Div(
                                [
                                    ui.labelled(
                                        "Case title",
                                        dcc.Input(
                                            id=CASE_TITLE,
                                            value=f"Report {r['id']}: {ui.label(r['category'])}",
                                            maxLength=200,
                                        ),
                                    ),
                                    html.Button("Open case", id=CASE_OPEN),
                                ],
                                className="actions",
                            ),
                            html.Div(id=CASE_MESSAGE),
                        ]
                    ),
                ],
                className="two-col",
            ),
            html.Section([html.H2("Texts"), *texts]),
            html.Section([html.H2("Signals"), _signals(r)]),
            html.Section([html.H2("Similar items"), similar_table(r["similar"])]),
            html.Section(
                [
                    html.H2("Conversation with the reporter"),
                    html.P(
                        "The reporter reads these with their receipt code. Personal data you "
                        "type is masked like every free text.",
                        className="hint",
                    ),
                    html.Div(_conversation(r["messages"]), id=CONVERSATION),
                    ui.field("Reply", dcc.Textarea(id=REPLY, value="", maxLength=5000), REPLY),
                    html.Button("Send reply", id=REPLY_SEND),
                    html.Div(id=REPLY_MESSAGE),
                ]
            ),
        ]
    )


def register(app: Dash, portal: Portal) -> None:
    @app.callback(
        Output(ACTION_MESSAGE, "children"),
        Output(META, "children"),
        Input(STATUS_APPLY, "n_clicks"),
        Input(ASSIGN_ME, "n_clicks"),
        Input(ASSIGN, "n_clicks"),
        Input(UNASSIGN, "n_clicks"),
        State(REPORT_ID, "data"),
        State(STATUS_CHOICE, "value"),
        State(ASSIGNEE, "value"),
        State(REASON, "value"),
        prevent_initial_call=True,
    )
    def act(
        _status: int | None,
        _me: int | None,
        _assign: int | None,
        _unassign: int | None,
        report_id: int,
        status: str | None,
        assignee: int | None,
        reason: str | None,
    ) -> tuple[Any, ...]:
        user = portal.user()
        trigger = ctx.triggered_id
        session = portal.session()

        def run() -> str:
            if trigger == STATUS_APPLY:
                report_service.set_report_status(
                    session,
                    report_id,
                    status or "",
                    actor=actor_of(user),
                    reason=reason,
                    analyzer=portal.analyzer,
                )
                return f"Status set to {REPORT_STATUSES.get(status or '', status)}."
            target: int | None
            if trigger == ASSIGN_ME:
                target = user.id
            elif trigger == ASSIGN:
                if assignee is None:
                    raise ValidationFailed({"assignee": "Choose the analyst first."})
                target = int(assignee)
            else:
                target = None
            report_service.assign_report(session, report_id, target, actor=actor_of(user))
            return (
                "Assigned to you."
                if target == user.id
                else ("Assigned." if target is not None else "Unassigned.")
            )

        _, message = ui.attempt(portal, run)
        return message, _meta(report_queries.report_detail(session, report_id))

    @app.callback(
        Output(REPLY_MESSAGE, "children"),
        Output(CONVERSATION, "children"),
        Output(REPLY, "value"),
        Input(REPLY_SEND, "n_clicks"),
        State(REPORT_ID, "data"),
        State(REPLY, "value"),
        prevent_initial_call=True,
    )
    def reply(_send: int | None, report_id: int, body: str | None) -> tuple[Any, ...]:
        user = portal.user()
        session = portal.session()

        def run() -> str:
            report_service.add_analyst_message(
                session, report_id, body or "", analyst=actor_of(user), analyzer=portal.analyzer
            )
            return "Reply sent. The reporter sees it with their receipt code."

        ok, message = ui.attempt(portal, run)
        messages = report_queries.report_detail(session, report_id)["messages"]
        return message, _conversation(messages), "" if ok else no_update

    @app.callback(
        Output(CASE_MESSAGE, "children"),
        Input(CASE_OPEN, "n_clicks"),
        State(REPORT_ID, "data"),
        State(CASE_TITLE, "value"),
        prevent_initial_call=True,
    )
    def open_case(_open: int | None, report_id: int, title: str | None) -> Component:
        user: User = portal.user()
        case_id: list[int] = []

        def run() -> str:
            case = case_service.open_case(
                portal.session(),
                title=title or "",
                origin_type="reports",
                items=[("report", report_id)],
                user=user,
            )
            case_id.append(case.id)
            return f"Case {case.id} opened."

        ok, message = ui.attempt(portal, run)
        if not ok:
            return message
        return html.Div(
            [message, " ", dcc.Link("Go to the case", href=ui.href("cases", case_id[0]))]
        )
