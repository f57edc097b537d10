"""Storing imported log samples while the next batch is analysed in a second process.

Signals cost about as much CPU as parsing and writing together; on a two-core
machine the importer is twice as fast when one core analyses batch N+1 while the
other writes batch N. Every batch is still one transaction, so an interruption
loses at most the batches not yet written, and a rerun resumes.
"""

from __future__ import annotations

import gc
import multiprocessing
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any

from sqlalchemy.orm import Session

from core.records import LogRecordIn
from core.services.logs import existing_external_ids, ingest_log_batch, record_texts
from core.signals import TextSignals
from ingest.importer import BatchOutcome
from ingest.signals import TextAnalyzer

_ANALYZER: TextAnalyzer | None = None


def _start_worker() -> None:
    global _ANALYZER
    _ANALYZER = TextAnalyzer()
    _ANALYZER.analyze_many(["warm up"])
    gc.freeze()


def _analyze(texts: list[str]) -> list[TextSignals]:
    assert _ANALYZER is not None
    return _ANALYZER.analyze_many(texts)


def batch_texts(records: Sequence[tuple[int, LogRecordIn]]) -> list[str]:
    """The distinct texts the log service will analyse for these records."""
    return list(dict.fromkeys(t for _, rec in records for t in record_texts(rec)))


class _Precomputed:
    """An analyzer answering from results computed elsewhere, and computing any
    text it was not given itself, so it can never disagree with the service."""

    def __init__(self, results: dict[str, TextSignals], fallback: TextAnalyzer):
        self.results = results
        self.fallback = fallback

    def analyze_many(self, texts: Sequence[str]) -> list[TextSignals]:
        missing = [t for t in dict.fromkeys(texts) if t not in self.results]
        if missing:
            self.results.update(zip(missing, self.fallback.analyze_many(missing), strict=True))
        return [self.results[t] for t in texts]


class PipelinedLogStore:
    """A ``store_batch`` for ``ingest.importer.run_import`` that overlaps analysis
    and writing. Each call writes the *previous* batch; ``flush()`` writes the last."""

    def __init__(self, session: Session, deployer_id: int, *, source: str = "cli"):
        self.session = session
        self.deployer_id = deployer_id
        self.source = source
        self.fallback = TextAnalyzer()
        # spawn, not fork: forking a process that holds database connections and
        # threads (a web server, a test runner) can deadlock the child.
        self.pool = ProcessPoolExecutor(
            max_workers=1,
            initializer=_start_worker,
            mp_context=multiprocessing.get_context("spawn"),
        )
        self.pending: tuple[list[tuple[int, LogRecordIn]], list[str], Future[Any]] | None = None

    def __call__(self, batch: list[tuple[int, LogRecordIn]]) -> BatchOutcome:
        # Records stored before are counted now and never analysed: a rerun costs
        # a look-up per record.
        stored = existing_external_ids(
            self.session, self.deployer_id, [r.external_id for _, r in batch]
        )
        fresh = [(i, r) for i, r in batch if r.external_id not in stored]
        self.session.rollback()  # end the read transaction; writes come in flush
        previous = self.flush()
        if fresh:
            texts = batch_texts(fresh)
            self.pending = (fresh, texts, self.pool.submit(_analyze, texts))
        return BatchOutcome(
            accepted=previous.accepted, duplicates=previous.duplicates + len(batch) - len(fresh)
        )

    def flush(self) -> BatchOutcome:
        if self.pending is None:
            return BatchOutcome(accepted=0, duplicates=0)
        fresh, texts, future = self.pending
        self.pending = None
        analyzer = _Precomputed(dict(zip(texts, future.result(), strict=True)), self.fallback)
        outcome = ingest_log_batch(
            self.session, self.deployer_id, fresh, analyzer=analyzer, source=self.source
        )
        return BatchOutcome(accepted=outcome.accepted, duplicates=len(outcome.duplicates))

    def close(self) -> None:
        self.pending = None
        self.pool.shutdown(wait=True, cancel_futures=True)
