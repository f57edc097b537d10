"""``misuse jobs``."""

from __future__ import annotations

import time
from typing import Any

import click

from cli.context import Context, echo_json, pass_ctx, require_migrated


@click.group()
def jobs() -> None:
    """Scheduled jobs: list them, see their runs, run one now."""


@jobs.command("list")
@pass_ctx
def jobs_list(ctx: Context) -> None:
    """The job table: id, interval, enabled, description."""
    from jobs.specs import JOBS

    for spec in JOBS:
        state = "enabled" if spec.enabled else "disabled"
        click.echo(
            f"{spec.id:<12} every {spec.interval(ctx.settings):>6} s  {state:<9} {spec.description}"
        )


@jobs.command("runs")
@click.option("--job", default=None, help="Only this job's runs.")
@click.option("--limit", default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@pass_ctx
def jobs_runs(ctx: Context, job: str | None, limit: int, as_json: bool) -> None:
    """Recent runs: job, start, end, status, items processed, error."""
    from jobs.runs import recent_runs

    runs = recent_runs(ctx.db, job, limit)
    if as_json:
        echo_json(
            [
                {
                    "id": r.id,
                    "job": r.job,
                    "status": r.status,
                    "started_at": r.started_at,
                    "finished_at": r.finished_at,
                    "items_processed": r.items_processed,
                    "params": r.params,
                    "stats": r.stats,
                    "error": r.error,
                }
                for r in runs
            ]
        )
        return
    for r in runs:
        took = f"{(r.finished_at - r.started_at).total_seconds():.1f} s" if r.finished_at else "-"
        click.echo(
            f"{r.id:>5} {r.job:<10} {r.status:<8} {r.started_at:%Y-%m-%d %H:%M:%S} "
            f"{took:>9} {r.items_processed:>8} items"
        )
        if r.error:
            click.echo("      " + r.error.strip().splitlines()[-1])


@jobs.command("run")
@click.argument("name")
@click.option(
    "--full",
    is_flag=True,
    default=None,
    help="group: re-cluster everything; detect: re-read every item.",
)
@pass_ctx
def jobs_run(ctx: Context, name: str, full: bool | None) -> None:
    """Run job NAME now, in the foreground, with progress."""
    from cli.progress import JobProgress
    from jobs.runs import recent_runs
    from jobs.scheduler import run_job
    from jobs.specs import get_job

    try:
        spec = get_job(name)
    except KeyError as exc:
        raise click.ClickException(str(exc.args[0])) from None
    require_migrated(ctx)
    started = time.monotonic()
    progress = JobProgress(name)
    opts: dict[str, Any] = {"full": full}
    try:
        ran = run_job(ctx.db, spec, opts, progress)
    finally:
        progress.close()
    if not ran:
        raise click.ClickException(f"{name} is already running (scheduler or another shell)")
    run = recent_runs(ctx.db, name, 1)[0]
    click.echo(
        f"{name}: {run.status}, {run.items_processed:,} items in "
        f"{time.monotonic() - started:.1f} s {run.stats or ''}"
    )
