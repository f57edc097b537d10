"""Sanctions: proposed in a case, approved by a second person when severe, enforced
at ingest, read by deployers, ended by expiry, revocation or a reversed appeal.

A sanction row holds the content of an EU DSA Art. 17 statement of reasons (the
measure, its grounds, the facts relied on, whether detection and decision were
automated, start and end), so the export is a projection, never a second record.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from core.exceptions import Conflict, Forbidden, NotFound, ValidationFailed
from core.models import (
    BLOCKING_MEASURES,
    SANCTION_MEASURES,
    SANCTION_SUBJECTS,
    SEVERE_MEASURES,
    ApiKey,
    Case,
    CaseItem,
    Deployer,
    Report,
    Sanction,
    User,
)
from core.models.base import utcnow
from core.queries.sanctions import public_sanction, subject_label
from core.records import text_errors
from core.services import audit, webhooks
from core.services.access import actor_of, require_role
from core.services.cases import case_event
from core.taxonomy import HARM_CATEGORIES, SANCTION_MEASURE_LABELS

GROUND_TYPES = ("illegal", "terms")
AUTOMATED_DECISIONS = ("fully", "partially", "not")
SOURCE_TYPES = ("notice", "trusted_flagger", "other_notification", "voluntary")
# EU and EEA member states: the territorial scope a DSA statement of reasons may name.
EEA_COUNTRIES = [
    "AT",
    "BE",
    "BG",
    "CY",
    "CZ",
    "DE",
    "DK",
    "EE",
    "ES",
    "FI",
    "FR",
    "GR",
    "HR",
    "HU",
    "IE",
    "IS",
    "IT",
    "LI",
    "LT",
    "LU",
    "LV",
    "MT",
    "NL",
    "NO",
    "PL",
    "PT",
    "RO",
    "SE",
    "SI",
    "SK",
]
_REF_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
MAX_TEXT = 5_000


def _new_reference() -> str:
    # 50 random bits: a reference is quoted to appeal, so it must not be guessable
    # from another one, but it is not a secret (it is in every statement of reasons).
    return "SR-" + "".join(secrets.choice(_REF_ALPHABET) for _ in range(10))


def _text(errors: dict[str, str], name: str, value: str | None, label: str) -> str:
    value = (value or "").strip()
    if not value:
        errors[name] = f"{label} is required."
    elif len(value) > MAX_TEXT:
        errors[name] = f"{label} must be at most {MAX_TEXT:,} characters."
    else:
        errors.update(text_errors({name: value}))
    return value


def _reason(reason: str, missing: str) -> str:
    if not reason.strip():
        raise ValidationFailed({"reason": missing})
    if errors := text_errors({"reason": reason}):
        raise ValidationFailed(errors)
    return reason.strip()


def propose_sanction(
    session: Session,
    case_id: int,
    *,
    user: User,
    subject_type: str,
    measure: str,
    category: str,
    ground_type: str,
    ground_reference: str,
    ground_explanation: str,
    facts: str,
    automated_detection: bool,
    automated_decision: str,
    source_type: str,
    territorial_scope: Sequence[str] = (),
    deployer_id: int | None = None,
    account_id: str | None = None,
    api_key_id: int | None = None,
    model_name: str | None = None,
    ends_at: datetime | None = None,
    rate_limit_per_minute: int | None = None,
    now: datetime | None = None,
) -> Sanction:
    """Record a decided measure. Warnings and rate limits take effect at once;
    suspension and stronger wait for a supervisor other than the proposer."""
    require_role(user, "analyst")
    now = now or utcnow()
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"no case {case_id}")
    if case.status == "closed":
        raise Conflict(f"case {case_id} is closed; reopen it to decide a sanction")
    errors: dict[str, str] = {}
    if subject_type not in SANCTION_SUBJECTS:
        errors["subject_type"] = "Must be one of: " + ", ".join(SANCTION_SUBJECTS)
    if measure not in SANCTION_MEASURES:
        errors["measure"] = "Must be one of: " + ", ".join(SANCTION_MEASURES)
    elif measure == "model_withdrawal" and subject_type != "model":
        errors["measure"] = "A model withdrawal request applies to a model."
    if measure == "rate_limit":
        if rate_limit_per_minute is None or rate_limit_per_minute < 1:
            errors["rate_limit_per_minute"] = "A rate limit needs a number of requests per minute."
    elif rate_limit_per_minute is not None:
        errors["rate_limit_per_minute"] = "Only a rate limit takes a number of requests."
    if category not in HARM_CATEGORIES:
        errors["category"] = "Must be one of: " + ", ".join(HARM_CATEGORIES)
    if ground_type not in GROUND_TYPES:
        errors["ground_type"] = "Must be 'illegal' (a law) or 'terms' (terms of service)."
    if automated_decision not in AUTOMATED_DECISIONS:
        errors["automated_decision"] = "Must be one of: " + ", ".join(AUTOMATED_DECISIONS)
    if source_type not in SOURCE_TYPES:
        errors["source_type"] = "Must be one of: " + ", ".join(SOURCE_TYPES)
    scope = [c.strip().upper() for c in territorial_scope if c.strip()]
    bad = [c for c in scope if c not in EEA_COUNTRIES]
    if bad:
        errors["territorial_scope"] = f"Not an EU/EEA country code: {', '.join(bad)}."
    ground_reference = _text(errors, "ground_reference", ground_reference, "The law or clause")
    ground_explanation = _text(errors, "ground_explanation", ground_explanation, "Explanation")
    facts = _text(errors, "facts", facts, "The facts relied on")
    if ends_at is not None and ends_at <= now:
        errors["ends_at"] = "The end must be in the future."

    deployer: Deployer | None = None
    if subject_type in ("account", "deployer", "model"):
        deployer = session.get(Deployer, deployer_id) if deployer_id is not None else None
        if deployer is None:
            errors["deployer_id"] = "Name the deployer (an existing one)."
    if subject_type == "account":
        account_id = (account_id or "").strip()
        if not account_id or len(account_id) > 200:
            errors["account_id"] = "Give the account id as the deployer sent it."
        else:
            errors.update(text_errors({"account_id": account_id}))
    if subject_type == "model":
        model_name = (model_name or "").strip()
        if not model_name or len(model_name) > 200:
            errors["model_name"] = "Give the model's name."
        else:
            errors.update(text_errors({"model_name": model_name}))
    if subject_type == "api_key":
        key = session.get(ApiKey, api_key_id) if api_key_id is not None else None
        if key is None:
            errors["api_key_id"] = "Name an existing API key."
        else:
            deployer_id = key.deployer_id
    if errors:
        raise ValidationFailed(errors)

    severe = measure in SEVERE_MEASURES
    sanction = Sanction(
        reference=_new_reference(),
        case_id=case_id,
        subject_type=subject_type,
        deployer_id=deployer_id,
        account_id=account_id if subject_type == "account" else None,
        api_key_id=api_key_id if subject_type == "api_key" else None,
        model_name=model_name if subject_type == "model" else None,
        measure=measure,
        rate_limit_per_minute=rate_limit_per_minute,
        category=category,
        ground_type=ground_type,
        ground_reference=ground_reference,
        ground_explanation=ground_explanation,
        facts=facts,
        automated_detection=automated_detection,
        automated_decision=automated_decision,
        source_type=source_type,
        territorial_scope=scope,
        content_date=_content_date(session, case_id),
        status="proposed" if severe else "active",
        proposed_by_id=user.id,
        starts_at=None if severe else now,
        ends_at=ends_at,
        created_at=now,
    )
    session.add(sanction)
    session.flush()
    word = "proposed (needs a supervisor's approval)" if severe else "imposed"
    case_event(
        session,
        case_id,
        actor_of(user),
        "sanction",
        f"{measure} of {subject_label(session, sanction)} {word}",
        sanction_id=sanction.id,
        reference=sanction.reference,
        status=sanction.status,
    )
    audit.record(
        session,
        actor=actor_of(user),
        action="sanction.propose",
        subject_type="sanction",
        subject_id=sanction.id,
        after=_audit_view(sanction),
    )
    if not severe:
        _mark_decided(session, sanction, user, now)
        _push(session, sanction, "sanction.in_force", now)
    session.commit()
    return sanction


def _content_date(session: Session, case_id: int) -> datetime | None:
    """When the content the decision is about appeared: the case's earliest report."""
    report_ids = select(CaseItem.item_id).where(
        CaseItem.case_id == case_id, CaseItem.kind == "report"
    )
    return session.execute(
        select(Report.created_at)
        .where(Report.id.in_(report_ids))
        .order_by(Report.created_at)
        .limit(1)
    ).scalar_one_or_none()


