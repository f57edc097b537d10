"""Text from reports and log samples is shown as typed in Plotly's labels: its
pseudo-HTML (bold, line breaks, links) is never rendered."""

from dashboards import figures

TAGS = '<b>bold</b><br><a href="javascript:alert(1)">click</a> %{customdata}'


def _all_text(fig) -> list[str]:
    out = []
    for trace in fig.data:
        out.append(str(trace.name or ""))
        text = trace.text
        out.extend([text] if isinstance(text, str) else list(text or []))
    return out


def _assert_inert(fig) -> None:
    for text in _all_text(fig):
        assert "<b>" not in text and "<a " not in text and "<br>" not in text, text
    for trace in fig.data:
        # Data never becomes part of a template, where %{...} would be expanded.
        assert "bold" not in str(trace.hovertemplate or ""), trace.hovertemplate


def test_cluster_map_escapes_snippets_and_cluster_names():
    points = [
        {"x": 0.1, "y": 0.2, "text_id": 1, "snippet": TAGS, "category": None, "cluster_id": 3}
    ]
    fig = figures.cluster_scatter(
        points,
        colour_by="cluster",
        cluster_names={3: TAGS},
        category_labels={},
        title="Map",
    )
    _assert_inert(fig)
    assert "&lt;b&gt;bold&lt;/b&gt;" in fig.data[0].text[0]
    assert fig.data[0].name.startswith("3: &lt;b&gt;")


def test_account_matrix_escapes_account_ids_deployer_names_and_samples():
    data = {
        "accounts": [
            {"account_id": TAGS, "deployer": TAGS},
            {"account_id": "acct-2", "deployer": "acme"},
        ],
        "groups": [{"label": TAGS, "sample": TAGS}],
        "z": [[3], [1]],
    }
    fig = figures.account_group_matrix(data, title="Accounts")
    (trace,) = fig.data
    labels = [str(v) for v in list(trace.x) + list(trace.y)]
    labels += [str(v) for row in trace.customdata for v in row]
    for text in labels:
        assert "<b>" not in text and "<a " not in text and "<br>" not in text, text
    assert any("&lt;a href=" in t for t in labels)
    # Data never becomes part of the template, where %{...} would be expanded.
    assert "bold" not in str(trace.hovertemplate)


def test_daily_counts_escape_series_names():
    rows = [{"day": "2026-11-20", "deployer": TAGS, "count": 4}]
    fig = figures.stacked_counts(rows, series="deployer", title="Logs")
    _assert_inert(fig)
