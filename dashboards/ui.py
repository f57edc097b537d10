"""Small building blocks shared by the pages: tables, messages, pagers, dates."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import quote

from dash import dcc, html
from dash.development.base_component import Component

from core.exceptions import MisuseError, ValidationFailed
from dashboards.bridge import Portal

BASE = "/dashboard"
# What Dash accepts as children: a component, text, a number, or a list of them.
Child = Any


def aria(label: str) -> dict[str, Any]:
    """An accessible name for a control without a visible label."""
    return {"aria-label": label}


def labelled(text: str, control: Component) -> html.Label:
    """A control named by text only screen readers read (dcc controls take no aria-label)."""
    return html.Label([html.Span(text, className="visually-hidden"), control], className="inline")


def live() -> dict[str, Any]:
    """Screen readers announce changes to this element's text."""
    return {"aria-live": "polite"}


def href(*parts: object) -> str:
    return "/".join([BASE, *(str(p) for p in parts)])


def item_href(kind: str, item_id: int) -> str | None:
    """Where a linked item is shown, if it has a page of its own."""
    return {
        "report": href("reports", item_id),
        "log": href("logs", item_id),
        "group": href("groups", item_id),
        "campaign": href("campaigns", item_id),
        "case": href("cases", item_id),
        "alert": href("alerts") + f"#alert-{item_id}",
    }.get(kind)


ITEM_NAMES = {"log": "log sample"}


def item_link(kind: str, item_id: int, text: str | None = None) -> Child:
    label = text or f"{ITEM_NAMES.get(kind, kind)} {item_id}"
    target = item_href(kind, item_id)
    return dcc.Link(label, href=target) if target else label


def account_href(deployer: str, account_id: str) -> str:
    """Both parts URL-encoded: account ids are the deployers' own and may hold '/'."""
    return href("accounts", quote(deployer, safe=""), quote(account_id, safe=""))


def account_link(deployer: str | None, account_id: str | None, text: str | None = None) -> Child:
    """An account at a deployer, linked to its page; a report's source is not one."""
    if not deployer or not account_id:
        return text or account_id or "no account"
    return dcc.Link(text or f"{account_id} at {deployer}", href=account_href(deployer, account_id))


def group_link(group_id: int | None, text: str | None = None) -> Child:
    if group_id is None:
        return text or "not grouped yet"
    return dcc.Link(text or f"group {group_id}", href=href("groups", group_id))


def alert_subject(alert: dict[str, Any], lead: dict[str, Any] | None) -> Child:
    """An alert's subject, linked to its page when it has one."""
    text = subject(alert["subject_type"], alert["subject_id"])
    kind = (lead or {}).get("kind")
    if kind == "group":
        return group_link(lead["group_id"], text)  # type: ignore[index]
    if kind == "account":
        return account_link(lead["deployer"], lead["account_id"])  # type: ignore[index]
    if kind == "report":
        return item_link("report", lead["report_id"], text)  # type: ignore[index]
    if kind == "case":
        return item_link("case", lead["case_id"], text)  # type: ignore[index]
    return text


def sanction_subject(s: dict[str, Any]) -> Child:
    """A sanction's subject; an account links to its page."""
    subject = s["subject"]
    if isinstance(subject, dict):
        if subject["type"] == "account":
            return account_link(subject["deployer"], subject["account_id"], subject["label"])
        return str(subject["label"])
    if s.get("subject_type") == "account":
        return account_link(s.get("deployer"), s.get("account_id"), str(subject))
    return str(subject)


def campaign_links(campaign_ids: Sequence[int]) -> Child:
    if not campaign_ids:
        return ""
    parts: list[Child] = ["feeds "]
    for n, campaign_id in enumerate(campaign_ids):
        if n:
            parts.append(", ")
        parts.append(dcc.Link(f"campaign {campaign_id}", href=href("campaigns", campaign_id)))
    return html.Span(parts, className="feeds")


def fmt_time(value: str | None) -> str:
    if not value:
        return "—"
    moment = datetime.fromisoformat(value).astimezone(UTC)
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def fmt_day(value: str | None) -> str:
    return value[:10] if value else "—"


def age(value: str | None, now: datetime | None = None) -> str:
    """How long ago, in the largest whole unit: '3 d', '5 h', '12 min'."""
    if not value:
        return "—"
    delta = (now or datetime.now(UTC)) - datetime.fromisoformat(value)
    seconds = max(int(delta.total_seconds()), 0)
    if seconds >= 86400:
        return f"{seconds // 86400} d"
    if seconds >= 3600:
        return f"{seconds // 3600} h"
    return f"{seconds // 60} min"


