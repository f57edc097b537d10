"""The append-only, hash-chained audit log."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from core.models import AuditEvent
from core.models.base import utcnow

GENESIS = "0" * 64


def _canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)


def _entry_hash(
    prev_hash: str,
    at: datetime,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: str,
    before: Any,
    after: Any,
) -> str:
    # Microsecond ISO time in UTC: identical on SQLite and PostgreSQL after a round trip.
    payload = _canonical(
        [
            prev_hash,
            at.isoformat(timespec="microseconds"),
            actor,
            action,
            subject_type,
            subject_id,
            before,
            after,
        ]
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    subject_type: str,
    subject_id: str | int,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event in the caller's transaction (it commits or rolls back with it)."""
    # Serialise writers so two transactions never chain onto the same predecessor.
    # On SQLite the flush below already holds the database's single write lock.
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(4242001)"))
    session.flush()
    prev = (
        session.execute(
            select(AuditEvent.entry_hash).order_by(AuditEvent.id.desc()).limit(1)
        ).scalar_one_or_none()
        or GENESIS
    )
    at = utcnow()
    before_j = json.loads(_canonical(before)) if before is not None else None
    after_j = json.loads(_canonical(after)) if after is not None else None
    event = AuditEvent(
        at=at,
        actor=actor,
        action=action,
        subject_type=subject_type,
        subject_id=str(subject_id),
        before=before_j,
        after=after_j,
        prev_hash=prev,
        entry_hash=_entry_hash(
            prev, at, actor, action, subject_type, str(subject_id), before_j, after_j
        ),
    )
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class ChainProblem:
    event_id: int
    problem: str


def verify_chain(session: Session) -> Iterator[ChainProblem]:
    """Yield every entry whose content or link no longer matches the chain."""
    prev = GENESIS
    # Ids may have gaps (a rolled-back transaction still uses up a sequence value),
    # so deletions are found through the links, not the ids.
    for ev in session.execute(select(AuditEvent).order_by(AuditEvent.id)).scalars():
        if ev.prev_hash != prev:
            yield ChainProblem(ev.id, "does not link to the entry before it (deleted or reordered)")
        computed = _entry_hash(
            ev.prev_hash,
            ev.at,
            ev.actor,
            ev.action,
            ev.subject_type,
            ev.subject_id,
            ev.before,
            ev.after,
        )
        if computed != ev.entry_hash:
            yield ChainProblem(ev.id, "content was edited after it was written")
        prev = ev.entry_hash
