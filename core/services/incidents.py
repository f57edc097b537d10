"""Serious incidents under the EU AI Act: declare a case one, keep its reporting clock,
submit its reports (each frozen, its hash in the audit chain), raise deadline alerts.

The deadlines come from one table, ``core.incident_rules``; nothing here knows a number
of days. Every change writes a line on the case's timeline and an audit entry in the
same transaction as the change.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from core import incident_rules as rules
from core.exceptions import Conflict, NotFound, ValidationFailed
from core.models import Alert, AuditEvent, Case, CaseItem, Incident, IncidentReport, User
from core.models.base import utcnow
from core.queries.cases import item_labels
from core.queries.common import iso
from core.records import text_errors
from core.services import audit
from core.services.access import actor_of, require_role
from core.services.cases import case_event

MAX_ITEM_CHARS = 20_000
MAX_REASON_CHARS = 1_000
# An awareness a little ahead of the server's clock is the analyst's clock, not a typo.
_CLOCK_SLACK = timedelta(minutes=5)
# The scheduler warns this long before a deadline.
WARN_BEFORE = timedelta(days=1)
ALERT_SUBJECT = "incident"


@dataclass(frozen=True)
class ItemIn:
    """One item of a report as the analyst gave it: the text, or why it is missing."""

    value: str = ""
    missing_reason: str = ""


def _incident(session: Session, case_id: int) -> Incident:
    incident = session.execute(
        select(Incident).where(Incident.case_id == case_id)
    ).scalar_one_or_none()
    if incident is None:
        if session.get(Case, case_id) is None:
            raise NotFound(f"no case {case_id}")
        raise NotFound(f"case {case_id} is not declared a serious incident")
    return incident


def _check_moment(
    errors: dict[str, str], name: str, value: datetime | None, now: datetime, what: str
) -> None:
    if value is None:
        errors[name] = f"Give {what}."
    elif value.tzinfo is None:
        errors[name] = f"Give {what} with its time zone (UTC)."
    elif value > now + _CLOCK_SLACK:
        errors[name] = f"{what[0].upper()}{what[1:]} cannot be in the future."
    elif value.year < 2000:
        errors[name] = f"{what[0].upper()}{what[1:]} must be after the year 2000."


def _reason(reason: str | None, missing: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed({"reason": missing})
    if len(reason) > MAX_REASON_CHARS:
        raise ValidationFailed({"reason": f"Must be at most {MAX_REASON_CHARS:,} characters."})
    if errors := text_errors({"reason": reason}):
        raise ValidationFailed(errors)
    return reason


def _due_words(obligation: rules.Obligation | None) -> str:
    if obligation is None:
        return "nothing more is owed"
    label = rules.REPORT_KIND_LABELS[obligation.report].lower()
    if obligation.due_at is None:
        return f"{label} owed, no date set ({obligation.source})"
    return f"{label} due {obligation.due_at:%Y-%m-%d %H:%M} UTC ({obligation.source})"


def _record(
    session: Session,
    incident: Incident,
    user: User,
    action: str,
    what: str,
    *,
    after: dict[str, Any],
    before: dict[str, Any] | None = None,
) -> None:
    """A change of the incident: a timeline line that ends with what is due next, and
    its audit entry, in the caller's transaction."""
    upcoming = rules.owed(incident)
    case_event(
        session,
        incident.case_id,
        actor_of(user),
        "incident",
        f"{what}; " + _due_words(upcoming[0] if upcoming else None),
        **{k: v for k, v in after.items() if k != "case_id"},
    )
    audit.record(
        session,
        actor=actor_of(user),
        action=action,
        subject_type="incident",
        subject_id=incident.id,
        before=before,
        after=after,
    )


