"""One log sample: the masked prompt, response and turns as the deployer sent them,
its signals, its group and similar items, and the campaigns and cases it is in."""

from __future__ import annotations

from dash import Dash, html
from dash.development.base_component import Component

from core.queries import subjects
from dashboards import ui
from dashboards.bridge import Portal
from dashboards.pages.group import campaigns_table, cases_table
from dashboards.pages.report import similar_table

TITLE = "Log sample"


def title(log_id: str) -> str:
    return f"Log sample {log_id}"


def layout(portal: Portal, log_id: str) -> Component:
    r = subjects.log_detail(portal.session(), int(log_id))
    s = r["signals"]
    group = r["group"]
    details = ui.meta(
        [
            ("Deployer", r["deployer"]),
            ("Account", ui.account_link(r["deployer"], r["account_id"], r["account_id"])),
            ("Their reference", r["external_id"]),
            ("Model", r["model"] or "—"),
            ("Produced", ui.fmt_time(r["occurred_at"])),
            ("Received", f"{ui.fmt_time(r['received_at'])} by {r['source']}"),
            (
                "Group",
                ui.group_link(
                    group["id"],
                    f"group {group['id']}: {group['size']:,} items from "
                    f"{group['accounts']:,} accounts",
                )
                if group
                else "not grouped yet",
            ),
            ("Exact copies", f"{r['exact_copies']:,} other log samples with the same response"),
        ],
        "log-meta",
    )
    signals = ui.meta(
        [
            ("Offensive language", f"{s['offensive_prob']:.0%} probability"),
            ("Personal data masked", ", ".join(s["pii_kinds"]) or "none found"),
            ("Prompt-injection markers", ", ".join(s["injection_markers"]) or "none found"),
            ("Moderation flags", ui.compact_json(r["moderation_flags"]) or "none"),
            ("Metadata", ui.compact_json(r["metadata"]) or "none"),
        ]
    )
    texts: list[Component] = []
    if r["messages"]:
        texts.append(html.H3("Conversation (masked)"))
        texts.extend(
            html.Div(
                [
                    html.P(str(m.get("role", "")), className="meta"),
                    html.Pre(str(m.get("content", "")), className="text"),
                ]
            )
            for m in r["messages"]
        )
    elif r["prompt"]:
        texts += [html.H3("Prompt (masked)"), html.Pre(r["prompt"], className="text")]
    texts += [html.H3("Response (masked)"), html.Pre(r["response"], className="text")]
    return html.Div(
        [
            ui.header(
                f"Log sample {r['id']}",
                ui.account_link(r["deployer"], r["account_id"], "All samples of this account"),
            ),
            html.Div(
                [
                    html.Section([html.H2("Details"), details]),
                    html.Section([html.H2("Signals"), signals]),
                ],
                className="two-col",
            ),
            html.Section([html.H2("Texts"), *texts]),
            html.Div(
                [
                    html.Section(
                        [html.H2("Campaigns"), campaigns_table(r["campaigns"], "In no campaign.")],
                        id="log-campaigns",
                    ),
                    html.Section(
                        [html.H2("Cases"), cases_table(r["cases"], "In no case.")], id="log-cases"
                    ),
                ],
                className="two-col",
            ),
            html.Section([html.H2("Similar items"), similar_table(r["similar"])], id="log-similar"),
        ]
    )


def register(app: Dash, portal: Portal) -> None:
    """Nothing on this page changes after it is drawn."""
    del app, portal
