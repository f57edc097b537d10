"""One case: status, assignee, notes, linked items, the timeline of every action, and
its sanctions: propose one (a statement of reasons), approve or reject a proposal."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.development.base_component import Component

from core.exceptions import MisuseError, ValidationFailed
from core.models import (
    CASE_ITEM_KINDS,
    CASE_STATUSES,
    SANCTION_MEASURES,
    SANCTION_SUBJECTS,
    SEVERE_MEASURES,
    User,
)
from core.queries import cases as case_queries
from core.queries import choices
from core.services import cases as case_service
from core.services import sanctions as sanction_service
from core.taxonomy import (
    AUTOMATED_DECISION_LABELS,
    HARM_CATEGORIES,
    SANCTION_MEASURE_LABELS,
    SANCTION_SUBJECT_LABELS,
    SOURCE_TYPE_LABELS,
)
from dashboards import incident_section, ui
from dashboards.bridge import Portal
from dashboards.pages.cases import parse_items

TITLE = "Case"
CASE_ID = "case-id"
SUMMARY = "case-summary"
ITEMS = "case-items"
TIMELINE = "case-timeline"
SANCTIONS = "case-sanctions"
# One store per writing callback: each bumps its own, the reader listens to all.
REFRESH_ACT = "case-refresh-act"
REFRESH_PROPOSE = "case-refresh-propose"
REFRESH_DECIDE = "case-refresh-decide"
STATUS_CHOICE = "case-status-choice"
STATUS_APPLY = "case-status-apply"
ASSIGN_ME = "case-assign-me"
ASSIGNEE = "case-assignee"
ASSIGN = "case-assign"
NOTE = "case-note"
NOTE_ADD = "case-note-add"
LINK_ITEMS = "case-link-items"
LINK_ADD = "case-link-add"
ACT_MESSAGE = "case-act-message"
DECIDE_MESSAGE = "case-decide-message"
# Pattern-matching types, one per proposed sanction: {"type": ..., "index": sanction id}.
APPROVE = "sanction-approve"
REJECT = "sanction-reject"
REJECT_REASON = "sanction-reject-reason"
# The statement-of-reasons form.
SUBJECT_TYPE = "sanction-subject-type"
DEPLOYER = "sanction-deployer"
ACCOUNT = "sanction-account"
API_KEY = "sanction-api-key"
MODEL = "sanction-model"
MEASURE = "sanction-measure"
RATE = "sanction-rate"
CATEGORY = "sanction-category"
GROUND_TYPE = "sanction-ground-type"
GROUND_REFERENCE = "sanction-ground-reference"
GROUND_EXPLANATION = "sanction-ground-explanation"
FACTS = "sanction-facts"
AUTOMATED_DETECTION = "sanction-automated-detection"
AUTOMATED_DECISION = "sanction-automated-decision"
SOURCE_TYPE = "sanction-source-type"
SCOPE = "sanction-scope"
ENDS = "sanction-ends"
PROPOSE = "sanction-propose"
PROPOSE_MESSAGE = "sanction-propose-message"
PROPOSE_OPEN = "sanction-propose-open"
PROPOSE_FORM = "sanction-form"
CONFIRM = "case-confirm"
# The form's fields, by the name the service gives them in its errors.
FIELD_IDS = {
    "subject_type": SUBJECT_TYPE,
    "deployer_id": DEPLOYER,
    "account_id": ACCOUNT,
    "api_key_id": API_KEY,
    "model_name": MODEL,
    "measure": MEASURE,
    "rate_limit_per_minute": RATE,
    "category": CATEGORY,
    "ground_type": GROUND_TYPE,
    "ground_reference": GROUND_REFERENCE,
    "ground_explanation": GROUND_EXPLANATION,
    "facts": FACTS,
    "automated_decision": AUTOMATED_DECISION,
    "source_type": SOURCE_TYPE,
    "territorial_scope": SCOPE,
    "ends_at": ENDS,
}
# Which identifying fields each kind of subject takes.
SUBJECT_FIELDS = {
    "account": (DEPLOYER, ACCOUNT),
    "api_key": (API_KEY,),
    "deployer": (DEPLOYER,),
    "model": (DEPLOYER, MODEL),
}
IDENTIFYING = (DEPLOYER, ACCOUNT, API_KEY, MODEL)
# What a refusal says about each field, in words rather than the stored values.
FIELD_WORDS = {
    "subject_type": "Choose what the sanction is against.",
    "measure": "Choose a measure that fits the subject.",
    "category": "Choose the kind of harm.",
    "ground_type": "Choose a law or the terms of service.",
    "automated_decision": "Say how the decision was taken.",
    "source_type": "Say what the decision acts on.",
}


def title(case_id: str) -> str:
    return f"Case {case_id}"


def _summary(c: dict[str, Any]) -> Component:
    origin_kind = {"reports": "report"}.get(c["origin_type"], c["origin_type"])
    pairs: list[tuple[str, ui.Child]] = [
        ("Status", ui.badge(c["status"])),
        ("Assignee", c["assignee"] or "nobody"),
        (
            "Origin",
            ui.item_link(origin_kind, c["origin_id"], f"{c['origin_type']} {c['origin_id']}")
            if c["origin_id"]
            else c["origin_type"],
        ),
        ("Opened by", c["opened_by"] or "—"),
        ("Opened", ui.fmt_time(c["created_at"])),
        ("Last change", ui.fmt_time(c["updated_at"])),
        ("Decided", ui.fmt_time(c["decided_at"])),
    ]
    return html.Div(
        [
            html.H2(c["title"], className="case-title"),
            html.Dl(
                [part for name, value in pairs for part in (html.Dt(name), html.Dd(value))],
                className="meta",
            ),
        ]
    )


def _items(c: dict[str, Any], labels: dict[str, str]) -> Component:
    rows = [
        [
            ui.item_link(i["kind"], i["id"], f"{i['kind']} {i['id']}"),
            html.Span(labels.get(f"{i['kind']}-{i['id']}", ""), className="snippet"),
        ]
        for i in c["items"]
    ]
    return ui.table(["Item", "What"], rows, empty="No items linked yet.")


def _event_body(e: dict[str, Any], case_id: int) -> ui.Child:
    """An event's text; the items a link event added, as links; a submitted incident
    report, with a link to the page to print."""
    number = (e.get("data") or {}).get("report_number") if e["kind"] == "incident" else None
    if isinstance(number, int):
        href = incident_section.export_href(case_id, number, "html")
        return [str(e["body"] or ""), " ", html.A("print it", href=href, target="_blank")]
    items = (e.get("data") or {}).get("items") if e["kind"] == "link" else None
    if not items:
        return str(e["body"] or "")
    parts: list[ui.Child] = ["linked "]
    for n, (kind, item_id) in enumerate(items):
        if n:
            parts.append(", ")
        parts.append(ui.item_link(str(kind), int(item_id)))
    return parts


def _timeline(c: dict[str, Any]) -> Component:
    if not c["events"]:
        return html.P("Nothing has happened yet.", className="empty")
    return html.Ol(
        [
            html.Li(
                [
                    html.Span(ui.fmt_time(e["at"]), className="when"),
                    html.Span(e["actor"], className="who"),
                    ui.badge(e["kind"], "event"),
                    html.Span(_event_body(e, c["id"]), className="what"),
                ],
                className="event",
            )
            for e in reversed(c["events"])
        ],
        className="timeline",
    )


def _sanctions(c: dict[str, Any], user: User) -> Component:
    if not c["sanctions"]:
        return html.P("No sanction proposed in this case.", className="empty")
    rows = []
    for s in c["sanctions"]:
        decide: ui.Child = ""
        if s["status"] == "proposed":
            if user.has_role("supervisor") and s["proposed_by"] != user.email:
                decide = html.Div(
                    [
                        html.Button(
                            "Approve…", id={"type": APPROVE, "index": s["id"]}, className="small"
                        ),
                        ui.labelled(
                            f"Reason to reject {s['reference']}",
                            dcc.Input(
                                id={"type": REJECT_REASON, "index": s["id"]},
                                value="",
                                placeholder="Reason to reject",
                            ),
                        ),
                        html.Button(
                            "Reject",
                            id={"type": REJECT, "index": s["id"]},
                            className="small secondary",
                        ),
                    ],
                    className="actions",
                )
            else:
                decide = html.Span(
                    "Waiting for a supervisor other than the proposer.", className="hint"
                )
        rows.append(
            [
                s["reference"],
                ui.label(s["measure"])
                + (f" ({s['rate_limit_per_minute']}/min)" if s["rate_limit_per_minute"] else ""),
                ui.sanction_subject(s),
                ui.badge(s["status"]),
                html.Div(
                    [
                        html.P(f"{ui.label(s['ground_type'])}: {s['ground_reference']}"),
                        html.P(s["ground_explanation"], className="hint"),
                    ]
                ),
                f"{s['proposed_by'] or '—'} / {s['approved_by'] or '—'}",
                ui.in_force(s),
                _pushes(s.get("webhook_deliveries", [])),
                decide,
            ]
        )
    return ui.table(
        [
            "Reference",
            "Measure",
            "Subject",
            "Status",
            "Grounds",
            "Proposed / approved by",
            "In force",
            "Sent to the deployer",
            "",
        ],
        rows,
    )


def _pushes(deliveries: list[dict[str, Any]]) -> Component | str:
    """Each webhook event of a sanction, its state, and every attempt on a fold."""
    if not deliveries:
        return "—"
    items = []
    for d in deliveries:
        tried = d["attempts"]
        summary = f"{d['event']} #{d['sequence']}: {d['status']}, {len(tried)} attempt(s)"
        lines = [
            html.Li(
                f"{n['number']}. {ui.fmt_time(n['at'])}: "
                + (f"HTTP {n['status_code']}" if n["status_code"] else "")
                + (f" {n['error']}" if n["error"] else "")
            )
            for n in tried
        ]
        items.append(html.Details([html.Summary(summary), html.Ul(lines)]))
    return html.Div(items)


def _radio(
    control_id: str,
    values: tuple[str, ...] | list[str],
    value: str,
    labels: dict[str, str] | None = None,
) -> dcc.RadioItems:
    return dcc.RadioItems(
        id=control_id,
        options=[{"label": f" {(labels or {}).get(v, ui.label(v))}", "value": v} for v in values],
        value=value,
        inline=True,
    )


def _field(
    text: str, control: Component, control_id: str, hint: str | None = None, **extra: Any
) -> html.Div:
    """A form field with its own place for an error, next to it."""
    parts: list[ui.Child] = [html.Label(text, htmlFor=control_id)]
    if hint:
        parts.append(html.P(hint, className="hint"))
    parts += [html.P(id=f"{control_id}-error", className="field-error", **ui.live()), control]
    return html.Div(parts, className="field", id=f"{control_id}-field", **extra)


def _measures(subject_type: str | None) -> list[dict[str, str]]:
    """A model withdrawal request only fits a model."""
    return [
        {"label": f" {SANCTION_MEASURE_LABELS[m]}", "value": m}
        for m in SANCTION_MEASURES
        if m != "model_withdrawal" or subject_type == "model"
    ]


def field_errors(errors: dict[str, str]) -> dict[str, str]:
    """The service's refusals, by form field id, in words."""
    out: dict[str, str] = {}
    for name, message in errors.items():
        if message.startswith("Must be one of"):
            message = FIELD_WORDS.get(name, "Choose one of the offered values.")
        out[FIELD_IDS.get(name, PROPOSE)] = message
    return out


