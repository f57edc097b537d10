"""Embedding each distinct text once, incrementally and resumably."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

import numpy as np
from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from core.models import Embedding, TextBlob, TextPlacement
from core.models.base import utcnow


class TextEmbedder(Protocol):
    """A fitted embedder (``analytics.embedding.SentenceEmbedder``)."""

    model_id_: str
    dim_: int

    def transform(self, texts: Sequence[str]) -> Any: ...


def _pending(model_id: str) -> Any:
    # No vector yet, or one made by another model (a model change re-embeds cleanly).
    return (
        select(TextBlob.id, TextBlob.masked_text)
        .outerjoin(Embedding, Embedding.text_id == TextBlob.id)
        .where(or_(Embedding.text_id.is_(None), Embedding.model_id != model_id))
    )


def count_pending(session: Session, model_id: str) -> int:
    stmt = select(func.count()).select_from(_pending(model_id).subquery())
    return int(session.execute(stmt).scalar_one())


def embed_pending(
    session: Session,
    embedder: TextEmbedder,
    *,
    batch_size: int = 512,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Embed every text that has no vector from this model; commit per batch.

    A crash loses at most the batch in flight, and the next run picks up where
    this one stopped, since "pending" is read from the table each time.
    """
    model_id = embedder.model_id_
    total = count_pending(session, model_id)
    done = 0
    last_id = 0
    while True:
        rows = session.execute(
            _pending(model_id).where(TextBlob.id > last_id).order_by(TextBlob.id).limit(batch_size)
        ).all()
        if not rows:
            break
        ids = [r[0] for r in rows]
        vectors = np.asarray(embedder.transform([r[1] for r in rows]), dtype=np.float32)
        session.execute(delete(Embedding).where(Embedding.text_id.in_(ids)))
        session.execute(
            insert(Embedding),
            [
                {
                    "text_id": tid,
                    "model_id": model_id,
                    "dim": int(vec.shape[0]),
                    "vector": vec.tobytes(),
                }
                for tid, vec in zip(ids, vectors, strict=True)
            ],
        )
        session.commit()
        done += len(ids)
        last_id = ids[-1]
        if progress is not None:
            progress(done, total)
    return done


def pending_ids(session: Session, model_id: str) -> np.ndarray:
    """Ids, ascending, of the texts without a vector from ``model_id``: what a
    cluster run splits into tasks (the texts themselves are read by each task)."""
    ids = session.execute(select(_pending(model_id).subquery().c.id).order_by("id")).scalars()
    return np.fromiter(ids, dtype=np.int64)


# Rows per upsert statement: 4 parameters a row stays far below SQLite's limit.
_UPSERT_ROWS = 500


def embed_texts(
    session: Session, embedder: TextEmbedder, text_ids: Sequence[int], *, batch_size: int = 512
) -> int:
    """Embed those of ``text_ids`` still without a vector from this model and store
    the vectors; return how many rows this call wrote. Commits once, at the end.

    Idempotent, for a task that a cluster runs twice (its worker died after the
    commit): texts already embedded by this model are neither read nor embedded
    again, and the write itself only replaces a vector of another model, so two
    calls racing on one batch still leave one row per text and count it once.
    """
    model_id = embedder.model_id_
    wanted = sorted({int(t) for t in text_ids})
    rows: list[Any] = []
    for start in range(0, len(wanted), 5000):
        rows.extend(
            session.execute(
                _pending(model_id).where(TextBlob.id.in_(wanted[start : start + 5000]))
            ).all()
        )
    # End the read before the seconds of embedding: no snapshot held open meanwhile.
    session.rollback()
    if not rows:
        return 0
    rows.sort(key=lambda r: r[0])
    # The model sees the texts in the batches embed_pending gives it (ids ascending,
    # ``batch_size`` at a time): a text's vector depends in its last bits on the
    # texts padded beside it, and a cluster run must store what an in-process run does.
    vectors = np.concatenate(
        [
            np.asarray(
                embedder.transform([r[1] for r in rows[start : start + batch_size]]),
                dtype=np.float32,
            )
            for start in range(0, len(rows), batch_size)
        ]
    )
    now = utcnow()
    values = [
        {
            "text_id": int(r[0]),
            "model_id": model_id,
            "dim": int(vec.shape[0]),
            "vector": vec.tobytes(),
            "created_at": now,
        }
        for r, vec in zip(rows, vectors, strict=True)
    ]
    dialect = session.get_bind().dialect.name
    upsert: Any = pg_insert if dialect == "postgresql" else sqlite_insert
    written = 0
    for start in range(0, len(values), _UPSERT_ROWS):
        stmt = upsert(Embedding).values(values[start : start + _UPSERT_ROWS])
        stmt = stmt.on_conflict_do_update(
            index_elements=[Embedding.text_id],
            set_={
                "model_id": stmt.excluded.model_id,
                "dim": stmt.excluded.dim,
                "vector": stmt.excluded.vector,
                "created_at": stmt.excluded.created_at,
            },
            where=Embedding.model_id != stmt.excluded.model_id,
        ).returning(Embedding.text_id)
        written += len(session.execute(stmt).all())
    session.commit()
    return written


