"""Reports from the public: submission, follow-up with the receipt, messages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, selectinload

from core.exceptions import NotFound, ValidationFailed
from core.models import Report, ReportMessage, User
from core.models.base import utcnow
from core.records import ReportIn, text_errors
from core.secrets import new_receipt, receipt_hash
from core.services import audit, submissions
from core.services.texts import store_texts
from core.signals import TextAnalyzer, TextSignals
from core.taxonomy import REPORT_STATUSES, TRUSTED_FLAGGER

MAX_MESSAGE_CHARS = 5_000
MAX_REASON_CHARS = 1_000
MIN_REASON_CHARS = 10


@dataclass(frozen=True)
class ClientInfo:
    """What the transport knows about the submitter; dropped in whistleblower mode."""

    ip: str | None = None
    user_agent: str | None = None


@dataclass(frozen=True)
class SubmittedReport:
    id: int
    receipt: str  # shown once to the reporter, never stored
    status: str


@dataclass(frozen=True)
class MessageView:
    author: str
    author_name: str | None
    body: str
    created_at: datetime


@dataclass(frozen=True)
class FollowUpView:
    report_id: int
    status: str
    status_label: str
    category: str
    created_at: datetime
    updated_at: datetime
    messages: list[MessageView]
    decided_at: datetime | None = None
    decision_reason: str | None = None

    @property
    def appealable(self) -> bool:
        return self.status in DECIDED_STATUSES


def submit_report(
    session: Session,
    report: ReportIn,
    *,
    analyzer: TextAnalyzer,
    secret_key: str,
    keep_original: bool = False,
    source: str = "web",
    client: ClientInfo | None = None,
    api_key_id: int | None = None,
    trusted_flagger: bool = False,
    receipt: str | None = None,
    submission: str | None = None,
) -> SubmittedReport:
    """Store a validated report and commit; the receipt is returned, never stored.

    ``receipt`` lets the web form choose the code (derived from a seed its session
    keeps); ``submission`` is the keyed hash of the form's one-time token: a second
    use raises ``submissions.AlreadySent`` with the first report's id.
    """
    receipt = receipt or new_receipt()
    submissions.refuse_reuse(session, "report", submission)
    row = _build_report(
        session,
        report,
        analyzer=analyzer,
        keep_original=keep_original,
        source=source,
        client=client,
        api_key_id=api_key_id,
        trusted_flagger=trusted_flagger,
    )
    row.receipt_hash = receipt_hash(secret_key, receipt)
    session.add(row)
    session.flush()
    submissions.claim_and_commit(session, "report", submission, row.id)
    return SubmittedReport(id=row.id, receipt=receipt, status=row.status)


def _build_report(
    session: Session,
    report: ReportIn,
    *,
    analyzer: TextAnalyzer,
    keep_original: bool,
    source: str,
    client: ClientInfo | None,
    api_key_id: int | None,
    trusted_flagger: bool,
) -> Report:
    texts = _texts_of(report)
    signals = analyzer.analyze_many(texts)
    text_ids = store_texts(session, _stored(report, signals))
    return Report(
        **_report_fields(
            report,
            signals,
            text_ids,
            keep_original=keep_original,
            source=source,
            client=client,
            api_key_id=api_key_id,
            trusted_flagger=trusted_flagger,
        )
    )


def _texts_of(report: ReportIn) -> list[str]:
    """The texts a report's signals are computed on: output, explanation, prompt."""
    return [report.output, report.explanation] + ([report.prompt] if report.prompt else [])


def _stored(report: ReportIn, signals: list[TextSignals]) -> list[TextSignals]:
    """The signals of the texts that are stored as text blobs: output and prompt."""
    return [signals[0]] + ([signals[2]] if report.prompt else [])


def _report_fields(
    report: ReportIn,
    signals: list[TextSignals],
    text_ids: list[int],
    *,
    keep_original: bool,
    source: str,
    client: ClientInfo | None,
    api_key_id: int | None,
    trusted_flagger: bool,
) -> dict[str, Any]:
    """The columns of a report row, from the report, its texts' signals and ids."""
    pii = sorted({k for s in signals for k in s.pii_kinds})
    whistleblower = report.is_whistleblower
    return {
        "status": "received",
        "reporter_type": report.reporter_type,
        "trusted_flagger": trusted_flagger,
        "serious_incident": report.serious_incident,
        "category": report.category,
        "source": source,
        "api_key_id": api_key_id,
        "provider": report.provider,
        "model_name": report.model_name,
        "model_version": report.model_version,
        "product_url": report.product_url,
        "output_text_id": text_ids[0],
        "prompt_text_id": text_ids[1] if report.prompt else None,
        "explanation": signals[1].masked_text,
        "output_original": report.output if keep_original else None,
        "prompt_original": report.prompt if keep_original else None,
        "pii_kinds": pii,
        "occurred_at": report.occurred_at,
        "published_url": report.published_url,
        "accuracy_confirmed": report.accuracy_confirmed,
        # Whistleblower mode: nothing that could identify the reporter, whatever
        # the transport handed us.
        "contact_email": None if whistleblower else report.contact_email,
        "submitter_ip": None if whistleblower or client is None else client.ip,
        "user_agent": (
            None
            if whistleblower or client is None or not client.user_agent
            else client.user_agent[:400]
        ),
    }