def time_left(seconds: float | None) -> str:
    """A deadline from now: '4 d 23 h left', '5 h 10 min left', 'overdue by 2 d 3 h'."""
    if seconds is None:
        return "no date set"
    whole = int(abs(seconds))
    days, rest = divmod(whole, 86400)
    hours, rest = divmod(rest, 3600)
    minutes = rest // 60
    span = f"{days} d {hours} h" if days else f"{hours} h {minutes} min"
    return f"overdue by {span}" if seconds < 0 else f"{span} left"


def subject(subject_type: str, subject_id: str) -> str:
    """'group:12' for a group alert, not 'group group:12'."""
    if subject_id.startswith(subject_type + ":"):
        return subject_id
    return f"{subject_type} {subject_id}"


def in_force(sanction: dict[str, Any]) -> str:
    """When a sanction was in force: 'from – until', or why it never was."""
    if not sanction["starts_at"]:
        return "never" if sanction["ended_at"] else "not yet (needs approval)"
    until = sanction["ended_at"] or sanction["ends_at"]
    return f"{fmt_time(sanction['starts_at'])} – {fmt_time(until) if until else 'no end date'}"


def label(value: str | None) -> str:
    return (value or "").replace("_", " ")


def badge(text: str, kind: str = "", shown: str | None = None) -> html.Span:
    return html.Span(shown or label(text), className=f"badge {kind or text}".strip())


def report_status(status: str) -> html.Span:
    """A report's status in the words the filters use."""
    from core.taxonomy import REPORT_STATUSES

    return badge(status, shown=REPORT_STATUSES.get(status, label(status)))


def meta(pairs: Sequence[tuple[str, Child]], element_id: str | None = None) -> html.Dl:
    """A definition list of name/value pairs."""
    extra: dict[str, Any] = {"id": element_id} if element_id else {}
    return html.Dl(
        [part for name, value in pairs for part in (html.Dt(name), html.Dd(value))],
        className="meta",
        **extra,
    )


def signals_text(item: dict[str, Any]) -> str:
    """An item's cheap signals in a few words."""
    parts = [f"offensive {item['offensive_prob']:.0%}"]
    if item.get("pii_kinds"):
        parts.append("personal data: " + ", ".join(item["pii_kinds"]))
    if item.get("injection_markers"):
        parts.append("injection: " + ", ".join(item["injection_markers"]))
    return "; ".join(parts)


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[Child]],
    *,
    empty: str = "Nothing to show.",
    caption: str | None = None,
    row_ids: Sequence[str] | None = None,
    row_classes: Sequence[str] | None = None,
    class_name: str = "",
) -> Component:
    if not rows:
        return html.P(empty, className="empty")
    body = []
    for n, row in enumerate(rows):
        # Dash refuses id=None: the attribute is either set or absent.
        extra: dict[str, Any] = {"id": row_ids[n]} if row_ids else {}
        if row_classes and row_classes[n]:
            extra["className"] = row_classes[n]
        body.append(html.Tr([html.Td(cell) for cell in row], **extra))
    parts: list[Component] = []
    if caption:
        parts.append(html.Caption(caption))
    parts.append(html.Thead(html.Tr([html.Th(h, scope="col") for h in headers])))
    parts.append(html.Tbody(body))
    return html.Table(parts, className=f"data {class_name}".strip())


def field(
    text: str, control: Component, control_id: str | dict[str, Any], hint: str | None = None
) -> html.Div:
    parts: list[Child] = [
        html.Label(text, htmlFor=control_id if isinstance(control_id, str) else None),
        control,
    ]
    if hint:
        parts.append(html.P(hint, className="hint"))
    return html.Div(parts, className="field")


def options(values: Sequence[str], labels: dict[str, str] | None = None) -> list[dict[str, str]]:
    return [{"label": (labels or {}).get(v, label(v)), "value": v} for v in values]


def ok_box(message: str) -> html.Div:
    return html.Div(message, role="status", className="flash ok")


def error_box(exc: BaseException) -> html.Div:
    if isinstance(exc, ValidationFailed):
        items = [html.Li(f"{label(k)}: {v}") for k, v in exc.errors.items()]
        return html.Div(
            [html.Strong("Not done: "), html.Ul(items)], role="alert", className="flash error"
        )
    return html.Div(f"Not done: {exc}", role="alert", className="flash error")


