"""Pure figure builders: plain rows in, a Plotly figure out. No database, no Flask.

Every text that comes from data (snippets, account ids, deployer and cluster
names) goes through ``plain``: Plotly renders a subset of HTML in labels
(``<b>``, ``<br>``, ``<a href>``), and this text is written by whoever sent a
report or a log sample.
"""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
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
                # One bar per day, a day wide, centred on its day: left to itself
                # Plotly widens bars to the smallest gap between them, so two
                # busy days three days apart came out three days wide.
                width=DAY_MS * 0.85,
                xperiod=DAY_MS,
                xperiodalignment="middle",
                hovertemplate="%{x|%Y-%m-%d}: %{y}<extra>%{fullData.name}</extra>",
            )
        )
    fig.update_layout(barmode="stack", bargap=0.1)
    days = sorted({str(row["day"]) for row in rows})
    first, last = date.fromisoformat(days[0]), date.fromisoformat(days[-1])
    span = (last - first).days
    # Whole days: left alone, Plotly labels a short span by the hour.
    fig.update_xaxes(
        type="date",
        tickformat="%Y-%m-%d",
        dtick=DAY_MS if span <= 14 else None,
        range=[
            (datetime.combine(first, time()) - timedelta(hours=6)).isoformat(),
            (datetime.combine(last, time()) + timedelta(hours=30)).isoformat(),
        ],
    )
    return _layout(fig, title)


def cluster_scatter(
    points: Sequence[Mapping[str, Any]],
    *,
    colour_by: str,
    cluster_names: Mapping[int, str],
    category_labels: Mapping[str, str],
    title: str,
    flagged: Sequence[int] = (),
) -> go.Figure:
    """The 2-D map of texts, one WebGL trace per colour.

    By cluster, the colours go to the clusters in ``flagged`` (those with reports,
    alerts or campaigns), in that order, and the legend lists them first; the other
    clusters share one pale trace, so that misuse, not the largest benign topics,
    stands out. ``customdata`` carries each point's text id, which a click or lasso
    hands back.
    """
    if not points:
        return empty(title, "No texts have been placed yet: the group job has not run.")
    rank = {cluster_id: n for n, cluster_id in enumerate(flagged)}
    benign = "other clusters (no reports, alerts or campaigns)"

    def key(p: Mapping[str, Any]) -> str:
        if colour_by == "category":
            return str(p["category"]) if p["category"] else "log sample (no category)"
        if p["cluster_id"] is None:
            return "noise"
        if flagged and p["cluster_id"] not in rank:
            return benign
        return f"cluster {p['cluster_id']}"

    buckets: dict[str, list[Mapping[str, Any]]] = {}
    for p in points:
        buckets.setdefault(key(p), []).append(p)

    def order(k: str) -> tuple[Any, ...]:
        if k.startswith("cluster ") and int(k.split()[1]) in rank:
            return (0, rank[int(k.split()[1])], k)
        return (1 if k not in ("noise", benign) else 2, -len(buckets[k]), k)

    ranked = sorted(buckets, key=order)
    coloured = [k for k in ranked if k not in ("noise", benign)]
    shown, rest = coloured[: MAX_SERIES - 1], coloured[MAX_SERIES - 1 :]
    fig = go.Figure()

    def add(name: str, members: list[Mapping[str, Any]], colour: str, size: int = 6) -> None:
        fig.add_trace(
            go.Scattergl(
                x=[p["x"] for p in members],
                y=[p["y"] for p in members],
                mode="markers",
                name=plain(name),
                marker={"size": size, "color": colour, "opacity": 0.8},
                customdata=[p["text_id"] for p in members],
                text=[plain(p["snippet"]) for p in members],
                hovertemplate=_HOVER,
            )
        )

    for n, name in enumerate(shown):
        display = name
        if colour_by == "category":
            display = category_labels.get(name, name)
        elif name.startswith("cluster "):
            cluster_id = int(name.split()[1])
            words = cluster_names.get(cluster_id)
            display = f"{cluster_id}: {words}" if words else name
        add(display, buckets[name], PALETTE[n % len(PALETTE)], 7)
    if rest:
        add("other", [p for name in rest for p in buckets[name]], OTHER_COLOUR)
    for pale in (benign, "noise"):
        if pale in buckets:
            add(pale, buckets[pale], "#dcdcdc" if pale == benign else OTHER_COLOUR, 5)
    fig.update_layout(dragmode="lasso", clickmode="event+select")
    fig.update_xaxes(showticklabels=False, title=None, zeroline=False)
    fig.update_yaxes(showticklabels=False, title=None, zeroline=False)
    return _layout(fig, title, height=560)


def account_group_matrix(data: Mapping[str, Any], *, title: str) -> go.Figure:
    """Accounts (rows) against near-duplicate groups (columns), items per cell."""
    if not data["accounts"]:
        return empty(title, "No log samples from accounts in this campaign.")
    # Account ids and texts come from deployers and the public: shown as plain text.
    accounts = [plain(f"{a['account_id']} at {a['deployer']}") for a in data["accounts"]]
    groups = [plain(g["label"]) for g in data["groups"]]
    hover = [[plain(g["sample"]) for g in data["groups"]] for _ in accounts]
    fig = go.Figure(
        go.Heatmap(
            z=data["z"],
            x=groups,
            y=accounts,
            customdata=hover,
            colorscale=[[0.0, "#ffffff"], [0.0001, "#deebf7"], [1.0, "#08519c"]],
            xgap=1,
            ygap=1,
            colorbar={"title": {"text": "items"}},
            hovertemplate="%{y}<br>%{x}: %{z} items<br>%{customdata}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category", tickangle=-45)
    height = min(900, 160 + 22 * len(accounts))
    return _layout(fig, title, height=height)
