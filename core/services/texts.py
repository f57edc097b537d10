"""Storing distinct texts once per content hash."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from core.models import TextBlob
from core.signals import TextSignals

# Stay under SQLite's bound-parameter limit in IN (...) look-ups.
_CHUNK = 500


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
        rows = [
            {
                "content_hash": s.content_hash,
                "masked_text": s.masked_text,
                "offensive_prob": float(s.offensive_prob),
                "pii_kinds": list(s.pii_kinds),
                "injection_markers": list(s.injection_markers),
                "provenance": dict(s.provenance),
            }
            for s in missing
        ]
        dialect = session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        for start in range(0, len(rows), _CHUNK):
            stmt = insert(TextBlob).values(rows[start : start + _CHUNK])
            session.execute(stmt.on_conflict_do_nothing(index_elements=["content_hash"]))
        ids.update(_ids_by_hash(session, [s.content_hash for s in missing]))
    return [ids[s.content_hash] for s in signals]


def _ids_by_hash(session: Session, hashes: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(hashes), _CHUNK):
        stmt = select(TextBlob.content_hash, TextBlob.id).where(
            TextBlob.content_hash.in_(hashes[start : start + _CHUNK])
        )
        found.update((h, i) for h, i in session.execute(stmt))
    return found