def attempt(portal: Portal, action: Callable[[], str]) -> tuple[bool, html.Div]:
    """Run a write service; (True, confirmation) or (False, the domain error's message).

    The request's session is rolled back after a refusal, so that the reads
    which redraw the page see the database, not a half-made change.
    """
    try:
        message = action()
    except MisuseError as exc:
        portal.session().rollback()
        return False, error_box(exc)
    return True, ok_box(message)


def date_range(start: str | None, end: str | None) -> tuple[datetime | None, datetime | None]:
    """A date picker's inclusive [start, end] days as the half-open UTC interval."""

    def _day(value: str | None) -> datetime | None:
        if not value:
            return None
        try:
            day = date.fromisoformat(value[:10])
        except ValueError:
            raise ValidationFailed({"date": f"Not a date: {value[:20]!r}."}) from None
        return datetime(day.year, day.month, day.day, tzinfo=UTC)

    first, last = _day(start), _day(end)
    return first, (last + timedelta(days=1)) if last else None


def pager(prefix: str) -> html.Div:
    """Previous and Next buttons around a 'Page 2 of 9 · 431 reports' label.

    Drawn once with the page: a callback updates the label and the buttons'
    ``disabled``, never the buttons themselves, so their clicks keep counting.
    """
    return html.Div(
        [
            dcc.Store(id=f"{prefix}-page", data=0),
            html.Button("Previous", id=f"{prefix}-prev", className="secondary", disabled=True),
            html.Span("", id=f"{prefix}-page-label", className="page-label", **live()),
            html.Button("Next", id=f"{prefix}-next", className="secondary", disabled=True),
        ],
        className="pager",
    )


def pager_outputs(prefix: str) -> list[Any]:
    from dash import Output

    return [
        Output(f"{prefix}-page", "data"),
        Output(f"{prefix}-page-label", "children"),
        Output(f"{prefix}-prev", "disabled"),
        Output(f"{prefix}-next", "disabled"),
    ]


