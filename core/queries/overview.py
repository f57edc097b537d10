"""The overview page: volumes over a date range, open alerts, active campaigns,
sanctions in force, and what awaits a supervisor's approval."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from core.models import Alert, Campaign, Deployer, LogRecord, Report, Sanction
from core.queries.alerts import alert_row
from core.queries.campaigns import campaign_row
from core.queries.common import in_range, iso, overlaps, user_emails, utc_day
from core.queries.sanctions import ENFORCED_STATUSES, sanction_row


def reports_by_category(
    session: Session, *, start: datetime | None, end: datetime | None
) -> list[dict[str, Any]]:
    day = utc_day(session, Report.created_at)
    rows = session.execute(
        select(day, Report.category, func.count())
        .where(*in_range(Report.created_at, start, end))
        .group_by(day, Report.category)
        .order_by(day, Report.category)
    )
    return [{"day": d, "category": c, "count": int(n)} for d, c, n in rows]


def logs_by_deployer(
    session: Session, *, start: datetime | None, end: datetime | None
) -> list[dict[str, Any]]:
    day = utc_day(session, LogRecord.occurred_at)
    counts = (
        select(day.label("day"), LogRecord.deployer_id, func.count().label("n"))
        .where(*in_range(LogRecord.occurred_at, start, end))
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
        *overlaps(Alert.window_start, Alert.window_end, start, end),
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
        *overlaps(Campaign.first_seen, Campaign.last_seen, start, end),
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
    emails = user_emails(session, (s.proposed_by_id for s, _ in rows))
    return {
        "count": int(count),
        "top": [
            sanction_row(s, deployer)
            | {
                "proposed_by": emails.get(s.proposed_by_id or 0),
                "proposed_at": iso(s.created_at),
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
