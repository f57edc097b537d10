"""Cluster explorer: the 2-D map of texts the group job computed, coloured by topic
cluster or by category; a click or a lasso lists the items behind the points."""

from __future__ import annotations

from typing import Any

from dash import Dash, Input, Output, ctx, dcc, html
from dash.development.base_component import Component

from core.models.base import MAX_ID
from core.queries import clusters as cluster_queries
from core.taxonomy import HARM_CATEGORIES
from dashboards import figures, ui
from dashboards.bridge import Portal

TITLE = "Cluster explorer"
COLOUR = "clusters-colour"
CLUSTER = "clusters-cluster"
CAP = "clusters-cap"
GRAPH = "clusters-graph"
NOTE = "clusters-note"
SELECTION = "clusters-selection"
KEYWORDS = "clusters-keywords"
# Points drawn at most: WebGL copes with more, but every point's hover text
# travels to the browser, and 5,000 keep the answer under a megabyte.
CAPS = (2000, 5000, 20000)
DEFAULT_CAP = 5000
SELECTION_LIMIT = 50


def _signs(c: dict[str, Any]) -> str:
    parts = []
    if c["campaigns"]:
        parts.append(f"{c['campaigns']} campaign{'s' if c['campaigns'] != 1 else ''}")
    if c["alerts"]:
        parts.append(f"{c['alerts']} alert{'s' if c['alerts'] != 1 else ''}")
    if c["reports"]:
        parts.append(f"{c['reports']:,} report{'s' if c['reports'] != 1 else ''}")
    return ", ".join(parts)


def _cluster_names(rows: list[dict[str, Any]]) -> dict[int, str]:
    names = {}
    for c in rows:
        words = ", ".join(c["keywords"][:4])
        signs = _signs(c)
        names[c["id"]] = f"{words} ({signs})" if signs else words
    return names


def _keyword_table(rows: list[dict[str, Any]]) -> Component:
    body = [
        [
            str(c["id"]),
            _signs(c) or "—",
            f"{c['texts']:,}",
            f"{c['reports']:,} / {c['log_samples']:,}",
            ", ".join(c["keywords"][:10]),
            f"{ui.fmt_day(c['first_seen'])} – {ui.fmt_day(c['last_seen'])}",
        ]
        for c in rows
    ]
    return ui.table(
        ["Cluster", "Signs of misuse", "Texts", "Reports / log samples", "Keywords", "Seen"],
        body,
        empty="No topic clusters yet: the group job has not run.",
    )


def layout(portal: Portal) -> Component:
    rows = cluster_queries.clusters(portal.session(), limit=50)
    return html.Div(
        [
            ui.header(TITLE),
            html.Div(
                [
                    ui.field(
                        "Colour by",
                        dcc.RadioItems(
                            id=COLOUR,
                            options=[
                                {"label": " Topic cluster", "value": "cluster"},
                                {"label": " Report category", "value": "category"},
                            ],
                            value="cluster",
                            inline=True,
                        ),
                        COLOUR,
                    ),
                    ui.field(
                        "Only one cluster",
                        dcc.Dropdown(
                            id=CLUSTER,
                            options=[
                                {
                                    "label": f"{c['id']}: {', '.join(c['keywords'][:5])}"
                                    + (f" ({_signs(c)})" if _signs(c) else ""),
                                    "value": c["id"],
                                }
                                for c in rows
                            ],
                            placeholder="All clusters",
                        ),
                        CLUSTER,
                    ),
                    ui.field(
                        "Points at most",
                        dcc.RadioItems(
                            id=CAP,
                            options=[{"label": f" {n:,}", "value": n} for n in CAPS],
                            value=DEFAULT_CAP,
                            inline=True,
                        ),
                        CAP,
                    ),
                ],
                className="filters grid",
            ),
            html.P(id=NOTE, className="hint", **ui.live()),
            dcc.Graph(id=GRAPH, config={"displaylogo": False}),
            html.Section(
                [
                    html.H2("Selected items"),
                    html.P(
                        "Click a point, or draw a lasso around several, to list the reports "
                        "and log samples that carry those texts.",
                        className="hint",
                    ),
                    html.Div(id=SELECTION),
                ]
            ),
            html.Section(
                [
                    html.H2("Keywords per cluster"),
                    html.P(
                        "Clusters with campaigns, alerts or reports first; the table follows "
                        "the cluster chosen above.",
                        className="hint",
                    ),
                    html.Div(_keyword_table(rows), id=KEYWORDS),
                ]
            ),
        ]
    )


