"""Fixtures named as in flaskr: ``app``, ``client``, ``runner``; plus the databases.

Every test that touches the database runs twice, on SQLite and on PostgreSQL.
PostgreSQL gets one fresh database per test run (dropped afterwards) at
MISUSE_TEST_POSTGRES_URL (default: the local server, user postgres). When it
cannot be reached the PostgreSQL half is skipped, except with CI=true, where
that is a failure.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from core.db import Database, make_engine
from core.migrate import upgrade
from core.models import Base
from core.settings import Settings, load_settings

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

PG_ADMIN_URL = os.environ.get(
    "MISUSE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
TEST_SECRET = "test-secret-key-not-for-production"


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (faster than migrating each time)."""
    path = tmp_path_factory.mktemp("sqlite") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    admin = make_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"misuse_test_{uuid.uuid4().hex[:10]}"
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        admin.dispose()
        message = f"PostgreSQL at {make_url(PG_ADMIN_URL).render_as_string()} unusable: {exc}"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    try:
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _truncate_all(url: str) -> None:
    engine = make_engine(url)
    tables = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    with engine.begin() as conn:
        conn.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
    engine.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "misuse.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_url")
    _truncate_all(url)
    return url


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return load_settings(
        environ={},
        instance_dir=tmp_path / "instance",
        database_url=database_url,
        secret_key=TEST_SECRET,
        rate_limits_enabled=False,
        # Thousands of logins and accounts across the suite; the production cost
        # (tens of milliseconds of a core each) would be minutes of it.
        argon2_profile="cheapest",
    )


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    database = Database(settings)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def analyzer():  # type: ignore[no-untyped-def]
    from ingest.signals import TextAnalyzer

    return TextAnalyzer()


@pytest.fixture
def app(settings: Settings, analyzer):  # type: ignore[no-untyped-def]
    from factories import browser_like
    from portal import create_app

    application = browser_like(create_app(settings, analyzer=analyzer))
    application.config["TESTING"] = True
    yield application
    application.extensions["misuse.db"].dispose()


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    return app.test_client()


@pytest.fixture
def cli_env(settings: Settings) -> dict[str, str]:
    return {
        "MISUSE_DATABASE_URL": settings.resolved_database_url,
        "MISUSE_SECRET_KEY": settings.secret_key,
        "MISUSE_INSTANCE_DIR": str(settings.instance_dir),
    }


@pytest.fixture
def runner(cli_env: dict[str, str]):  # type: ignore[no-untyped-def]
    """Invoke ``misuse`` in-process against the test database."""
    from click.testing import CliRunner

    from cli.main import main

    class Runner:
        def __init__(self) -> None:
            self.cli = CliRunner()

        def invoke(self, *args: str, input: str | None = None):  # type: ignore[no-untyped-def]
            return self.cli.invoke(
                main, list(args), env=cli_env, input=input, catch_exceptions=False
            )

    return Runner()
