"""Engine and session handling shared by the web app, the CLI and the jobs."""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Engine,
    Table,
    Text,
    bindparam,
    column,
    create_engine,
    event,
    func,
    literal,
    select,
    true,
)
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.types import TypeEngine

from core.settings import Settings

SQLITE_BUSY_SECONDS = 30

# The first keyword of a statement that makes Python's sqlite3 open a write
# transaction (its legacy transaction control begins one before DML only).
_SQLITE_WRITE = re.compile(r"^\s*(?:INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
_SQLITE_WITH_WRITE = re.compile(r"^\s*WITH\b.*\b(?:INSERT|UPDATE|DELETE|REPLACE)\b", re.I | re.S)


class SQLiteWriteGate:
    """Serialise one process's writing transactions on an SQLite engine.

    SQLite has one write lock per database, and a writer that finds it taken sleeps
    in growing steps (1, 2, 5, 10 ms...) before retrying: with several web threads,
    an import and the jobs writing, the threads spend their time asleep and the
    cores idle. A process-wide mutex queues them without sleeping; it costs nothing
    a single process could otherwise use, since the GIL serialises the Python work
    anyway. PostgreSQL has row locks and gets no gate.

    It lives on the engine rather than in each service so that every writer takes
    it: sessions from any factory, bulk inserts through ``session.connection()`` and
    plain connections alike. A connection takes it just before its first write
    statement (where sqlite3 begins the transaction; reads before it take no lock in
    SQLite either) and gives it back just after its commit or rollback, or when the
    pool closes or invalidates it. Waiting is bounded by the busy timeout, as
    SQLite's own wait is, so a thread that writes through two connections at once
    fails after that long, as it would without the gate.
    """

    def __init__(self, *, timeout: float) -> None:
        self._lock = threading.Lock()
        self._timeout = timeout
        # The DBAPI connection holding the lock; only ever compared by identity.
        self._holder: object | None = None

    def install(self, engine: Engine) -> None:
        _GATES[engine] = self
        event.listen(engine, "before_cursor_execute", self._before_execute)
        dialect = engine.dialect
        # The Connection-level commit/rollback events fire before the DBAPI call;
        # giving the lock back there would let the next writer meet SQLite's lock
        # for the length of the commit and sleep. So the engine's own dialect
        # instance gets wrapped commit and rollback (the pool's reset-on-return
        # rollback goes through them too).
        commit, rollback = dialect.do_commit, dialect.do_rollback

        def do_commit(dbapi_connection: Any) -> None:
            try:
                commit(dbapi_connection)
            finally:
                self._release(dbapi_connection)

        def do_rollback(dbapi_connection: Any) -> None:
            try:
                rollback(dbapi_connection)
            finally:
                self._release(dbapi_connection)

        dialect.do_commit = do_commit  # type: ignore[method-assign]
        dialect.do_rollback = do_rollback  # type: ignore[method-assign]
        # A connection closed or invalidated mid-transaction ends it. (A soft
        # invalidation does not: the transaction goes on until its commit or rollback.)
        for name in ("close", "invalidate"):
            event.listen(engine.pool, name, self._on_pool_event)

    @property
    def held(self) -> bool:
        return self._holder is not None

    def _before_execute(
        self, conn: Any, _cursor: Any, statement: str, _params: Any, _context: Any, _many: bool
    ) -> None:
        dbapi_connection = conn.connection.dbapi_connection
        if self._holder is dbapi_connection:
            return
        if not (_SQLITE_WRITE.match(statement) or _SQLITE_WITH_WRITE.match(statement)):
            return
        if dbapi_connection.isolation_level is None:
            return  # sqlite3 in autocommit mode: no transaction, nothing to hold
        if not self._lock.acquire(timeout=self._timeout):
            raise TimeoutError(
                f"SQLite write gate: another writer in this process held it for over "
                f"{self._timeout:g} s"
            )
        self._holder = dbapi_connection

    def _release(self, connection: Any) -> None:
        # The dialect is handed the pool's proxy, the pool events the DBAPI object.
        dbapi_connection = getattr(connection, "dbapi_connection", connection)
        if self._holder is not None and self._holder is dbapi_connection:
            self._holder = None
            self._lock.release()

    def _on_pool_event(self, dbapi_connection: Any, _record: Any, *_exc: Any) -> None:
        self._release(dbapi_connection)


_GATES: weakref.WeakKeyDictionary[Engine, SQLiteWriteGate] = weakref.WeakKeyDictionary()


def sqlite_write_gate(engine: Engine) -> SQLiteWriteGate | None:
    """The write gate of an engine made by ``make_engine`` on SQLite, else None."""
    return _GATES.get(engine)


def make_engine(url: str, **kwargs: Any) -> Engine:
    """Create an engine tuned for the backend.

    SQLite gets WAL (readers do not block the writer), a busy timeout (web
    threads and the scheduler write to one file), enforced foreign keys and a
    page cache big enough for bulk ingest.
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_SECONDS}, **kwargs)
        SQLiteWriteGate(timeout=SQLITE_BUSY_SECONDS).install(engine)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_SECONDS * 1000}")
            # The default 2 MiB page cache is outgrown by the content-hash and
            # external-id indexes within a few hundred thousand rows, after
            # which every bulk insert rereads index pages from the OS. 16 MiB
            # per connection, still small beside a web worker's footprint.
            cur.execute("PRAGMA cache_size=-16384")
            cur.execute("PRAGMA temp_store=MEMORY")
            cur.close()

        return engine
    kwargs.setdefault("pool_pre_ping", True)
    return create_engine(url, **kwargs)


def make_session_factory(
    engine: Engine, *, argon2_profile: str = Settings.argon2_profile
) -> sessionmaker[Session]:
    # expire_on_commit=False: services return ORM objects that views serialise
    # after the transaction has ended.
    # The password profile travels with the session, so the user services need no
    # settings argument (core.services.users.password_hasher).
    return sessionmaker(
        bind=engine, expire_on_commit=False, info={"argon2_profile": argon2_profile}
    )


class Database:
    """One engine and session factory per process."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.engine = make_engine(settings.resolved_database_url)
        self.sessions = make_session_factory(self.engine, argon2_profile=settings.argon2_profile)

    @contextmanager
    def session_scope(self) -> Iterator[Session]:
        """A session for work outside a request; commits are the service's job."""
        session = self.sessions()
        try:
            yield session
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()


def insert_json_rows(
    table: Table,
    row_columns: Mapping[str, TypeEngine[Any]],
    batch_columns: Sequence[str],
    *,
    dialect: str,
    conflict: Sequence[str],
    returning: Sequence[ColumnElement[Any]] = (),
    lookups: Mapping[str, tuple[str, ColumnElement[Any], ColumnElement[Any]]] | None = None,
) -> Any:
    """``INSERT .. SELECT`` of the rows in the bind parameter ``rows``, ``ON CONFLICT DO NOTHING``.

    ``rows`` is one JSON array of objects keyed by ``row_columns``; each of
    ``batch_columns`` comes from a bind parameter of its own name and is the
    same for every row. ``dialect`` is ``postgresql`` or ``sqlite``.

    Bulk writes send rows this way, not as an executemany: one parameter
    serialised by one ``json.dumps`` (in C) and expanded by the server, a short
    statement that the driver parses once and PostgreSQL prepares. A multi-row
    VALUES costs a bound parameter per cell, each converted in Python, and
    psycopg re-parses such a long statement on every execution.

    ``lookups`` maps a column of ``table`` to ``(field, key, value)``: the
    column gets ``SELECT value .. WHERE key = <the row's field>`` (``field`` is
    one of ``row_columns``, sent but not inserted itself). A row can then refer
    to another row by a natural key (a text by its content hash) that the
    database resolves, instead of a round trip to fetch ids and a Python loop
    to put them in. Without ``returning`` the statement returns nothing.
    """
    lookups = lookups or {}
    looked_up_fields = {name for name, _, _ in lookups.values()}
    inserted = [name for name in row_columns if name not in looked_up_fields]
    if dialect == "postgresql":
        # Typed columns: values convert as the types' input functions read them.
        rows = (
            func.jsonb_to_recordset(sql_cast(bindparam("rows", type_=Text()), JSONB))
            .table_valued(*(column(name, type_) for name, type_ in row_columns.items()))
            .render_derived(name="new", with_types=True)
        )
        # In the order of the conflict key, so that concurrent batches sharing
        # texts take their row locks in the same order instead of deadlocking.

        def field(name: str) -> Any:
            return rows.c[name]

        values = select(*(field(name) for name in inserted)).order_by(
            *(field(name) for name in conflict if name in row_columns)
        )
        insert: Any = pg_insert
    else:
        # SQLite cannot name a table function's columns; json_extract gives
        # JSON strings as text, numbers as numbers and objects as JSON text.
        each = func.json_each(bindparam("rows", type_=Text())).table_valued("value", name="new")

        def field(name: str) -> Any:
            return func.json_extract(each.c.value, literal(f"$.{name}", Text()))

        values = select(*(field(name) for name in inserted)).where(
            # Without a WHERE, SQLite reads ON CONFLICT as part of the FROM clause.
            true()
        )
        insert = sqlite_insert
    values = values.add_columns(
        *(
            select(value).where(key == field(field_name)).scalar_subquery()
            for field_name, key, value in lookups.values()
        ),
        *(bindparam(name, type_=table.c[name].type) for name in batch_columns),
    )
    statement = (
        insert(table)
        .from_select([*inserted, *lookups, *batch_columns], values)
        .on_conflict_do_nothing(index_elements=list(conflict))
    )
    return statement.returning(*returning) if returning else statement
