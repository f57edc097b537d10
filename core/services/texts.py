"""Storing distinct texts once per content hash."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any, cast

from sqlalchemy import ARRAY, Float, String, Table, Text, any_, bindparam, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeEngine

from core.db import insert_json_rows
from core.models import TextBlob
from core.models.base import utcnow
from core.signals import TextSignals

# Stay under SQLite's bound-parameter limit in IN (...) look-ups.
_CHUNK = 500
_TEXT_TABLE = cast(Table, TextBlob.__table__)
_TEXT_ROW_COLUMNS: dict[str, TypeEngine[Any]] = {
    "content_hash": Text(),
    "masked_text": Text(),
    "offensive_prob": Float(),
    "pii_kinds": JSONB(),
    "injection_markers": JSONB(),
    "provenance": JSONB(),
}

# Built once: SQLAlchemy then compiles each once per process. Building the
# INSERT from the rows with .values(rows) cost a fresh compilation of
# thousands of bind parameters per batch, more than the SQL itself.
_INSERT = {
    dialect: insert_json_rows(
        _TEXT_TABLE,
        _TEXT_ROW_COLUMNS,
        ["created_at"],
        dialect=dialect,
        conflict=["content_hash"],
        returning=[_TEXT_TABLE.c.content_hash, _TEXT_TABLE.c.id],
    )
    for dialect in ("postgresql", "sqlite")
}
# The same without RETURNING, for writers that refer to texts by content hash
# (see core.services.logs) and so never need their ids.
# Provenance is one bind parameter: an analyzer gives every text the same.
_INSERT_QUIET = {
    dialect: insert_json_rows(
        _TEXT_TABLE,
        {name: type_ for name, type_ in _TEXT_ROW_COLUMNS.items() if name != "provenance"},
        ["created_at", "provenance"],
        dialect=dialect,
        conflict=["content_hash"],
    )
    for dialect in ("postgresql", "sqlite")
}
# One array parameter rather than IN (...) with one parameter per hash: a short
# statement that psycopg parses once, whatever the count.
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
        rows = text_rows(missing)
        dialect = session.get_bind().dialect.name
        stmt = _INSERT["postgresql" if dialect == "postgresql" else "sqlite"]
        params: dict[str, Any] = {"rows": json.dumps(rows), "created_at": utcnow()}
        # RETURNING hands back the new ids, so only texts another writer stored
        # in the meantime (skipped by ON CONFLICT, so not returned) need a look-up.
        ids.update(session.execute(stmt, params).all())
        lost = [s.content_hash for s in missing if s.content_hash not in ids]
        if lost:
            ids.update(_ids_by_hash(session, lost))
    return [ids[s.content_hash] for s in signals]


def _ids_by_hash(session: Session, hashes: list[str]) -> dict[str, int]:
    if not hashes:
        return {}
    if session.get_bind().dialect.name == "postgresql":
        return dict(session.execute(_POSTGRESQL_IDS_BY_HASH, {"hashes": hashes}).all())
    found: dict[str, int] = {}
    for start in range(0, len(hashes), _CHUNK):
        stmt = select(TextBlob.content_hash, TextBlob.id).where(
            TextBlob.content_hash.in_(hashes[start : start + _CHUNK])
        )
        found.update(session.execute(stmt).all())
    return found


def text_rows(signals: Iterable[TextSignals]) -> list[dict[str, Any]]:
    """The rows of ``text_blob`` for these texts, one per content hash (the first wins)."""
    rows: dict[str, dict[str, Any]] = {}
    for s in signals:
        if s.content_hash not in rows:
            rows[s.content_hash] = {
                "content_hash": s.content_hash,
                "masked_text": s.masked_text,
                "offensive_prob": float(s.offensive_prob),
                "pii_kinds": s.pii_kinds,
                "injection_markers": s.injection_markers,
                "provenance": s.provenance,
            }
    return list(rows.values())


def text_row_groups(signals: Iterable[TextSignals]) -> list[tuple[dict[str, str], str]]:
    """The rows of ``text_blob`` for these texts, one per content hash (the first
    wins), for :func:`insert_text_rows`: ``(provenance, JSON array of the rows)``
    groups, one per distinct provenance (normally one for the whole batch)."""
    groups: dict[tuple[tuple[str, str], ...], tuple[dict[str, str], list[dict[str, Any]]]] = {}
    seen: set[str] = set()
    for s in signals:
        if s.content_hash in seen:
            continue
        seen.add(s.content_hash)
        key = tuple(sorted(s.provenance.items()))
        group = groups.get(key)
        if group is None:
            group = groups[key] = (dict(s.provenance), [])
        group[1].append(
            {
                "content_hash": s.content_hash,
                "masked_text": s.masked_text,
                "offensive_prob": float(s.offensive_prob),
                "pii_kinds": s.pii_kinds,
                "injection_markers": s.injection_markers,
            }
        )
    return [(provenance, json.dumps(rows)) for provenance, rows in groups.values()]


def insert_text_rows(session: Session, groups: Sequence[tuple[dict[str, str], str]]) -> None:
    """Insert the texts of :func:`text_row_groups` not stored yet.

    Part of the caller's transaction; concurrent writers of the same text are
    safe (``ON CONFLICT DO NOTHING``).
    """
    dialect = "postgresql" if session.get_bind().dialect.name == "postgresql" else "sqlite"
    created_at = utcnow()
    for provenance, rows_json in groups:
        params = {"rows": rows_json, "created_at": created_at, "provenance": provenance}
        session.execute(_INSERT_QUIET[dialect], params)