def _mark_decided(session: Session, sanction: Sanction, user: User | str, now: datetime) -> None:
    """A sanction in force decides its case, and the reports in it (which the
    reporters may then appeal and the transparency report counts)."""
    actor = user if isinstance(user, str) else actor_of(user)
    case = session.get(Case, sanction.case_id)
    if case is not None and case.status in ("open", "investigating"):
        before = case.status
        case.status = "decided"
        case.decided_at = case.decided_at or now
        case_event(session, case.id, actor, "status", f"{before} → decided", after="decided")
        audit.record(
            session,
            actor=actor,
            action="case.status",
            subject_type="case",
            subject_id=case.id,
            before={"status": before},
            after={"status": "decided", "by_sanction": sanction.reference},
        )
    report_ids = select(CaseItem.item_id).where(
        CaseItem.case_id == sanction.case_id, CaseItem.kind == "report"
    )
    undecided = session.execute(
        select(Report).where(
            Report.id.in_(report_ids), Report.status.in_(("received", "in_review"))
        )
    ).scalars()
    measure = SANCTION_MEASURE_LABELS.get(sanction.measure, sanction.measure).lower()
    for report in undecided:
        before = report.status
        report.status = "action_taken"
        report.decided_at = report.decided_at or now
        # What the reporter reads on the follow-up page.
        report.decision_reason = (
            f"We took action on what you reported: a {measure} was imposed "
            f"(statement of reasons {sanction.reference})."
        )
        audit.record(
            session,
            actor=actor,
            action="report.status",
            subject_type="report",
            subject_id=report.id,
            before={"status": before},
            after={"status": "action_taken", "by_sanction": sanction.reference},
        )