@dataclass(frozen=True)
class BulkReportOutcome:
    accepted: list[tuple[int, str | None, int, str]]  # (index, external_id, id, receipt)
    duplicates: list[tuple[int, str]]  # (index, external_id)


def store_report_batch(
    session: Session,
    items: list[tuple[int, ReportIn]],
    *,
    source: str,
    flagger_id: int | None,
    analyzer: TextAnalyzer,
    secret_key: str,
    api_key_id: int | None = None,
    keep_original: bool = False,
) -> BulkReportOutcome:
    """Store a batch of reports in one transaction and commit: a trusted flagger's
    notices (``source="bulk"``) or a file's reports (``"import"``).

    Reports whose ``external_id`` this source (the flagger, or the reports of no
    flagger) sent before, in an earlier batch or earlier in this one, are skipped
    as duplicates. The batch is written as the log path writes: one analysis of
    every text, one text insert, one report insert. Reports from a flagger are
    trusted flaggers' reports and come first in triage. The receipts are returned,
    never stored.
    """
    flagger_clause = (
        Report.flagger_id == flagger_id if flagger_id is not None else Report.flagger_id.is_(None)
    )
    known = _known_external_ids(
        session, flagger_clause, [r.external_id for _, r in items if r.external_id]
    )
    duplicates: list[tuple[int, str]] = []
    new: list[tuple[int, ReportIn]] = []
    for index, item in items:
        if item.external_id and item.external_id in known:
            duplicates.append((index, item.external_id))
            continue
        if item.external_id:
            known.add(item.external_id)
        new.append((index, item))
    if not new:
        session.commit()
        return BulkReportOutcome(accepted=[], duplicates=duplicates)

    texts = [_texts_of(item) for _, item in new]
    analysed = iter(analyzer.analyze_many([t for group in texts for t in group]))
    signals = [[next(analysed) for _ in group] for group in texts]
    stored = [_stored(item, sig) for (_, item), sig in zip(new, signals, strict=True)]
    stored_ids = iter(store_texts(session, [s for group in stored for s in group]))
    receipts = [new_receipt() for _ in new]
    rows: list[dict[str, Any]] = []
    for (_, item), sig, group, receipt in zip(new, signals, stored, receipts, strict=True):
        row = _report_fields(
            item,
            sig,
            [next(stored_ids) for _ in group],
            keep_original=keep_original,
            source=source,
            client=None,
            api_key_id=api_key_id,
            trusted_flagger=flagger_id is not None,
        )
        if flagger_id is not None:
            row["reporter_type"] = TRUSTED_FLAGGER
        row.update(
            flagger_id=flagger_id,
            external_id=item.external_id,
            receipt_hash=receipt_hash(secret_key, receipt),
        )
        rows.append(row)
    ids = session.scalars(
        insert(Report).returning(Report.id, sort_by_parameter_order=True), rows
    ).all()
    session.commit()
    accepted = [
        (index, item.external_id, report_id, receipt)
        for (index, item), report_id, receipt in zip(new, ids, receipts, strict=True)
    ]
    return BulkReportOutcome(accepted=accepted, duplicates=duplicates)


def _known_external_ids(session: Session, flagger_clause: Any, refs: list[str]) -> set[str]:
    """The references among ``refs`` that this source has sent before."""
    known: set[str] = set()
    for start in range(0, len(refs), 500):
        stmt = select(Report.external_id).where(
            flagger_clause, Report.external_id.in_(refs[start : start + 500])
        )
        known.update(x for x in session.execute(stmt).scalars() if x is not None)
    return known


def find_by_receipt(session: Session, receipt: str, *, secret_key: str) -> int:
    """Return the id of the report this receipt belongs to, or raise NotFound."""
    report_id = session.execute(
        select(Report.id).where(Report.receipt_hash == receipt_hash(secret_key, receipt))
    ).scalar_one_or_none()
    if report_id is None:
        raise NotFound("No report matches this receipt code. Check it and try again.")
    return report_id


