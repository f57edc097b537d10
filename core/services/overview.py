"""Read-only queries behind the analyst dashboard.

Plain functions that take a Session and return dicts and lists. Each page asks
for one bounded answer: counts are grouped in SQL, lists carry a LIMIT and an
OFFSET, and nothing loads a whole table into Python, so a page stays fast with a
million log samples. Nothing here writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func, literal_column, or_, select
from sqlalchemy.orm import Session

from core.exceptions import NotFound
from core.models import (
    Alert,
    AuditEvent,
    Campaign,
    CampaignAccount,
    CampaignItem,
    Case,
    CaseItem,
    Deployer,
    LogRecord,
    NearDupGroup,
    Report,
    Sanction,
    TextBlob,
    TextPlacement,
    TopicCluster,
    TrustedFlagger,
    User,
)
from core.services.grouping import similar_counts, similar_items

SNIPPET_CHARS = 160
# Statuses of reports still waiting for a decision.
OPEN_REPORT_STATUSES = ("received", "in_review")
TRIAGE_SORTS: dict[str, str] = {
    "priority": "Trusted flaggers first, then oldest",
    "oldest": "Oldest first",
    "newest": "Newest first",
    "group": "Largest similarity group first",
    "category": "Category, then oldest",
}
# Sanctions that were in force at some time (as opposed to proposed or rejected).
ENFORCED_STATUSES = ("active", "expired", "revoked", "reversed")


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _is_postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _day(session: Session, column: Any) -> ColumnElement[str]:
    """The UTC calendar day of a timestamp as 'YYYY-MM-DD', on either backend.

    Constants are literal SQL rather than bound parameters: PostgreSQL compares a
    GROUP BY expression with the SELECT one textually, and two bound parameters
    ($1, $3) would make them differ.
    """
    if _is_postgresql(session):
        return func.to_char(
            func.timezone(literal_column("'UTC'"), column), literal_column("'YYYY-MM-DD'")
        )
    # SQLite keeps UTC timestamps as 'YYYY-MM-DD HH:MM:SS...' text.
    return func.substr(column, 1, 10)


def _snippet(column: Any, chars: int = SNIPPET_CHARS) -> ColumnElement[str]:
    # One character more than shown, so that cut_at_word can tell a cut text.
    return func.substr(column, 1, chars + 1)


def cut_at_word(text: str | None, chars: int = SNIPPET_CHARS) -> str:
    """At most ``chars`` characters, cut after a whole word and marked with an ellipsis."""
    text = " ".join((text or "").split())
    if len(text) <= chars:
        return text
    head = text[:chars]
    space = head.rfind(" ")
    if space > chars // 2:
        head = head[:space]
    return head.rstrip(" ,.;:-") + "…"


def _in_range(column: Any, start: datetime | None, end: datetime | None) -> list[Any]:
    clauses: list[Any] = []
    if start is not None:
        clauses.append(column >= start)
    if end is not None:
        clauses.append(column < end)
    return clauses


def _overlaps(
    first: Any, last: Any, start: datetime | None, end: datetime | None
) -> list[ColumnElement[bool]]:
    """[first, last] meets [start, end)."""
    clauses: list[ColumnElement[bool]] = []
    if start is not None:
        clauses.append(last >= start)
    if end is not None:
        clauses.append(first < end)
    return clauses


def _emails(session: Session, ids: Iterable[int | None]) -> dict[int, str]:
    wanted = sorted({i for i in ids if i is not None})
    if not wanted:
        return {}
    rows = session.execute(select(User.id, User.email).where(User.id.in_(wanted)))
    return {user_id: email for user_id, email in rows}


# --- choices for filters and forms -------------------------------------------------


def analysts(session: Session) -> list[dict[str, Any]]:
    """Active people who can be assigned work (every role includes analyst)."""
    rows = session.execute(
        select(User.id, User.email, User.role).where(User.active.is_(True)).order_by(User.email)
    )
    return [{"id": i, "email": e, "role": r} for i, e, r in rows]


def deployers(session: Session) -> list[dict[str, Any]]:
    rows = session.execute(select(Deployer.id, Deployer.name).order_by(Deployer.name))
    return [{"id": i, "name": n} for i, n in rows]


# --- overview ----------------------------------------------------------------------


def reports_by_category(
    session: Session, *, start: datetime | None, end: datetime | None
) -> list[dict[str, Any]]:
    day = _day(session, Report.created_at)
    rows = session.execute(
        select(day, Report.category, func.count())
        .where(*_in_range(Report.created_at, start, end))
        .group_by(day, Report.category)
        .order_by(day, Report.category)
    )
    return [{"day": d, "category": c, "count": int(n)} for d, c, n in rows]


def logs_by_deployer(
    session: Session, *, start: datetime | None, end: datetime | None
) -> list[dict[str, Any]]:
    day = _day(session, LogRecord.occurred_at)
    counts = (
        select(day.label("day"), LogRecord.deployer_id, func.count().label("n"))
        .where(*_in_range(LogRecord.occurred_at, start, end))
        .group_by(day, LogRecord.deployer_id)
        .subquery()
    )
    # Names are joined to the few grouped rows, not to every log sample.
    rows = session.execute(
        select(counts.c.day, Deployer.name, counts.c.n)
        .join(Deployer, Deployer.id == counts.c.deployer_id)
        .order_by(counts.c.day, Deployer.name)
    )
    return [{"day": d, "deployer": name, "count": int(n)} for d, name, n in rows]


def open_alerts(
    session: Session, *, start: datetime | None, end: datetime | None, limit: int = 10
) -> dict[str, Any]:
    where = [
        Alert.status == "open",
        *_overlaps(Alert.window_start, Alert.window_end, start, end),
    ]
    count = session.execute(select(func.count()).select_from(Alert).where(*where)).scalar_one()
    top = session.execute(
        select(Alert).where(*where).order_by(Alert.score.desc(), Alert.id).limit(limit)
    ).scalars()
    return {"count": int(count), "top": [alert_row(a) for a in top]}


def active_campaigns(
    session: Session, *, start: datetime | None, end: datetime | None, limit: int = 10
) -> dict[str, Any]:
    where = [
        Campaign.active.is_(True),
        Campaign.status != "dismissed",
        *_overlaps(Campaign.first_seen, Campaign.last_seen, start, end),
    ]
    count = session.execute(select(func.count()).select_from(Campaign).where(*where)).scalar_one()
    top = session.execute(
        select(Campaign).where(*where).order_by(Campaign.score.desc(), Campaign.id).limit(limit)
    ).scalars()
    return {"count": int(count), "top": [campaign_row(c) for c in top]}


def sanctions_in_force(
    session: Session, *, start: datetime | None, end: datetime | None, limit: int = 10
) -> dict[str, Any]:
    """Sanctions in force at some time in [start, end): started before its end,
    not ended (nor due to end) before its start."""
    where: list[Any] = [Sanction.status.in_(ENFORCED_STATUSES), Sanction.starts_at.is_not(None)]
    if end is not None:
        where.append(Sanction.starts_at < end)
    if start is not None:
        where.append(or_(Sanction.ended_at.is_(None), Sanction.ended_at >= start))
        where.append(or_(Sanction.ends_at.is_(None), Sanction.ends_at >= start))
    by_measure = {
        measure: int(n)
        for measure, n in session.execute(
            select(Sanction.measure, func.count()).where(*where).group_by(Sanction.measure)
        )
    }
    rows = session.execute(
        select(Sanction, Deployer.name)
        .outerjoin(Deployer, Deployer.id == Sanction.deployer_id)
        .where(*where)
        .order_by(Sanction.starts_at.desc(), Sanction.id.desc())
        .limit(limit)
    ).all()
    return {
        "count": sum(int(n) for n in by_measure.values()),
        "by_measure": {m: int(n) for m, n in sorted(by_measure.items())},
        "top": [sanction_row(s, deployer) for s, deployer in rows],
    }


def awaiting_approval(session: Session, user_id: int, *, limit: int = 20) -> dict[str, Any]:
    """Proposed sanctions this supervisor may approve: someone else proposed them."""
    where = [
        Sanction.status == "proposed",
        or_(Sanction.proposed_by_id.is_(None), Sanction.proposed_by_id != user_id),
    ]
    count = session.execute(select(func.count()).select_from(Sanction).where(*where)).scalar_one()
    rows = session.execute(
        select(Sanction, Deployer.name)
        .outerjoin(Deployer, Deployer.id == Sanction.deployer_id)
        .where(*where)
        .order_by(Sanction.created_at, Sanction.id)
        .limit(limit)
    ).all()
    emails = _emails(session, (s.proposed_by_id for s, _ in rows))
    return {
        "count": int(count),
        "top": [
            sanction_row(s, deployer)
            | {
                "proposed_by": emails.get(s.proposed_by_id or 0),
                "proposed_at": _iso(s.created_at),
            }
            for s, deployer in rows
        ],
    }


def overview(
    session: Session, *, start: datetime | None, end: datetime | None, top: int = 10
) -> dict[str, Any]:
    """Every panel of the overview page, for one date range [start, end)."""
    reports = reports_by_category(session, start=start, end=end)
    logs = logs_by_deployer(session, start=start, end=end)
    alerts = open_alerts(session, start=start, end=end, limit=top)
    campaigns = active_campaigns(session, start=start, end=end, limit=top)
    sanctions = sanctions_in_force(session, start=start, end=end, limit=top)
    return {
        "totals": {
            "reports": sum(r["count"] for r in reports),
            "log_samples": sum(r["count"] for r in logs),
            "open_alerts": alerts["count"],
            "active_campaigns": campaigns["count"],
            "sanctions_in_force": sanctions["count"],
        },
        "reports_by_category": reports,
        "logs_by_deployer": logs,
        "open_alerts": alerts,
        "active_campaigns": campaigns,
        "sanctions_in_force": sanctions,
    }


# --- triage ------------------------------------------------------------------------


def triage_page(
    session: Session,
    *,
    statuses: Sequence[str] = (),
    categories: Sequence[str] = (),
    assignee_id: int | None = None,
    unassigned: bool = False,
    trusted_only: bool = False,
    sort: str = "priority",
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    """One page of the triage queue and the number of reports matching the filters."""
    where: list[Any] = []
    if statuses:
        where.append(Report.status.in_(list(statuses)))
    if categories:
        where.append(Report.category.in_(list(categories)))
    if unassigned:
        where.append(Report.assignee_id.is_(None))
    elif assignee_id is not None:
        where.append(Report.assignee_id == assignee_id)
    if trusted_only:
        where.append(Report.trusted_flagger.is_(True))
    total = session.execute(select(func.count()).select_from(Report).where(*where)).scalar_one()

    group_size = (NearDupGroup.report_count + NearDupGroup.log_count).label("group_size")
    order: list[Any]
    if sort == "oldest":
        order = [Report.created_at, Report.id]
    elif sort == "newest":
        order = [Report.created_at.desc(), Report.id.desc()]
    elif sort == "group":
        order = [func.coalesce(group_size, 0).desc(), Report.created_at, Report.id]
    elif sort == "category":
        order = [Report.category, Report.created_at, Report.id]
    else:
        order = [Report.trusted_flagger.desc(), Report.created_at, Report.id]
    page = (
        select(
            Report.id,
            Report.created_at,
            Report.category,
            Report.status,
            Report.trusted_flagger,
            Report.reporter_type,
            Report.assignee_id,
            Report.source,
            Report.output_text_id,
            Report.duplicate_of_id,
            TrustedFlagger.name.label("flagger"),
            TextPlacement.group_id,
            group_size,
            _snippet(TextBlob.masked_text).label("snippet"),
        )
        .join(TextBlob, TextBlob.id == Report.output_text_id)
        .outerjoin(TrustedFlagger, TrustedFlagger.id == Report.flagger_id)
        .outerjoin(TextPlacement, TextPlacement.text_id == Report.output_text_id)
        .outerjoin(NearDupGroup, NearDupGroup.id == TextPlacement.group_id)
        .where(*where)
        .order_by(*order)
        .limit(limit)
        .offset(offset)
    )
    rows = session.execute(page).all()
    emails = _emails(session, (r.assignee_id for r in rows))
    from core.services.subjects import exact_duplicates  # it builds on this module

    exact = exact_duplicates(session, (r.output_text_id for r in rows))
    return {
        "total": int(total),
        "rows": [
            {
                "id": r.id,
                "created_at": _iso(r.created_at),
                "category": r.category,
                "status": r.status,
                "trusted_flagger": bool(r.trusted_flagger),
                "reporter_type": r.reporter_type,
                "assignee_id": r.assignee_id,
                "assignee": emails.get(r.assignee_id) if r.assignee_id else None,
                "group_size": int(r.group_size) if r.group_size is not None else None,
                "group_id": r.group_id,
                "exact_duplicate": r.output_text_id in exact,
                "duplicate_of": r.duplicate_of_id,
                "source": r.source,
                "flagger": r.flagger,
                "snippet": cut_at_word(r.snippet),
            }
            for r in rows
        ],
    }


def text_snippets(
    session: Session, text_ids: Iterable[int], chars: int = SNIPPET_CHARS
) -> dict[int, str]:
    wanted = sorted(set(text_ids))
    out: dict[int, str] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows = session.execute(
            select(TextBlob.id, _snippet(TextBlob.masked_text, chars)).where(TextBlob.id.in_(chunk))
        )
        out.update({text_id: cut_at_word(snippet, chars) for text_id, snippet in rows})
    return out


def report_detail(session: Session, report_id: int, *, similar_k: int = 10) -> dict[str, Any]:
    """A report as an analyst reads it: masked texts, signals, similar items, messages."""
    report = session.get(Report, report_id)
    if report is None:
        raise NotFound(f"no report {report_id}")
    output = report.output_text
    prompt = report.prompt_text
    similar = similar_items(session, f"report-{report_id}", k=similar_k)
    snippets = text_snippets(session, (s["text_id"] for s in similar))
    for item in similar:
        item["snippet"] = snippets.get(item["text_id"], "")
    emails = _emails(session, [report.assignee_id])
    cases = session.execute(
        select(Case.id, Case.title, Case.status)
        .join(CaseItem, CaseItem.case_id == Case.id)
        .where(CaseItem.kind == "report", CaseItem.item_id == report_id)
        .order_by(Case.id)
    ).all()
    return {
        "id": report.id,
        "status": report.status,
        "category": report.category,
        "reporter_type": report.reporter_type,
        "trusted_flagger": report.trusted_flagger,
        "source": report.source,
        "provider": report.provider,
        "model_name": report.model_name,
        "model_version": report.model_version,
        "product_url": report.product_url,
        "published_url": report.published_url,
        "occurred_at": _iso(report.occurred_at),
        "created_at": _iso(report.created_at),
        "decided_at": _iso(report.decided_at),
        "assignee_id": report.assignee_id,
        "assignee": emails.get(report.assignee_id) if report.assignee_id else None,
        "output": output.masked_text,
        "prompt": prompt.masked_text if prompt else None,
        "explanation": report.explanation,
        "signals": {
            "offensive_prob": float(output.offensive_prob),
            "pii_kinds": sorted(set(report.pii_kinds or []) | set(output.pii_kinds or [])),
            # A prompt injection usually sits in the prompt, not in the output.
            "injection_markers": sorted(
                set(output.injection_markers or [])
                | set(prompt.injection_markers if prompt else [])
            ),
            "provenance": dict(output.provenance or {}),
        },
        "similar": similar,
        **similar_counts(session, report.output_text_id),
        "messages": [
            {
                "author": m.author,
                "author_name": m.author_name,
                "body": m.body,
                "created_at": _iso(m.created_at),
            }
            for m in report.messages
        ],
        "cases": [{"id": i, "title": t, "status": s} for i, t, s in cases],
        "decision_reason": report.decision_reason,
        "duplicate_of": report.duplicate_of_id,
        "duplicates": list(
            session.execute(
                select(Report.id).where(Report.duplicate_of_id == report_id).order_by(Report.id)
            ).scalars()
        ),
    }


# --- cluster explorer --------------------------------------------------------------


def cluster_flags(session: Session) -> dict[int, dict[str, int]]:
    """Per topic cluster, the signs of misuse in it: groups with alerts not dismissed,
    and active campaigns with items among its texts."""
    flags: dict[int, dict[str, int]] = {}
    group_alerts: dict[int, int] = {}
    for subject_id, n in session.execute(
        select(Alert.subject_id, func.count())
        .where(Alert.subject_type == "group", Alert.status != "dismissed")
        .group_by(Alert.subject_id)
    ):
        if str(subject_id).isdigit():
            group_alerts[int(subject_id)] = int(n)
    wanted = sorted(group_alerts)
    for start in range(0, len(wanted), 500):
        for cluster_id, group_id in session.execute(
            select(TextPlacement.cluster_id, TextPlacement.group_id)
            .where(
                TextPlacement.group_id.in_(wanted[start : start + 500]),
                TextPlacement.cluster_id.is_not(None),
            )
            .distinct()
        ):
            entry = flags.setdefault(int(cluster_id or 0), {"alerts": 0, "campaigns": 0})
            entry["alerts"] += group_alerts[int(group_id)]
    for cluster_id, n in session.execute(
        select(TextPlacement.cluster_id, func.count(func.distinct(CampaignItem.campaign_id)))
        .select_from(CampaignItem)
        .join(Campaign, Campaign.id == CampaignItem.campaign_id)
        .join(LogRecord, and_(CampaignItem.kind == "log", LogRecord.id == CampaignItem.item_id))
        .join(TextPlacement, TextPlacement.text_id == LogRecord.response_text_id)
        .where(Campaign.active.is_(True), TextPlacement.cluster_id.is_not(None))
        .group_by(TextPlacement.cluster_id)
    ):
        flags.setdefault(int(cluster_id or 0), {"alerts": 0, "campaigns": 0})["campaigns"] = int(n)
    return flags


def clusters(session: Session, *, limit: int = 50) -> list[dict[str, Any]]:
    """Topic clusters with their keywords, those with reports, alerts or campaigns
    first (most campaigns, then alerts, then reports), then the largest; clusters
    that hold no item any more are left out."""
    flags = cluster_flags(session)
    rows = session.execute(
        select(TopicCluster).where(
            TopicCluster.text_count > 0, TopicCluster.report_count + TopicCluster.log_count > 0
        )
    ).scalars()
    out: list[dict[str, Any]] = []
    for c in rows:
        f = flags.get(c.id, {"alerts": 0, "campaigns": 0})
        out.append(
            {
                "id": c.id,
                "keywords": list(c.keywords or []),
                "texts": c.text_count,
                "reports": c.report_count,
                "log_samples": c.log_count,
                "alerts": f["alerts"],
                "campaigns": f["campaigns"],
                "flagged": bool(c.report_count or f["alerts"] or f["campaigns"]),
                "first_seen": _iso(c.first_seen),
                "last_seen": _iso(c.last_seen),
            }
        )
    out.sort(
        key=lambda c: (
            not c["flagged"],
            -c["campaigns"],
            -c["alerts"],
            -c["reports"],
            -c["texts"],
            c["id"],
        )
    )
    return out[:limit]


def cluster_points(
    session: Session, *, cluster_id: int | None = None, cap: int = 5000
) -> dict[str, Any]:
    """The 2-D positions of at most ``cap`` texts, an even sample when there are more.

    The sample keeps every n-th text id, so the picture stays the same between
    refreshes and a cluster keeps its share of the points.
    """
    where: list[Any] = []
    if cluster_id is not None:
        where.append(TextPlacement.cluster_id == cluster_id)
    total = int(
        session.execute(select(func.count()).select_from(TextPlacement).where(*where)).scalar_one()
    )
    step = max(1, -(-total // cap)) if cap > 0 else 1
    if step > 1:
        where.append(TextPlacement.text_id % step == 0)
    points = (
        select(
            TextPlacement.text_id,
            TextPlacement.x,
            TextPlacement.y,
            TextPlacement.cluster_id,
            TextPlacement.group_id,
        )
        .where(*where)
        .order_by(TextPlacement.text_id)
        .limit(cap)
        .subquery()
    )
    # A text's category is that of a report carrying it; log samples have none.
    category = (
        select(func.min(Report.category))
        .where(Report.output_text_id == points.c.text_id)
        .scalar_subquery()
    )
    rows = session.execute(
        select(
            points.c.text_id,
            points.c.x,
            points.c.y,
            points.c.cluster_id,
            points.c.group_id,
            category.label("category"),
            _snippet(TextBlob.masked_text, 120).label("snippet"),
        )
        .join(TextBlob, TextBlob.id == points.c.text_id)
        .order_by(points.c.text_id)
    ).all()
    return {
        "total": total,
        "shown": len(rows),
        "sampled": step > 1 or len(rows) < total,
        "points": [
            {
                "text_id": r.text_id,
                "x": float(r.x),
                "y": float(r.y),
                "cluster_id": r.cluster_id,
                "group_id": r.group_id,
                "category": r.category,
                "snippet": cut_at_word(r.snippet, 120),
            }
            for r in rows
        ],
    }


def items_for_texts(
    session: Session, text_ids: Sequence[int], *, limit: int = 50
) -> list[dict[str, Any]]:
    """Reports and log samples carrying these texts (the selection in the explorer)."""
    ids = sorted(set(text_ids))[:1000]
    if not ids:
        return []
    reports = session.execute(
        select(
            Report.id,
            Report.category,
            Report.status,
            Report.created_at,
            _snippet(TextBlob.masked_text).label("snippet"),
        )
        .join(TextBlob, TextBlob.id == Report.output_text_id)
        .where(Report.output_text_id.in_(ids))
        .order_by(Report.id)
        .limit(limit)
    ).all()
    out: list[dict[str, Any]] = [
        {
            "kind": "report",
            "id": r.id,
            "label": f"{r.category} · {r.status}",
            "seen": _iso(r.created_at),
            "snippet": cut_at_word(r.snippet),
        }
        for r in reports
    ]
    if len(out) < limit:
        logs = session.execute(
            select(
                LogRecord.id,
                Deployer.name,
                LogRecord.account_id,
                LogRecord.occurred_at,
                _snippet(TextBlob.masked_text).label("snippet"),
            )
            .join(TextBlob, TextBlob.id == LogRecord.response_text_id)
            .join(Deployer, Deployer.id == LogRecord.deployer_id)
            .where(LogRecord.response_text_id.in_(ids))
            .order_by(LogRecord.id)
            .limit(limit - len(out))
        ).all()
        out.extend(
            {
                "kind": "log",
                "id": r.id,
                "label": f"{r.name} · {r.account_id or 'no account'}",
                "seen": _iso(r.occurred_at),
                "snippet": cut_at_word(r.snippet),
            }
            for r in logs
        )
    return out


# --- alerts and campaigns ----------------------------------------------------------


def alert_row(a: Alert) -> dict[str, Any]:
    return {
        "id": a.id,
        "subject_type": a.subject_type,
        "subject_id": a.subject_id,
        "window_start": _iso(a.window_start),
        "window_end": _iso(a.window_end),
        "score": round(float(a.score), 3),
        "explanation": a.explanation,
        "features": dict(a.features or {}),
        "status": a.status,
        "status_reason": a.status_reason,
    }


def campaign_row(c: Campaign) -> dict[str, Any]:
    return {
        "id": c.id,
        "score": round(float(c.score), 3),
        "status": c.status,
        "status_reason": c.status_reason,
        "active": c.active,
        "category_guess": c.category_guess,
        "keywords": list(c.keywords or []),
        "explanation": c.explanation,
        "accounts": c.account_count,
        "deployers": c.deployer_count,
        "items": c.item_count,
        "reports": c.report_count,
        "first_seen": _iso(c.first_seen),
        "last_seen": _iso(c.last_seen),
    }


def alerts_page(
    session: Session, *, status: str | None = None, limit: int = 25, offset: int = 0
) -> dict[str, Any]:
    where = [Alert.status == status] if status else []
    total = session.execute(select(func.count()).select_from(Alert).where(*where)).scalar_one()
    rows = session.execute(
        select(Alert)
        .where(*where)
        .order_by(Alert.score.desc(), Alert.id)
        .limit(limit)
        .offset(offset)
    ).scalars()
    return {"total": int(total), "rows": [alert_row(a) for a in rows]}


def campaigns_page(
    session: Session,
    *,
    status: str | None = None,
    include_inactive: bool = False,
    limit: int = 25,
    offset: int = 0,
) -> dict[str, Any]:
    where: list[Any] = []
    if status:
        where.append(Campaign.status == status)
    if not include_inactive:
        where.append(Campaign.active.is_(True))
    total = session.execute(select(func.count()).select_from(Campaign).where(*where)).scalar_one()
    rows = session.execute(
        select(Campaign)
        .where(*where)
        .order_by(Campaign.score.desc(), Campaign.id)
        .limit(limit)
        .offset(offset)
    ).scalars()
    return {"total": int(total), "rows": [campaign_row(c) for c in rows]}


def alert_detail(session: Session, alert_id: int) -> dict[str, Any]:
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise NotFound(f"no alert {alert_id}")
    return alert_row(alert)


def _case_links(session: Session, kind: str, item_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Case.id, Case.title, Case.status)
        .join(CaseItem, CaseItem.case_id == Case.id)
        .where(CaseItem.kind == kind, CaseItem.item_id == item_id)
        .order_by(Case.id)
    ).all()
    return [{"id": i, "title": t, "status": s} for i, t, s in rows]


def campaign_detail(
    session: Session, campaign_id: int, *, account_limit: int = 200, sample_limit: int = 20
) -> dict[str, Any]:
    """A campaign with its timeline, its largest accounts and a sample of its items."""
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound(f"no campaign {campaign_id}")
    out = campaign_row(campaign)
    out["features"] = dict(campaign.features or {})

    log_items = (
        select(CampaignItem.item_id)
        .where(CampaignItem.campaign_id == campaign_id, CampaignItem.kind == "log")
        .scalar_subquery()
    )
    report_items = (
        select(CampaignItem.item_id)
        .where(CampaignItem.campaign_id == campaign_id, CampaignItem.kind == "report")
        .scalar_subquery()
    )
    log_day = _day(session, LogRecord.occurred_at)
    timeline = [
        {"day": d, "series": name, "count": int(n)}
        for d, name, n in session.execute(
            select(log_day, Deployer.name, func.count())
            .join(Deployer, Deployer.id == LogRecord.deployer_id)
            .where(LogRecord.id.in_(log_items))
            .group_by(log_day, Deployer.name)
            .order_by(log_day, Deployer.name)
        )
    ]
    report_day = _day(session, Report.created_at)
    timeline += [
        {"day": d, "series": "reports", "count": int(n)}
        for d, n in session.execute(
            select(report_day, func.count())
            .where(Report.id.in_(report_items))
            .group_by(report_day)
            .order_by(report_day)
        )
    ]
    out["timeline"] = sorted(timeline, key=lambda r: (r["day"], r["series"]))

    account_rows = session.execute(
        select(CampaignAccount.deployer_id, Deployer.name, CampaignAccount.account_id)
        .add_columns(CampaignAccount.item_count)
        .outerjoin(Deployer, Deployer.id == CampaignAccount.deployer_id)
        .where(CampaignAccount.campaign_id == campaign_id)
        .order_by(CampaignAccount.item_count.desc(), CampaignAccount.id)
        .limit(account_limit)
    ).all()
    out["account_rows"] = [
        {"deployer_id": d, "deployer": name, "account_id": a, "items": int(n)}
        for d, name, a, n in account_rows
    ]

    logs = session.execute(
        select(
            LogRecord.id,
            LogRecord.occurred_at,
            LogRecord.account_id,
            Deployer.name,
            _snippet(TextBlob.masked_text).label("snippet"),
        )
        .join(TextBlob, TextBlob.id == LogRecord.response_text_id)
        .join(Deployer, Deployer.id == LogRecord.deployer_id)
        .where(LogRecord.id.in_(log_items))
        .order_by(LogRecord.occurred_at, LogRecord.id)
        .limit(sample_limit)
    ).all()
    reports = session.execute(
        select(
            Report.id,
            Report.created_at,
            Report.category,
            _snippet(TextBlob.masked_text).label("snippet"),
        )
        .join(TextBlob, TextBlob.id == Report.output_text_id)
        .where(Report.id.in_(report_items))
        .order_by(Report.created_at, Report.id)
        .limit(sample_limit)
    ).all()
    out["sample_items"] = [
        {
            "kind": "log",
            "id": r.id,
            "seen": _iso(r.occurred_at),
            "who": f"{r.name} · {r.account_id or 'no account'}",
            "deployer": r.name,
            "account_id": r.account_id,
            "snippet": cut_at_word(r.snippet),
        }
        for r in logs
    ] + [
        {
            "kind": "report",
            "id": r.id,
            "seen": _iso(r.created_at),
            "who": r.category,
            "snippet": cut_at_word(r.snippet),
        }
        for r in reports
    ]
    out["cases"] = _case_links(session, "campaign", campaign_id)
    return out


def campaign_matrix(
    session: Session, campaign_id: int, *, max_accounts: int = 60, max_groups: int = 30
) -> dict[str, Any]:
    """Who posted what: the campaign's accounts against the near-duplicate groups of
    their log samples, counting items per cell.

    A network of accounts linked by shared groups says nothing when one group
    links them all (20 accounts, 190 of 190 links); the matrix shows which
    accounts carry which texts, and how many. Bounded: the accounts and groups
    with most items. A text not grouped yet stands for itself (negative key).
    """
    group_key = func.coalesce(TextPlacement.group_id, -LogRecord.response_text_id)
    rows = session.execute(
        select(LogRecord.deployer_id, LogRecord.account_id, group_key, func.count())
        .join(
            CampaignItem,
            and_(
                CampaignItem.item_id == LogRecord.id,
                CampaignItem.kind == "log",
                CampaignItem.campaign_id == campaign_id,
            ),
        )
        .outerjoin(TextPlacement, TextPlacement.text_id == LogRecord.response_text_id)
        .group_by(LogRecord.deployer_id, LogRecord.account_id, group_key)
    ).all()
    per_account: dict[tuple[int, str], int] = {}
    per_group: dict[int, int] = {}
    accounts_of_group: dict[int, set[tuple[int, str]]] = {}
    cells: dict[tuple[tuple[int, str], int], int] = {}
    for d, a, g, n in rows:
        key = (int(d), a or "(no account)")
        per_account[key] = per_account.get(key, 0) + int(n)
        per_group[int(g)] = per_group.get(int(g), 0) + int(n)
        accounts_of_group.setdefault(int(g), set()).add(key)
        cells[(key, int(g))] = cells.get((key, int(g)), 0) + int(n)
    accounts = sorted(per_account, key=lambda k: (-per_account[k], k))[:max_accounts]
    groups = sorted(per_group, key=lambda g: (-per_group[g], g))[:max_groups]
    names = {d["id"]: d["name"] for d in deployers(session)}
    samples = {
        group_id: text
        for group_id, text in session.execute(
            select(NearDupGroup.id, NearDupGroup.sample_text).where(
                NearDupGroup.id.in_([g for g in groups if g > 0])
            )
        )
    }
    texts = text_snippets(session, [-g for g in groups if g < 0], 120)
    return {
        "accounts": [
            {"deployer": names.get(d, "?"), "account_id": a, "items": per_account[(d, a)]}
            for d, a in accounts
        ],
        "groups": [
            {
                "id": g if g > 0 else None,
                "label": f"group {g}" if g > 0 else f"text {-g}",
                "items": per_group[g],
                "accounts": len(accounts_of_group[g]),
                "sample": cut_at_word(samples.get(g) or "", 120) if g > 0 else texts.get(-g, ""),
            }
            for g in groups
        ],
        "z": [[cells.get((acc, g), 0) for g in groups] for acc in accounts],
        "accounts_total": len(per_account),
        "groups_total": len(per_group),
        "shared_groups": sum(1 for g in per_group if len(accounts_of_group[g]) > 1),
    }


# --- cases -------------------------------------------------------------------------


def item_labels(session: Session, items: Sequence[tuple[str, int]]) -> dict[str, str]:
    """A short description of each linked item, keyed 'kind-id'."""
    out: dict[str, str] = {}
    by_kind: dict[str, list[int]] = {}
    for kind, item_id in items:
        by_kind.setdefault(kind, []).append(item_id)
    if by_kind.get("report"):
        for i, cat, snippet in session.execute(
            select(Report.id, Report.category, _snippet(TextBlob.masked_text, 100))
            .join(TextBlob, TextBlob.id == Report.output_text_id)
            .where(Report.id.in_(by_kind["report"][:500]))
        ):
            out[f"report-{i}"] = f"{cat}: {cut_at_word(snippet, 100)}"
    if by_kind.get("log"):
        for i, name, acc, snippet in session.execute(
            select(
                LogRecord.id,
                Deployer.name,
                LogRecord.account_id,
                _snippet(TextBlob.masked_text, 100),
            )
            .join(TextBlob, TextBlob.id == LogRecord.response_text_id)
            .join(Deployer, Deployer.id == LogRecord.deployer_id)
            .where(LogRecord.id.in_(by_kind["log"][:500]))
        ):
            out[f"log-{i}"] = f"{name} · {acc or 'no account'}: {cut_at_word(snippet, 100)}"
    if by_kind.get("campaign"):
        for c in session.execute(
            select(Campaign).where(Campaign.id.in_(by_kind["campaign"][:500]))
        ).scalars():
            out[f"campaign-{c.id}"] = (
                f"score {c.score:.2f}, {c.account_count} accounts: "
                + ", ".join((c.keywords or [])[:5])
            )
    if by_kind.get("alert"):
        for a in session.execute(
            select(Alert).where(Alert.id.in_(by_kind["alert"][:500]))
        ).scalars():
            out[f"alert-{a.id}"] = f"{a.subject_type} {a.subject_id}: {a.explanation[:100]}"
    return out


def cases_total(
    session: Session, *, status: str | None = None, assignee_id: int | None = None
) -> int:
    stmt = select(func.count()).select_from(Case)
    if status:
        stmt = stmt.where(Case.status == status)
    if assignee_id is not None:
        stmt = stmt.where(Case.assignee_id == assignee_id)
    return int(session.execute(stmt).scalar_one())


def sanctions_total(
    session: Session,
    *,
    status: str | None = None,
    measure: str | None = None,
    subject_type: str | None = None,
    deployer_id: int | None = None,
) -> int:
    stmt = select(func.count()).select_from(Sanction)
    if status:
        stmt = stmt.where(Sanction.status == status)
    if measure:
        stmt = stmt.where(Sanction.measure == measure)
    if subject_type:
        stmt = stmt.where(Sanction.subject_type == subject_type)
    if deployer_id is not None:
        stmt = stmt.where(Sanction.deployer_id == deployer_id)
    return int(session.execute(stmt).scalar_one())


def sanction_row(s: Sanction, deployer: str | None) -> dict[str, Any]:
    if s.subject_type == "account":
        subject = f"account {s.account_id} at {deployer or '?'}"
    elif s.subject_type == "model":
        subject = f"model {s.model_name} at {deployer or '?'}"
    elif s.subject_type == "deployer":
        subject = f"deployer {deployer or '?'}"
    else:
        subject = f"API key #{s.api_key_id}"
    return {
        "id": s.id,
        "reference": s.reference,
        "case_id": s.case_id,
        "measure": s.measure,
        "status": s.status,
        "subject": subject,
        "subject_type": s.subject_type,
        "deployer": deployer,
        "account_id": s.account_id,
        "proposed_by_id": s.proposed_by_id,
        "starts_at": _iso(s.starts_at),
        "ends_at": _iso(s.ends_at),
        "ended_at": _iso(s.ended_at),
    }


# --- audit log ---------------------------------------------------------------------


def audit_facets(session: Session) -> dict[str, list[str]]:
    """The actions and subject types that occur, for the filter menus."""
    actions = session.execute(
        select(AuditEvent.action).group_by(AuditEvent.action).order_by(AuditEvent.action)
    ).scalars()
    subjects = session.execute(
        select(AuditEvent.subject_type)
        .group_by(AuditEvent.subject_type)
        .order_by(AuditEvent.subject_type)
    ).scalars()
    return {"actions": list(actions), "subject_types": list(subjects)}


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def audit_page(
    session: Session,
    *,
    actor: str | None = None,
    action: str | None = None,
    subject_type: str | None = None,
    subject_id: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    """Audit events, newest first; ``actor`` matches any part, case-insensitively."""
    where: list[Any] = [*_in_range(AuditEvent.at, start, end)]
    if actor:
        where.append(AuditEvent.actor.ilike(f"%{_like_escape(actor.strip())}%", escape="\\"))
    if action:
        where.append(AuditEvent.action == action)
    if subject_type:
        where.append(AuditEvent.subject_type == subject_type)
    if subject_id:
        where.append(AuditEvent.subject_id == subject_id.strip())
    total = session.execute(select(func.count()).select_from(AuditEvent).where(*where)).scalar_one()
    rows = (
        session.execute(
            select(AuditEvent)
            .where(*where)
            .order_by(AuditEvent.id.desc())
            .limit(limit)
            .offset(offset)
        )
        .scalars()
        .all()
    )
    names = _audit_subject_names(session, rows)
    return {
        "total": int(total),
        "rows": [
            {
                "id": e.id,
                "at": _iso(e.at),
                "actor": e.actor,
                "action": e.action,
                "subject_type": e.subject_type,
                "subject_id": e.subject_id,
                "subject": names.get((e.subject_type, e.subject_id), {}),
                "before": e.before,
                "after": e.after,
            }
            for e in rows
        ],
    }


def _audit_subject_names(
    session: Session, events: Sequence[AuditEvent]
) -> dict[tuple[str, str], dict[str, Any]]:
    """What people call an entry's subject: a sanction's SR- reference (and its case),
    a deployer's or a user's name, instead of a row number."""
    ids: dict[str, set[int]] = {}
    for e in events:
        if e.subject_id.isdigit():
            ids.setdefault(e.subject_type, set()).add(int(e.subject_id))
    out: dict[tuple[str, str], dict[str, Any]] = {}
    if ids.get("sanction"):
        for i, ref, case_id in session.execute(
            select(Sanction.id, Sanction.reference, Sanction.case_id).where(
                Sanction.id.in_(ids["sanction"])
            )
        ):
            out[("sanction", str(i))] = {"name": ref, "case_id": case_id}
    if ids.get("deployer"):
        for i, name in session.execute(
            select(Deployer.id, Deployer.name).where(Deployer.id.in_(ids["deployer"]))
        ):
            out[("deployer", str(i))] = {"name": name}
    if ids.get("user"):
        for i, email in session.execute(
            select(User.id, User.email).where(User.id.in_(ids["user"]))
        ):
            out[("user", str(i))] = {"name": email}
    return out
