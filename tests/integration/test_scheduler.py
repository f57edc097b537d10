import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.models import JobRun
from core.models.base import utcnow
from core.services import leases
from jobs.locking import held
from jobs.scheduler import SCHEDULER_LEASE, run_job, serve_jobs
from jobs.specs import get_job


def test_lease_is_exclusive_and_expires(db):
    with db.session_scope() as s:
        assert leases.acquire(s, "x", holder="a", ttl=timedelta(minutes=1))
        assert not leases.acquire(s, "x", holder="b", ttl=timedelta(minutes=1))
        assert leases.acquire(s, "x", holder="a", ttl=timedelta(minutes=1))  # renewal
        later = utcnow() + timedelta(minutes=2)
        assert leases.acquire(s, "x", holder="b", ttl=timedelta(minutes=1), now=later)


def test_a_job_never_overlaps_itself(db):
    with held(db, "job:retention", holder="someone-else"):
        assert run_job(db, get_job("retention")) is False
    assert run_job(db, get_job("retention")) is True
    with db.session_scope() as s:
        assert s.execute(select(func.count()).select_from(JobRun)).scalar_one() == 1


def test_failed_run_is_recorded_with_traceback(db, monkeypatch):
    from core.services import retention

    def boom(session, **kw):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(retention, "apply_retention", boom)
    with pytest.raises(RuntimeError, match="disk on fire"):
        run_job(db, get_job("retention"))
    with db.session_scope() as s:
        run = s.execute(select(JobRun)).scalar_one()
        assert run.status == "failed" and "disk on fire" in run.error
        assert "Traceback" in run.error and run.finished_at is not None


def test_second_scheduler_waits_and_jobs_run_once(db, caplog):
    stop = threading.Event()
    first = threading.Thread(target=serve_jobs, args=(db,), kwargs={"stop": stop})
    first.start()
    deadline = time.monotonic() + 120
    jobs_seen: set[str] = set()
    while time.monotonic() < deadline and len(jobs_seen) < 6:
        with db.session_scope() as s:
            jobs_seen = set(
                s.execute(select(JobRun.job).where(JobRun.status != "running")).scalars()
            )
        time.sleep(0.2)
    assert jobs_seen == {"embed", "group", "detect", "expire", "webhooks", "retention"}, (
        "due jobs catch up at start"
    )

    stop_second = threading.Event()
    caplog.set_level("WARNING", logger="misuse.scheduler")
    second = threading.Thread(target=serve_jobs, args=(db,), kwargs={"stop": stop_second})
    # A second scheduler in another process would have another holder name.
    from unittest import mock

    with mock.patch.object(leases, "this_process", return_value="other-host:1"):
        second.start()
        time.sleep(1.0)
        stop_second.set()
        second.join(timeout=30)
    assert "another scheduler" in caplog.text
    stop.set()
    first.join(timeout=60)
    with db.session_scope() as s:
        counts = dict(
            (j, n) for j, n in s.execute(select(JobRun.job, func.count()).group_by(JobRun.job))
        )
        # The webhooks job runs every 30 s: it may come round again during the test.
        assert counts.pop("webhooks") >= 1
        assert counts == {"embed": 1, "group": 1, "detect": 1, "expire": 1, "retention": 1}
        assert leases.holder_of(s, SCHEDULER_LEASE) is None  # released on stop
