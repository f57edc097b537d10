"""Triage queue: reports to decide, filtered and sorted, with bulk status and assignment."""

from __future__ import annotations

from typing import Any

from dash import ALL, Dash, Input, Output, State, ctx, dcc, html, no_update
from dash.development.base_component import Component

from core.exceptions import ValidationFailed
from core.queries import choices
from core.queries import reports as report_queries
from core.services import reports as report_service
from core.services.access import actor_of
from core.taxonomy import HARM_CATEGORIES, REPORT_STATUSES
from dashboards import ui
from dashboards.bridge import Portal

TITLE = "Triage queue"
PREFIX = "triage"
STATUS = "triage-status"
CATEGORY = "triage-category"
ASSIGNEE = "triage-assignee"
TRUSTED = "triage-trusted"
SORT = "triage-sort"
TABLE = "triage-table"
REFRESH = "triage-refresh"
MESSAGE = "triage-message"
SELECT_ALL = "triage-select-all"
ROW = "triage-row"  # pattern-matching type: {"type": ROW, "index": report id}
BULK_STATUS = "triage-bulk-status"
BULK_STATUS_APPLY = "triage-bulk-status-apply"
BULK_ASSIGNEE = "triage-bulk-assignee"
BULK_ASSIGN = "triage-bulk-assign"
BULK_ASSIGN_ME = "triage-bulk-assign-me"
BULK_UNASSIGN = "triage-bulk-unassign"
BULK_REASON = "triage-bulk-reason"
DUPLICATE_OF = "triage-duplicate-of"
MARK_DUPLICATE = "triage-mark-duplicate"
PAGE_SIZE = 50
SOURCES = {
    "web": "web form",
    "api": "API",
    "bulk": "bulk API",
    "import": "file import",
    "demo": "demo data",
}


def _assignee_options(portal: Portal) -> list[dict[str, str]]:
    people = choices.analysts(portal.session())
    return [
        {"label": "Anyone", "value": "any"},
        {"label": "Assigned to me", "value": "me"},
        {"label": "Unassigned", "value": "none"},
    ] + [{"label": p["email"], "value": str(p["id"])} for p in people]


def layout(portal: Portal) -> Component:
    people = choices.analysts(portal.session())
    return html.Div(
        [
            ui.header(TITLE),
            html.Div(
                [
                    ui.field(
                        "Status",
                        dcc.Checklist(
                            id=STATUS,
                            options=ui.options(list(REPORT_STATUSES), REPORT_STATUSES),
                            value=list(report_queries.OPEN_REPORT_STATUSES),
                            inline=True,
                        ),
                        STATUS,
                    ),
                    ui.field(
                        "Category",
                        dcc.Dropdown(
                            id=CATEGORY,
                            options=ui.options(list(HARM_CATEGORIES), HARM_CATEGORIES),
                            multi=True,
                            placeholder="All categories",
                        ),
                        CATEGORY,
                    ),
                    ui.field(
                        "Assignee",
                        dcc.Dropdown(
                            id=ASSIGNEE,
                            options=_assignee_options(portal),
                            value="any",
                            clearable=False,
                        ),
                        ASSIGNEE,
                    ),
                    ui.field(
                        "Sort",
                        dcc.Dropdown(
                            id=SORT,
                            options=[
                                {"label": v, "value": k}
                                for k, v in report_queries.TRIAGE_SORTS.items()
                            ],
                            value="priority",
                            clearable=False,
                        ),
                        SORT,
                    ),
                    dcc.Checklist(
                        id=TRUSTED,
                        options=[{"label": " Trusted flaggers only", "value": "yes"}],
                        value=[],
                    ),
                ],
                className="filters grid",
            ),
            html.Fieldset(
                [
                    html.Legend("With the selected reports"),
                    dcc.Checklist(
                        id=SELECT_ALL,
                        options=[{"label": " Select all on this page", "value": "all"}],
                        value=[],
                    ),
                    html.Div(
                        [
                            dcc.Dropdown(
                                id=BULK_STATUS,
                                options=ui.options(list(REPORT_STATUSES), REPORT_STATUSES),
                                placeholder="New status",
                                className="inline-control",
                            ),
                            html.Button("Set status", id=BULK_STATUS_APPLY),
                            html.Button("Assign to me", id=BULK_ASSIGN_ME),
                            dcc.Dropdown(
                                id=BULK_ASSIGNEE,
                                options=[{"label": p["email"], "value": p["id"]} for p in people],
                                placeholder="Analyst",
                                className="inline-control",
                            ),
                            html.Button("Assign", id=BULK_ASSIGN),
                            html.Button("Unassign", id=BULK_UNASSIGN, className="secondary"),
                        ],
                        className="actions",
                    ),
                    ui.field(
                        "Reason for the reporters",
                        dcc.Textarea(id=BULK_REASON, value="", maxLength=1000),
                        BULK_REASON,
                        hint="Needed to decide (action taken or no action): each reporter "
                        "reads it on their follow-up page.",
                    ),
                    html.Div(
                        [
                            ui.labelled(
                                "Original report number",
                                dcc.Input(
                                    id=DUPLICATE_OF,
                                    type="number",
                                    min=1,
                                    placeholder="Original report #",
                                ),
                            ),
                            html.Button(
                                "Mark selected as its duplicates",
                                id=MARK_DUPLICATE,
                                className="secondary",
                            ),
                        ],
                        className="actions",
                    ),
                ],
                className="bulk",
            ),
            html.Div(id=MESSAGE),
            dcc.Store(id=REFRESH, data=0),
            html.Div(id=TABLE),
            ui.pager(PREFIX),
        ]
    )