def follow_up_view(session: Session, report_id: int) -> FollowUpView:
    report = session.execute(
        select(Report).where(Report.id == report_id).options(selectinload(Report.messages))
    ).scalar_one_or_none()
    if report is None:
        raise NotFound("report not found")
    return FollowUpView(
        report_id=report.id,
        status=report.status,
        status_label=REPORT_STATUSES.get(report.status, report.status),
        category=report.category,
        created_at=report.created_at,
        updated_at=report.updated_at,
        messages=[
            MessageView(m.author, m.author_name, m.body, m.created_at) for m in report.messages
        ],
        decided_at=report.decided_at if report.status in DECIDED_STATUSES else None,
        decision_reason=report.decision_reason if report.status in DECIDED_STATUSES else None,
    )


def typical_days_to_decision(session: Session, *, sample: int = 1_000) -> float | None:
    """The median days from report to decision over the latest decisions, which the
    follow-up page quotes as the expected time; None before the first decision."""
    rows = session.execute(
        select(Report.created_at, Report.decided_at)
        .where(Report.decided_at.is_not(None))
        .order_by(Report.decided_at.desc())
        .limit(sample)
    ).all()
    days = sorted((d - c).total_seconds() / 86400 for c, d in rows if d is not None)
    if not days:
        return None
    middle = len(days) // 2
    return days[middle] if len(days) % 2 else (days[middle - 1] + days[middle]) / 2


def _message_body(body: str, analyzer: TextAnalyzer) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationFailed({"body": "Please write a message."})
    if len(body) > MAX_MESSAGE_CHARS:
        raise ValidationFailed({"body": f"Must be at most {MAX_MESSAGE_CHARS:,} characters."})
    if errors := text_errors({"body": body}):
        raise ValidationFailed(errors)
    return analyzer.analyze_many([body])[0].masked_text


def add_reporter_message(
    session: Session,
    report_id: int,
    body: str,
    *,
    analyzer: TextAnalyzer,
    submission: str | None = None,
) -> None:
    """The reporter replies through the follow-up page (masked like every free text);
    ``submission`` as for ``submit_report``."""
    masked = _message_body(body, analyzer)
    if session.get(Report, report_id) is None:
        raise NotFound("report not found")
    submissions.refuse_reuse(session, "message", submission)
    message = ReportMessage(report_id=report_id, author="reporter", body=masked)
    session.add(message)
    session.flush()
    submissions.claim_and_commit(session, "message", submission, message.id)


def add_analyst_message(
    session: Session, report_id: int, body: str, *, analyst: str, analyzer: TextAnalyzer
) -> None:
    """An analyst writes to the reporter, who reads it with the receipt code."""
    masked = _message_body(body, analyzer)
    if session.get(Report, report_id) is None:
        raise NotFound("report not found")
    msg = ReportMessage(report_id=report_id, author="analyst", author_name=analyst, body=masked)
    session.add(msg)
    audit.record(
        session,
        actor=analyst,
        action="report.message",
        subject_type="report",
        subject_id=report_id,
        after={"message_chars": len(masked)},
    )
    session.commit()


# Statuses that are a decision on the report: the reporter may appeal them, and the
# transparency report measures the time from report to decision up to the first one.
DECIDED_STATUSES = ("action_taken", "no_action")


class _Unchanged:
    def __repr__(self) -> str:
        return "UNCHANGED"


UNCHANGED: Any = _Unchanged()


def set_report_status(
    session: Session,
    report_id: int,
    status: str,
    *,
    actor: str,
    reason: str | None = None,
    analyzer: TextAnalyzer | None = None,
) -> None:
    bulk_update_reports(
        session, [report_id], actor=actor, status=status, reason=reason, analyzer=analyzer
    )


def decision_reason(reason: str | None, analyzer: TextAnalyzer | None) -> str:
    """The reason a reporter reads about a decision: required, short, masked."""
    reason = (reason or "").strip()
    if len(reason) < MIN_REASON_CHARS:
        raise ValidationFailed(
            {
                "reason": "Tell the reporter why, in a sentence or two "
                f"(at least {MIN_REASON_CHARS} characters)."
            }
        )
    if len(reason) > MAX_REASON_CHARS:
        raise ValidationFailed({"reason": f"Keep it under {MAX_REASON_CHARS:,} characters."})
    if errors := text_errors({"reason": reason}):
        raise ValidationFailed(errors)
    return analyzer.analyze_many([reason])[0].masked_text if analyzer is not None else reason


def assign_report(session: Session, report_id: int, assignee_id: int | None, *, actor: str) -> None:
    bulk_update_reports(session, [report_id], actor=actor, assignee_id=assignee_id)