def _get(session: Session, sanction_id: int) -> Sanction:
    sanction = session.get(Sanction, sanction_id)
    if sanction is None:
        raise NotFound(f"no sanction {sanction_id}")
    return sanction


def approve_sanction(
    session: Session, sanction_id: int, *, user: User, now: datetime | None = None
) -> Sanction:
    """A supervisor other than the proposer puts a severe sanction in force."""
    require_role(user, "supervisor")
    now = now or utcnow()
    sanction = _get(session, sanction_id)
    if sanction.status != "proposed":
        raise Conflict(f"sanction {sanction.reference} is {sanction.status}, not proposed")
    if sanction.proposed_by_id == user.id:
        raise Forbidden("A sanction must be approved by someone other than its proposer.")
    if sanction.ends_at is not None and sanction.ends_at <= now:
        raise Conflict(f"sanction {sanction.reference} would already have ended; propose anew")
    sanction.status = "active"
    sanction.approved_by_id = user.id
    sanction.starts_at = now
    case_event(
        session,
        sanction.case_id,
        actor_of(user),
        "sanction",
        f"{sanction.measure} {sanction.reference} approved and in force",
        sanction_id=sanction.id,
        status="active",
    )
    audit.record(
        session,
        actor=actor_of(user),
        action="sanction.approve",
        subject_type="sanction",
        subject_id=sanction.id,
        before={"status": "proposed"},
        after={"status": "active", "starts_at": now.isoformat()},
    )
    _mark_decided(session, sanction, user, now)
    _push(session, sanction, "sanction.in_force", now)
    session.commit()
    return sanction


def reject_sanction(session: Session, sanction_id: int, *, user: User, reason: str) -> Sanction:
    require_role(user, "supervisor")
    reason = _reason(reason, "Say why the proposal is rejected.")
    sanction = _get(session, sanction_id)
    if sanction.status != "proposed":
        raise Conflict(f"sanction {sanction.reference} is {sanction.status}, not proposed")
    _end(session, sanction, "rejected", reason, actor_of(user), utcnow())
    session.commit()
    return sanction


def revoke_sanction(
    session: Session, sanction_id: int, *, user: User, reason: str, now: datetime | None = None
) -> Sanction:
    """Lift a sanction before its end, with a reason (a supervisor's call)."""
    require_role(user, "supervisor")
    reason = _reason(reason, "Say why the sanction is revoked.")
    sanction = _get(session, sanction_id)
    if sanction.status not in ("active", "proposed"):
        raise Conflict(f"sanction {sanction.reference} is {sanction.status} already")
    _end(session, sanction, "revoked", reason, actor_of(user), now or utcnow())
    session.commit()
    return sanction


