"""Every serious incident not yet closed, with its next report and the time left,
the least first; overdue rows in red."""

from __future__ import annotations

from typing import Any

from dash import Dash, dcc, html
from dash.development.base_component import Component

from core.queries import incidents as incident_queries
from dashboards import ui
from dashboards.bridge import Portal

TITLE = "Serious incidents"
TABLE = "incidents-table"


def _row(i: dict[str, Any]) -> list[ui.Child]:
    nxt = i["next"]
    return [
        dcc.Link(f"Case {i['case_id']}", href=ui.href("cases", i["case_id"])),
        i["title"],
        i["category_label"],
        ui.badge(i["status"]),
        nxt["label"] if nxt else "nothing owed",
        ui.fmt_time(nxt["due_at"]) if nxt and nxt["due_at"] else "no date set",
        html.Span(
            ui.time_left(nxt["seconds_left"] if nxt else None),
            className="badge overdue" if nxt and nxt["overdue"] else "",
        ),
    ]


def layout(portal: Portal) -> Component:
    portal.user()
    rows = incident_queries.open_incidents(portal.session())
    overdue = sum(1 for i in rows if i["next"] and i["next"]["overdue"])
    return html.Div(
        [
            ui.header(TITLE),
            html.P(
                f"{len(rows)} open, {overdue} overdue. Deadlines from the EU AI Act (Art. 73) "
                "and the GPAI Code of Practice (Measure 9.3); declare one on its case.",
                className="hint",
            ),
            html.Div(
                ui.table(
                    ["Case", "Title", "Kind", "Status", "Next report", "Due", "Time left"],
                    [_row(i) for i in rows],
                    empty="No serious incident is open.",
                    row_ids=[f"incident-row-{i['case_id']}" for i in rows],
                    row_classes=[
                        "overdue" if i["next"] and i["next"]["overdue"] else "" for i in rows
                    ],
                ),
                id=TABLE,
            ),
        ]
    )


def register(app: Dash, portal: Portal) -> None:
    """Drawn whole by the layout: nothing on the page changes without a reload."""