def declare_incident(
    session: Session,
    case_id: int,
    *,
    user: User,
    profile: str,
    category: str,
    aware_at: datetime | None,
    now: datetime | None = None,
) -> Incident:
    """Declare a case a serious incident; its clock runs from ``aware_at``."""
    require_role(user)
    now = now or utcnow()
    errors: dict[str, str] = {}
    if profile not in rules.profiles():
        errors["profile"] = "Must be one of: " + ", ".join(rules.profiles())
    elif category not in rules.categories(profile):
        errors["category"] = f"For this profile, one of: {', '.join(rules.categories(profile))}"
    _check_moment(errors, "aware_at", aware_at, now, "the moment of awareness")
    if errors:
        raise ValidationFailed(errors)
    assert aware_at is not None
    aware_at = aware_at.astimezone(UTC)
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"no case {case_id}")
    if session.execute(select(Incident.id).where(Incident.case_id == case_id)).first():
        raise Conflict(f"case {case_id} is already declared a serious incident")
    incident = Incident(
        case_id=case_id,
        profile=profile,
        category=category,
        aware_at=aware_at,
        status="open",
        declared_by=actor_of(user),
        declared_at=now,
    )
    session.add(incident)
    session.flush()
    _record(
        session,
        incident,
        user,
        "incident.declare",
        f"declared a serious incident: {rules.CATEGORY_LABELS[category]}",
        after={
            "case_id": case_id,
            "profile": profile,
            "category": category,
            "aware_at": aware_at.isoformat(),
        },
    )
    session.commit()
    return incident


def set_awareness(
    session: Session,
    case_id: int,
    aware_at: datetime | None,
    *,
    reason: str | None,
    user: User,
    now: datetime | None = None,
) -> Incident:
    """Correct the moment of awareness, with a reason: every deadline moves with it."""
    require_role(user)
    now = now or utcnow()
    errors: dict[str, str] = {}
    _check_moment(errors, "aware_at", aware_at, now, "the moment of awareness")
    if errors:
        raise ValidationFailed(errors)
    assert aware_at is not None
    aware_at = aware_at.astimezone(UTC)
    reason = _reason(reason, "Say why the moment of awareness changes.")
    incident = _incident(session, case_id)
    before = incident.aware_at
    if before == aware_at:
        return incident
    if incident.resolved_at is not None and aware_at > incident.resolved_at:
        raise ValidationFailed({"aware_at": "Cannot be after the incident was resolved."})
    incident.aware_at = aware_at
    _record(
        session,
        incident,
        user,
        "incident.awareness",
        f"awareness moved from {before:%Y-%m-%d %H:%M} to {aware_at:%Y-%m-%d %H:%M} UTC: " + reason,
        before={"aware_at": before.isoformat()},
        after={"aware_at": aware_at.isoformat(), "reason": reason},
    )
    session.commit()
    return incident


def _items(items: Mapping[str, ItemIn]) -> dict[str, dict[str, str]]:
    """Every item of Measure 9.2, given or missing with a reason; refused otherwise."""
    errors: dict[str, str] = {}
    for key in items:
        if key not in rules.REPORT_ITEMS:
            errors[str(key)[:50]] = "Not an item of the report."
    out: dict[str, dict[str, str]] = {}
    for key, label in rules.REPORT_ITEMS.items():
        given = items.get(key, ItemIn())
        value, reason = given.value.strip(), given.missing_reason.strip()
        # An item is its text, or the reason it is missing; the same checks for both.
        if value:
            field, text, limit, what = "value", value, MAX_ITEM_CHARS, "Must"
        elif reason:
            field, text, limit, what = "missing", reason, MAX_REASON_CHARS, "The reason must"
        else:
            errors[key] = "Give this item, or say why it is missing."
            continue
        if len(text) > limit:
            errors[key] = f"{what} be at most {limit:,} characters."
        elif problem := text_errors({key: text}):
            errors.update(problem)
        else:
            out[key] = {"label": label, field: text}
    if errors:
        raise ValidationFailed(errors)
    return out


def content_hash(content: Mapping[str, Any]) -> str:
    """SHA-256 of a report's content, canonical JSON (sorted keys, no spaces, UTF-8):
    what a recipient recomputes from the JSON export to check it."""
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _evidence(session: Session, case_id: int) -> list[dict[str, Any]]:
    """The case's linked items as they read at submission (masked texts only)."""
    linked = [
        (str(kind), int(item_id))
        for kind, item_id in session.execute(
            select(CaseItem.kind, CaseItem.item_id)
            .where(CaseItem.case_id == case_id)
            .order_by(CaseItem.kind, CaseItem.item_id)
        )
    ]
    labels = item_labels(session, linked)
    return [
        {"kind": kind, "id": item_id, "summary": labels.get(f"{kind}-{item_id}", "")}
        for kind, item_id in linked
    ]


