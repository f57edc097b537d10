"""The scheduler process: one per database, running the job table on its intervals."""

from __future__ import annotations

import logging
import signal
import threading
import time
from datetime import timedelta
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import func, select

from core.db import Database
from core.models import JobRun
from core.models.base import utcnow
from core.services import leases
from jobs.locking import TTL, LeaseTaken, held
from jobs.offload import close_cluster_clients
from jobs.runs import recorded_run
from jobs.specs import JOBS, JobSpec

log = logging.getLogger("misuse.scheduler")
SCHEDULER_LEASE = "scheduler"


def run_job(
    db: Database, spec: JobSpec, opts: dict[str, Any] | None = None, progress: Any = None
) -> bool:
    """Run one job unless another run of it is in progress anywhere. True if it ran."""
    try:
        with held(db, f"job:{spec.id}"):
            with recorded_run(db, spec.id) as rec:
                spec.run(db, rec, progress, opts or {})
            return True
    except LeaseTaken as exc:
        log.info("job %s skipped: already running (%s)", spec.id, exc.holder)
        return False


def _last_ok(db: Database, job: str) -> Any:
    with db.session_scope() as session:
        return session.execute(
            select(func.max(JobRun.started_at)).where(JobRun.job == job, JobRun.status == "ok")
        ).scalar_one_or_none()


def _safe_run(db: Database, spec: JobSpec) -> None:
    started = time.monotonic()
    try:
        ran = run_job(db, spec)
    except Exception:
        # Recorded as a failed run with its traceback; the next run picks the work up.
        log.exception("job %s failed", spec.id)
        return
    if ran:
        # What an operator watching the console wants from each run (the full
        # record, stats included, is in `misuse jobs runs`).
        with db.session_scope() as session:
            items = session.execute(
                select(JobRun.items_processed)
                .where(JobRun.job == spec.id)
                .order_by(JobRun.id.desc())
                .limit(1)
            ).scalar_one_or_none()
        log.info(
            "job %s: ok, %s items in %.1f s", spec.id, f"{items or 0:,}", time.monotonic() - started
        )


def serve_jobs(db: Database, *, stop: threading.Event | None = None) -> None:
    """Hold the scheduler lease and run the enabled jobs until stopped.

    A second scheduler on the same database waits as a standby and says so;
    it takes over when the first one stops or dies (its lease expires).
    """
    stop = stop or threading.Event()
    holder = leases.this_process()
    announced = False
    while not stop.is_set():
        with db.session_scope() as session:
            if leases.acquire(session, SCHEDULER_LEASE, holder=holder, ttl=TTL):
                break
            current = leases.holder_of(session, SCHEDULER_LEASE)
        if not announced:
            log.warning(
                "another scheduler (%s) is running jobs for this database; "
                "this one waits and takes over if it stops",
                current.holder if current else "?",
            )
            announced = True
        stop.wait(TTL.total_seconds() / 3)
    if stop.is_set():
        return
    log.info("scheduler started (%s)", holder)
    # One job at a time, in table order when several are due (embed before group
    # before detect): they feed each other and share two cores with the web workers.
    scheduler = BackgroundScheduler(
        executors={"default": ThreadPoolExecutor(max_workers=1)},
        timezone="UTC",
        job_defaults={
            # One run at a time per job; runs missed while down collapse into one.
            "max_instances": 1,
            "coalesce": True,
            "misfire_grace_time": None,
        },
    )
    now = utcnow()
    for position, spec in enumerate(JOBS):
        if not spec.enabled:
            continue
        interval = spec.interval(db.settings)
        last = _last_ok(db, spec.id)
        # Catch up on work missed while no scheduler ran: due jobs start now.
        due = last is None or now - last >= timedelta(seconds=interval)
        scheduler.add_job(
            _safe_run,
            "interval",
            seconds=interval,
            args=(db, spec),
            id=spec.id,
            name=spec.id,
            # A microsecond apart in table order: APScheduler runs jobs due at the same
            # instant in the order of their ids (detect before embed).
            next_run_time=(now if due else last + timedelta(seconds=interval))
            + timedelta(microseconds=position),
        )
    _start_without_signals(scheduler)
    try:
        while not stop.wait(TTL.total_seconds() / 3):
            with db.session_scope() as session:
                if not leases.acquire(session, SCHEDULER_LEASE, holder=holder, ttl=TTL):
                    log.error("scheduler lease lost; stopping")
                    break
    finally:
        scheduler.shutdown(wait=True)
        # The runs' Dask client is kept between runs; a scheduler that stops inside a
        # longer-lived process (a standby's takeover, the tests) lets it go.
        close_cluster_clients()
        with db.session_scope() as session:
            leases.release(session, SCHEDULER_LEASE, holder=holder)
        log.info("scheduler stopped")


def _start_without_signals(scheduler: BackgroundScheduler) -> None:
    """Start the scheduler's threads with SIGINT and SIGTERM blocked in them (threads
    started from them inherit that: the job runner, the lease heartbeats).

    The kernel hands a signal for the process to any thread that does not block it.
    Python runs the handler in the main thread only, and only once that thread runs
    again: one that waits on ``stop`` for the next lease renewal stayed asleep for up
    to TTL / 3 (a minute) after a SIGTERM that landed on a job thread. With the other
    threads blocking them, signals reach the waiting main thread and wake it at once.
    """
    if threading.current_thread() is not threading.main_thread():
        scheduler.start()  # no signal handler can run in this thread anyway
        return
    signals = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, signals)
    try:
        scheduler.start()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def install_signal_handlers(stop: threading.Event) -> None:
    def handler(signum: int, _frame: Any) -> None:
        log.info("signal %s: stopping after the running jobs finish", signum)
        stop.set()

    signal.signal(signal.SIGINT, handler)
    signal.signal(signal.SIGTERM, handler)
