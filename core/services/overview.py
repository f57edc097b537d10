"""Read-only queries behind the analyst dashboard.

Plain functions that take a Session and return dicts and lists. Each page asks
for one bounded answer: counts are grouped in SQL, lists carry a LIMIT and an
OFFSET, and nothing loads a whole table into Python, so a page stays fast with a
million log samples. Nothing here writes.
"""

from __future__ import annotations

import itertools
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
    return func.substr(column, 1, chars)


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
            group_size,
            _snippet(TextBlob.masked_text).label("snippet"),
        )
        .join(TextBlob, TextBlob.id == Report.output_text_id)
        .outerjoin(TextPlacement, TextPlacement.text_id == Report.output_text_id)
        .outerjoin(NearDupGroup, NearDupGroup.id == TextPlacement.group_id)
        .where(*where)
        .order_by(*order)
        .limit(limit)
        .offset(offset)
    )
    rows = session.execute(page).all()
    emails = _emails(session, (r.assignee_id for r in rows))
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
                "snippet": r.snippet,
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
        out.update({text_id: snippet for text_id, snippet in rows})
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
    }


# --- cluster explorer --------------------------------------------------------------


def clusters(session: Session, *, limit: int = 50) -> list[dict[str, Any]]:
    """The largest topic clusters with their keywords."""
    rows = session.execute(
        select(TopicCluster).order_by(TopicCluster.text_count.desc(), TopicCluster.id).limit(limit)
    ).scalars()
    return [
        {
            "id": c.id,
            "keywords": list(c.keywords or []),
            "texts": c.text_count,
            "reports": c.report_count,
            "log_samples": c.log_count,
            "first_seen": _iso(c.first_seen),
            "last_seen": _iso(c.last_seen),
        }
        for c in rows
    ]


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
                "snippet": r.snippet,
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
            "snippet": r.snippet,
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
                "snippet": r.snippet,
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
            "snippet": r.snippet,
        }
        for r in logs
    ] + [
        {
            "kind": "report",
            "id": r.id,
            "seen": _iso(r.created_at),
            "who": r.category,
            "snippet": r.snippet,
        }
        for r in reports
    ]
    out["cases"] = _case_links(session, "campaign", campaign_id)
    return out


def campaign_network(
    session: Session, campaign_id: int, *, max_accounts: int = 150, max_edges: int = 2000
) -> dict[str, Any]:
    """The campaign's coordination network: accounts linked when they produced
    near-duplicate content (the same near-duplicate group, or the very same text
    before grouping has run), weighted by how many groups they share.

    Bounded: the ``max_accounts`` accounts with most items, the ``max_edges``
    strongest links.
    """
    top = session.execute(
        select(CampaignAccount.deployer_id, CampaignAccount.account_id, CampaignAccount.item_count)
        .where(CampaignAccount.campaign_id == campaign_id, CampaignAccount.deployer_id.is_not(None))
        .order_by(CampaignAccount.item_count.desc(), CampaignAccount.id)
        .limit(max_accounts)
    ).all()
    names = {d["id"]: d["name"] for d in deployers(session)}
    nodes = [
        {
            "key": f"{d}:{a}",
            "deployer": names.get(d, "?"),
            "account_id": a,
            "items": int(n),
        }
        for d, a, n in top
    ]
    keys = {(d, a) for d, a, _ in top}
    if not keys:
        return {"nodes": [], "edges": [], "accounts_total": 0}
    accounts_total = session.execute(
        select(func.count())
        .select_from(CampaignAccount)
        .where(CampaignAccount.campaign_id == campaign_id)
    ).scalar_one()
    group_key = func.coalesce(TextPlacement.group_id, -LogRecord.response_text_id)
    rows = session.execute(
        select(LogRecord.deployer_id, LogRecord.account_id, group_key)
        .join(
            CampaignItem,
            and_(
                CampaignItem.item_id == LogRecord.id,
                CampaignItem.kind == "log",
                CampaignItem.campaign_id == campaign_id,
            ),
        )
        .outerjoin(TextPlacement, TextPlacement.text_id == LogRecord.response_text_id)
        .where(LogRecord.account_id.is_not(None))
        .group_by(LogRecord.deployer_id, LogRecord.account_id, group_key)
    ).all()
    members: dict[int, list[str]] = {}
    for d, a, g in rows:
        if (d, a) in keys:
            members.setdefault(int(g), []).append(f"{d}:{a}")
    weights: dict[tuple[str, str], int] = {}
    for accounts in members.values():
        for pair in itertools.combinations(sorted(accounts), 2):
            weights[pair] = weights.get(pair, 0) + 1
    edges = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:max_edges]
    return {
        "nodes": nodes,
        "edges": [{"source": a, "target": b, "weight": w} for (a, b), w in edges],
        "accounts_total": int(accounts_total),
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
            out[f"report-{i}"] = f"{cat}: {snippet}"
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
            out[f"log-{i}"] = f"{name} · {acc or 'no account'}: {snippet}"
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
    rows = session.execute(
        select(AuditEvent).where(*where).order_by(AuditEvent.id.desc()).limit(limit).offset(offset)
    ).scalars()
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
                "before": e.before,
                "after": e.after,
            }
            for e in rows
        ],
    }
