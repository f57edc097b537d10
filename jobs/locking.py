"""Holding a lease for as long as some work runs, renewed by a heartbeat thread."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from core.db import Database
from core.services import leases

log = logging.getLogger(__name__)

# Short enough that a killed holder frees the lease within minutes, long enough
# that a busy machine renews in time.
TTL = timedelta(minutes=3)


class LeaseTaken(Exception):
    def __init__(self, name: str, holder: str):
        super().__init__(f"{name} is held by {holder}")
        self.name = name
        self.holder = holder


@contextmanager
def held(db: Database, name: str, *, holder: str | None = None) -> Iterator[None]:
    """Run the body while holding lease ``name``; raise LeaseTaken if someone else has it."""
    holder = holder or leases.this_process()
    with db.session_scope() as session:
        if not leases.acquire(session, name, holder=holder, ttl=TTL):
            current = leases.holder_of(session, name)
            raise LeaseTaken(name, current.holder if current else "another process")
    stop = threading.Event()

    def renew() -> None:
        while not stop.wait(TTL.total_seconds() / 3):
            try:
                with db.session_scope() as session:
                    if not leases.acquire(session, name, holder=holder, ttl=TTL):
                        log.error("lost lease %s", name)
            except Exception:  # a failed renewal is retried at the next beat
                log.exception("renewing lease %s failed", name)

    beat = threading.Thread(target=renew, name=f"lease:{name}", daemon=True)
    beat.start()
    try:
        yield
    finally:
        stop.set()
        beat.join(timeout=5)
        with db.session_scope() as session:
            leases.release(session, name, holder=holder)
