"""Appeals as the review pages and the API list them."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from core.models import Appeal
from core.queries.common import iso, user_emails


def list_appeals(
    session: Session, *, status: str | None = None, limit: int = 200
) -> list[dict[str, Any]]:
    """The latest appeals, newest first; three queries whatever their number."""
    stmt = (
        select(Appeal)
        .options(selectinload(Appeal.sanction))
        .order_by(Appeal.id.desc())
        .limit(limit)
    )
    if status:
        stmt = stmt.where(Appeal.status == status)
    appeals = session.execute(stmt).scalars().all()
    reviewers = user_emails(session, (a.reviewer_id for a in appeals))
    return [
        {
            "id": a.id,
            "sanction_id": a.sanction_id,
            "sanction_reference": a.sanction.reference if a.sanction else None,
            "report_id": a.report_id,
            "appellant_type": a.appellant_type,
            "statement": a.statement,
            "status": a.status,
            "reviewer": reviewers.get(a.reviewer_id) if a.reviewer_id else None,
            "outcome_reason": a.outcome_reason,
            "created_at": a.created_at.isoformat(),
            "decided_at": iso(a.decided_at),
        }
        for a in appeals
    ]
