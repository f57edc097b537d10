"""Storing deployers' log samples: idempotent by (deployer, external_id)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Table, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from core.models import LogRecord
from core.models.base import utcnow
from core.records import LogRecordIn
from core.services.texts import store_texts
from core.signals import TextAnalyzer

_CHUNK = 500
_LOG_TABLE = cast(Table, LogRecord.__table__)


def _insert_returning_external_ids(dialect: str) -> Any:
    # One statement per dialect for the life of the process, run as an
    # executemany: SQLAlchemy compiles it once and sends multi-row INSERTs
    # ("insertmanyvalues"), paging them itself.
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    # Column keys, not attribute names: "metadata" is the column of LogRecord.extra.
    return (
        insert(_LOG_TABLE)
        .on_conflict_do_nothing(index_elements=["deployer_id", "external_id"])
        .returning(_LOG_TABLE.c.external_id)
    )


_INSERT = {dialect: _insert_returning_external_ids(dialect) for dialect in ("postgresql", "sqlite")}


@dataclass
class BatchOutcome:
    accepted: int = 0
    # (index in the batch or line number, external_id) of records stored before.
    duplicates: list[tuple[int, str]] = field(default_factory=list)


def existing_external_ids(
    session: Session, deployer_id: int, external_ids: Sequence[str]
) -> set[str]:
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
        r_pos = len(texts)
        texts.append(rec.response)
        p_pos = None
        prompt = rec.prompt_text
        if prompt:
            p_pos = len(texts)
            texts.append(prompt)
        m_pos = []
        for m in rec.messages:
            m_pos.append(len(texts))
            texts.append(m.content)
        slots.append((r_pos, p_pos, m_pos))
    signals = analyzer.analyze_many(texts)
    stored_positions = sorted({p for r, pp, _ in slots for p in (r, pp) if p is not None})
    ids = dict(
        zip(
            stored_positions,
            store_texts(session, [signals[p] for p in stored_positions]),
            strict=True,
        )
    )

    received_at = utcnow()
    rows: list[dict[str, Any]] = []
    for (_, rec), (r_pos, p_pos, m_pos) in zip(fresh, slots, strict=True):
        rows.append(
            {
                "deployer_id": deployer_id,
                "received_at": received_at,
                "external_id": rec.external_id,
                "occurred_at": rec.timestamp,
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
                "api_key_id": api_key_id,
                "source": source,
            }
        )
    dialect = session.get_bind().dialect.name
    stmt = _INSERT["postgresql" if dialect == "postgresql" else "sqlite"]
    inserted = set(session.execute(stmt, rows).scalars())
    session.commit()
    outcome.accepted = len(inserted)
    # Lost a race with a concurrent writer of the same records: those are duplicates too.
    outcome.duplicates.extend((i, r.external_id) for i, r in fresh if r.external_id not in inserted)
    outcome.duplicates.sort()
    return outcome
