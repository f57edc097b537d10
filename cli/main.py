"""``misuse``: database, demo data, web server, clients and keys, importers, audit."""

from __future__ import annotations

import logging
import subprocess
import sys
import time

import click

from cli.context import Context, pass_ctx, require_migrated


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("-v", "--verbose", is_flag=True, help="Log debug messages.")
@click.pass_context
def main(click_ctx: click.Context, verbose: bool) -> None:
    """MisuseWatch: report and monitor misuse of AI models.

    Settings come from MISUSE_* environment variables (see docs/settings.md);
    the default database is SQLite under ./instance.
    """
    click_ctx.call_on_close(click_ctx.ensure_object(Context).close)
    logging.basicConfig(
        level=logging.DEBUG if verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if not verbose:
        # APScheduler logs every job it adds, starts and finishes at INFO; the
        # scheduler's own lines say what each run did (jobs.scheduler).
        for chatty in ("alembic", "apscheduler", "faiss", "sentence_transformers", "httpx"):
            logging.getLogger(chatty).setLevel(logging.WARNING)


# --- database -----------------------------------------------------------------


@main.group()
def db() -> None:
    """Database schema (Alembic migrations)."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True, help="Target revision.")
@pass_ctx
def db_upgrade(ctx: Context, revision: str) -> None:
    """Create or upgrade the schema to the latest migration."""
    from core.migrate import current_revision, upgrade

    upgrade(ctx.db.engine, revision)
    click.echo(f"database at revision {current_revision(ctx.db.engine)}")


@db.command("current")
@pass_ctx
def db_current(ctx: Context) -> None:
    """Print the schema revision of the database."""
    from core.migrate import current_revision

    click.echo(current_revision(ctx.db.engine) or "empty (run: misuse db upgrade)")


# --- demo -----------------------------------------------------------------------


@main.group()
def demo() -> None:
    """Demonstration data."""


@demo.command("load")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database has reports.")
@click.option("--seed", default=7, show_default=True, help="Random seed.")
@click.option(
    "--no-jobs", is_flag=True, help="Load the data only; leave the jobs to the scheduler."
)
@pass_ctx
def demo_load(ctx: Context, if_empty: bool, seed: int, no_jobs: bool) -> None:
    """Fill the database with demo reports and log samples made by the project, run the
    jobs, create a demo analyst and supervisor, and stage a case awaiting approval."""
    from ingest.demo import create_demo_users, database_is_empty, load_demo, stage_demo_case

    with ctx.db.session_scope() as session:
        if if_empty and not database_is_empty(session):
            click.echo("demo: database already has data; nothing loaded")
            return
        summary = load_demo(session, settings=ctx.settings, seed=seed)
        logins = create_demo_users(session)
    for line in summary:
        click.echo(f"demo: {line}")
    if not no_jobs:
        from jobs.scheduler import run_job
        from jobs.specs import get_job

        for name in ("embed", "group", "detect"):
            started = time.monotonic()
            run_job(ctx.db, get_job(name))
            click.echo(f"demo: {name} job done in {time.monotonic() - started:.1f} s")
        with ctx.db.session_scope() as session:
            staged = stage_demo_case(session)
        if staged:
            click.echo(f"demo: {staged}")
    # Demo mode only: these accounts exist because `demo load` made them.
    click.echo("demo: log in at /login (demo accounts; passwords shown only this once):")
    for email, role, password in logins:
        click.echo(f"demo:   {role:<10} {email}  {password}")


# --- web ------------------------------------------------------------------------


@main.command("serve")
@click.option("--host", default=None, help="Address to bind (default MISUSE_HOST, 127.0.0.1).")
@click.option(
    "--port", type=int, default=None, help="Port (default MISUSE_PORT, 5000; 0: any free one)."
)
@click.option("--workers", type=int, default=None, help="Worker processes (MISUSE_WEB_WORKERS).")
@click.option("--no-scheduler", is_flag=True, help="Do not start the job scheduler.")
@pass_ctx
def serve(
    ctx: Context, host: str | None, port: int | None, workers: int | None, no_scheduler: bool
) -> None:
    """Serve the portal with gunicorn. Ctrl-C stops it cleanly."""
    from cli.server import run_server

    s = ctx.settings
    require_migrated(ctx)
    ctx.close()  # workers open their own connections
    scheduler = None
    if s.serve_scheduler and not no_scheduler:
        # Exactly one scheduler beside the web workers, in a process of its own so
        # model-heavy jobs never slow a request; it shares Ctrl-C with us.
        scheduler = subprocess.Popen([sys.executable, "-m", "cli", "scheduler"])
    try:
        run_server(
            s,
            host=host or s.host,
            # 0 is a port too: the system picks a free one.
            port=s.port if port is None else port,
            workers=workers or s.web_workers,
        )
    finally:
        if scheduler is not None:
            scheduler.terminate()
            try:
                scheduler.wait(timeout=10)
            except subprocess.TimeoutExpired:
                # A job still running is abandoned: its open batch rolls back and
                # the next run resumes from what was committed.
                scheduler.kill()
                scheduler.wait()


from cli import audit_cmd as _audit  # noqa: E402,F401
from cli import clients as _clients  # noqa: E402,F401  (registers deployers/keys/flaggers)
from cli import detect_cmd as _detect  # noqa: E402,F401
from cli import ingest_cmd as _ingest  # noqa: E402,F401
from cli import jobs_cmd as _jobs  # noqa: E402,F401
from cli import users_cmd as _users  # noqa: E402,F401
from cli import workspace_cmd as _workspace  # noqa: E402,F401

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
