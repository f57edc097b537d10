"""``misuse serve``."""

from __future__ import annotations

import subprocess
import sys

import click

from cli.context import Context, pass_ctx, require_migrated


@click.command("serve")
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
