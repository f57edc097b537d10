"""Storing deployers' log samples: idempotent by (deployer, external_id)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, cast

from sqlalchemy import (
    ARRAY,
    Connection,
    DateTime,
    String,
    Table,
    Text,
    bindparam,
    func,
    select,
    true,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from core.db import insert_json_rows
from core.models import LogRecord, TextBlob
from core.models.base import utcnow
from core.records import LogRecordIn
from core.services.texts import insert_text_rows, text_row_groups
from core.signals import TextAnalyzer, TextSignals

_LOG_TABLE = cast(Table, LogRecord.__table__)
_TEXT_TABLE = cast(Table, TextBlob.__table__)
# Built once, compiled once per process (see core.services.texts). Column keys,
# not attribute names: "metadata" is the column of LogRecord.extra. Rows name
# their texts by content hash and the database looks the ids up, so a batch
# needs no round trip for text ids and no Python loop to put them in.
_INSERT = {
    dialect: insert_json_rows(
        _LOG_TABLE,
        {
            "external_id": Text(),
            "occurred_at": DateTime(timezone=True),
            "model": Text(),
            "account_id": Text(),
            "prompt_hash": Text(),
            "response_hash": Text(),
            "messages": JSONB(),
            "metadata": JSONB(),
            "moderation_flags": JSONB(),
        },
        ["deployer_id", "received_at", "api_key_id", "source"],
        dialect=dialect,
        conflict=["deployer_id", "external_id"],
        returning=[_LOG_TABLE.c.external_id],
        lookups={
            "prompt_text_id": ("prompt_hash", _TEXT_TABLE.c.content_hash, _TEXT_TABLE.c.id),
            "response_text_id": ("response_hash", _TEXT_TABLE.c.content_hash, _TEXT_TABLE.c.id),
        },
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
# One JSON array parameter expanded by json_each: one short statement whatever
# the batch size, instead of IN (...) with a bound parameter (rendered and
# converted in Python) per id.
_SQLITE_SENT = func.json_each(bindparam("external_ids", type_=Text())).table_valued("value")
_SQLITE_EXISTING = select(LogRecord.external_id).where(
    LogRecord.deployer_id == bindparam("deployer_id"),
    LogRecord.external_id.in_(select(_SQLITE_SENT.c.value)),
)


@dataclass
class BatchOutcome:
    accepted: int = 0
    # (index in the batch or line number, external_id) of records stored before.
    duplicates: list[tuple[int, str]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class PreparedLogBatch:
    """A batch of log records turned into the two JSON parameters that store it.

    Made by :func:`prepare_log_batch` (signals included, the costly part) and
    stored by :func:`write_log_batch`; the two may run in different processes.
    """

    external_ids: list[str]
    texts: list[tuple[dict[str, str], str]]  # see core.services.texts.text_row_groups
    rows_json: str


def existing_external_ids(
    session: Session | Connection, deployer_id: int, external_ids: Sequence[str]
) -> set[str]:
    """Which of ``external_ids`` the deployer has stored already."""
    if not external_ids:
        return set()
    if _dialect(session).name == "postgresql":
        # One array parameter: one short statement whatever the batch size.
        params: dict[str, Any] = {"deployer_id": deployer_id, "external_ids": list(external_ids)}
        return set(session.execute(_POSTGRESQL_EXISTING, params).scalars())
    params = {"deployer_id": deployer_id, "external_ids": json.dumps(list(external_ids))}
    return set(session.execute(_SQLITE_EXISTING, params).scalars())


def _dialect(session: Session | Connection) -> Dialect:
    return session.dialect if isinstance(session, Connection) else session.get_bind().dialect


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

    prepared = prepare_log_batch([r for _, r in fresh], analyzer, _dialect(session))
    inserted = write_log_batch(session, deployer_id, prepared, api_key_id=api_key_id, source=source)
    outcome.accepted = len(inserted)
    # Lost a race with a concurrent writer of the same records: those are duplicates too.
    outcome.duplicates.extend((i, r.external_id) for i, r in fresh if r.external_id not in inserted)
    outcome.duplicates.sort()
    return outcome


def prepare_log_batch(
    records: Sequence[LogRecordIn], analyzer: TextAnalyzer, dialect: Dialect
) -> PreparedLogBatch:
    """Compute the signals of ``records`` and build the rows that store them.

    ``dialect`` is the database's: timestamps go as text in JSON, ISO 8601 for
    PostgreSQL and SQLite's own format for SQLite.
    """
    # One analyzer call for every text of the batch: the offensive-language model
    # is far cheaper per text in batches.
    texts: list[str] = []
    for rec in records:
        texts.extend(record_texts(rec))
    signals = analyzer.analyze_many(texts)

    occurred_at: Any = datetime.isoformat
    if dialect.name != "postgresql":
        occurred_at = _LOG_TABLE.c.occurred_at.type.dialect_impl(dialect).bind_processor(dialect)
    stored: list[TextSignals] = []
    rows: list[dict[str, Any]] = []
    position = 0
    for rec in records:
        response = signals[position]
        prompt = signals[position + 1] if rec.prompt_text else None
        position += 2 if prompt is not None else 1
        stored.append(response)
        if prompt is not None:
            stored.append(prompt)
        messages = []
        for message in rec.messages:
            messages.append({"role": message.role, "content": signals[position].masked_text})
            position += 1
        rows.append(
            {
                "external_id": rec.external_id,
                "occurred_at": occurred_at(rec.timestamp),
                "model": rec.model,
                "account_id": rec.account_id,
                "prompt_hash": prompt.content_hash if prompt is not None else None,
                "response_hash": response.content_hash,
                "messages": messages,
                "metadata": rec.metadata,
                "moderation_flags": rec.moderation_flags,
            }
        )
    return PreparedLogBatch(
        external_ids=[rec.external_id for rec in records],
        texts=text_row_groups(stored),
        rows_json=json.dumps(rows),
    )


def write_log_batch(
    session: Session,
    deployer_id: int,
    prepared: PreparedLogBatch,
    *,
    api_key_id: int | None = None,
    source: str = "api",
) -> set[str]:
    """Store a prepared batch in one transaction, commit, and return the external ids
    actually inserted (others were stored before, by a concurrent writer or an
    earlier batch)."""
    dialect = "postgresql" if _dialect(session).name == "postgresql" else "sqlite"
    insert_text_rows(session, prepared.texts)
    params = {
        "rows": prepared.rows_json,
        "deployer_id": deployer_id,
        # One arrival time for the batch: it arrived, and is committed, as one.
        "received_at": utcnow(),
        "api_key_id": api_key_id,
        "source": source,
    }
    inserted = set(session.execute(_INSERT[dialect], params).scalars())
    session.commit()
    return inserted
