"""Retention of log samples, and deletion of a deployer's data on request.

Nothing here touches a serious incident's records (``incident``, ``incident_report``):
they are kept at least five years (core.incident_rules.KEEP_YEARS), so no job deletes
them, and the log samples in an incident's case stay even through a purge.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, exists, func, select, union
from sqlalchemy.orm import Session

from core.exceptions import NotFound
from core.models import Deployer, EvidenceHold, Incident, LogRecord, Report, TextBlob
from core.models.base import utcnow
from core.services import audit


def deployer_summaries(session: Session) -> list[dict[str, Any]]:
    counts = dict(
        (d, c)
        for d, c in session.execute(
            select(LogRecord.deployer_id, func.count()).group_by(LogRecord.deployer_id)
        )
    )
    return [
        {
            "id": d.id,
            "name": d.name,
            "status": d.status,
            "retention_days": d.retention_days,
            "log_records": counts.get(d.id, 0),
            "created_at": d.created_at,
        }
        for d in session.execute(select(Deployer).order_by(Deployer.name)).scalars()
    ]


def _not_held() -> Any:
    return ~exists().where(EvidenceHold.log_record_id == LogRecord.id)


def _not_incident_evidence() -> Any:
    """Not held by the case of a serious incident, whose records outlive any request."""
    return ~exists().where(
        EvidenceHold.log_record_id == LogRecord.id,
        EvidenceHold.holder_type == "case",
        EvidenceHold.holder_id.in_(select(Incident.case_id)),
    )


def delete_orphan_texts(session: Session) -> int:
    """Texts that no report or log sample points to any more carry no value and may
    carry personal data: delete them."""
    referenced = union(
        select(Report.output_text_id),
        select(Report.prompt_text_id).where(Report.prompt_text_id.is_not(None)),
        select(LogRecord.response_text_id),
        select(LogRecord.prompt_text_id).where(LogRecord.prompt_text_id.is_not(None)),
    ).subquery()
    result = session.execute(delete(TextBlob).where(TextBlob.id.not_in(select(referenced.c[0]))))
    return int(getattr(result, "rowcount", 0) or 0)


def apply_retention(
    session: Session, *, now: datetime | None = None, actor: str = "job:retention"
) -> dict[str, int]:
    """Delete each deployer's log samples older than its retention period, except
    those held as evidence in a case or campaign. One transaction; audited."""
    now = now or utcnow()
    deleted: dict[str, int] = {}
    for deployer in session.execute(select(Deployer)).scalars():
        cutoff = now - timedelta(days=deployer.retention_days)
        result = session.execute(
            delete(LogRecord)
            .where(
                LogRecord.deployer_id == deployer.id, LogRecord.occurred_at < cutoff, _not_held()
            )
            .execution_options(synchronize_session=False)
        )
        count = int(getattr(result, "rowcount", 0) or 0)
        if count:
            deleted[deployer.name] = count
            audit.record(
                session,
                actor=actor,
                action="logs.retention",
                subject_type="deployer",
                subject_id=deployer.id,
                after={"deleted": count, "older_than": cutoff.isoformat()},
            )
    if deleted:
        delete_orphan_texts(session)
    session.commit()
    return deleted


def purge_deployer(
    session: Session, name: str, *, actor: str, include_evidence: bool = False
) -> int:
    """Delete a deployer's log samples on request. Samples held as evidence stay
    unless ``include_evidence``, and those of a serious incident stay even then; the
    audit entry records both numbers."""
    deployer = session.execute(select(Deployer).where(Deployer.name == name)).scalar_one_or_none()
    if deployer is None:
        raise NotFound(f"no deployer is called {name!r}")
    stmt = delete(LogRecord).where(LogRecord.deployer_id == deployer.id)
    stmt = stmt.where(_not_held() if not include_evidence else _not_incident_evidence())
    result = session.execute(stmt.execution_options(synchronize_session=False))
    count = int(getattr(result, "rowcount", 0) or 0)
    kept = session.execute(
        select(func.count()).select_from(LogRecord).where(LogRecord.deployer_id == deployer.id)
    ).scalar_one()
    delete_orphan_texts(session)
    audit.record(
        session,
        actor=actor,
        action="deployer.purge",
        subject_type="deployer",
        subject_id=deployer.id,
        after={"deleted": count, "kept_as_evidence": kept},
    )
    session.commit()
    return count
