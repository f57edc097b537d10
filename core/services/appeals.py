"""Appeals: the sanctioned party (with the sanction's reference) or the reporter of a
decided report (with the report's receipt) asks for a review by someone else."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.exceptions import Conflict, Forbidden, NotFound, ValidationFailed
from core.models import Appeal, AuditEvent, Report, Sanction, User
from core.models.base import utcnow
from core.records import text_errors
from core.secrets import keyed_hash, new_receipt, normalise_receipt
from core.services import audit, submissions
from core.services.access import actor_of, require_role
from core.services.cases import case_event
from core.services.reports import DECIDED_STATUSES, find_by_receipt
from core.services.sanctions import get_by_reference, reverse_sanction
from core.signals import TextAnalyzer

MIN_STATEMENT_CHARS = 10
MAX_STATEMENT_CHARS = 5_000
OUTCOMES = ("upheld", "reversed")


@dataclass(frozen=True)
class FiledAppeal:
    id: int
    receipt: str  # shown once to the appellant, never stored
    about: str


def _appeal_hash(secret_key: str, code: str) -> str:
    # Its own purpose key: an appeal code can never open a report's follow-up page.
    return keyed_hash(secret_key, "appeal", normalise_receipt(code))


def _statement(text: str, analyzer: TextAnalyzer) -> str:
    text = (text or "").strip()
    if len(text) < MIN_STATEMENT_CHARS:
        raise ValidationFailed(
            {"statement": f"Explain the appeal in at least {MIN_STATEMENT_CHARS} characters."}
        )
    if len(text) > MAX_STATEMENT_CHARS:
        raise ValidationFailed(
            {"statement": f"Must be at most {MAX_STATEMENT_CHARS:,} characters."}
        )
    if errors := text_errors({"statement": text}):
        raise ValidationFailed(errors)
    return analyzer.analyze_many([text])[0].masked_text


def _check_window(decided: datetime | None, window_days: int, now: datetime) -> None:
    if decided is None:
        raise Conflict("There is no decision to appeal yet.")
    deadline = decided + timedelta(days=window_days)
    if now > deadline:
        raise Conflict(f"The period to appeal ended on {deadline.date().isoformat()}.")


def file_appeal(
    session: Session,
    *,
    statement: str,
    secret_key: str,
    analyzer: TextAnalyzer,
    window_days: int,
    reference: str | None = None,
    report_receipt: str | None = None,
    report_id: int | None = None,
    now: datetime | None = None,
    code: str | None = None,
    submission: str | None = None,
) -> FiledAppeal:
    """File an appeal against a sanction (by reference) or a report's decision (by
    receipt, or by ``report_id`` when the reporter's follow-up session vouches for it).

    ``code`` lets the web form choose the appeal code (from its session's seed);
    ``submission`` is the form's one-time token hash, as for reports.
    """
    now = now or utcnow()
    given = [
        bool(reference and reference.strip()),
        bool(report_receipt and report_receipt.strip()),
        report_id is not None,
    ]
    if sum(given) != 1:
        raise ValidationFailed(
            {"reference": "Give either the sanction's reference or your report's receipt code."}
        )
    masked = _statement(statement, analyzer)
    submissions.refuse_reuse(session, "appeal", submission)
    appeal = Appeal(statement=masked, created_at=now, status="pending")
    if reference and reference.strip():
        try:
            sanction = get_by_reference(session, reference)
        except NotFound:
            raise ValidationFailed({"reference": "No sanction has that reference."}) from None
        if sanction.status in ("proposed", "rejected"):
            raise Conflict("That sanction was never in force; there is nothing to appeal.")
        _check_window(sanction.starts_at, window_days, now)
        _no_pending(session, Appeal.sanction_id == sanction.id)
        appeal.sanction_id = sanction.id
        appeal.appellant_type = "sanctioned_party"
        about = f"sanction {sanction.reference}"
    else:
        if report_id is None:
            try:
                report_id = find_by_receipt(session, report_receipt or "", secret_key=secret_key)
            except NotFound:
                raise ValidationFailed({"receipt": "No report has that receipt code."}) from None
        report = session.get(Report, report_id)
        if report is None:
            raise ValidationFailed({"receipt": "No report has that receipt code."})
        if report.status not in DECIDED_STATUSES:
            raise Conflict("Your report has not been decided yet; there is nothing to appeal.")
        _check_window(report.decided_at, window_days, now)
        _no_pending(session, Appeal.report_id == report_id)
        appeal.report_id = report_id
        appeal.appellant_type = "reporter"
        about = f"the decision on report {report_id}"
    code = code or new_receipt()
    appeal.receipt_hash = _appeal_hash(secret_key, code)
    session.add(appeal)
    session.flush()
    if appeal.sanction_id is not None:
        sanction_row = session.get(Sanction, appeal.sanction_id)
        assert sanction_row is not None
        case_event(
            session,
            sanction_row.case_id,
            "appellant",
            "appeal",
            f"appeal {appeal.id} against {sanction_row.reference} filed",
            appeal_id=appeal.id,
        )
    audit.record(
        session,
        actor="appellant",
        action="appeal.file",
        subject_type="appeal",
        subject_id=appeal.id,
        after={
            "sanction_id": appeal.sanction_id,
            "report_id": appeal.report_id,
            "appellant_type": appeal.appellant_type,
            "statement_chars": len(masked),
        },
    )
    submissions.claim_and_commit(session, "appeal", submission, appeal.id)
    return FiledAppeal(id=appeal.id, receipt=code, about=about)


def _no_pending(session: Session, clause: Any) -> None:
    pending = session.execute(select(Appeal.id).where(clause, Appeal.status == "pending")).first()
    if pending:
        raise Conflict("An appeal against this decision is already pending.")


def appeal_status(session: Session, code: str, *, secret_key: str) -> dict[str, Any]:
    """What the appellant sees with their appeal code."""
    appeal = session.execute(
        select(Appeal).where(Appeal.receipt_hash == _appeal_hash(secret_key, code))
    ).scalar_one_or_none()
    if appeal is None:
        raise NotFound("No appeal has that code.")
    return _status(appeal)


def appeal_view(session: Session, appeal_id: int) -> dict[str, Any]:
    """What the appellant sees, for the appeal their session opened with its code."""
    appeal = session.get(Appeal, appeal_id)
    if appeal is None:
        raise NotFound("No appeal has that code.")
    return _status(appeal)


def _status(appeal: Appeal) -> dict[str, Any]:
    return {
        "id": appeal.id,
        "status": appeal.status,
        "outcome_reason": appeal.outcome_reason,
        "created_at": appeal.created_at,
        "decided_at": appeal.decided_at,
        "sanction_reference": appeal.sanction.reference if appeal.sanction else None,
        "report_id": appeal.report_id,
    }


def _deciders(session: Session, appeal: Appeal) -> set[str]:
    """Who took the decision under appeal, as audit actors."""
    if appeal.sanction is not None:
        ids = [i for i in (appeal.sanction.proposed_by_id, appeal.sanction.approved_by_id) if i]
        return {
            actor_of(u) for u in session.execute(select(User).where(User.id.in_(ids))).scalars()
        }
    # A report's decision is the last status change to a decided status in the audit log.
    events = session.execute(
        select(AuditEvent.actor, AuditEvent.after)
        .where(
            AuditEvent.subject_type == "report",
            AuditEvent.subject_id == str(appeal.report_id),
            AuditEvent.action == "report.status",
        )
        .order_by(AuditEvent.id.desc())
    ).all()
    for actor, after in events:
        if (after or {}).get("status") in DECIDED_STATUSES:
            return {actor}
    return set()


def decide_appeal(
    session: Session, appeal_id: int, *, user: User, outcome: str, reason: str
) -> Appeal:
    """Record the outcome. A reversed sanction ends at once; a reversed report
    decision sends the report back for review."""
    require_role(user)
    if outcome not in OUTCOMES:
        raise ValidationFailed({"outcome": "Must be upheld or reversed."})
    if not reason.strip():
        raise ValidationFailed({"reason": "Give the reasons for the outcome."})
    if errors := text_errors({"reason": reason}):
        raise ValidationFailed(errors)
    appeal = session.get(Appeal, appeal_id)
    if appeal is None:
        raise NotFound(f"no appeal {appeal_id}")
    if appeal.status != "pending":
        raise Conflict(f"appeal {appeal_id} was {appeal.status} already")
    if actor_of(user) in _deciders(session, appeal):
        raise Forbidden("An appeal must be reviewed by someone other than who decided.")
    now = utcnow()
    appeal.status = outcome
    appeal.outcome_reason = reason.strip()
    appeal.reviewer_id = user.id
    appeal.decided_at = now
    if appeal.sanction is not None:
        case_event(
            session,
            appeal.sanction.case_id,
            actor_of(user),
            "appeal",
            f"appeal {appeal.id} {outcome}: {appeal.outcome_reason}",
            appeal_id=appeal.id,
            outcome=outcome,
        )
        if outcome == "reversed" and appeal.sanction.status == "active":
            reverse_sanction(
                session,
                appeal.sanction,
                reason=f"appeal {appeal.id} reversed it: {appeal.outcome_reason}",
                actor=actor_of(user),
            )
    elif outcome == "reversed":
        report = session.get(Report, appeal.report_id)
        if report is not None:
            before = report.status
            report.status = "in_review"
            report.decision_reason = None
            audit.record(
                session,
                actor=actor_of(user),
                action="report.status",
                subject_type="report",
                subject_id=report.id,
                before={"status": before},
                after={"status": "in_review", "by_appeal": appeal.id},
            )
    audit.record(
        session,
        actor=actor_of(user),
        action="appeal.decide",
        subject_type="appeal",
        subject_id=appeal.id,
        before={"status": "pending"},
        after={"status": outcome, "reason": appeal.outcome_reason},
    )
    session.commit()
    return appeal