def _source(r: dict[str, Any]) -> ui.Child:
    shown = SOURCES.get(r["source"], ui.label(r["source"]))
    if r["trusted_flagger"]:
        return html.Span(
            [ui.badge("trusted flagger", "trusted"), f" {r['flagger'] or shown}"],
            className="nowrap",
        )
    return shown


def _group(r: dict[str, Any]) -> ui.Child:
    parts: list[ui.Child] = []
    if r["group_id"] is not None:
        size = r["group_size"] or 0
        parts.append(ui.group_link(r["group_id"], f"{size:,} in group {r['group_id']}"))
    else:
        parts.append(html.Span("not grouped yet", className="hint"))
    if r["exact_duplicate"]:
        parts += [" ", ui.badge("exact copy", "exact", "exact copy")]
    if r["duplicate_of"]:
        parts += [
            html.Br(),
            ui.item_link("report", r["duplicate_of"], f"duplicate of #{r['duplicate_of']}"),
        ]
    return html.Span(parts)


def _category(r: dict[str, Any]) -> ui.Child:
    category = HARM_CATEGORIES.get(r["category"], r["category"])
    if r["serious_incident"]:
        # The reporter's own word: why the report is at the top of the queue.
        return html.Span([ui.badge("serious incident?", "serious"), f" {category}"])
    return category


def _table(rows: list[dict[str, Any]]) -> Component:
    body = [
        [
            dcc.Checklist(
                id={"type": ROW, "index": r["id"]},
                options=[
                    {
                        "label": html.Span(f"Select report {r['id']}", className="visually-hidden"),
                        "value": r["id"],
                    }
                ],
                value=[],
            ),
            dcc.Link(f"#{r['id']}", href=ui.href("reports", r["id"])),
            html.Span(
                ui.age(r["created_at"]), title=ui.fmt_time(r["created_at"]), className="nowrap"
            ),
            _category(r),
            ui.report_status(r["status"]),
            _source(r),
            _group(r),
            r["assignee"] or "—",
            html.Span(r["snippet"], className="snippet"),
        ]
        for r in rows
    ]
    return ui.table(
        ["", "Report", "Age", "Category", "Status", "Source", "Group", "Assignee", "Output"],
        body,
        empty="No reports match these filters.",
        row_ids=[f"report-row-{r['id']}" for r in rows],
    )


