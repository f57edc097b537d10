"""Storing distinct texts once per content hash."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ARRAY, Float, String, Table, Text, any_, bindparam, select
from sqlalchemy import cast as sql_cast
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session
from sqlalchemy.sql import func

from core.models import TextBlob
from core.models.base import utcnow
from core.signals import TextSignals

# Stay under SQLite's bound-parameter limit in IN (...) look-ups.
_CHUNK = 500
_TEXT_TABLE = cast(Table, TextBlob.__table__)
_JSON_COLUMNS = ("pii_kinds", "injection_markers", "provenance")

# The statements below never change, so SQLAlchemy compiles each once per
# process. Building an INSERT from the rows with .values(rows) instead cost a
# fresh compilation of thousands of bind parameters per call, more than the
# SQL itself.

# SQLite: an executemany, which SQLAlchemy sends as multi-row INSERTs
# ("insertmanyvalues") with RETURNING.
_SQLITE_INSERT = (
    sqlite_insert(_TEXT_TABLE)
    .on_conflict_do_nothing(index_elements=["content_hash"])
    .returning(_TEXT_TABLE.c.content_hash, _TEXT_TABLE.c.id)
)


def _postgresql_insert() -> Any:
    # PostgreSQL: one array per column, unnested server-side. The statement is
    # short and has seven parameters whatever the batch size, so psycopg caches
    # its parsing and prepares it; a multi-row VALUES of thousands of
    # placeholders was re-parsed in Python on every execution (most of the
    # client's time). JSON goes as text and is cast, which also skips
    # SQLAlchemy's per-value JSON processing.
    columns = ("content_hash", "masked_text", "offensive_prob", *_JSON_COLUMNS)
    types = {"offensive_prob": Float()}
    rows = (
        func.unnest(*(bindparam(c, type_=ARRAY(types.get(c, Text()))) for c in columns))
        .table_valued(*columns)
        .render_derived(name="new")
    )
    values = select(
        rows.c.content_hash,
        rows.c.masked_text,
        rows.c.offensive_prob,
        *(sql_cast(rows.c[c], JSONB) for c in _JSON_COLUMNS),
        bindparam("created_at", type_=_TEXT_TABLE.c.created_at.type),
    )
    return (
        pg_insert(_TEXT_TABLE)
        .from_select([*columns, "created_at"], values)
        .on_conflict_do_nothing(index_elements=["content_hash"])
        .returning(_TEXT_TABLE.c.content_hash, _TEXT_TABLE.c.id)
    )


_POSTGRESQL_INSERT = _postgresql_insert()
_POSTGRESQL_IDS_BY_HASH = select(TextBlob.content_hash, TextBlob.id).where(
    TextBlob.content_hash == any_(bindparam("hashes", type_=ARRAY(String())))
)


def store_texts(session: Session, signals: Sequence[TextSignals]) -> list[int]:
    """Insert the texts not stored yet and return the id of each input, in order.

    ``INSERT .. ON CONFLICT DO NOTHING`` makes concurrent writers of the same
    text safe on both backends: one row wins, everyone reads its id.
    """
    if not signals:
        return []
    unique: dict[str, TextSignals] = {}
    for s in signals:
        unique.setdefault(s.content_hash, s)
    ids = _ids_by_hash(session, list(unique))
    missing = [s for h, s in unique.items() if h not in ids]
    if missing:
        # RETURNING hands back the new ids, so only texts another writer stored
        # in the meantime (skipped by ON CONFLICT, so not returned) need a look-up.
        ids.update(_insert(session, missing, utcnow()))
        lost = [s.content_hash for s in missing if s.content_hash not in ids]
        if lost:
            ids.update(_ids_by_hash(session, lost))
    return [ids[s.content_hash] for s in signals]


def _insert(
    session: Session, missing: list[TextSignals], now: datetime
) -> Iterable[tuple[str, int]]:
    """Insert ``missing``, skipping hashes stored meanwhile; (hash, id) of each new row."""
    if session.get_bind().dialect.name == "postgresql":
        dumps = json.dumps
        params = {
            "content_hash": [s.content_hash for s in missing],
            "masked_text": [s.masked_text for s in missing],
            "offensive_prob": [float(s.offensive_prob) for s in missing],
            "pii_kinds": [dumps(list(s.pii_kinds)) for s in missing],
            "injection_markers": [dumps(list(s.injection_markers)) for s in missing],
            "provenance": [dumps(s.provenance) for s in missing],
            "created_at": now,
        }
        return session.execute(_POSTGRESQL_INSERT, params).tuples()
    rows = [
        {
            "content_hash": s.content_hash,
            "masked_text": s.masked_text,
            "offensive_prob": float(s.offensive_prob),
            "pii_kinds": list(s.pii_kinds),
            "injection_markers": list(s.injection_markers),
            "provenance": dict(s.provenance),
            "created_at": now,
        }
        for s in missing
    ]
    return session.execute(_SQLITE_INSERT, rows).tuples()


def _ids_by_hash(session: Session, hashes: list[str]) -> dict[str, int]:
    if not hashes:
        return {}
    if session.get_bind().dialect.name == "postgresql":
        # One array parameter: one short statement whatever the count.
        return dict(session.execute(_POSTGRESQL_IDS_BY_HASH, {"hashes": hashes}).tuples().all())
    found: dict[str, int] = {}
    for start in range(0, len(hashes), _CHUNK):
        stmt = select(TextBlob.content_hash, TextBlob.id).where(
            TextBlob.content_hash.in_(hashes[start : start + _CHUNK])
        )
        found.update(session.execute(stmt).tuples())
    return found