def submit_report(
    session: Session,
    case_id: int,
    *,
    user: User,
    kind: str,
    items: Mapping[str, ItemIn],
    incomplete: bool = False,
    now: datetime | None = None,
) -> IncidentReport:
    """Freeze and record one report: its content and SHA-256, the hash in the audit chain."""
    require_role(user)
    now = now or utcnow()
    incident = _incident(session, case_id)
    if incident.status == "closed":
        raise Conflict(f"the incident of case {case_id} is closed: every report is in")
    outstanding = {o.report: o for o in rules.owed(incident)}
    if kind not in rules.REPORT_KIND_LABELS:
        raise ValidationFailed({"kind": "Must be one of: " + ", ".join(rules.REPORT_KIND_LABELS)})
    if kind not in outstanding:
        raise ValidationFailed(
            {"kind": "Not owed now; owed: " + (", ".join(outstanding) or "nothing")}
        )
    if incomplete and (kind != "initial" or not rules.allows_incomplete(incident.profile)):
        raise ValidationFailed(
            {"incomplete": "Only the initial report of a high-risk system may be incomplete."}
        )
    checked = _items(items)
    obligation = outstanding[kind]
    number = len(incident.reports) + 1
    content: dict[str, Any] = {
        "schema": "misusewatch.serious-incident-report/1",
        "case_id": case_id,
        "incident": {
            "profile": incident.profile,
            "profile_label": rules.PROFILE_LABELS[incident.profile],
            "category": incident.category,
            "category_label": rules.CATEGORY_LABELS[incident.category],
            "aware_at": iso(incident.aware_at),
            "resolved_at": iso(incident.resolved_at),
        },
        "report": {
            "number": number,
            "kind": kind,
            "kind_label": rules.REPORT_KIND_LABELS[kind],
            "incomplete": incomplete,
            "due_at": iso(obligation.due_at),
            "deadline_source": obligation.source,
            "submitted_at": iso(now),
            "submitted_by": actor_of(user),
        },
        "items": checked,
        "evidence": _evidence(session, case_id),
        "earlier_reports": [
            {"number": r.number, "kind": r.kind, "sha256": r.content_sha256}
            for r in incident.reports
        ],
    }
    # What is hashed is what the database hands back: JSON types only.
    content = json.loads(json.dumps(content))
    digest = content_hash(content)
    # The deadline warnings about this report are answered by it.
    answered = list(
        session.execute(
            select(Alert.id).where(
                Alert.subject_type == ALERT_SUBJECT,
                Alert.subject_id == _alert_subject(case_id, kind),
                Alert.status == "open",
            )
        ).scalars()
    )
    if answered:
        session.execute(
            update(Alert)
            .where(Alert.id.in_(answered))
            .values(
                status="acknowledged", status_reason=f"report {number} submitted", updated_at=now
            )
        )
    event = audit.record(
        session,
        actor=actor_of(user),
        action="incident.report",
        subject_type="incident",
        subject_id=incident.id,
        after={
            "case_id": case_id,
            "number": number,
            "kind": kind,
            "sha256": digest,
            "alerts_acknowledged": answered,
        },
    )
    report = IncidentReport(
        incident_id=incident.id,
        number=number,
        kind=kind,
        incomplete=incomplete,
        due_at=obligation.due_at,
        submitted_at=now,
        submitted_by=actor_of(user),
        content=content,
        content_sha256=digest,
        audit_event_id=event.id,
    )
    session.add(report)
    session.flush()
    session.refresh(incident, ["reports"])
    missing = [k for k, v in checked.items() if "missing" in v]
    late = obligation.due_at is not None and now > obligation.due_at
    next_due = rules.owed(incident)
    if incident.resolved_at is not None and not next_due:
        incident.status = "closed"
    case_event(
        session,
        case_id,
        actor_of(user),
        "incident",
        f"{rules.REPORT_KIND_LABELS[kind]} submitted"
        + (" late" if late else "")
        + (f", {len(missing)} item(s) missing" if missing else "")
        + f" (SHA-256 {digest[:16]}…); "
        + _due_words(next_due[0] if next_due else None),
        report_number=number,
        sha256=digest,
        missing=missing,
    )
    session.commit()
    return report


def resolve_incident(
    session: Session,
    case_id: int,
    *,
    user: User,
    resolved_at: datetime | None = None,
    now: datetime | None = None,
) -> Incident:
    """Record that the incident is resolved: intermediate reports stop, a final one may
    become due (per the profile)."""
    require_role(user)
    now = now or utcnow()
    resolved_at = resolved_at or now
    errors: dict[str, str] = {}
    _check_moment(errors, "resolved_at", resolved_at, now, "when it was resolved")
    if errors:
        raise ValidationFailed(errors)
    resolved_at = resolved_at.astimezone(UTC)
    incident = _incident(session, case_id)
    if incident.resolved_at is not None:
        raise Conflict(f"the incident of case {case_id} was resolved already")
    if resolved_at < incident.aware_at:
        raise ValidationFailed({"resolved_at": "Cannot be before the moment of awareness."})
    incident.resolved_at = resolved_at
    incident.status = "resolved" if rules.owed(incident) else "closed"
    _record(
        session,
        incident,
        user,
        "incident.resolve",
        "incident resolved",
        before={"status": "open"},
        after={"status": incident.status, "resolved_at": resolved_at.isoformat()},
    )
    session.commit()
    return incident


