"""The audit log, newest first, filtered by actor, action, subject and dates (supervisors)."""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, State, ctx, dcc, html
from dash.development.base_component import Component

from core.queries import audit as audit_queries
from dashboards import ui
from dashboards.bridge import Portal

TITLE = "Audit log"
ROLE = "supervisor"
PREFIX = "audit"
ACTOR = "audit-actor"
ACTION = "audit-action"
SUBJECT_TYPE = "audit-subject-type"
SUBJECT_ID = "audit-subject-id"
RANGE = "audit-range"
TABLE = "audit-table"
PAGE_SIZE = 50


def layout(portal: Portal) -> Component:
    facets = audit_queries.audit_facets(portal.session())
    return html.Div(
        [
            ui.header(TITLE),
            html.P(
                [
                    "Every change made by a person or a job, hash-chained: ",
                    html.Code("misuse audit verify"),
                    " names any entry edited or deleted since.",
                ],
                className="hint",
            ),
            html.Div(
                [
                    ui.field(
                        "Actor contains",
                        dcc.Input(id=ACTOR, value="", debounce=True, placeholder="user:ana@"),
                        ACTOR,
                    ),
                    ui.field(
                        "Action",
                        dcc.Dropdown(
                            id=ACTION,
                            options=[{"label": a, "value": a} for a in facets["actions"]],
                            placeholder="Any action",
                        ),
                        ACTION,
                    ),
                    ui.field(
                        "Subject type",
                        dcc.Dropdown(
                            id=SUBJECT_TYPE,
                            options=[{"label": s, "value": s} for s in facets["subject_types"]],
                            placeholder="Any subject",
                        ),
                        SUBJECT_TYPE,
                    ),
                    ui.field(
                        "Subject id",
                        dcc.Input(id=SUBJECT_ID, value="", debounce=True),
                        SUBJECT_ID,
                    ),
                    ui.field(
                        "Dates (UTC, both included)",
                        dcc.DatePickerRange(id=RANGE, display_format="YYYY-MM-DD", clearable=True),
                        RANGE,
                    ),
                ],
                className="filters grid",
            ),
            html.Div(id=TABLE),
            ui.pager(PREFIX),
        ]
    )


def _subject(e: dict[str, Any]) -> ui.Child:
    """The entry's subject by the name people use, linked to where it is shown."""
    kind, number, named = e["subject_type"], e["subject_id"], e["subject"]
    if kind == "sanction" and named:
        return html.Span(
            [
                f"sanction {named['name']} (",
                ui.item_link("case", named["case_id"], f"case {named['case_id']}"),
                ")",
            ]
        )
    if kind == "appeal":
        return dcc.Link(f"appeal {number}", href=ui.href("sanctions") + "#appeals-list")
    if kind in ("deployer", "user") and named:
        return f"{kind} {named['name']}"
    if number.isdigit() and ui.item_href(kind, int(number)):
        return ui.item_link(kind, int(number), f"{ui.ITEM_NAMES.get(kind, kind)} {number}")
    return f"{kind} {number}"


def _table(rows: list[dict[str, Any]]) -> Component:
    body = [
        [
            str(e["id"]),
            ui.fmt_time(e["at"]),
            e["actor"],
            e["action"],
            _subject(e),
            html.Code(ui.compact_json(e["before"])),
            html.Code(ui.compact_json(e["after"])),
        ]
        for e in rows
    ]
    return ui.table(
        ["#", "When", "Actor", "Action", "Subject", "Before", "After"],
        body,
        empty="No audit entries match.",
        class_name="audit",
    )


def register(app: Dash, portal: Portal) -> None:
    @app.callback(
        Output(TABLE, "children"),
        *ui.pager_outputs(PREFIX),
        Input(ACTOR, "value"),
        Input(ACTION, "value"),
        Input(SUBJECT_TYPE, "value"),
        Input(SUBJECT_ID, "value"),
        Input(RANGE, "start_date"),
        Input(RANGE, "end_date"),
        Input(f"{PREFIX}-prev", "n_clicks"),
        Input(f"{PREFIX}-next", "n_clicks"),
        State(f"{PREFIX}-page", "data"),
    )
    def show(
        actor: str | None,
        action: str | None,
        subject_type: str | None,
        subject_id: str | None,
        start_date: str | None,
        end_date: str | None,
        _p: int | None,
        _n: int | None,
        page: int | None,
    ) -> tuple[Any, ...]:
        portal.user(ROLE)
        start, end = ui.date_range(start_date, end_date)

        def fetch(limit: int, offset: int) -> dict[str, Any]:
            return audit_queries.audit_page(
                portal.session(),
                actor=actor or None,
                action=action or None,
                subject_type=subject_type or None,
                subject_id=subject_id or None,
                start=start,
                end=end,
                limit=limit,
                offset=offset,
            )

        shown, result = ui.paginate(ctx.triggered_id, PREFIX, page, PAGE_SIZE, fetch)
        return (
            _table(result["rows"]),
            *ui.pager_state(shown, result["total"], PAGE_SIZE, "entries"),
        )
