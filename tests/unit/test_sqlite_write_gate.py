"""The SQLite write gate on the engine: every writer of a process queues on it."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from core.db import SQLiteWriteGate, make_engine, make_session_factory, sqlite_write_gate


def _engine(tmp_path: Path, *, gate_timeout: float | None = None) -> Engine:
    engine = make_engine(f"sqlite:///{tmp_path / 'gate.db'}")
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"))
    if gate_timeout is not None:
        gate = sqlite_write_gate(engine)
        assert gate is not None
        gate._timeout = gate_timeout
    return engine


def _gate(engine: Engine) -> SQLiteWriteGate:
    gate = sqlite_write_gate(engine)
    assert gate is not None
    return gate


def test_a_write_holds_the_gate_until_commit_and_reads_do_not_take_it(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    gate = _gate(engine)
    with engine.connect() as conn:
        conn.execute(text("SELECT count(*) FROM t")).scalar()
        assert not gate.held
        conn.execute(text("INSERT INTO t (v) VALUES ('a')"))
        assert gate.held
        conn.execute(text("UPDATE t SET v = 'b'"))  # the holder goes on without waiting
        conn.commit()
        assert not gate.held
        conn.execute(text("WITH x AS (SELECT 1) DELETE FROM t"))
        assert gate.held
        conn.rollback()
        assert not gate.held


def test_a_connection_closed_mid_transaction_gives_the_gate_back(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    gate = _gate(engine)
    conn = engine.connect()
    conn.execute(text("INSERT INTO t (v) VALUES ('a')"))
    assert gate.held
    conn.close()  # rolled back on the way back to the pool
    assert not gate.held
    conn = engine.connect()
    conn.execute(text("INSERT INTO t (v) VALUES ('a')"))
    conn.invalidate()
    assert not gate.held
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t")).scalar() == 0


def test_a_session_writing_through_its_connection_takes_it(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    gate = _gate(engine)
    session = make_session_factory(engine)()
    session.execute(text("SELECT 1"))
    assert not gate.held
    session.connection().exec_driver_sql("INSERT INTO t (v) VALUES ('x')")
    assert gate.held
    session.commit()
    assert not gate.held
    session.close()


def test_a_second_writer_waits_on_the_gate_not_in_sqlites_busy_loop(tmp_path: Path) -> None:
    # busy_timeout 0 on the second connection: without the gate its INSERT fails at
    # once with "database is locked"; with it, it queues on the gate.
    engine = _engine(tmp_path, gate_timeout=0.2)
    with engine.connect() as first, engine.connect() as second:
        second.exec_driver_sql("PRAGMA busy_timeout=0")
        first.execute(text("INSERT INTO t (v) VALUES ('first')"))
        with pytest.raises(TimeoutError, match="write gate"):
            second.execute(text("INSERT INTO t (v) VALUES ('second')"))
        second.rollback()
        first.commit()
        second.execute(text("INSERT INTO t (v) VALUES ('second')"))
        second.commit()
        assert second.execute(text("SELECT count(*) FROM t")).scalar() == 2


def test_threads_writing_at_once_all_get_through_without_busy_waits(tmp_path: Path) -> None:
    engine = _engine(tmp_path)
    sessions = make_session_factory(engine)
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def writer(n: int) -> None:
        try:
            start.wait()
            for i in range(40):
                with sessions() as session:
                    session.connection().exec_driver_sql("PRAGMA busy_timeout=0")
                    session.execute(text("INSERT INTO t (v) VALUES (:v)"), {"v": f"{n}-{i}"})
                    session.execute(text("UPDATE t SET v = v WHERE id = 1"))
                    session.commit()
        except (OperationalError, sqlite3.OperationalError) as exc:  # pragma: no cover
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM t")).scalar() == 160


def test_postgresql_engines_have_no_gate() -> None:
    engine = make_engine("postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    assert sqlite_write_gate(engine) is None