def _sanction_form(portal: Portal, c: dict[str, Any]) -> Component:
    deployers = choices.deployers(portal.session())
    source = {"reports": "notice"}.get(c["origin_type"], "voluntary")
    return html.Fieldset(
        [
            html.Legend("Propose a sanction (statement of reasons)"),
            html.P(
                "A warning or a rate limit takes effect at once. "
                + ", ".join(SANCTION_MEASURE_LABELS[m].lower() for m in SEVERE_MEASURES)
                + " wait for a supervisor other than you to approve them.",
                className="hint",
            ),
            _field(
                "Against",
                _radio(SUBJECT_TYPE, SANCTION_SUBJECTS, "account", SANCTION_SUBJECT_LABELS),
                SUBJECT_TYPE,
            ),
            html.Div(
                [
                    _field(
                        "Deployer",
                        dcc.Dropdown(
                            id=DEPLOYER,
                            options=[{"label": d["name"], "value": d["id"]} for d in deployers],
                            placeholder="Deployer",
                        ),
                        DEPLOYER,
                    ),
                    _field(
                        "Account id",
                        dcc.Input(id=ACCOUNT, value="", maxLength=200),
                        ACCOUNT,
                        hint="As the deployer sent it.",
                    ),
                    _field(
                        "API key id",
                        dcc.Input(id=API_KEY, type="number", min=1),
                        API_KEY,
                        hidden=True,
                    ),
                    _field(
                        "Model name",
                        dcc.Input(id=MODEL, value="", maxLength=200),
                        MODEL,
                        hidden=True,
                    ),
                ],
                className="grid",
            ),
            _field(
                "Measure",
                dcc.RadioItems(
                    id=MEASURE, options=_measures("account"), value="warning", inline=True
                ),
                MEASURE,
            ),
            _field(
                "Requests per minute",
                dcc.Input(id=RATE, type="number", min=1),
                RATE,
                hidden=True,
            ),
            _field(
                "Category",
                dcc.Dropdown(
                    id=CATEGORY,
                    options=ui.options(list(HARM_CATEGORIES), HARM_CATEGORIES),
                    placeholder="Harm category",
                ),
                CATEGORY,
            ),
            _field(
                "Ground",
                dcc.RadioItems(
                    id=GROUND_TYPE,
                    options=[
                        {"label": " illegal content (a law)", "value": "illegal"},
                        {"label": " against the terms of service", "value": "terms"},
                    ],
                    value="terms",
                    inline=True,
                ),
                GROUND_TYPE,
            ),
            _field(
                "The law or the clause of the terms",
                dcc.Input(id=GROUND_REFERENCE, value="", maxLength=5000),
                GROUND_REFERENCE,
            ),
            _field(
                "Why the content falls under it",
                dcc.Textarea(id=GROUND_EXPLANATION, value="", maxLength=5000),
                GROUND_EXPLANATION,
            ),
            _field(
                "The facts and circumstances relied on",
                dcc.Textarea(id=FACTS, value="", maxLength=5000),
                FACTS,
            ),
            dcc.Checklist(
                id=AUTOMATED_DETECTION,
                options=[{"label": " Detected by automated means", "value": "yes"}],
                value=["yes"] if c["origin_type"] in ("alert", "campaign") else [],
            ),
            _field(
                "How it was decided",
                _radio(
                    AUTOMATED_DECISION,
                    sanction_service.AUTOMATED_DECISIONS,
                    "not",
                    AUTOMATED_DECISION_LABELS,
                ),
                AUTOMATED_DECISION,
            ),
            _field(
                "What the decision acts on",
                _radio(SOURCE_TYPE, sanction_service.SOURCE_TYPES, source, SOURCE_TYPE_LABELS),
                SOURCE_TYPE,
            ),
            _field(
                "Territorial scope",
                dcc.Dropdown(
                    id=SCOPE,
                    options=[{"label": c, "value": c} for c in sanction_service.EEA_COUNTRIES],
                    multi=True,
                    placeholder="EU/EEA countries (leave empty for everywhere)",
                ),
                SCOPE,
            ),
            _field(
                "Ends on (00:00 UTC that day)",
                dcc.DatePickerSingle(id=ENDS, display_format="YYYY-MM-DD", clearable=True),
                ENDS,
                hint="Leave empty for no end date.",
            ),
            html.Button("Propose sanction", id=PROPOSE),
            html.Div(id=PROPOSE_MESSAGE),
        ],
        className="sanction-form",
        id=PROPOSE_FORM,
        hidden=True,
    )


