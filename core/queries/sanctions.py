"""Sanctions as the register, a case, the overview and a deployer read them: the
register's rows and counts, one sanction with its pushes to the deployer, the
public view a deployer gets, and the short row the overview lists."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from core.exceptions import NotFound, ValidationFailed
from core.models import SANCTION_STATUSES, ApiKey, Deployer, Sanction, User
from core.models.base import utcnow
from core.queries.common import iso
from core.services.webhooks import deliveries_of_sanction

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


def subject_label(session: Session, s: Sanction) -> str:
    deployer = session.get(Deployer, s.deployer_id) if s.deployer_id else None
    dname = deployer.name if deployer else "?"
    if s.subject_type == "account":
        return f"account {s.account_id} at {dname}"
    if s.subject_type == "deployer":
        return f"deployer {dname}"
    if s.subject_type == "model":
        return f"model {s.model_name} at {dname}"
    key = session.get(ApiKey, s.api_key_id) if s.api_key_id else None
    return f"API key {key.prefix if key else '?'}"


def sanction_dict(session: Session, s: Sanction) -> dict[str, Any]:
    users = {
        u.id: u.email
        for u in session.execute(
            select(User).where(User.id.in_([i for i in (s.proposed_by_id, s.approved_by_id) if i]))
        ).scalars()
    }
    deployer = session.get(Deployer, s.deployer_id) if s.deployer_id else None
    key = session.get(ApiKey, s.api_key_id) if s.api_key_id else None
    return {
        "id": s.id,
        "reference": s.reference,
        "case_id": s.case_id,
        "subject": {
            "type": s.subject_type,
            "deployer": deployer.name if deployer else None,
            "account_id": s.account_id,
            "api_key": key.prefix if key else None,
            "model": s.model_name,
            "label": subject_label(session, s),
        },
        "measure": s.measure,
        "rate_limit_per_minute": s.rate_limit_per_minute,
        "category": s.category,
        "ground_type": s.ground_type,
        "ground_reference": s.ground_reference,
        "ground_explanation": s.ground_explanation,
        "facts": s.facts,
        "automated_detection": s.automated_detection,
        "automated_decision": s.automated_decision,
        "source_type": s.source_type,
        "territorial_scope": list(s.territorial_scope or []),
        "status": s.status,
        "proposed_by": users.get(s.proposed_by_id) if s.proposed_by_id else None,
        "approved_by": users.get(s.approved_by_id) if s.approved_by_id else None,
        "created_at": iso(s.created_at),
        "starts_at": iso(s.starts_at),
        "ends_at": iso(s.ends_at),
        "ended_at": iso(s.ended_at),
        "end_reason": s.end_reason,
    }


def sanction_view(session: Session, sanction_id: int) -> dict[str, Any]:
    """One sanction as the register shows it, with its pushes to the deployer."""
    sanction = session.get(Sanction, sanction_id)
    if sanction is None:
        raise NotFound(f"no sanction {sanction_id}")
    view = sanction_dict(session, sanction)
    view["webhook_deliveries"] = deliveries_of_sanction(session, sanction_id)
    return view


def list_sanctions(
    session: Session,
    *,
    status: str | None = None,
    measure: str | None = None,
    subject_type: str | None = None,
    deployer_id: int | None = None,
    limit: int = 200,
    offset: int = 0,
) -> list[dict[str, Any]]:
    if status is not None and status not in SANCTION_STATUSES:
        raise ValidationFailed({"status": "Must be one of: " + ", ".join(SANCTION_STATUSES)})
    stmt = select(Sanction).order_by(Sanction.id.desc()).limit(limit).offset(offset)
    if status:
        stmt = stmt.where(Sanction.status == status)
    if measure:
        stmt = stmt.where(Sanction.measure == measure)
    if subject_type:
        stmt = stmt.where(Sanction.subject_type == subject_type)
    if deployer_id is not None:
        stmt = stmt.where(Sanction.deployer_id == deployer_id)
    return [sanction_dict(session, s) for s in session.execute(stmt).scalars()]


def deployer_feed(
    session: Session,
    deployer_id: int,
    *,
    include_ended: bool = False,
    since: datetime | None = None,
    now: datetime | None = None,
) -> list[dict[str, Any]]:
    """What a deployer needs to enforce: the sanctions on its accounts, keys, models and
    itself, without the analysts' names or the case's internals."""
    now = now or utcnow()
    stmt = select(Sanction).where(Sanction.deployer_id == deployer_id).order_by(Sanction.id)
    if include_ended:
        stmt = stmt.where(Sanction.status.in_(ENFORCED_STATUSES))
    else:
        stmt = stmt.where(
            Sanction.status == "active", or_(Sanction.ends_at.is_(None), Sanction.ends_at > now)
        )
    if since is not None:
        stmt = stmt.where(or_(Sanction.starts_at >= since, Sanction.ended_at >= since))
    return [public_sanction(session, s) for s in session.execute(stmt).scalars()]


def public_sanction(session: Session, s: Sanction) -> dict[str, Any]:
    """A sanction as its deployer sees it: no analysts' names, no case internals."""
    d = sanction_dict(session, s)
    for private in ("case_id", "proposed_by", "approved_by", "id"):
        d.pop(private)
    return d
