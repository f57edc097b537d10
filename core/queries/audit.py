"""The audit log page: its filter menus and one page of events, each subject named
as people call it."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.models import AuditEvent, Deployer, Sanction, User
from core.queries.common import in_range, iso


def audit_facets(session: Session) -> dict[str, list[str]]:
    """The actions and subject types that occur, for the filter menus."""
    actions = session.execute(
        select(AuditEvent.action).group_by(AuditEvent.action).order_by(AuditEvent.action)
    ).scalars()
    subjects = session.execute(
        select(AuditEvent.subject_type)
        .group_by(AuditEvent.subject_type)
        .order_by(AuditEvent.subject_type)
    ).scalars()
    return {"actions": list(actions), "subject_types": list(subjects)}


def _like_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def audit_page(
    session: Session,
    *,
    actor: str | None = None,
    action: str | None = None,
    subject_type: str | None = None,
    subject_id: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    """Audit events, newest first; ``actor`` matches any part, case-insensitively."""
    where: list[Any] = [*in_range(AuditEvent.at, start, end)]
    if actor:
        where.append(AuditEvent.actor.ilike(f"%{_like_escape(actor.strip())}%", escape="\\"))
    if action:
        where.append(AuditEvent.action == action)
    if subject_type:
        where.append(AuditEvent.subject_type == subject_type)
    if subject_id:
        where.append(AuditEvent.subject_id == subject_id.strip())
    total = session.execute(select(func.count()).select_from(AuditEvent).where(*where)).scalar_one()
    rows = (
        session.execute(
            select(AuditEvent)
            .where(*where)
            .order_by(AuditEvent.id.desc())
            .limit(limit)
            .offset(offset)
        )
        .scalars()
        .all()
    )
    names = _audit_subject_names(session, rows)
    return {
        "total": int(total),
        "rows": [
            {
                "id": e.id,
                "at": iso(e.at),
                "actor": e.actor,
                "action": e.action,
                "subject_type": e.subject_type,
                "subject_id": e.subject_id,
                "subject": names.get((e.subject_type, e.subject_id), {}),
                "before": e.before,
                "after": e.after,
            }
            for e in rows
        ],
    }


def _audit_subject_names(
    session: Session, events: Sequence[AuditEvent]
) -> dict[tuple[str, str], dict[str, Any]]:
    """What people call an entry's subject: a sanction's SR- reference (and its case),
    a deployer's or a user's name, instead of a row number."""
    ids: dict[str, set[int]] = {}
    for e in events:
        if e.subject_id.isdigit():
            ids.setdefault(e.subject_type, set()).add(int(e.subject_id))
    out: dict[tuple[str, str], dict[str, Any]] = {}
    if ids.get("sanction"):
        for i, ref, case_id in session.execute(
            select(Sanction.id, Sanction.reference, Sanction.case_id).where(
                Sanction.id.in_(ids["sanction"])
            )
        ):
            out[("sanction", str(i))] = {"name": ref, "case_id": case_id}
    if ids.get("deployer"):
        for i, name in session.execute(
            select(Deployer.id, Deployer.name).where(Deployer.id.in_(ids["deployer"]))
        ):
            out[("deployer", str(i))] = {"name": name}
    if ids.get("user"):
        for i, email in session.execute(
            select(User.id, User.email).where(User.id.in_(ids["user"]))
        ):
            out[("user", str(i))] = {"name": email}
    return out