def _expandable(controls: str) -> dict[str, Any]:
    return {"aria-expanded": "false", "aria-controls": controls}


def layout(portal: Portal, case_id: str) -> Component:
    c = case_queries.case_dict(portal.session(), int(case_id))
    people = choices.analysts(portal.session())
    work = html.Div(
        [
            html.H2("Work on it"),
            ui.field("Note", dcc.Textarea(id=NOTE, value=""), NOTE),
            html.Button("Add note", id=NOTE_ADD),
            html.Div(id=ACT_MESSAGE, **ui.live()),
            ui.field("Status", _radio(STATUS_CHOICE, CASE_STATUSES, c["status"]), STATUS_CHOICE),
            html.Button("Set status", id=STATUS_APPLY),
            html.Div(
                [
                    html.Button("Assign to me", id=ASSIGN_ME),
                    dcc.Dropdown(
                        id=ASSIGNEE,
                        options=[{"label": p["email"], "value": p["id"]} for p in people],
                        placeholder="Someone else",
                        className="inline-control",
                    ),
                    html.Button("Assign", id=ASSIGN),
                ],
                className="actions",
            ),
            ui.field(
                "Link items",
                dcc.Input(id=LINK_ITEMS, value="", placeholder="report-12, log-40"),
                LINK_ITEMS,
                hint="Kinds: " + ", ".join(CASE_ITEM_KINDS) + ".",
            ),
            html.Button("Link", id=LINK_ADD),
        ],
        className="work-panel",
        id="case-work",
    )
    return html.Div(
        [
            dcc.Store(id=CASE_ID, data=c["id"]),
            dcc.Store(id=REFRESH_ACT, data=0),
            dcc.Store(id=REFRESH_PROPOSE, data=0),
            dcc.Store(id=REFRESH_DECIDE, data=0),
            ui.header(f"Case {c['id']}", dcc.Link("All cases", href=ui.href("cases"))),
            # Read top-down: what it is about and the evidence, then what happened
            # with the note box beside it, then the decisions.
            html.Div(
                [
                    html.Section(html.Div(_summary(c), id=SUMMARY)),
                    html.Section([html.H2("Evidence"), html.Div(id=ITEMS)], id="case-evidence"),
                ],
                className="two-col",
            ),
            html.Div(
                [
                    html.Section([html.H2("Timeline, newest first"), html.Div(id=TIMELINE)]),
                    work,
                ],
                className="timeline-and-work",
            ),
            incident_section.section(),
            html.Section(
                [
                    html.H2("Sanctions"),
                    html.Div(id=DECIDE_MESSAGE),
                    ui.confirm_box(CONFIRM),
                    html.Div(id=SANCTIONS),
                    html.Button(
                        "Propose a sanction",
                        id=PROPOSE_OPEN,
                        className="secondary",
                        **_expandable(PROPOSE_FORM),
                    ),
                    _sanction_form(portal, c),
                ],
                id="case-sanctions-section",
            ),
        ]
    )


