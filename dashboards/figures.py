"""Pure figure builders: plain rows in, a Plotly figure out. No database, no Flask.

Every text that comes from data (snippets, account ids, deployer and cluster
names) goes through ``plain``: Plotly renders a subset of HTML in labels
(``<b>``, ``<br>``, ``<a href>``), and this text is written by whoever sent a
report or a log sample.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

import plotly.graph_objects as go

# Plotly's qualitative palette "D3" extended: enough distinct colours for the
# largest clusters; the rest share one grey trace.
PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#7f7f7f",
    "#393b79",
    "#637939",
    "#8c6d31",
    "#843c39",
    "#7b4173",
    "#3182bd",
    "#e6550d",
    "#31a354",
    "#756bb1",
    "#636363",
)
OTHER_COLOUR = "#c7c7c7"
DAY_MS = 86_400_000
MAX_SERIES = len(PALETTE)


def plain(text: object) -> str:
    """``text`` as Plotly shows it literally: its tags escaped, so ``<b>`` or a link
    in a snippet is displayed as typed instead of rendered (Plotly decodes the
    entities back for display)."""
    return html.escape(str(text), quote=False)


# Hover text, then the trace's name, both escaped already: the name is looked up
# by Plotly, not pasted into the template, so it cannot add placeholders.
_HOVER = "%{text}<extra>%{fullData.name}</extra>"


def _layout(fig: go.Figure, title: str, *, height: int = 360) -> go.Figure:
    fig.update_layout(
        title={"text": title, "x": 0},
        height=height,
        margin={"l": 50, "r": 20, "t": 50, "b": 40},
        legend={"orientation": "h", "y": -0.15},
        template="plotly_white",
    )
    return fig


def empty(title: str, message: str) -> go.Figure:
    fig = go.Figure()
    fig.add_annotation(text=message, showarrow=False, x=0.5, y=0.5, xref="paper", yref="paper")
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return _layout(fig, title)


def stacked_counts(
    rows: Sequence[Mapping[str, Any]],
    *,
    series: str,
    title: str,
    labels: Mapping[str, str] | None = None,
    empty_message: str = "Nothing in this date range.",
) -> go.Figure:
    """Daily counts stacked by ``series`` (rows: day, <series>, count)."""
    if not rows:
        return empty(title, empty_message)
    by_series: dict[str, dict[str, int]] = {}
    for row in rows:
        by_series.setdefault(str(row[series]), {})[row["day"]] = int(row["count"])
    # Biggest series first, so the legend reads in order of weight.
    order = sorted(by_series, key=lambda s: (-sum(by_series[s].values()), s))
    fig = go.Figure()
    for n, name in enumerate(order):
        days = sorted(by_series[name])
        fig.add_trace(
            go.Bar(
                x=days,
                y=[by_series[name][d] for d in days],
                name=plain((labels or {}).get(name, name)),
                marker_color=PALETTE[n % len(PALETTE)],
            )
        )
    fig.update_layout(barmode="stack", bargap=0.1)
    # Whole days: left alone, Plotly labels a short span by the hour.
    days = sorted({str(row["day"]) for row in rows})
    span = (date.fromisoformat(days[-1]) - date.fromisoformat(days[0])).days
    fig.update_xaxes(type="date", tickformat="%Y-%m-%d", dtick=DAY_MS if span <= 14 else None)
    return _layout(fig, title)


def cluster_scatter(
    points: Sequence[Mapping[str, Any]],
    *,
    colour_by: str,
    cluster_names: Mapping[int, str],
    category_labels: Mapping[str, str],
    title: str,
) -> go.Figure:
    """The 2-D map of texts, one WebGL trace per colour.

    ``customdata`` carries each point's text id, which a click or lasso hands back.
    """
    if not points:
        return empty(title, "No texts have been placed yet: the group job has not run.")

    def key(p: Mapping[str, Any]) -> str:
        if colour_by == "category":
            return str(p["category"]) if p["category"] else "log sample (no category)"
        return f"cluster {p['cluster_id']}" if p["cluster_id"] is not None else "noise"

    buckets: dict[str, list[Mapping[str, Any]]] = {}
    for p in points:
        buckets.setdefault(key(p), []).append(p)
    ranked = sorted(buckets, key=lambda k: (k in ("noise",), -len(buckets[k]), k))
    shown, rest = ranked[: MAX_SERIES - 1], ranked[MAX_SERIES - 1 :]
    fig = go.Figure()

    def add(name: str, members: list[Mapping[str, Any]], colour: str) -> None:
        fig.add_trace(
            go.Scattergl(
                x=[p["x"] for p in members],
                y=[p["y"] for p in members],
                mode="markers",
                name=plain(name),
                marker={"size": 6, "color": colour, "opacity": 0.75},
                customdata=[p["text_id"] for p in members],
                text=[plain(p["snippet"]) for p in members],
                hovertemplate=_HOVER,
            )
        )

    for n, name in enumerate(shown):
        colour = OTHER_COLOUR if name == "noise" else PALETTE[n % len(PALETTE)]
        display = name
        if colour_by == "category":
            display = category_labels.get(name, name)
        elif name.startswith("cluster "):
            cluster_id = int(name.split()[1])
            words = cluster_names.get(cluster_id)
            display = f"{cluster_id}: {words}" if words else name
        add(display, buckets[name], colour)
    if rest:
        add("other", [p for name in rest for p in buckets[name]], OTHER_COLOUR)
    fig.update_layout(dragmode="lasso", clickmode="event+select")
    fig.update_xaxes(showticklabels=False, title=None, zeroline=False)
    fig.update_yaxes(showticklabels=False, title=None, zeroline=False)
    return _layout(fig, title, height=560)


def network(
    nodes: Sequence[Mapping[str, Any]], edges: Sequence[Mapping[str, Any]], *, title: str
) -> go.Figure:
    """Accounts as dots, coordinated pairs as lines, laid out by a force-directed
    layout (seeded, so the picture is the same on every visit)."""
    if not nodes:
        return empty(title, "No accounts with log samples in this campaign.")
    import networkx as nx  # only the campaign page needs it

    graph: Any = nx.Graph()
    for node in nodes:
        graph.add_node(node["key"])
    for edge in edges:
        graph.add_edge(edge["source"], edge["target"], weight=edge["weight"])
    pos = nx.spring_layout(graph, seed=7, weight="weight")
    edge_x: list[float | None] = []
    edge_y: list[float | None] = []
    for edge in edges:
        (x0, y0), (x1, y1) = pos[edge["source"]], pos[edge["target"]]
        edge_x += [float(x0), float(x1), None]
        edge_y += [float(y0), float(y1), None]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=edge_x,
            y=edge_y,
            mode="lines",
            line={"width": 0.8, "color": "#9aa5b1"},
            hoverinfo="skip",
            name="shared near-duplicate content",
        )
    )
    deployers = sorted({str(n["deployer"]) for n in nodes})
    largest = max(int(n["items"]) for n in nodes) or 1
    for n, deployer in enumerate(deployers):
        members = [node for node in nodes if node["deployer"] == deployer]
        fig.add_trace(
            go.Scatter(
                x=[float(pos[m["key"]][0]) for m in members],
                y=[float(pos[m["key"]][1]) for m in members],
                mode="markers",
                name=plain(deployer),
                marker={
                    "size": [8 + 22 * (int(m["items"]) / largest) for m in members],
                    "color": PALETTE[n % len(PALETTE)],
                    "line": {"width": 1, "color": "#fff"},
                },
                text=[
                    plain(
                        f"{m['account_id']} at {deployer}: {m['items']} items, "
                        f"{graph.degree(m['key'])} linked accounts"
                    )
                    for m in members
                ],
                hovertemplate="%{text}<extra></extra>",
            )
        )
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x")
    return _layout(fig, title, height=520)
