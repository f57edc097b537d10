"""Fixtures named as in flaskr: ``app``, ``client``, ``runner``; plus the databases.

Every test that touches the database runs twice, on SQLite and on PostgreSQL
(``--stores sqlite`` runs the SQLite half only). PostgreSQL gets one fresh database
per test process (dropped afterwards; pytest-xdist workers each have their own) at
MISUSE_TEST_POSTGRES_URL (default: the local server, user postgres). When it
cannot be reached the PostgreSQL half is skipped, except with CI=true, where
that is a failure.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import threading
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from core.db import Database, make_engine
from core.migrate import upgrade
from core.models import Base
from core.settings import Settings, load_settings

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


def _share_the_cores_among_the_test_processes() -> None:
    """Under pytest-xdist, the native thread pools (OpenMP: torch, scikit-learn, faiss;
    OpenBLAS and MKL: numpy, scipy, torch) of a test process get their share of the
    cores, not one thread per core each.

    With one test process per core, each library's default pool put as many threads
    on every core as there are processes, and OpenMP threads spin while waiting for
    work: CPU burnt, and the other process slowed down. Set before anything loads
    those libraries (nothing imported above does), and inherited by the processes
    the tests start (CLI, Dask scheduler and workers, import workers), so a cluster
    run and its in-process twin still compute alike. A variable already set is kept.
    """
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "0"))
    if workers < 1:
        return  # one test process: the libraries' defaults, every core
    share = str(max(1, (os.cpu_count() or 1) // workers))
    for name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(name, share)


_share_the_cores_among_the_test_processes()

PG_ADMIN_URL = os.environ.get(
    "MISUSE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")
TEST_SECRET = "test-secret-key-not-for-production"


STORES = ("sqlite", "postgresql")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--stores",
        default=",".join(STORES),
        help="Comma-separated stores the database tests run on (default: both).",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave out the database tests of stores not asked for (``make test-fast``)."""
    stores = {s.strip() for s in config.getoption("--stores").split(",") if s.strip()}
    if unknown := stores - set(STORES):
        raise pytest.UsageError(f"--stores: unknown {', '.join(sorted(unknown))}")
    kept, left_out = [], []
    for item in items:
        callspec = getattr(item, "callspec", None)
        store = callspec.params.get("database_url") if callspec is not None else None
        (left_out if store is not None and store not in stores else kept).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept
    _start_slow_tests_first(items)


def _start_slow_tests_first(items: list[pytest.Item]) -> None:
    """Under pytest-xdist, put the tests marked slow at the head of the workers' first
    shares, the SQLite variant in one, the PostgreSQL variant in the next.

    The work-stealing scheduler first hands each worker one contiguous share of the
    collection and later moves tests from the end of a busy worker's queue. A slow
    test late in a share then runs while the other workers have nothing left, and
    two of them in one share run one after the other. Started first, they run side
    by side and the short tests fill in around them. The shares are computed as
    xdist computes them (3.x); if that changes, only the order suffers.
    """
    workers = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))
    if workers < 2 or not items:
        return
    heads: list[list[pytest.Item]] = [[] for _ in range(workers)]
    rest = []
    for item in items:
        if item.get_closest_marker("slow") is None:
            rest.append(item)
            continue
        callspec = getattr(item, "callspec", None)
        store = callspec.params.get("database_url") if callspec is not None else None
        # A module's unparametrized tests stay together: they share module fixtures.
        heads[STORES.index(store) % workers if store in STORES else 0].append(item)
    # The run's compiled model (``model_cache``) is exported by the first process to ask
    # for it while the others wait on its lock, idle: 10-20 s of a core, as every head
    # began with it. The first head starts with its modules that do not use it (the
    # embedding unit tests, ~45 s, export models of their own), by when the next head,
    # which starts with it, has exported it. Whole modules move: module fixtures stay
    # set up once.
    uses_model = {i.nodeid.split("::")[0] for i in heads[0] if "model_cache" in i.fixturenames}
    heads[0].sort(key=lambda i: i.nodeid.split("::")[0] in uses_model)
    ordered: list[pytest.Item] = []
    left = len(items)
    for n, head in enumerate(heads):
        share = left // (workers - n)
        fill = max(0, share - len(head))
        ordered += head + rest[:fill]
        del rest[:fill]
        left -= share
    items[:] = ordered + rest


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
    # One database per test process: under pytest-xdist each worker runs this
    # session fixture itself. The worker's name only says whose database it is.
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    name = f"misuse_test_{worker}_{uuid.uuid4().hex[:10]}"
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