def _text_ids(data: dict[str, Any] | None) -> list[int]:
    points = (data or {}).get("points") or []
    out = []
    for p in points if isinstance(points, list) else []:
        value = p.get("customdata") if isinstance(p, dict) else None
        if isinstance(value, list):
            value = value[0] if value else None
        # Text ids, as the figure put them there: anything else selects nothing.
        if type(value) is int and 0 < value <= MAX_ID:
            out.append(value)
    return out


def register(app: Dash, portal: Portal) -> None:
    @app.callback(
        Output(GRAPH, "figure"),
        Output(NOTE, "children"),
        Input(COLOUR, "value"),
        Input(CLUSTER, "value"),
        Input(CAP, "value"),
    )
    def draw(colour: str | None, cluster_id: int | None, cap: int | None) -> tuple[Any, str]:
        portal.user()
        session = portal.session()
        limit = cap if cap in CAPS else DEFAULT_CAP
        data = cluster_queries.cluster_points(session, cluster_id=cluster_id, cap=limit)
        ranked = cluster_queries.clusters(session, limit=100)
        figure = figures.cluster_scatter(
            data["points"],
            colour_by=colour or "cluster",
            cluster_names=_cluster_names(ranked),
            category_labels=HARM_CATEGORIES,
            title="Texts by similarity (2-D projection)",
            flagged=[c["id"] for c in ranked if c["flagged"]],
        )
        if data["sampled"]:
            note = (
                f"Showing {data['shown']:,} of {data['total']:,} texts: an even sample, "
                "to keep the page fast. Pick one cluster to see more of it."
            )
        else:
            note = f"Showing all {data['total']:,} texts."
        return figure, note

    @app.callback(
        Output(KEYWORDS, "children"),
        Input(CLUSTER, "value"),
        prevent_initial_call=True,
    )
    def keywords(cluster_id: int | None) -> Component:
        portal.user()
        rows = cluster_queries.clusters(portal.session(), limit=100)
        if cluster_id is not None:
            rows = [c for c in rows if c["id"] == cluster_id]
        return _keyword_table(rows[:50])

    @app.callback(
        Output(SELECTION, "children"),
        Input(GRAPH, "selectedData"),
        Input(GRAPH, "clickData"),
        prevent_initial_call=True,
    )
    def select(selected: dict[str, Any] | None, clicked: dict[str, Any] | None) -> Component:
        portal.user()
        by_click = any(p.endswith(".clickData") for p in ctx.triggered_prop_ids)
        chosen = clicked if by_click else selected
        text_ids = _text_ids(chosen)
        if not text_ids:
            return html.P("Nothing selected.", className="empty")
        items = cluster_queries.items_for_texts(portal.session(), text_ids, limit=SELECTION_LIMIT)
        rows = [
            [
                ui.item_link(i["kind"], i["id"], f"{i['kind']} {i['id']}"),
                i["label"],
                ui.fmt_time(i["seen"]),
                html.Span(i["snippet"], className="snippet"),
            ]
            for i in items
        ]
        note = f"{len(text_ids):,} texts selected"
        if len(items) >= SELECTION_LIMIT:
            note += f"; the first {SELECTION_LIMIT} items carrying them:"
        else:
            note += f"; {len(items)} items carry them:"
        return html.Div(
            [html.P(note), ui.table(["Item", "Where", "Seen", "Text"], rows, empty="No items.")]
        )