def _ends_at(value: str | None) -> datetime | None:
    if not value:
        return None
    day = date.fromisoformat(value[:10])
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def register(app: Dash, portal: Portal) -> None:
    incident_section.register(app, portal, CASE_ID)

    @app.callback(
        Output(SUMMARY, "children"),
        Output(ITEMS, "children"),
        Output(SANCTIONS, "children"),
        Output(TIMELINE, "children"),
        Input(CASE_ID, "data"),
        Input(REFRESH_ACT, "data"),
        Input(REFRESH_PROPOSE, "data"),
        Input(REFRESH_DECIDE, "data"),
        Input(incident_section.REFRESH, "data"),
    )
    def show(
        case_id: int, _a: int | None, _p: int | None, _d: int | None, _i: int | None
    ) -> tuple[Any, ...]:
        user = portal.user()
        session = portal.session()
        c = case_queries.case_dict(session, int(case_id))
        labels = case_queries.item_labels(session, [(i["kind"], i["id"]) for i in c["items"]])
        return _summary(c), _items(c, labels), _sanctions(c, user), _timeline(c)

    @app.callback(
        Output(ACT_MESSAGE, "children"),
        Output(REFRESH_ACT, "data"),
        Output(NOTE, "value"),
        Output(LINK_ITEMS, "value"),
        Input(STATUS_APPLY, "n_clicks"),
        Input(ASSIGN_ME, "n_clicks"),
        Input(ASSIGN, "n_clicks"),
        Input(NOTE_ADD, "n_clicks"),
        Input(LINK_ADD, "n_clicks"),
        State(CASE_ID, "data"),
        State(STATUS_CHOICE, "value"),
        State(ASSIGNEE, "value"),
        State(NOTE, "value"),
        State(LINK_ITEMS, "value"),
        State(REFRESH_ACT, "data"),
        prevent_initial_call=True,
    )
    def act(
        _s: int | None,
        _m: int | None,
        _a: int | None,
        _n: int | None,
        _l: int | None,
        case_id: int,
        status: str | None,
        assignee: int | None,
        note: str | None,
        items: str | None,
        refresh: int | None,
    ) -> tuple[Any, ...]:
        user = portal.user()
        session = portal.session()
        trigger = ctx.triggered_id

        def run() -> str:
            if trigger == STATUS_APPLY:
                case_service.set_case_status(session, case_id, status or "", user=user)
                return f"Status set to {status}."
            if trigger == ASSIGN_ME:
                case_service.assign_case(session, case_id, user.id, user=user)
                return "Assigned to you."
            if trigger == ASSIGN:
                if assignee is None:
                    raise ValidationFailed({"assignee": "Choose the analyst first."})
                case_service.assign_case(session, case_id, int(assignee), user=user)
                return "Assigned."
            if trigger == NOTE_ADD:
                case_service.add_note(session, case_id, note or "", user=user)
                return "Note added."
            count = case_service.link_items(session, case_id, parse_items(items), user=user)
            return f"{count} new items linked."

        ok, message = ui.attempt(portal, run)
        if not ok:
            return message, no_update, no_update, no_update
        return (
            message,
            (refresh or 0) + 1,
            "" if trigger == NOTE_ADD else no_update,
            "" if trigger == LINK_ADD else no_update,
        )

    @app.callback(
        Output(PROPOSE_FORM, "hidden"),
        Output(PROPOSE_OPEN, "aria-expanded"),
        Output(PROPOSE_OPEN, "children"),
        Input(PROPOSE_OPEN, "n_clicks"),
        prevent_initial_call=True,
    )
    def toggle_form(clicks: int | None) -> tuple[Any, ...]:
        shown = bool((clicks or 0) % 2)
        return (
            not shown,
            "true" if shown else "false",
            "Hide the sanction form" if shown else "Propose a sanction",
        )

    @app.callback(
        *[Output(f"{field}-field", "hidden") for field in IDENTIFYING],
        Output(f"{RATE}-field", "hidden"),
        Output(MEASURE, "options"),
        Output(MEASURE, "value"),
        Input(SUBJECT_TYPE, "value"),
        Input(MEASURE, "value"),
    )
    def fit_fields(subject_type: str | None, measure: str | None) -> tuple[Any, ...]:
        """Only the fields that fit the chosen subject and measure."""
        wanted = SUBJECT_FIELDS.get(subject_type or "", ())
        options = _measures(subject_type)
        if measure not in {o["value"] for o in options}:
            measure = "warning"
        return (
            *[field not in wanted for field in IDENTIFYING],
            measure != "rate_limit",
            options,
            measure,
        )

    @app.callback(
        Output(PROPOSE_MESSAGE, "children"),
        Output(REFRESH_PROPOSE, "data"),
        *[Output(f"{field}-error", "children") for field in FIELD_IDS.values()],
        Input(PROPOSE, "n_clicks"),
        State(CASE_ID, "data"),
        State(SUBJECT_TYPE, "value"),
        State(DEPLOYER, "value"),
        State(ACCOUNT, "value"),
        State(API_KEY, "value"),
        State(MODEL, "value"),
        State(MEASURE, "value"),
        State(RATE, "value"),
        State(CATEGORY, "value"),
        State(GROUND_TYPE, "value"),
        State(GROUND_REFERENCE, "value"),
        State(GROUND_EXPLANATION, "value"),
        State(FACTS, "value"),
        State(AUTOMATED_DETECTION, "value"),
        State(AUTOMATED_DECISION, "value"),
        State(SOURCE_TYPE, "value"),
        State(SCOPE, "value"),
        State(ENDS, "date"),
        State(REFRESH_PROPOSE, "data"),
        prevent_initial_call=True,
    )
    def propose(
        _click: int | None,
        case_id: int,
        subject_type: str | None,
        deployer_id: int | None,
        account_id: str | None,
        api_key_id: int | float | None,
        model_name: str | None,
        measure: str | None,
        rate: int | float | None,
        category: str | None,
        ground_type: str | None,
        ground_reference: str | None,
        ground_explanation: str | None,
        facts: str | None,
        automated_detection: list[str] | None,
        automated_decision: str | None,
        source_type: str | None,
        scope: list[str] | None,
        ends: str | None,
        refresh: int | None,
    ) -> tuple[Any, ...]:
        user = portal.user()
        # Hidden fields keep what was typed; only those of the chosen subject and
        # measure are sent.
        wanted = SUBJECT_FIELDS.get(subject_type or "", ())

        def run() -> str:
            sanction = sanction_service.propose_sanction(
                portal.session(),
                int(case_id),
                user=user,
                subject_type=subject_type or "",
                deployer_id=int(deployer_id)
                if deployer_id is not None and DEPLOYER in wanted
                else None,
                account_id=(account_id or None) if ACCOUNT in wanted else None,
                api_key_id=int(api_key_id)
                if api_key_id is not None and API_KEY in wanted
                else None,
                model_name=(model_name or None) if MODEL in wanted else None,
                measure=measure or "",
                rate_limit_per_minute=int(rate)
                if rate is not None and measure == "rate_limit"
                else None,
                category=category or "",
                ground_type=ground_type or "",
                ground_reference=ground_reference or "",
                ground_explanation=ground_explanation or "",
                facts=facts or "",
                automated_detection=bool(automated_detection),
                automated_decision=automated_decision or "",
                source_type=source_type or "",
                territorial_scope=scope or [],
                ends_at=_ends_at(ends),
            )
            if sanction.status == "proposed":
                return (
                    f"Sanction {sanction.reference} proposed; it takes effect when a "
                    "supervisor other than you approves it."
                )
            return f"Sanction {sanction.reference} is in force."

        errors: dict[str, str] = {}
        try:
            message: Any = ui.ok_box(run())
            ok = True
        except ValidationFailed as exc:
            portal.session().rollback()
            errors = field_errors(exc.errors)
            message = html.Div(
                f"Not proposed: {len(errors)} field{'s' if len(errors) != 1 else ''} "
                "to correct, marked below.",
                role="alert",
                className="flash error",
            )
            ok = False
        except MisuseError as exc:
            portal.session().rollback()
            message, ok = ui.error_box(exc), False
        return (
            message,
            (refresh or 0) + 1 if ok else no_update,
            *[errors.get(field, "") for field in FIELD_IDS.values()],
        )

    @app.callback(
        Output(DECIDE_MESSAGE, "children"),
        Output(REFRESH_DECIDE, "data"),
        Output(f"{CONFIRM}-box", "hidden"),
        Output(f"{CONFIRM}-question", "children"),
        Output(f"{CONFIRM}-pending", "data"),
        Input({"type": APPROVE, "index": ALL}, "n_clicks"),
        Input({"type": REJECT, "index": ALL}, "n_clicks"),
        Input(f"{CONFIRM}-yes", "n_clicks"),
        Input(f"{CONFIRM}-no", "n_clicks"),
        State({"type": REJECT_REASON, "index": ALL}, "value"),
        State({"type": REJECT_REASON, "index": ALL}, "id"),
        State(f"{CONFIRM}-pending", "data"),
        State(REFRESH_DECIDE, "data"),
        prevent_initial_call=True,
    )
    def decide(
        _approve: list[int | None],
        _reject: list[int | None],
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
            {REJECT: (sanction_service.reject_sanction, "rejected")},
            reason_ids,
            reasons,
            pending,
            refresh,
        )
