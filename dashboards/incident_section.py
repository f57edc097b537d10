"""The serious-incident part of the case page: declare the case one, see its clock,
correct the moment of awareness, write and submit each report, mark it resolved.

Every deadline shown comes from ``core.incident_rules`` through ``core.queries.incidents``.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.development.base_component import Component

from core import incident_rules as rules
from core.exceptions import ValidationFailed
from core.queries import incidents as incident_queries
from core.services import incidents as incident_service
from dashboards import ui
from dashboards.bridge import Portal

SECTION = "incident-section"
REFRESH = "incident-refresh"
MESSAGE = "incident-message"
DECLARE_FORM = "incident-declare-form"
PROFILE = "incident-profile"
CATEGORY = "incident-category"
AWARE_AT = "incident-aware-at"
DECLARE = "incident-declare"
WORK = "incident-work"
CLOCK = "incident-clock"
REPORTS = "incident-reports"
NEW_AWARE_AT = "incident-new-aware-at"
AWARE_REASON = "incident-aware-reason"
AWARE_APPLY = "incident-aware-apply"
KIND = "incident-kind"
INCOMPLETE = "incident-incomplete"
SUBMIT = "incident-submit"
RESOLVE = "incident-resolve"
REPORT_FORM = "incident-report-form"
# Pattern-matching types: one text box and one "missing because" box per item of
# Measure 9.2, {"type": ..., "index": the item's place in rules.REPORT_ITEMS}.
ITEM = "incident-item"
MISSING = "incident-missing"
TIME_FORMAT = "%Y-%m-%d %H:%M"


def export_href(case_id: int, number: int, fmt: str = "json") -> str:
    return f"/api/v1/cases/{case_id}/incident/reports/{number}?format={fmt}"


def parse_moment(value: str | None, field: str) -> datetime | None:
    """'2026-12-06 14:30' (UTC) as the analyst types it; empty is None."""
    text = (value or "").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise ValidationFailed(
            {field: f"Not a date and time like 2026-12-06 14:30 (UTC): {text[:30]!r}."}
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _category_options(profile: str | None) -> list[dict[str, str]]:
    known = rules.categories(profile) if profile in rules.PROFILE_LABELS else []
    return [{"label": rules.CATEGORY_LABELS[c], "value": c} for c in known]


def _declare_form() -> Component:
    now = datetime.now(UTC).strftime(TIME_FORMAT)
    first = rules.profiles()[0]
    return html.Div(
        [
            html.P(
                "Declare this case a serious incident: the reporting clock starts at the "
                "moment of awareness.",
                className="hint",
            ),
            ui.field(
                "Profile",
                dcc.RadioItems(
                    id=PROFILE,
                    options=[
                        {"label": f" {label}", "value": key}
                        for key, label in rules.PROFILE_LABELS.items()
                    ],
                    value=first,
                ),
                PROFILE,
            ),
            ui.field(
                "Kind of incident",
                dcc.Dropdown(
                    id=CATEGORY, options=_category_options(first), placeholder="Kind of incident"
                ),
                CATEGORY,
            ),
            ui.field(
                "Aware since (UTC)",
                dcc.Input(id=AWARE_AT, value=now, placeholder="2026-12-06 14:30"),
                AWARE_AT,
                hint="When the provider became aware of the incident.",
            ),
            html.Button("Declare a serious incident", id=DECLARE),
        ],
        id=DECLARE_FORM,
        className="incident-declare",
    )


def _report_form() -> Component:
    items = [
        html.Div(
            [
                html.Label(
                    [html.Span(label), dcc.Textarea(id={"type": ITEM, "index": n}, value="")]
                ),
                ui.labelled(
                    f"Why “{label}” is missing",
                    dcc.Input(
                        id={"type": MISSING, "index": n},
                        value="",
                        placeholder="If you cannot give it: why it is missing",
                        className="missing-reason",
                    ),
                ),
            ],
            className="field incident-item",
        )
        for n, label in enumerate(rules.REPORT_ITEMS.values())
    ]
    return html.Fieldset(
        [
            html.Legend("Submit a report"),
            html.P(
                "Each item is given, or recorded as missing with the reason. A submitted "
                "report cannot be changed: it is frozen, and its SHA-256 goes into the audit "
                "log. The case's linked evidence is attached as it stands.",
                className="hint",
            ),
            ui.field("Report", dcc.RadioItems(id=KIND, options=[], inline=True), KIND),
            html.Div(
                dcc.Checklist(
                    id=INCOMPLETE,
                    options=[
                        {"label": " This initial report is incomplete (Art. 73(5))", "value": "y"}
                    ],
                    value=[],
                ),
                id=f"{INCOMPLETE}-field",
                hidden=True,
            ),
            *items,
            html.Button("Submit the report", id=SUBMIT),
        ],
        id=REPORT_FORM,
        className="incident-report-form",
    )


def section() -> Component:
    """Drawn once with the case page; ``render`` fills and shows the right half."""
    return html.Section(
        [
            html.H2("Serious incident (EU AI Act)"),
            dcc.Store(id=REFRESH, data=0),
            html.Div(id=MESSAGE, **ui.live()),
            _declare_form(),
            html.Div(
                [
                    html.Div(id=CLOCK),
                    html.Div(id=REPORTS),
                    html.Div(
                        [
                            ui.field(
                                "Correct the moment of awareness (UTC)",
                                dcc.Input(
                                    id=NEW_AWARE_AT, value="", placeholder="2026-12-06 14:30"
                                ),
                                NEW_AWARE_AT,
                            ),
                            ui.field(
                                "Why",
                                dcc.Input(id=AWARE_REASON, value="", maxLength=1000),
                                AWARE_REASON,
                            ),
                            html.Button("Change awareness", id=AWARE_APPLY, className="secondary"),
                        ],
                        className="incident-awareness",
                    ),
                    _report_form(),
                    html.Button(
                        "Mark the incident resolved (now)", id=RESOLVE, className="secondary"
                    ),
                ],
                id=WORK,
                hidden=True,
            ),
        ],
        id=SECTION,
    )


def _clock(i: dict[str, Any]) -> Component:
    nxt = i["next"]
    if nxt is None:
        headline: Component = html.P("Every report owed is in.", id=f"{CLOCK}-next")
    else:
        when = ui.fmt_time(nxt["due_at"]) if nxt["due_at"] else "no date set by the law"
        headline = html.P(
            [
                html.Strong(f"Next: {nxt['label']}"),
                f", due {when}: ",
                html.Span(
                    ui.time_left(nxt["seconds_left"]),
                    className="badge overdue" if nxt["overdue"] else "badge",
                    id=f"{CLOCK}-left",
                ),
            ],
            id=f"{CLOCK}-next",
            className="incident-next overdue" if nxt["overdue"] else "incident-next",
        )
    owed = [
        html.Li(
            f"{o['label']}: "
            + (ui.fmt_time(o["due_at"]) if o["due_at"] else "no date set")
            + f" ({o['source']})"
        )
        for o in i["owed"]
    ]
    return html.Div(
        [
            headline,
            ui.meta(
                [
                    ("Profile", i["profile_label"]),
                    ("Kind", i["category_label"]),
                    ("Aware since", ui.fmt_time(i["aware_at"])),
                    ("Status", ui.badge(i["status"])),
                    ("Resolved", ui.fmt_time(i["resolved_at"])),
                    ("Declared by", f"{i['declared_by']}, {ui.fmt_time(i['declared_at'])}"),
                ]
            ),
            html.Ul(owed, className="incident-owed") if owed else None,
        ]
    )


def _reports(i: dict[str, Any]) -> Component:
    rows = [
        [
            str(r["number"]),
            r["label"] + (" (incomplete)" if r["incomplete"] else ""),
            ui.fmt_time(r["submitted_at"]) + (" (late)" if r["late"] else ""),
            r["submitted_by"],
            html.Ul([html.Li(m) for m in r["missing"]]) if r["missing"] else "none",
            html.Code(r["sha256"][:16] + "…", title=r["sha256"]),
            html.Span(
                [
                    html.A("JSON", href=export_href(i["case_id"], r["number"])),
                    " · ",
                    html.A(
                        "Print",
                        href=export_href(i["case_id"], r["number"], "html"),
                        target="_blank",
                        rel="noopener",
                    ),
                ]
            ),
        ]
        for r in i["reports"]
    ]
    return ui.table(
        ["#", "Report", "Submitted", "By", "Missing items", "SHA-256", "Export"],
        rows,
        empty="No report submitted yet.",
        caption="Reports submitted (frozen)",
    )


def register(app: Dash, portal: Portal, case_store: str) -> None:
    @app.callback(
        Output(DECLARE_FORM, "hidden"),
        Output(WORK, "hidden"),
        Output(CLOCK, "children"),
        Output(REPORTS, "children"),
        Output(KIND, "options"),
        Output(KIND, "value"),
        Output(f"{INCOMPLETE}-field", "hidden"),
        Output(REPORT_FORM, "hidden"),
        Input(case_store, "data"),
        Input(REFRESH, "data"),
    )
    def render(case_id: int, _refresh: int | None) -> tuple[Any, ...]:
        portal.user()
        i = incident_queries.incident_dict(portal.session(), int(case_id))
        if i is None:
            return False, True, None, None, [], None, True, True
        kinds = [o["report"] for o in i["owed"]]
        return (
            True,
            False,
            _clock(i),
            _reports(i),
            [{"label": f" {rules.REPORT_KIND_LABELS[k]}", "value": k} for k in kinds],
            kinds[0] if kinds else None,
            not (i["allows_incomplete"] and "initial" in kinds),
            not kinds,
        )

    @app.callback(
        Output(CATEGORY, "options"),
        Output(CATEGORY, "value"),
        Input(PROFILE, "value"),
        State(CATEGORY, "value"),
        prevent_initial_call=True,
    )
    def fit_categories(profile: str | None, category: str | None) -> tuple[Any, ...]:
        """Only the kinds of incident the chosen profile has a deadline for."""
        portal.user()
        options = _category_options(profile)
        keep = category if category in {o["value"] for o in options} else None
        return options, keep

    @app.callback(
        Output(MESSAGE, "children"),
        Output(REFRESH, "data"),
        Input(DECLARE, "n_clicks"),
        Input(AWARE_APPLY, "n_clicks"),
        Input(SUBMIT, "n_clicks"),
        Input(RESOLVE, "n_clicks"),
        State(case_store, "data"),
        State(PROFILE, "value"),
        State(CATEGORY, "value"),
        State(AWARE_AT, "value"),
        State(NEW_AWARE_AT, "value"),
        State(AWARE_REASON, "value"),
        State(KIND, "value"),
        State(INCOMPLETE, "value"),
        State({"type": ITEM, "index": ALL}, "value"),
        State({"type": ITEM, "index": ALL}, "id"),
        State({"type": MISSING, "index": ALL}, "value"),
        State({"type": MISSING, "index": ALL}, "id"),
        State(REFRESH, "data"),
        prevent_initial_call=True,
    )
    def act(
        _declare: int | None,
        _aware: int | None,
        _submit: int | None,
        _resolve: int | None,
        case_id: int,
        profile: str | None,
        category: str | None,
        aware_at: str | None,
        new_aware_at: str | None,
        aware_reason: str | None,
        kind: str | None,
        incomplete: list[str] | None,
        texts: list[str | None],
        text_ids: list[dict[str, Any]],
        reasons: list[str | None],
        reason_ids: list[dict[str, Any]],
        refresh: int | None,
    ) -> tuple[Any, ...]:
        user = portal.user()
        session = portal.session()
        trigger = ctx.triggered_id

        def run() -> str:
            if trigger == DECLARE:
                incident_service.declare_incident(
                    session,
                    case_id,
                    user=user,
                    profile=profile or "",
                    category=category or "",
                    aware_at=parse_moment(aware_at, "aware_at"),
                )
                return "Declared a serious incident; the clock is running."
            if trigger == AWARE_APPLY:
                incident_service.set_awareness(
                    session,
                    case_id,
                    parse_moment(new_aware_at, "aware_at"),
                    reason=aware_reason,
                    user=user,
                )
                return "Moment of awareness changed; every deadline moved with it."
            if trigger == SUBMIT:
                given, why = ui.by_row(text_ids, texts), ui.by_row(reason_ids, reasons)
                items = {
                    key: incident_service.ItemIn(given.get(n) or "", why.get(n) or "")
                    for n, key in enumerate(rules.REPORT_ITEMS)
                }
                report = incident_service.submit_report(
                    session,
                    case_id,
                    user=user,
                    kind=kind or "",
                    items=items,
                    incomplete=bool(incomplete),
                )
                return (
                    f"{rules.REPORT_KIND_LABELS[report.kind]} submitted and frozen "
                    f"(SHA-256 {report.content_sha256[:16]}…)."
                )
            incident_service.resolve_incident(session, case_id, user=user)
            return "The incident is marked resolved."

        ok, message = ui.attempt(portal, run)
        return message, (refresh or 0) + 1 if ok else no_update
