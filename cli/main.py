"""``misuse``: the root group, assembled from the command modules.

Each command or command group is defined in a module of its own, named after it
(``misuse db ...`` in ``cli/db_cmd.py``), on what ``cli/context.py`` shares; this
module only adds them to the root group and sets up logging.
"""

from __future__ import annotations

import logging
import sys

import click

from cli.alerts_cmd import alerts
from cli.audit_cmd import audit
from cli.campaigns_cmd import campaigns
from cli.cases_cmd import cases
from cli.context import Context
from cli.db_cmd import db
from cli.demo_cmd import demo
from cli.deployers_cmd import deployers
from cli.export_cmd import export
from cli.flaggers_cmd import flaggers
from cli.ingest_cmd import ingest
from cli.jobs_cmd import jobs
from cli.keys_cmd import keys
from cli.sanctions_cmd import sanctions
from cli.scheduler_cmd import scheduler
from cli.serve_cmd import serve
from cli.users_cmd import users


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


for command in (
    db,
    demo,
    serve,
    scheduler,
    jobs,
    ingest,
    deployers,
    flaggers,
    keys,
    users,
    campaigns,
    alerts,
    cases,
    sanctions,
    export,
    audit,
):
    main.add_command(command)

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
