"""``misuse demo``."""

from __future__ import annotations

import time

import click

from cli.context import Context, pass_ctx


@click.group()
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
    from demo.load import create_demo_users, database_is_empty, load_demo, stage_demo_case

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
