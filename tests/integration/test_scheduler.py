import os
import re
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from core.models import JobRun
from core.models.base import utcnow
from core.services import leases
from jobs.locking import held
from jobs.runs import recorded_run
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


# The embed job on an empty instance folder exports, compiles and probes the model.
@pytest.mark.slow
def test_second_scheduler_waits_and_jobs_run_once(db, caplog):
    stop = threading.Event()
    first = threading.Thread(target=serve_jobs, args=(db,), kwargs={"stop": stop})
    first.start()
    every_job = {"embed", "group", "detect", "expire", "incidents", "webhooks", "retention"}
    deadline = time.monotonic() + 120
    jobs_seen: set[str] = set()
    # Until every job has finished once: stopping earlier would stop the scheduler
    # with the last job not yet run.
    while time.monotonic() < deadline and jobs_seen != every_job:
        with db.session_scope() as s:
            jobs_seen = set(
                s.execute(select(JobRun.job).where(JobRun.status != "running")).scalars()
            )
        time.sleep(0.2)
    assert jobs_seen == every_job, "due jobs catch up at start"

    stop_second = threading.Event()
    caplog.set_level("WARNING", logger="misuse.scheduler")
    second = threading.Thread(target=serve_jobs, args=(db,), kwargs={"stop": stop_second})
    # A second scheduler in another process would have another holder name.
    from unittest import mock

    with mock.patch.object(leases, "this_process", return_value="other-host:1"):
        second.start()
        # Until the standby has said what it is doing, not for a guessed while.
        deadline = time.monotonic() + 30
        while "another scheduler" not in caplog.text and time.monotonic() < deadline:
            time.sleep(0.05)
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
        assert counts == {
            "embed": 1,
            "group": 1,
            "detect": 1,
            "expire": 1,
            "incidents": 1,
            "retention": 1,
        }
        assert leases.holder_of(s, SCHEDULER_LEASE) is None  # released on stop
        # Due at once, they ran in table order: each job reads what the one before wrote.
        started = list(s.execute(select(JobRun.job).order_by(JobRun.id)).scalars())
        assert started[:3] == ["embed", "group", "detect"], started


def test_the_console_shows_each_run_and_no_apscheduler_chatter(db, cli_env, tmp_path):
    """``misuse scheduler`` as an operator starts it: one line per job run."""
    # An embed run on record with nothing pending: the console is the point here,
    # not the model's load time.
    with recorded_run(db, "embed") as rec:
        rec.params = {"model_id": "test-model", "backend": db.settings.embed_backend}
    with db.session_scope() as s:
        # Long enough ago that the embed job is due again.
        s.get(JobRun, rec.run_id).started_at = utcnow() - timedelta(days=1)
        s.commit()
    log = tmp_path / "scheduler.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "cli", "scheduler"],
            env={**os.environ, **cli_env},
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    due = ("embed", "group", "detect", "expire", "incidents", "retention")
    try:
        deadline = time.monotonic() + 120
        # What the console prints, not a guessed while: every due job once.
        while set(due) - set(re.findall(r"job (\w+): ok, [\d,]+ items in", log.read_text())):
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.05)
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
    console = log.read_text()
    for job in due:
        assert f"misuse.scheduler: job {job}: ok" in console, console
    assert "scheduler stopped" in console
    assert "apscheduler" not in console, console