def load_vectors(
    session: Session,
    model_id: str,
    text_ids: Sequence[int] | np.ndarray | None = None,
    *,
    unplaced: bool = False,
) -> tuple[np.ndarray, np.ndarray]:
    """(text ids, float32 matrix) of the stored vectors of ``model_id``, by text id.

    All of them, those of ``text_ids``, or with ``unplaced`` those of texts the group
    job has not placed yet. Rows are copied into one preallocated matrix a chunk at a
    time: the blobs of a million vectors are never all held as Python bytes beside it.
    """
    stmt = select(Embedding.text_id, Embedding.vector).where(Embedding.model_id == model_id)
    if unplaced:
        stmt = stmt.where(
            ~select(TextPlacement.text_id)
            .where(TextPlacement.text_id == Embedding.text_id)
            .exists()
        )
    if text_ids is not None:
        wanted = sorted({int(t) for t in text_ids})
        parts = [
            stmt.where(Embedding.text_id.in_(wanted[start : start + 5000]))
            for start in range(0, len(wanted), 5000)
        ]
        n = len(wanted)  # an upper bound: some may have no vector
    else:
        parts = [stmt]
        n = int(session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one())
    ids = np.zeros(n, dtype=np.int64)
    matrix: np.ndarray | None = None
    filled = 0
    for part in parts:
        # Streamed: PostgreSQL's driver otherwise receives the whole result before the
        # first row is read (a million vectors held as hex text: 6.4 GB at peak, where
        # SQLite, which streams anyway, stays under 4).
        result = session.execute(
            part.order_by(Embedding.text_id).execution_options(stream_results=True)
        )
        while rows := result.fetchmany(20_000):
            chunk_ids, blobs = zip(*rows, strict=True)
            block = np.frombuffer(b"".join(blobs), dtype=np.float32).reshape(len(rows), -1)
            if matrix is None:
                matrix = np.empty((n, block.shape[1]), dtype=np.float32)
            if filled + len(rows) > n:  # rows committed since the count: grow once
                grow = max(len(rows), n // 8)
                matrix = np.concatenate([matrix, np.empty((grow, matrix.shape[1]), np.float32)])
                ids = np.concatenate([ids, np.zeros(grow, dtype=np.int64)])
                n += grow
            matrix[filled : filled + len(rows)] = block
            ids[filled : filled + len(rows)] = chunk_ids
            filled += len(rows)
    if matrix is None or filled == 0:
        return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32)
    return ids[:filled], matrix[:filled]


def count_vectors(session: Session, model_id: str, *, unplaced: bool = False) -> int:
    """How many vectors ``model_id`` has (or has for texts not placed yet)."""
    stmt = select(func.count()).select_from(Embedding).where(Embedding.model_id == model_id)
    if unplaced:
        stmt = stmt.where(
            ~select(TextPlacement.text_id)
            .where(TextPlacement.text_id == Embedding.text_id)
            .exists()
        )
    return int(session.execute(stmt).scalar_one())
