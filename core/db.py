"""Engine and session handling shared by the web app, the CLI and the jobs."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
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
        engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=30000")
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
    gate: AbstractContextManager[object] = (
        threading.Lock() if engine.dialect.name == "sqlite" else nullcontext()
    )
    # The password profile travels with the session, as the write gate does, so the
    # user services need no settings argument (core.services.users.password_hasher).
    return sessionmaker(
        bind=engine,
        expire_on_commit=False,
        info={"write_gate": gate, "argon2_profile": argon2_profile},
    )


def write_gate(session: Session) -> AbstractContextManager[object]:
    """Serialise this process's writing transactions on SQLite.

    SQLite has one write lock per database, and a writer that finds it taken
    sleeps in growing steps (1, 2, 5, 10 ms...) before retrying: with several web
    threads writing, the threads spend their time asleep and the cores idle. A
    process-wide mutex queues them without sleeping; it costs nothing a single
    process could otherwise use, since the GIL serialises the Python work anyway.
    PostgreSQL has row locks and gets no gate.
    """
    gate = session.info.get("write_gate")
    return gate if gate is not None else nullcontext()


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
