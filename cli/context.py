"""What every ``misuse`` command shares: settings and database, output and error helpers.

Each command module takes the :class:`Context` through ``@pass_ctx``; settings are
read and the database opened on first use, so ``misuse --help`` and a command
that fails on its arguments touch neither.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from core.db import Database
from core.settings import Settings, load_settings

# The actor that the audit log and the services record for changes made from the CLI.
CLI_ACTOR = "cli"


class Context:
    def __init__(self) -> None:
        self._settings: Settings | None = None
        self._db: Database | None = None

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings()
        return self._settings

    @property
    def db(self) -> Database:
        if self._db is None:
            self._db = Database(self.settings)
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.dispose()
            self._db = None


pass_ctx = click.make_pass_decorator(Context, ensure=True)


def echo_json(value: Any) -> None:
    click.echo(json.dumps(value, indent=2, default=str))


@contextmanager
def friendly_errors() -> Iterator[None]:
    """Domain errors end the command with their message and exit code 1, not a traceback."""
    from core.exceptions import MisuseError

    try:
        yield
    except MisuseError as exc:
        raise click.ClickException(str(exc)) from exc


def require_migrated(ctx: Context) -> None:
    """Stop with what to do when the schema is not at the latest migration, before a
    command that reads tables meets a missing one as a raw SQL error."""
    from core.migrate import current_revision, head_revisions

    current = current_revision(ctx.db.engine)
    if current not in head_revisions(ctx.settings.resolved_database_url):
        raise click.ClickException(
            f"the database is at revision {current or 'none (empty)'}, not the latest: "
            "run `misuse db upgrade` first"
        )


def print_key(key: str) -> None:
    """Print a new API key, the only time it is ever shown."""
    click.echo("API key (shown once; store it now, only its hash is kept):")
    click.echo(f"  {key}")
