"""``misuse scheduler``."""

from __future__ import annotations

import click

from cli.context import Context, pass_ctx, require_migrated


@click.command("scheduler")
@pass_ctx
def scheduler(ctx: Context) -> None:
    """Run the scheduled jobs (one scheduler per database; a second one waits as standby)."""
    import threading

    from jobs.scheduler import install_signal_handlers, serve_jobs

    require_migrated(ctx)
    stop = threading.Event()
    install_signal_handlers(stop)
    serve_jobs(ctx.db, stop=stop)