def bulk_update_reports(
    session: Session,
    report_ids: list[int],
    *,
    actor: str,
    status: str | None = None,
    assignee_id: int | None = UNCHANGED,
    reason: str | None = None,
    analyzer: TextAnalyzer | None = None,
) -> int:
    """Change the status and/or assignee of several reports in one transaction.

    All or nothing: an unknown id or a bad value changes no report. Every
    changed report gets its own audit entry with before and after. A decision
    (a decided status) needs ``reason``, which the reporters read; reports marked
    as duplicates of a decided report take the same decision and reason.
    """
    if status is not None and status not in REPORT_STATUSES:
        raise ValidationFailed({"status": "Must be one of: " + ", ".join(REPORT_STATUSES)})
    masked_reason = decision_reason(reason, analyzer) if status in DECIDED_STATUSES else None
    if status is None and assignee_id is UNCHANGED:
        raise ValidationFailed({"change": "Give a status or an assignee."})
    if not report_ids:
        raise ValidationFailed({"reports": "Select at least one report."})
    if assignee_id is not UNCHANGED and assignee_id is not None:
        user = session.get(User, assignee_id)
        if user is None or not user.has_role("analyst"):
            raise ValidationFailed({"assignee": "No active analyst has that id."})
    ids = list(dict.fromkeys(report_ids))
    reports = list(session.execute(select(Report).where(Report.id.in_(ids))).scalars().all())
    missing = set(ids) - {r.id for r in reports}
    if missing:
        raise NotFound(f"no report {min(missing)}")
    if masked_reason is not None:
        # Their duplicates, still undecided, hear the same decision.
        followers = session.execute(
            select(Report).where(
                Report.duplicate_of_id.in_(ids),
                Report.id.not_in(ids),
                Report.status.not_in(DECIDED_STATUSES),
            )
        ).scalars()
        reports.extend(followers)
    now = utcnow()
    changed = 0
    for report in sorted(reports, key=lambda r: r.id):
        before: dict[str, Any] = {}
        after: dict[str, Any] = {}
        if status is not None and (
            report.status != status
            or (masked_reason is not None and report.decision_reason != masked_reason)
        ):
            before["status"], after["status"] = report.status, status
            report.status = status
            if status in DECIDED_STATUSES:
                if report.decided_at is None:
                    report.decided_at = now
                report.decision_reason = masked_reason
                after["reason_chars"] = len(masked_reason or "")
                if report.id not in ids:
                    after["as_duplicate_of"] = report.duplicate_of_id
            else:
                report.decision_reason = None
        if assignee_id is not UNCHANGED and report.assignee_id != assignee_id:
            before["assignee_id"], after["assignee_id"] = report.assignee_id, assignee_id
            report.assignee_id = assignee_id
        if not after:
            continue
        changed += report.id in ids
        audit.record(
            session,
            actor=actor,
            action="report.status" if "status" in after else "report.assign",
            subject_type="report",
            subject_id=report.id,
            before=before,
            after=after,
        )
    session.commit()
    return changed


def mark_duplicates(
    session: Session, original_id: int, duplicate_ids: list[int], *, actor: str
) -> int:
    """Link reports that say the same as ``original_id`` to it, in one transaction.

    A duplicate follows the original's decision: at once when the original is
    decided already, later when it is. Returns how many reports were newly linked.
    """
    ids = [i for i in dict.fromkeys(duplicate_ids) if i != original_id]
    if not ids:
        raise ValidationFailed(
            {"reports": "Select the reports that repeat another one, not only that one."}
        )
    original = session.get(Report, original_id)
    if original is None:
        raise ValidationFailed({"original": f"There is no report {original_id}."})
    # Link to the first report of a chain, so that a decision reaches every copy.
    while original.duplicate_of_id is not None:
        parent = session.get(Report, original.duplicate_of_id)
        if parent is None:
            break
        original = parent
    if original.id in ids:
        raise ValidationFailed(
            {"original": f"Report {original_id} is itself a duplicate of a selected report."}
        )
    reports = session.execute(select(Report).where(Report.id.in_(ids))).scalars().all()
    missing = set(ids) - {r.id for r in reports}
    if missing:
        raise NotFound(f"no report {min(missing)}")
    now = utcnow()
    linked = 0
    for report in sorted(reports, key=lambda r: r.id):
        if report.duplicate_of_id == original.id:
            continue
        before: dict[str, Any] = {"duplicate_of": report.duplicate_of_id}
        after: dict[str, Any] = {"duplicate_of": original.id}
        report.duplicate_of_id = original.id
        # Reports that were copies of this one now point at the original too.
        for copy in session.execute(
            select(Report).where(Report.duplicate_of_id == report.id)
        ).scalars():
            copy.duplicate_of_id = original.id
        if original.status in DECIDED_STATUSES and report.status not in DECIDED_STATUSES:
            before["status"], after["status"] = report.status, original.status
            report.status = original.status
            report.decided_at = report.decided_at or now
            report.decision_reason = original.decision_reason
        linked += 1
        audit.record(
            session,
            actor=actor,
            action="report.duplicate",
            subject_type="report",
            subject_id=report.id,
            before=before,
            after=after,
        )
    session.commit()
    return linked
