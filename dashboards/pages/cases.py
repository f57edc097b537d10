"""The list of cases, and opening one by hand."""

from __future__ import annotations

import re
from typing import Any

from dash import Dash, Input, Output, State, ctx, dcc, html
from dash.development.base_component import Component

from core.exceptions import ValidationFailed
from core.models import CASE_ITEM_KINDS, CASE_STATUSES
from core.queries import cases as case_queries
from core.services import cases as case_service
from dashboards import ui
from dashboards.bridge import Portal

TITLE = "Cases"
PREFIX = "cases"
STATUS = "cases-status"
MINE = "cases-mine"
TABLE = "cases-table"
NEW_TITLE = "cases-new-title"
NEW_ITEMS = "cases-new-items"
NEW_OPEN = "cases-new-open"
NEW_MESSAGE = "cases-new-message"
PAGE_SIZE = 50
ANY = "any"
ITEM_REF = re.compile(r"^(" + "|".join(CASE_ITEM_KINDS) + r")[-\s#:]*(\d+)$")


def parse_items(text: str | None) -> list[tuple[str, int]]:
    """'report-12, log 40' -> [('report', 12), ('log', 40)]."""
    out: list[tuple[str, int]] = []
    for part in re.split(r"[,;\n]+", text or ""):
        part = part.strip().lower()
        if not part:
            continue
        match = ITEM_REF.match(part)
        if match is None:
            raise ValidationFailed(
                {"items": f"{part!r} is not like report-12, log-40, campaign-3 or alert-7."}
            )
        out.append((match.group(1), int(match.group(2))))
    return out


def layout(portal: Portal) -> Component:
    return html.Div(
        [
            ui.header(TITLE),
            html.Div(
                [
                    ui.field(
                        "Status",
                        dcc.RadioItems(
                            id=STATUS,
                            options=[{"label": " any", "value": ANY}]
                            + [{"label": f" {s}", "value": s} for s in CASE_STATUSES],
                            value=ANY,
                            inline=True,
                        ),
                        STATUS,
                    ),
                    dcc.Checklist(
                        id=MINE,
                        options=[{"label": " Only cases assigned to me", "value": "yes"}],
                        value=[],
                    ),
                ],
                className="filters",
            ),
            html.Div(id=TABLE),
            ui.pager(PREFIX),
            html.Section(
                [
                    html.H2("Open a case by hand"),
                    html.P(
                        "Cases usually start from an alert, a campaign or a report (each has an "
                        "Open case button). Here you can open one about anything.",
                        className="hint",
                    ),
                    ui.field("Title", dcc.Input(id=NEW_TITLE, value="", maxLength=200), NEW_TITLE),
                    ui.field(
                        "Items (optional)",
                        dcc.Input(id=NEW_ITEMS, value="", placeholder="report-12, log-40"),
                        NEW_ITEMS,
                        hint="Reports, log samples, campaigns or alerts, separated by commas.",
                    ),
                    html.Button("Open case", id=NEW_OPEN),
                    html.Div(id=NEW_MESSAGE),
                ]
            ),
        ]
    )


def _table(rows: list[dict[str, Any]]) -> Component:
    body = [
        [
            dcc.Link(f"Case {c['id']}", href=ui.href("cases", c["id"])),
            c["title"],
            ui.badge(c["status"]),
            c["assignee"] or "—",
            ui.item_link(
                {"reports": "report"}.get(c["origin_type"], c["origin_type"]),
                c["origin_id"],
                f"{c['origin_type']} {c['origin_id']}",
            )
            if c["origin_id"]
            else c["origin_type"],
            c["opened_by"] or "—",
            ui.fmt_time(c["updated_at"]),
        ]
        for c in rows
    ]
    return ui.table(
        ["Case", "Title", "Status", "Assignee", "Origin", "Opened by", "Last change"],
        body,
        empty="No cases match.",
    )


def register(app: Dash, portal: Portal) -> None:
    @app.callback(
        Output(TABLE, "children"),
        *ui.pager_outputs(PREFIX),
        Input(STATUS, "value"),
        Input(MINE, "value"),
        Input(f"{PREFIX}-prev", "n_clicks"),
        Input(f"{PREFIX}-next", "n_clicks"),
        State(f"{PREFIX}-page", "data"),
    )
    def show(
        status: str | None, mine: list[str] | None, _p: int | None, _n: int | None, page: int | None
    ) -> tuple[Any, ...]:
        user = portal.user()
        chosen = None if status in (None, ANY) else status
        assignee_id = user.id if mine else None

        def fetch(limit: int, offset: int) -> dict[str, Any]:
            session = portal.session()
            return {
                "total": case_queries.cases_total(session, status=chosen, assignee_id=assignee_id),
                "rows": case_queries.list_cases(
                    session, status=chosen, assignee_id=assignee_id, limit=limit, offset=offset
                ),
            }

        shown, result = ui.paginate(ctx.triggered_id, PREFIX, page, PAGE_SIZE, fetch)
        return (_table(result["rows"]), *ui.pager_state(shown, result["total"], PAGE_SIZE, "cases"))

    @app.callback(
        Output(NEW_MESSAGE, "children"),
        Input(NEW_OPEN, "n_clicks"),
        State(NEW_TITLE, "value"),
        State(NEW_ITEMS, "value"),
        prevent_initial_call=True,
    )
    def open_case(_open: int | None, title: str | None, items: str | None) -> Component:
        user = portal.user()
        opened: list[int] = []

        def run() -> str:
            case = case_service.open_case(
                portal.session(),
                title=title or "",
                origin_type="manual",
                items=parse_items(items),
                user=user,
            )
            opened.append(case.id)
            return f"Case {case.id} opened."

        ok, message = ui.attempt(portal, run)
        if not ok:
            return message
        return html.Div(
            [message, " ", dcc.Link("Go to the case", href=ui.href("cases", opened[0]))]
        )