def _end(
    session: Session, sanction: Sanction, status: str, reason: str, actor: str, now: datetime
) -> Sanction:
    """Shared by revoke, reject, expiry and a reversed appeal; the caller commits."""
    before = sanction.status
    sanction.status = status
    sanction.ended_at = now
    sanction.end_reason = reason
    case_event(
        session,
        sanction.case_id,
        actor,
        "sanction",
        f"{sanction.measure} {sanction.reference} {status}: {reason}",
        sanction_id=sanction.id,
        status=status,
    )
    audit.record(
        session,
        actor=actor,
        action=f"sanction.{status}",
        subject_type="sanction",
        subject_id=sanction.id,
        before={"status": before},
        after={"status": status, "reason": reason, "ended_at": now.isoformat()},
    )
    if before == "active":
        # A rejected proposal was never in force: the deployer has nothing to undo.
        _push(session, sanction, "sanction.ended", now)
    return sanction


def _push(session: Session, sanction: Sanction, event: str, now: datetime) -> None:
    """Queue the change for the deployer's webhook, in this transaction."""
    if sanction.deployer_id is None:
        return
    webhooks.enqueue(
        session,
        deployer_id=sanction.deployer_id,
        sanction_id=sanction.id,
        event=event,
        data=public_sanction(session, sanction),
        now=now,
    )


def reverse_sanction(session: Session, sanction: Sanction, *, reason: str, actor: str) -> None:
    """A reversed appeal ends the sanction at once, in the caller's transaction."""
    _end(session, sanction, "reversed", reason, actor, utcnow())


def expire_sanctions(session: Session, *, now: datetime | None = None) -> int:
    """End every sanction whose end date has passed (the expire job)."""
    now = now or utcnow()
    due = session.execute(
        select(Sanction.id)
        .where(Sanction.status == "active", Sanction.ends_at.is_not(None), Sanction.ends_at <= now)
        .order_by(Sanction.id)
    ).scalars()
    count = 0
    for sanction_id in list(due):
        sanction = session.get(Sanction, sanction_id)
        if sanction is None or sanction.status != "active":
            continue
        ends = sanction.ends_at or now
        _end(session, sanction, "expired", "reached its end date", "job:expire_sanctions", ends)
        # One transaction per sanction: an interrupted run keeps what it finished.
        session.commit()
        count += 1
    return count


def blocking_sanction(
    session: Session, *, api_key_id: int, deployer_id: int | None, now: datetime | None = None
) -> Sanction | None:
    """The sanction, if any, that bars this key or its deployer from the ingest API.

    The end date is checked here too, so a sanction stops blocking at its end even
    if the expire job has not run yet.
    """
    now = now or utcnow()
    clause: ColumnElement[bool] = (Sanction.subject_type == "api_key") & (
        Sanction.api_key_id == api_key_id
    )
    if deployer_id is not None:
        clause = or_(
            clause, (Sanction.subject_type == "deployer") & (Sanction.deployer_id == deployer_id)
        )
    return (
        session.execute(
            select(Sanction)
            .where(
                Sanction.status == "active",
                Sanction.measure.in_(BLOCKING_MEASURES),
                or_(Sanction.ends_at.is_(None), Sanction.ends_at > now),
                clause,
            )
            .limit(1)
        )
        .scalars()
        .first()
    )


def _audit_view(s: Sanction) -> dict[str, Any]:
    return {
        "reference": s.reference,
        "case_id": s.case_id,
        "subject_type": s.subject_type,
        "deployer_id": s.deployer_id,
        "account_id": s.account_id,
        "api_key_id": s.api_key_id,
        "model_name": s.model_name,
        "measure": s.measure,
        "status": s.status,
        "ends_at": s.ends_at.isoformat() if s.ends_at else None,
    }


def get_by_reference(session: Session, reference: str) -> Sanction:
    ref = reference.strip().upper()
    if text_errors({"reference": ref}):
        raise NotFound("No sanction has that reference.")
    sanction = session.execute(
        select(Sanction).where(Sanction.reference == ref)
    ).scalar_one_or_none()
    if sanction is None:
        raise NotFound("No sanction has that reference.")
    return sanction
