"""Sanctions as the register, a case, the overview and a deployer read them: the
register's rows and counts, one sanction with its pushes to the deployer, the
public view a deployer gets, and the short row the overview lists."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from core.exceptions import NotFound, ValidationFailed
from core.models import SANCTION_STATUSES, ApiKey, Deployer, Sanction, WebhookDelivery
from core.models.base import utcnow
from core.queries.common import iso, user_emails

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
    stmt = _filtered(
        select(func.count()).select_from(Sanction), status, measure, subject_type, deployer_id
    )
    return int(session.execute(stmt).scalar_one())


def _filtered(
    stmt: Any,
    status: str | None,
    measure: str | None,
    subject_type: str | None,
    deployer_id: int | None,
) -> Any:
    """The register's filters, the same for its count and its page."""
    if status:
        stmt = stmt.where(Sanction.status == status)
    if measure:
        stmt = stmt.where(Sanction.measure == measure)
    if subject_type:
        stmt = stmt.where(Sanction.subject_type == subject_type)
    if deployer_id is not None:
        stmt = stmt.where(Sanction.deployer_id == deployer_id)
    return stmt


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


def _subject_label(s: Sanction, deployer: str | None, key_prefix: str | None) -> str:
    dname = deployer if deployer is not None else "?"
    if s.subject_type == "account":
        return f"account {s.account_id} at {dname}"
    if s.subject_type == "deployer":
        return f"deployer {dname}"
    if s.subject_type == "model":
        return f"model {s.model_name} at {dname}"
    return f"API key {key_prefix if key_prefix is not None else '?'}"


def subject_label(session: Session, s: Sanction) -> str:
    """What one sanction is on, as a case's timeline names it."""
    deployer = session.get(Deployer, s.deployer_id) if s.deployer_id else None
    key = session.get(ApiKey, s.api_key_id) if s.api_key_id else None
    return _subject_label(s, deployer.name if deployer else None, key.prefix if key else None)


def _by_id(
    session: Session, id_column: Any, value: Any, ids: Iterable[int | None]
) -> dict[int, Any]:
    """``value`` keyed by ``id_column`` for these ids: one query for a page of rows
    (500 ids at a time, under every backend's limit on bound parameters)."""
    wanted = sorted({i for i in ids if i is not None})
    out: dict[int, Any] = {}
    for start in range(0, len(wanted), 500):
        rows = session.execute(
            select(id_column, value).where(id_column.in_(wanted[start : start + 500]))
        )
        out.update({row_id: row_value for row_id, row_value in rows})
    return out


def sanction_dicts(session: Session, sanctions: Sequence[Sanction]) -> list[dict[str, Any]]:
    """Sanctions as the register shows them, in the order given.

    The people, deployers and API keys they name are loaded once for all of them:
    a page of two hundred sanctions costs no more queries than one (three at most).
    """
    emails = user_emails(
        session, [i for s in sanctions for i in (s.proposed_by_id, s.approved_by_id)]
    )
    deployers = _by_id(session, Deployer.id, Deployer.name, (s.deployer_id for s in sanctions))
    keys = _by_id(session, ApiKey.id, ApiKey.prefix, (s.api_key_id for s in sanctions))
    return [_sanction_dict(s, emails, deployers, keys) for s in sanctions]


def _sanction_dict(
    s: Sanction, emails: dict[int, str], deployers: dict[int, str], keys: dict[int, str]
) -> dict[str, Any]:
    deployer = deployers.get(s.deployer_id) if s.deployer_id else None
    key = keys.get(s.api_key_id) if s.api_key_id else None
    return {
        "id": s.id,
        "reference": s.reference,
        "case_id": s.case_id,
        "subject": {
            "type": s.subject_type,
            "deployer": deployer,
            "account_id": s.account_id,
            "api_key": key,
            "model": s.model_name,
            "label": _subject_label(s, deployer, key),
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
        "proposed_by": emails.get(s.proposed_by_id) if s.proposed_by_id else None,
        "approved_by": emails.get(s.approved_by_id) if s.approved_by_id else None,
        "created_at": iso(s.created_at),
        "starts_at": iso(s.starts_at),
        "ends_at": iso(s.ends_at),
        "ended_at": iso(s.ended_at),
        "end_reason": s.end_reason,
    }


def sanction_dict(session: Session, s: Sanction) -> dict[str, Any]:
    return sanction_dicts(session, [s])[0]


def webhook_deliveries(
    session: Session, sanction_ids: Sequence[int]
) -> dict[int, list[dict[str, Any]]]:
    """The pushes of these sanctions' events, each with every attempt, for the analysts:
    two queries (deliveries, then their attempts) however many sanctions there are."""
    if not sanction_ids:
        return {}
    rows = session.execute(
        select(WebhookDelivery)
        .options(selectinload(WebhookDelivery.attempt_log))
        .where(WebhookDelivery.sanction_id.in_(sorted(set(sanction_ids))))
        .order_by(WebhookDelivery.id)
    ).scalars()
    pushes: dict[int | None, list[dict[str, Any]]] = {}
    for d in rows:
        pushes.setdefault(d.sanction_id, []).append(_delivery_dict(d))
    return {i: pushes.get(i, []) for i in sanction_ids}


def _delivery_dict(d: WebhookDelivery) -> dict[str, Any]:
    return {
        "event_id": d.event_id,
        "event": d.event,
        "sequence": d.sequence,
        "status": d.status,
        "next_attempt_at": d.next_attempt_at.isoformat() if d.status == "pending" else None,
        "delivered_at": d.delivered_at.isoformat() if d.delivered_at else None,
        "attempts": [
            {
                "number": a.number,
                "at": a.at.isoformat(),
                "status_code": a.status_code,
                "error": a.error,
                "duration_ms": a.duration_ms,
            }
            for a in d.attempt_log
        ],
    }


def sanction_view(session: Session, sanction_id: int) -> dict[str, Any]:
    """One sanction as the register shows it, with its pushes to the deployer."""
    sanction = session.get(Sanction, sanction_id)
    if sanction is None:
        raise NotFound(f"no sanction {sanction_id}")
    view = sanction_dict(session, sanction)
    view["webhook_deliveries"] = webhook_deliveries(session, [sanction_id])[sanction_id]
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
    stmt = _filtered(
        select(Sanction).order_by(Sanction.id.desc()).limit(limit).offset(offset),
        status,
        measure,
        subject_type,
        deployer_id,
    )
    return sanction_dicts(session, session.execute(stmt).scalars().all())


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
    return public_sanctions(session, session.execute(stmt).scalars().all())


def public_sanctions(session: Session, sanctions: Sequence[Sanction]) -> list[dict[str, Any]]:
    """Sanctions as their deployer sees them: no analysts' names, no case internals."""
    views = sanction_dicts(session, sanctions)
    for d in views:
        for private in ("case_id", "proposed_by", "approved_by", "id"):
            d.pop(private)
    return views


def public_sanction(session: Session, s: Sanction) -> dict[str, Any]:
    return public_sanctions(session, [s])[0]
