"""Recording job runs: every run gets a row with its outcome, parameters and error."""

from __future__ import annotations

import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import select

from core.db import Database
from core.models import JobRun
from core.models.base import utcnow


class RunRecorder:
    """Handed to a job: it fills in what the run processed and its parameters."""

    def __init__(self, run_id: int):
        self.run_id = run_id
        self.items_processed = 0
        self.params: dict[str, Any] = {}
        self.stats: dict[str, Any] = {}


@contextmanager
def recorded_run(db: Database, job: str) -> Iterator[RunRecorder]:
    """Record a run. The job's own work commits or rolls back in its own
    transactions; this row is written before and after, so a crash mid-way still
    leaves a 'failed' row with the traceback."""
    with db.session_scope() as session:
        run = JobRun(job=job, status="running", started_at=utcnow())
        session.add(run)
        session.commit()
        run_id = run.id
    recorder = RunRecorder(run_id)
    try:
        yield recorder
    except BaseException as exc:
        _finish(db, recorder, "failed", "".join(traceback.format_exception(exc)))
        raise
    _finish(db, recorder, "ok", None)


def _finish(db: Database, recorder: RunRecorder, status: str, error: str | None) -> None:
    with db.session_scope() as session:
        run = session.get(JobRun, recorder.run_id)
        assert run is not None
        run.status = status
        run.finished_at = utcnow()
        run.items_processed = recorder.items_processed
        run.params = recorder.params
        run.stats = recorder.stats
        run.error = error
        session.commit()


def recent_runs(db: Database, job: str | None = None, limit: int = 20) -> list[JobRun]:
    with db.session_scope() as session:
        stmt = select(JobRun).order_by(JobRun.id.desc()).limit(limit)
        if job:
            stmt = stmt.where(JobRun.job == job)
        return list(session.execute(stmt).scalars())


Progress = Callable[[int, int], None]
