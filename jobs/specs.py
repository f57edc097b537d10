"""The job table: what runs, how often, and the thin function that does it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.db import Database
from core.services import incidents, retention, sanctions, users, webhooks
from core.settings import Settings
from jobs.runs import Progress, RunRecorder


@dataclass(frozen=True)
class JobSpec:
    id: str
    description: str
    run: Callable[[Database, RunRecorder, Progress | None, dict[str, Any]], None]
    interval: Callable[[Settings], int]  # seconds between runs
    enabled: bool = True


def _embed(db: Database, rec: RunRecorder, progress: Progress | None, opts: dict[str, Any]) -> None:
    from jobs.grouping import run_embed

    run_embed(db, rec, progress)


def _group(db: Database, rec: RunRecorder, progress: Progress | None, opts: dict[str, Any]) -> None:
    from jobs.grouping import current_model_id, run_group

    run_group(
        db,
        rec,
        model_id=opts.get("model_id") or current_model_id(db),
        full=opts.get("full"),
        progress=progress,
    )


def _detect(
    db: Database, rec: RunRecorder, progress: Progress | None, opts: dict[str, Any]
) -> None:
    from jobs.detection import run_detect

    run_detect(db, rec, progress, full=opts.get("full"))


def _retention(
    db: Database, rec: RunRecorder, progress: Progress | None, opts: dict[str, Any]
) -> None:
    with db.session_scope() as session:
        deleted = retention.apply_retention(session)
        forgotten = users.prune_login_throttle(session)
    rec.items_processed = sum(deleted.values())
    rec.stats = {"deleted_by_deployer": deleted, "login_failures_forgotten": forgotten}


def _expire(
    db: Database, rec: RunRecorder, progress: Progress | None, opts: dict[str, Any]
) -> None:
    with db.session_scope() as session:
        rec.items_processed = sanctions.expire_sanctions(session)


def _incidents(
    db: Database, rec: RunRecorder, progress: Progress | None, opts: dict[str, Any]
) -> None:
    with db.session_scope() as session:
        stats = incidents.raise_deadline_alerts(session)
    rec.items_processed = stats["due_soon"] + stats["overdue"]
    rec.stats = stats


def _webhooks(
    db: Database, rec: RunRecorder, progress: Progress | None, opts: dict[str, Any]
) -> None:
    with db.session_scope() as session:
        stats = webhooks.deliver_due(session, secret_key=db.settings.secret_key)
    rec.items_processed = stats["delivered"]
    rec.stats = stats


JOBS: tuple[JobSpec, ...] = (
    JobSpec(
        "embed",
        "embed every distinct text that has no vector yet",
        _embed,
        lambda s: s.embed_interval,
    ),
    JobSpec(
        "group",
        "link near-duplicates, cluster topics, precompute neighbours",
        _group,
        lambda s: s.group_interval,
    ),
    JobSpec(
        "detect",
        "find coordinated campaigns and raise anomaly alerts",
        _detect,
        lambda s: s.detect_interval,
    ),
    JobSpec(
        "expire",
        "end sanctions whose end date has passed",
        _expire,
        lambda s: s.expire_interval,
    ),
    JobSpec(
        "incidents",
        "alert a day before a serious-incident report is due, and when it is overdue",
        _incidents,
        lambda s: s.incident_interval,
    ),
    JobSpec(
        "webhooks",
        "push sanction changes to deployers' webhooks, retrying with back-off",
        _webhooks,
        lambda s: s.webhook_interval,
    ),
    JobSpec(
        "retention",
        "delete log samples past their deployer's retention period; forget old login failures",
        _retention,
        lambda s: s.retention_interval,
    ),
)


def get_job(name: str) -> JobSpec:
    for spec in JOBS:
        if spec.id == name:
            return spec
    raise KeyError(f"no job named {name!r}; jobs: {', '.join(j.id for j in JOBS)}")
