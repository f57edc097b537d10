"""Sanctions: the register's counts and the short row the overview lists."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.models import Sanction
from core.queries.common import iso

# Sanctions that were in force at some time (as opposed to proposed or rejected).
ENFORCED_STATUSES = ("active", "expired", "revoked", "reversed")


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
        "starts_at": iso(s.starts_at),
        "ends_at": iso(s.ends_at),
        "ended_at": iso(s.ended_at),
    }