def _report(session: Session, case_id: int, number: int) -> tuple[Incident, IncidentReport]:
    incident = _incident(session, case_id)
    for report in incident.reports:
        if report.number == number:
            return incident, report
    raise NotFound(f"case {case_id} has no incident report {number}")


def verify_report(session: Session, report: IncidentReport) -> str | None:
    """Why a stored report no longer matches what was submitted, or None."""
    if content_hash(report.content) != report.content_sha256:
        return "its content was changed after it was submitted"
    event = session.get(AuditEvent, report.audit_event_id)
    if event is None or (event.after or {}).get("sha256") != report.content_sha256:
        return "its hash does not match the one in the audit log"
    return None


def export_report(session: Session, case_id: int, number: int, *, actor: str) -> dict[str, Any]:
    """A submitted report as sent, with its hash and the audit entry that chains it.

    A report whose content or hash no longer matches is refused, never exported as if
    it were the one submitted. The export itself is audited."""
    incident, report = _report(session, case_id, number)
    if problem := verify_report(session, report):
        raise Conflict(f"incident report {number} of case {case_id} is not intact: {problem}")
    event = session.get(AuditEvent, report.audit_event_id)
    assert event is not None
    audit.record(
        session,
        actor=actor,
        action="incident.export",
        subject_type="incident",
        subject_id=incident.id,
        after={"case_id": case_id, "number": number, "sha256": report.content_sha256},
    )
    session.commit()
    return {
        "content": report.content,
        "sha256": report.content_sha256,
        "hash_method": "SHA-256 of content as JSON with sorted keys, no spaces, UTF-8",
        "audit": {"event_id": event.id, "entry_hash": event.entry_hash, "at": iso(event.at)},
    }


def _alert_subject(case_id: int, kind: str) -> str:
    return f"case:{case_id}/{kind}"


def raise_deadline_alerts(session: Session, *, now: datetime | None = None) -> dict[str, int]:
    """The incidents job: an alert a day before each dated deadline, and one when it passes.

    Each alert is raised once (the alert table is unique on subject and window start);
    one transaction for the run."""
    now = now or utcnow()
    stats = {"due_soon": 0, "overdue": 0}
    incidents = session.execute(
        select(Incident).where(Incident.status != "closed").order_by(Incident.id)
    ).scalars()
    for incident in incidents:
        for obligation in rules.owed(incident):
            due = obligation.due_at
            if due is None or now < due - WARN_BEFORE:
                continue
            overdue = now >= due
            window_start = due if overdue else due - WARN_BEFORE
            subject = _alert_subject(incident.case_id, obligation.report)
            exists = session.execute(
                select(Alert.id).where(
                    Alert.subject_type == ALERT_SUBJECT,
                    Alert.subject_id == subject,
                    Alert.window_start == window_start,
                )
            ).first()
            if exists:
                continue
            label = rules.REPORT_KIND_LABELS[obligation.report]
            explanation = (
                f"Case {incident.case_id}: the {label.lower()} of the serious incident "
                + (
                    f"was due {due:%Y-%m-%d %H:%M} UTC and has not been submitted"
                    if overdue
                    else f"is due {due:%Y-%m-%d %H:%M} UTC, in less than a day"
                )
                + f" ({obligation.source})."
            )
            session.add(
                Alert(
                    subject_type=ALERT_SUBJECT,
                    subject_id=subject,
                    window_start=window_start,
                    window_end=now if overdue else due,
                    # As the webhook alerts: a fixed score, not an anomaly measure.
                    score=1.0,
                    features={
                        "case_id": incident.case_id,
                        "report": obligation.report,
                        "due_at": due.isoformat(),
                        "overdue": overdue,
                    },
                    explanation=explanation,
                    created_at=now,
                    updated_at=now,
                )
            )
            stats["overdue" if overdue else "due_soon"] += 1
    session.commit()
    return stats
