"""Storing deployers' log samples: idempotent by (deployer, external_id)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ARRAY, DateTime, Integer, String, Table, Text, bindparam, func, select, true
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from core.db import insert_json_rows
from core.models import LogRecord
from core.models.base import utcnow
from core.records import LogRecordIn
from core.services.texts import store_texts
from core.signals import TextAnalyzer

# Stay under SQLite's bound-parameter limit in IN (...) look-ups.
_CHUNK = 500
_LOG_TABLE = cast(Table, LogRecord.__table__)
# Built once, compiled once per process (see core.services.texts). Column keys,
# not attribute names: "metadata" is the column of LogRecord.extra.
_INSERT = {
    dialect: insert_json_rows(
        _LOG_TABLE,
        {
            "external_id": Text(),
            "occurred_at": DateTime(timezone=True),
            "model": Text(),
            "account_id": Text(),
            "prompt_text_id": Integer(),
            "response_text_id": Integer(),
            "messages": JSONB(),
            "metadata": JSONB(),
            "moderation_flags": JSONB(),
        },
        ["deployer_id", "received_at", "api_key_id", "source"],
        dialect=dialect,
        conflict=["deployer_id", "external_id"],
        returning=[_LOG_TABLE.c.external_id],
    )
    for dialect in ("postgresql", "sqlite")
}


def _postgresql_existing() -> Any:
    # One array parameter rather than IN (...) with one parameter per id: a
    # short statement that psycopg parses once, whatever the batch size. One
    # look-up per id (LATERAL .. LIMIT 1), each an equality on the whole
    # unique index: with "external_id = ANY(..)" the planner, misled by the
    # row estimate of a deployer whose rows have not been analysed yet (any
    # deployer in the middle of its first big import), scanned all the
    # deployer's rows for every batch, making an import quadratic.
    sent = (
        func.unnest(bindparam("external_ids", type_=ARRAY(String())))
        .table_valued("external_id")
        .render_derived(name="sent")
    )
    found = (
        select(LogRecord.external_id)
        .where(
            LogRecord.deployer_id == bindparam("deployer_id"),
            LogRecord.external_id == sent.c.external_id,
        )
        .limit(1)
        .lateral("found")
    )
    return select(found.c.external_id).select_from(sent).join(found, true())


_POSTGRESQL_EXISTING = _postgresql_existing()


@dataclass
class BatchOutcome:
    accepted: int = 0
    # (index in the batch or line number, external_id) of records stored before.
    duplicates: list[tuple[int, str]] = field(default_factory=list)


def existing_external_ids(
    session: Session, deployer_id: int, external_ids: Sequence[str]
) -> set[str]:
    if not external_ids:
        return set()
    if session.get_bind().dialect.name == "postgresql":
        # One array parameter: one short statement whatever the batch size.
        params = {"deployer_id": deployer_id, "external_ids": list(external_ids)}
        return set(session.execute(_POSTGRESQL_EXISTING, params).scalars())
    found: set[str] = set()
    for start in range(0, len(external_ids), _CHUNK):
        chunk = list(external_ids[start : start + _CHUNK])
        found.update(
            session.execute(
                select(LogRecord.external_id).where(
                    LogRecord.deployer_id == deployer_id, LogRecord.external_id.in_(chunk)
                )
            ).scalars()
        )
    return found


def record_texts(rec: LogRecordIn) -> list[str]:
    """The texts of a record that get signals, in a fixed order: the response, the
    prompt if any, then each chat message."""
    texts = [rec.response]
    if rec.prompt_text:
        texts.append(rec.prompt_text)
    texts.extend(m.content for m in rec.messages)
    return texts


def ingest_log_batch(
    session: Session,
    deployer_id: int,
    records: Sequence[tuple[int, LogRecordIn]],
    *,
    analyzer: TextAnalyzer,
    api_key_id: int | None = None,
    source: str = "api",
) -> BatchOutcome:
    """Store the records not stored yet, in one transaction, and commit.

    Records whose external_id is already stored for this deployer (by an earlier
    batch, a concurrent writer, or earlier in this batch) are counted as
    duplicates and left untouched; their signals are never computed, so a
    rerun of a whole file costs a look-up per record and little else.
    """
    outcome = BatchOutcome()
    seen: set[str] = set()
    fresh: list[tuple[int, LogRecordIn]] = []
    for index, rec in records:
        if rec.external_id in seen:
            outcome.duplicates.append((index, rec.external_id))
        else:
            seen.add(rec.external_id)
            fresh.append((index, rec))
    stored = existing_external_ids(session, deployer_id, [r.external_id for _, r in fresh])
    if stored:
        outcome.duplicates.extend((i, r.external_id) for i, r in fresh if r.external_id in stored)
        fresh = [(i, r) for i, r in fresh if r.external_id not in stored]
    if not fresh:
        session.rollback()
        return outcome

    # One analyzer call for every text of the batch: the offensive-language model
    # is far cheaper per text in batches.
    texts: list[str] = []
    slots: list[tuple[int, int | None, list[int]]] = []  # response, prompt, message positions
    for _, rec in fresh:
        start = len(texts)
        texts.extend(record_texts(rec))
        p_pos = start + 1 if rec.prompt_text else None
        first_message = start + (2 if rec.prompt_text else 1)
        slots.append((start, p_pos, list(range(first_message, len(texts)))))
    signals = analyzer.analyze_many(texts)
    stored_positions = sorted({p for r, pp, _ in slots for p in (r, pp) if p is not None})
    ids = dict(
        zip(
            stored_positions,
            store_texts(session, [signals[p] for p in stored_positions]),
            strict=True,
        )
    )

    bind = session.get_bind()
    dialect = "postgresql" if bind.dialect.name == "postgresql" else "sqlite"
    # The rows go as JSON (see core.db.insert_json_rows), so timestamps go as
    # text: ISO 8601 for PostgreSQL, SQLite in the column type's own format.
    occurred_at: Any = datetime.isoformat
    if dialect == "sqlite":
        occurred_at = _LOG_TABLE.c.occurred_at.type.dialect_impl(bind.dialect).bind_processor(
            bind.dialect
        )
    rows: list[dict[str, Any]] = []
    for (_, rec), (r_pos, p_pos, m_pos) in zip(fresh, slots, strict=True):
        rows.append(
            {
                "external_id": rec.external_id,
                "occurred_at": occurred_at(rec.timestamp),
                "model": rec.model,
                "account_id": rec.account_id,
                "prompt_text_id": ids[p_pos] if p_pos is not None else None,
                "response_text_id": ids[r_pos],
                "messages": [
                    {"role": m.role, "content": signals[pos].masked_text}
                    for m, pos in zip(rec.messages, m_pos, strict=True)
                ],
                "metadata": rec.metadata,
                "moderation_flags": rec.moderation_flags,
            }
        )
    params = {
        "rows": json.dumps(rows),
        "deployer_id": deployer_id,
        # One arrival time for the batch: it arrived, and is committed, as one.
        "received_at": utcnow(),
        "api_key_id": api_key_id,
        "source": source,
    }
    inserted = set(session.execute(_INSERT[dialect], params).scalars())
    session.commit()
    outcome.accepted = len(inserted)
    # Lost a race with a concurrent writer of the same records: those are duplicates too.
    outcome.duplicates.extend((i, r.external_id) for i, r in fresh if r.external_id not in inserted)
    outcome.duplicates.sort()
    return outcome
