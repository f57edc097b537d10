"""Named leases: database locks that expire, so a crashed holder frees them.

One row per name. Acquiring is an insert-or-take-over in one statement each, so
two processes racing for a lease cannot both win, on SQLite or PostgreSQL.
"""

from __future__ import annotations

import os
import socket
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from core.models import Lease
from core.models.base import utcnow


def this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def acquire(
    session: Session, name: str, *, holder: str, ttl: timedelta, now: datetime | None = None
) -> bool:
    """Take the lease (or renew it, if ``holder`` has it). Commits. True if held now."""
    now = now or utcnow()
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(Lease)
        .values(name=name, holder=holder, acquired_at=now, expires_at=now + ttl)
        .on_conflict_do_nothing(index_elements=["name"])
    )
    session.execute(
        update(Lease)
        .where(Lease.name == name, or_(Lease.holder == holder, Lease.expires_at < now))
        .values(holder=holder, expires_at=now + ttl)
    )
    session.commit()
    current = session.execute(select(Lease.holder).where(Lease.name == name)).scalar_one()
    return bool(current == holder)


def holder_of(session: Session, name: str, *, now: datetime | None = None) -> Lease | None:
    now = now or utcnow()
    lease = session.get(Lease, name)
    if lease is None or lease.expires_at < now:
        return None
    return lease


def release(session: Session, name: str, *, holder: str) -> None:
    session.execute(delete(Lease).where(Lease.name == name, Lease.holder == holder))
    session.commit()
