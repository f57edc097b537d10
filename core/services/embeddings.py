"""Embedding each distinct text once, incrementally and resumably."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

import numpy as np
from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.orm import Session

from core.models import Embedding, TextBlob


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


def load_vectors(
    session: Session, model_id: str, text_ids: Sequence[int] | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """(text ids, float32 matrix) of every stored vector of ``model_id`` (or of ``text_ids``)."""
    stmt = select(Embedding.text_id, Embedding.vector).where(Embedding.model_id == model_id)
    if text_ids is not None:
        ids_out: list[int] = []
        chunks: list[bytes] = []
        for start in range(0, len(text_ids), 500):
            part = stmt.where(Embedding.text_id.in_(list(text_ids[start : start + 500])))
            for tid, vec in session.execute(part):
                ids_out.append(tid)
                chunks.append(vec)
    else:
        ids_out, chunks = [], []
        for tid, vec in session.execute(stmt.order_by(Embedding.text_id)):
            ids_out.append(tid)
            chunks.append(vec)
    if not ids_out:
        return np.zeros(0, dtype=np.int64), np.zeros((0, 0), dtype=np.float32)
    matrix = np.frombuffer(b"".join(chunks), dtype=np.float32).reshape(len(ids_out), -1)
    return np.asarray(ids_out, dtype=np.int64), matrix
