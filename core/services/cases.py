"""Cases: an investigation opened from an alert, a campaign or reports.

Every change writes a line to the case's own timeline (what the analyst reads)
and an entry to the hash-chained audit log (what an auditor verifies), in the
same transaction as the change itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.exceptions import NotFound, ValidationFailed
from core.models import (
    CASE_ITEM_KINDS,
    CASE_STATUSES,
    Alert,
    Campaign,
    CampaignItem,
    Case,
    CaseEvent,
    CaseItem,
    EvidenceHold,
    LogRecord,
    Report,
    User,
)
from core.models.base import MAX_ID, utcnow
from core.records import text_errors
from core.services import audit
from core.services.access import actor_of, require_role

ORIGIN_TYPES = ("alert", "campaign", "reports", "manual")
MAX_NOTE_CHARS = 10_000


def _event(
    session: Session, case: Case, user: User | str, kind: str, body: str = "", **data: Any
) -> None:
    actor = user if isinstance(user, str) else actor_of(user)
    session.add(CaseEvent(case_id=case.id, actor=actor, kind=kind, body=body, data=data))
    case.updated_at = utcnow()


def _get(session: Session, case_id: int) -> Case:
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"no case {case_id}")
    return case


def _check_items(session: Session, items: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    """Every linked item must exist; unknown kinds or ids are refused as a whole."""
    wanted = list(dict.fromkeys((str(k), int(i)) for k, i in items))
    for kind, item_id in wanted:
        if not 0 < item_id <= MAX_ID:
            raise NotFound(f"no {kind} {item_id}")
    tables: dict[str, Any] = {
        "report": Report,
        "log": LogRecord,
        "campaign": Campaign,
        "alert": Alert,
    }
    for kind in {k for k, _ in wanted}:
        if kind not in CASE_ITEM_KINDS:
            raise ValidationFailed({"items": f"Unknown item kind {kind!r}."})
        ids = [i for k, i in wanted if k == kind]
        model = tables[kind]
        found = set(session.execute(select(model.id).where(model.id.in_(ids))).scalars())
        missing = sorted(set(ids) - found)
        if missing:
            raise NotFound(f"no {kind} {missing[0]}")
    return wanted


def _add_items(session: Session, case: Case, items: list[tuple[str, int]]) -> list[tuple[str, int]]:
    have = set(
        session.execute(select(CaseItem.kind, CaseItem.item_id).where(CaseItem.case_id == case.id))
    )
    new = [(k, i) for k, i in items if (k, i) not in have]
    for kind, item_id in new:
        session.add(CaseItem(case_id=case.id, kind=kind, item_id=item_id))
    # Log samples in a case are evidence: retention must keep them. A linked campaign's
    # samples are held by the campaign already, and stay held through the case.
    log_ids = [i for k, i in new if k == "log"]
    if log_ids:
        held = set(
            session.execute(
                select(EvidenceHold.log_record_id).where(
                    EvidenceHold.holder_type == "case",
                    EvidenceHold.holder_id == case.id,
                    EvidenceHold.log_record_id.in_(log_ids),
                )
            ).scalars()
        )
        for log_id in log_ids:
            if log_id not in held:
                session.add(
                    EvidenceHold(log_record_id=log_id, holder_type="case", holder_id=case.id)
                )
    campaign_ids = [i for k, i in new if k == "campaign"]
    if campaign_ids:
        campaign_logs = session.execute(
            select(CampaignItem.item_id).where(
                CampaignItem.campaign_id.in_(campaign_ids), CampaignItem.kind == "log"
            )
        ).scalars()
        existing = set(
            session.execute(
                select(EvidenceHold.log_record_id).where(
                    EvidenceHold.holder_type == "case", EvidenceHold.holder_id == case.id
                )
            ).scalars()
        )
        for log_id in set(campaign_logs) - existing:
            session.add(EvidenceHold(log_record_id=log_id, holder_type="case", holder_id=case.id))
    return new


def open_case(
    session: Session,
    *,
    title: str,
    origin_type: str,
    user: User,
    origin_id: int | None = None,
    items: Iterable[tuple[str, int]] = (),
) -> Case:
    """Open a case. An alert or campaign origin is linked and escalated in the same step."""
    require_role(user)
    title = title.strip()
    errors = text_errors({"title": title})
    if not title or len(title) > 200:
        errors["title"] = "Must be 1 to 200 characters."
    if origin_type not in ORIGIN_TYPES:
        errors["origin_type"] = "Must be one of: " + ", ".join(ORIGIN_TYPES)
    elif origin_type in ("alert", "campaign") and origin_id is None:
        errors["origin_id"] = f"Say which {origin_type} the case comes from."
    if errors:
        raise ValidationFailed(errors)
    wanted = list(items)
    if origin_type in ("alert", "campaign") and origin_id is not None:
        wanted.insert(0, (origin_type, origin_id))
    checked = _check_items(session, wanted)
    if origin_type == "reports" and not any(k == "report" for k, _ in checked):
        raise ValidationFailed({"items": "A case from reports needs at least one report."})
    case = Case(
        title=title,
        origin_type=origin_type,
        origin_id=origin_id,
        opened_by_id=user.id,
        assignee_id=user.id,
        status="open",
    )
    session.add(case)
    session.flush()
    _add_items(session, case, checked)
    _event(session, case, user, "opened", title, origin_type=origin_type, origin_id=origin_id)
    if checked:
        _event(session, case, user, "link", "", items=[[k, i] for k, i in checked])
    # The alert or campaign is now being handled in this case.
    for item_kind, item_id in checked:
        if item_kind in ("alert", "campaign"):
            kind = item_kind
            row: Alert | Campaign | None = (
                session.get(Alert, item_id) if kind == "alert" else session.get(Campaign, item_id)
            )
            if row is not None and row.status != "escalated":
                before = row.status
                row.status = "escalated"
                row.status_reason = f"case {case.id}"
                audit.record(
                    session,
                    actor=actor_of(user),
                    action=f"{kind}.status",
                    subject_type=kind,
                    subject_id=item_id,
                    before={"status": before},
                    after={"status": "escalated", "case_id": case.id},
                )
    audit.record(
        session,
        actor=actor_of(user),
        action="case.open",
        subject_type="case",
        subject_id=case.id,
        after={
            "title": title,
            "origin_type": origin_type,
            "origin_id": origin_id,
            "items": [[k, i] for k, i in checked],
        },
    )
    session.commit()
    return case


def add_note(session: Session, case_id: int, body: str, *, user: User) -> None:
    require_role(user)
    body = body.strip()
    if not body or len(body) > MAX_NOTE_CHARS:
        raise ValidationFailed({"note": f"Must be 1 to {MAX_NOTE_CHARS} characters."})
    if errors := text_errors({"note": body}):
        raise ValidationFailed(errors)
    case = _get(session, case_id)
    _event(session, case, user, "note", body)
    audit.record(
        session,
        actor=actor_of(user),
        action="case.note",
        subject_type="case",
        subject_id=case_id,
        after={"note_chars": len(body)},
    )
    session.commit()


def set_case_status(session: Session, case_id: int, status: str, *, user: User) -> None:
    require_role(user)
    if status not in CASE_STATUSES:
        raise ValidationFailed({"status": "Must be one of: " + ", ".join(CASE_STATUSES)})
    case = _get(session, case_id)
    before = case.status
    if before == status:
        return
    case.status = status
    if status == "decided" and case.decided_at is None:
        case.decided_at = utcnow()
    _event(session, case, user, "status", f"{before} → {status}", before=before, after=status)
    audit.record(
        session,
        actor=actor_of(user),
        action="case.status",
        subject_type="case",
        subject_id=case_id,
        before={"status": before},
        after={"status": status},
    )
    session.commit()


def assign_case(session: Session, case_id: int, assignee_id: int | None, *, user: User) -> None:
    require_role(user)
    case = _get(session, case_id)
    name = None
    if assignee_id is not None:
        assignee = session.get(User, assignee_id)
        if assignee is None or not assignee.has_role("analyst"):
            raise ValidationFailed({"assignee": "No active analyst has that id."})
        name = assignee.email
    before = case.assignee_id
    if before == assignee_id:
        return
    case.assignee_id = assignee_id
    _event(session, case, user, "assign", name or "unassigned", assignee_id=assignee_id)
    audit.record(
        session,
        actor=actor_of(user),
        action="case.assign",
        subject_type="case",
        subject_id=case_id,
        before={"assignee_id": before},
        after={"assignee_id": assignee_id},
    )
    session.commit()


def link_items(
    session: Session, case_id: int, items: Iterable[tuple[str, int]], *, user: User
) -> int:
    require_role(user)
    case = _get(session, case_id)
    new = _add_items(session, case, _check_items(session, items))
    if new:
        _event(session, case, user, "link", "", items=[[k, i] for k, i in new])
        audit.record(
            session,
            actor=actor_of(user),
            action="case.link",
            subject_type="case",
            subject_id=case_id,
            after={"items": [[k, i] for k, i in new]},
        )
    session.commit()
    return len(new)


def case_event(
    session: Session, case_id: int, actor: str, kind: str, body: str, **data: Any
) -> None:
    """A timeline line written by another service (sanctions, appeals) in its transaction."""
    _event(session, _get(session, case_id), actor, kind, body, **data)