def register(app: Dash, portal: Portal) -> None:
    @app.callback(
        Output(TABLE, "children"),
        *ui.pager_outputs(PREFIX),
        Input(STATUS, "value"),
        Input(CATEGORY, "value"),
        Input(ASSIGNEE, "value"),
        Input(TRUSTED, "value"),
        Input(SORT, "value"),
        Input(f"{PREFIX}-prev", "n_clicks"),
        Input(f"{PREFIX}-next", "n_clicks"),
        Input(REFRESH, "data"),
        State(f"{PREFIX}-page", "data"),
    )
    def show(
        statuses: list[str] | None,
        categories: list[str] | None,
        assignee: str | None,
        trusted: list[str] | None,
        sort: str | None,
        _prev: int | None,
        _next: int | None,
        _refresh: int | None,
        page: int | None,
    ) -> tuple[Any, ...]:
        user = portal.user()
        assignee_id: int | None = None
        if assignee == "me":
            assignee_id = user.id
        elif assignee and assignee.isascii() and assignee.isdigit() and len(assignee) < 10:
            assignee_id = int(assignee)

        def fetch(limit: int, offset: int) -> dict[str, Any]:
            return report_queries.triage_page(
                portal.session(),
                statuses=statuses or [],
                categories=categories or [],
                assignee_id=assignee_id,
                unassigned=assignee == "none",
                trusted_only=bool(trusted),
                sort=sort or "priority",
                limit=limit,
                offset=offset,
            )

        shown, result = ui.paginate(ctx.triggered_id, PREFIX, page, PAGE_SIZE, fetch)
        return (
            _table(result["rows"]),
            *ui.pager_state(shown, result["total"], PAGE_SIZE, "reports"),
        )

    @app.callback(
        Output({"type": ROW, "index": ALL}, "value"),
        Input(SELECT_ALL, "value"),
        State({"type": ROW, "index": ALL}, "id"),
        prevent_initial_call=True,
    )
    def select_all(choice: list[str] | None, ids: list[dict[str, int]]) -> list[list[int]]:
        return [[i["index"]] if choice else [] for i in ids]

    @app.callback(
        Output(MESSAGE, "children"),
        Output(REFRESH, "data"),
        Output(SELECT_ALL, "value"),
        Input(BULK_STATUS_APPLY, "n_clicks"),
        Input(BULK_ASSIGN_ME, "n_clicks"),
        Input(BULK_ASSIGN, "n_clicks"),
        Input(BULK_UNASSIGN, "n_clicks"),
        Input(MARK_DUPLICATE, "n_clicks"),
        State({"type": ROW, "index": ALL}, "value"),
        State(BULK_STATUS, "value"),
        State(BULK_ASSIGNEE, "value"),
        State(BULK_REASON, "value"),
        State(DUPLICATE_OF, "value"),
        State(REFRESH, "data"),
        prevent_initial_call=True,
    )
    def bulk(
        _status: int | None,
        _me: int | None,
        _assign: int | None,
        _unassign: int | None,
        _duplicate: int | None,
        selected: list[list[int]] | None,
        new_status: str | None,
        assignee: int | None,
        reason: str | None,
        original: int | float | None,
        refresh: int | None,
    ) -> tuple[Any, ...]:
        user = portal.user()
        ids = sorted({int(i) for values in selected or [] for i in values or []})
        trigger = ctx.triggered_id
        change: dict[str, Any] = {}
        if trigger == MARK_DUPLICATE:

            def mark() -> str:
                if original is None:
                    raise ValidationFailed(
                        {"original": "Give the number of the report the others repeat."}
                    )
                linked = report_service.mark_duplicates(
                    portal.session(), int(original), ids, actor=actor_of(user)
                )
                return f"{linked} reports marked as duplicates of report {int(original)}."

            ok, message = ui.attempt(portal, mark)
            return message, (refresh or 0) + 1 if ok else no_update, []
        if trigger == BULK_STATUS_APPLY:
            if not new_status:
                return (
                    ui.error_box(ValidationFailed({"status": "Choose the new status first."})),
                    no_update,
                    no_update,
                )
            change["status"] = new_status
            change["reason"] = reason
            change["analyzer"] = portal.analyzer
            done = f"set to {REPORT_STATUSES.get(new_status, new_status)}"
        elif trigger == BULK_ASSIGN_ME:
            change["assignee_id"] = user.id
            done = "assigned to you"
        elif trigger == BULK_ASSIGN:
            if assignee is None:
                return (
                    ui.error_box(ValidationFailed({"assignee": "Choose the analyst first."})),
                    no_update,
                    no_update,
                )
            change["assignee_id"] = int(assignee)
            done = "assigned"
        else:
            change["assignee_id"] = None
            done = "unassigned"

        def run() -> str:
            changed = report_service.bulk_update_reports(
                portal.session(), ids, actor=actor_of(user), **change
            )
            return f"{changed} of {len(ids)} selected reports {done}."

        ok, message = ui.attempt(portal, run)
        return message, (refresh or 0) + 1 if ok else no_update, []