def _empty_all(url: str) -> None:
    """Every table emptied and every id sequence back at 1, as after the migration.

    DELETE, children before parents, rather than TRUNCATE: a test leaves a few rows,
    and TRUNCATE gives each of the tables and indexes a new file, which took 0.1-0.9 s
    of the server's disk per test on a loaded machine against about 0.03 s here.
    """
    engine = make_engine(url)
    deletes = [f'DELETE FROM "{t.name}"' for t in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as conn:
        # Without the foreign-key triggers: for each row deleted from a parent table
        # they look for rows pointing at it in its children, through the rows just
        # deleted there (dead, not yet vacuumed). After a test that ran the jobs that
        # took 2-3 s, against 0.1 s without. Every table is emptied, so no reference
        # is left dangling. Changing the role takes a superuser (the suite's default,
        # postgres); for another user the triggers stay.
        if conn.execute(
            text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        ).scalar():
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        sequences = conn.execute(
            text(
                "SELECT quote_ident(sequence_schema) || '.' || quote_ident(sequence_name)"
                " FROM information_schema.sequences"
            )
        ).scalars()
        restarts = [f"ALTER SEQUENCE {name} RESTART" for name in sequences]
        conn.execute(text(";\n".join(deletes + restarts)))
    engine.dispose()


class StoreCopies:
    """Stores filled once per run and per backend, then copied for each test.

    For data that many tests start from and each may change: filling it through
    the services for every test costs more than copying it, a file copy on SQLite
    and ``CREATE DATABASE ... TEMPLATE`` on PostgreSQL (a file-level copy too).
    ``fill(url)`` fills an empty migrated store and returns what the tests need to
    know about it (ids); it must close its connections before returning.
    """

    def __init__(self, request: pytest.FixtureRequest, tmp: Path) -> None:
        self.request = request
        self.tmp = tmp
        self.templates: dict[tuple[str, str], tuple[str, Any]] = {}
        self.pg_databases: list[str] = []
        self.pg_copies = 0
        self.dropping: threading.Thread | None = None

    def copy(
        self, backend: str, name: str, fill: Callable[[str], Any], tmp_path: Path
    ) -> tuple[str, Any]:
        """A fresh copy of store ``name`` on ``backend``: its URL and ``fill``'s value."""
        key = (backend, name)
        if key not in self.templates:
            self.templates[key] = self._template(backend, name, fill)
        template, value = self.templates[key]
        if backend == "sqlite":
            path = tmp_path / f"{name}.db"
            shutil.copy(make_url(template).database or "", path)
            return f"sqlite:///{path}", value
        # A new name for each copy, the previous copy dropped meanwhile by a thread:
        # DROP DATABASE waits for a checkpoint, which took the test 1-4 s of waiting
        # on a busy machine.
        self.pg_copies += 1
        base = make_url(self.request.getfixturevalue("postgres_url")).database
        copy_name = f"{base}_copy{self.pg_copies}"
        _admin(f'CREATE DATABASE "{copy_name}" TEMPLATE "{make_url(template).database}"')
        self._join_drop()
        previous = [n for n in self.pg_databases if n.startswith(f"{base}_copy")]
        self.pg_databases = [n for n in self.pg_databases if n not in previous] + [copy_name]
        if previous:
            self.dropping = threading.Thread(target=_drop_databases, args=(previous,))
            self.dropping.start()
        url = make_url(template).set(database=copy_name)
        return url.render_as_string(hide_password=False), value

    def _template(self, backend: str, name: str, fill: Callable[[str], Any]) -> tuple[str, Any]:
        if backend == "sqlite":
            path = self.tmp / f"{name}.db"
            shutil.copy(self.request.getfixturevalue("sqlite_template"), path)
            url = f"sqlite:///{path}"
        else:
            base = make_url(self.request.getfixturevalue("postgres_url"))
            db_name = f"{base.database}_{name.replace('-', '_')}"
            _admin(f'CREATE DATABASE "{db_name}"')
            self.pg_databases.append(db_name)
            url = base.set(database=db_name).render_as_string(hide_password=False)
            engine = make_engine(url)
            upgrade(engine)
            engine.dispose()
        return url, fill(url)

    def _join_drop(self) -> None:
        if self.dropping is not None:
            self.dropping.join()
            self.dropping = None

    def drop(self) -> None:
        self._join_drop()
        _drop_databases(self.pg_databases)


def _admin(*statements: str) -> None:
    admin = make_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            for statement in statements:
                conn.execute(text(statement))
    finally:
        admin.dispose()


def _drop_databases(names: list[str]) -> None:
    """DROP DATABASE each of ``names``, all at once: each waits for a checkpoint, and
    requests made together share one."""
    threads = [
        threading.Thread(target=_admin, args=(f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE)',))
        for n in names
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


@pytest.fixture(scope="session")
def store_copies(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[StoreCopies]:
    copies = StoreCopies(request, tmp_path_factory.mktemp("store-templates"))
    try:
        yield copies
    finally:
        copies.drop()


def _suite_settings(database_url: str, instance_dir: Path) -> Settings:
    return load_settings(
        environ={},
        instance_dir=instance_dir,
        database_url=database_url,
        secret_key=TEST_SECRET,
        rate_limits_enabled=False,
        # Thousands of logins and accounts across the suite; the production cost
        # (tens of milliseconds of a core each) would be minutes of it.
        argon2_profile="cheapest",
    )


@pytest.fixture(params=STORES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        path = tmp_path / "misuse.db"
        shutil.copy(request.getfixturevalue("sqlite_template"), path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("postgres_url")
    _empty_all(url)
    return url


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return _suite_settings(database_url, tmp_path / "instance")


@pytest.fixture(scope="session")
def suite_settings() -> Callable[[str, Path], Settings]:
    """The suite's settings for any store: for stores filled outside a test's own."""
    return _suite_settings


@pytest.fixture
def db(settings: Settings) -> Iterator[Database]:
    database = Database(settings)
    yield database
    database.dispose()


@pytest.fixture(scope="session")
def model_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache of the compiled embedding model (the settings' default backend) for
    the whole run: the test processes and the Dask workers they start fit from it.

    Exporting and probing the model costs a process seconds of a core; a deployment
    pays that once per machine, and so does a run. The export itself is tested in
    tests/unit/test_analytics_embedding.py, each time into a cache of its own.
    """
    from analytics.embedding import SentenceEmbedder

    root = tmp_path_factory.getbasetemp()
    # pytest-xdist workers each have a directory under one the run shares.
    if "PYTEST_XDIST_WORKER" in os.environ:
        root = root.parent
    cache = root / "embedding-models"
    cache.mkdir(exist_ok=True)
    # One process exports; the others wait for it. They do not fit from its files
    # here: that compiled the model again (seconds of a core) only to drop it, and
    # every user of the cache fits from it anyway.
    done = root / "embedding-models.done"
    with (root / "embedding-models.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            SentenceEmbedder(backend=Settings.embed_backend, cache_dir=str(cache)).fit()
            done.touch()
    return cache


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