def pager_state(page: int, total: int, size: int, noun: str) -> tuple[int, str, bool, bool]:
    pages = max(1, -(-total // size))
    return (
        page,
        f"Page {page + 1} of {pages} · {total:,} {noun}",
        page <= 0,
        page + 1 >= pages,
    )


def paginate(
    trigger: object,
    prefix: str,
    page: int | None,
    size: int,
    fetch: Callable[[int, int], dict[str, Any]],
) -> tuple[int, dict[str, Any]]:
    """Fetch the page a click on Previous or Next asks for (any other trigger, such
    as a changed filter, goes back to the first page). ``fetch(limit, offset)``
    returns ``{"total": n, "rows": [...]}``; past the end means the last page."""
    current = page or 0
    if trigger == f"{prefix}-prev":
        wanted = max(current - 1, 0)
    elif trigger == f"{prefix}-next":
        wanted = current + 1
    elif trigger is None or trigger == f"{prefix}-refresh":
        wanted = current
    else:
        wanted = 0
    result = fetch(size, wanted * size)
    last = max(0, -(-result["total"] // size) - 1)
    if wanted > last:
        wanted = last
        result = fetch(size, wanted * size)
    return wanted, result


def compact_json(value: object) -> str:
    if value is None:
        return ""
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def header(title: str, *extra: Child) -> html.Div:
    return html.Div([html.H1(title), *extra], className="page-head")


def clicked_row(
    reason_ids: list[dict[str, Any]], reasons: list[str | None]
) -> tuple[str, int, str | None] | None:
    """For a table of per-row buttons with a reason box each: the button type clicked,
    the row's id and that row's reason, or None when nothing was really clicked.

    A redrawn table brings new buttons, which Dash reports as a change; only a real
    click (a click count) counts.
    """
    from dash import ctx

    trigger = ctx.triggered_id
    if not isinstance(trigger, dict) or not ctx.triggered[0].get("value"):
        return None
    row = int(trigger["index"])
    return str(trigger["type"]), row, by_row(reason_ids, reasons).get(row)


def by_row(ids: list[dict[str, Any]], values: list[Any]) -> dict[int, Any]:
    """Pattern-matched States arrive as two parallel lists: pair them by row id."""
    return dict(zip((int(i["index"]) for i in ids), values, strict=False))


def approval_question(s: dict[str, Any]) -> str:
    """What approving a proposed sanction does, asked before it is done."""
    from core.models import BLOCKING_MEASURES
    from core.taxonomy import SANCTION_MEASURE_LABELS

    measure = SANCTION_MEASURE_LABELS.get(s["measure"], label(s["measure"])).lower()
    until = f"until {fmt_time(s['ends_at'])}" if s.get("ends_at") else "with no end date"
    effect = (
        " The ingest API refuses the subject's keys from then on."
        if s["measure"] in BLOCKING_MEASURES and s["subject"]["type"] in ("api_key", "deployer")
        else " The deployer sees it in its sanctions feed and must enforce it."
    )
    return (
        f"Approve the {measure} of {s['subject']['label']} ({s['reference']})? "
        f"It takes effect as soon as you confirm, {until}.{effect}"
    )


def confirm_box(prefix: str) -> html.Div:
    """A question with Confirm and Cancel, shown before an action that is hard to undo.

    Always in the page, hidden until asked, so that its buttons can be a
    callback's inputs from the start.
    """
    labelled_by: dict[str, Any] = {"aria-labelledby": f"{prefix}-question"}
    return html.Div(
        [
            dcc.Store(id=f"{prefix}-pending"),
            html.P(id=f"{prefix}-question", className="question"),
            html.Div(
                [
                    html.Button("Yes, approve it", id=f"{prefix}-yes"),
                    html.Button("Cancel", id=f"{prefix}-no", className="secondary"),
                ],
                className="actions",
            ),
        ],
        id=f"{prefix}-box",
        className="confirm",
        role="alertdialog",
        hidden=True,
        **labelled_by,
    )


def ask_approval(portal: Portal, sanction_id: int) -> tuple[Any, ...]:
    """A click on Approve: (message, refresh, box hidden, question, pending) that
    opens the confirm box with what approving does."""
    from dash import no_update

    from core.queries import sanctions as sanction_queries

    try:
        view = sanction_queries.sanction_view(portal.session(), sanction_id)
    except MisuseError as exc:
        return error_box(exc), no_update, True, "", None
    return no_update, no_update, False, approval_question(view), sanction_id


def confirmed_approval(
    portal: Portal, prefix: str, trigger: object, pending: int | None, user: Any
) -> tuple[html.Div, bool] | None:
    """The confirm box's answer: (message, whether a sanction changed), or None when
    the click was elsewhere."""
    from core.services import sanctions as sanction_service

    if trigger == f"{prefix}-no":
        return ok_box("Not approved."), False
    if trigger != f"{prefix}-yes":
        return None
    if pending is None:
        return ok_box("Nothing to approve."), False

    def approve() -> str:
        s = sanction_service.approve_sanction(portal.session(), int(pending), user=user)
        return f"Sanction {s.reference} approved; it is in force."

    ok, message = attempt(portal, approve)
    return message, ok


def decide_sanction(
    portal: Portal,
    prefix: str,
    approve: str,
    decisions: dict[str, tuple[Callable[..., Any], str]],
    reason_ids: list[dict[str, Any]],
    reasons: list[str | None],
    pending: int | None,
    refresh: int | None,
) -> tuple[Any, ...]:
    """One click in a table of sanctions with Approve and other per-row buttons, each
    with its reason box: (message, refresh, confirm box hidden, question, pending).

    Approve asks first (``prefix`` is the confirm box's); the other buttons' types map
    in ``decisions`` to a sanctions service call taking the row's reason, and the verb
    that says what it did.
    """
    from dash import ctx, no_update

    user = portal.user()
    answered = confirmed_approval(portal, prefix, ctx.triggered_id, pending, user)
    if answered is not None:
        message, ok = answered
        return message, (refresh or 0) + 1 if ok else no_update, True, "", None
    clicked = clicked_row(reason_ids, reasons)
    if clicked is None:
        return no_update, no_update, no_update, no_update, no_update
    kind, sanction_id, reason = clicked
    if kind == approve:
        return ask_approval(portal, sanction_id)
    call, done = decisions[kind]

    def run() -> str:
        s = call(portal.session(), sanction_id, user=user, reason=reason or "")
        return f"Sanction {s.reference} {done}."

    ok, message = attempt(portal, run)
    return message, (refresh or 0) + 1 if ok else no_update, True, "", None
