"""Importing log samples with parsing, validation and signals in worker processes.

``misuse ingest logs`` spends its CPU on decoding JSON, validating, computing
signals and building the rows, and comparatively little on the SQL. So the
importing process only reads lines and writes; :class:`LogImportPipeline`
sends each chunk of raw lines to a pool of worker processes that do the rest
and hand back two JSON parameters ready to insert (see
:func:`core.services.logs.prepare_log_batch`). With a worker per idle core
every core stays busy, whatever the share of the two halves; a rerun, which
has nothing to analyse, starts no worker at all.

Guarantees kept from the single-process importer:

- each chunk is stored in one transaction, by the importing process alone, in
  file order; a chunk not yet written when the process dies is simply stored
  by the rerun, which skips what was written;
- a record stored before is never analysed: a worker looks its external id up
  (its own read-only connection) before computing anything. A record whose id
  is in a chunk still being written (a client's retry a few lines apart) is
  analysed, and the insert's ``ON CONFLICT DO NOTHING`` counts it a duplicate;
- rejected records come back as rejected-file entries with their line numbers,
  which the reading process numbered.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlalchemy.engine import Dialect
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from core.records import LogRecordIn
from core.services.logs import (
    PreparedLogBatch,
    existing_external_ids,
    prepare_log_batch,
    write_log_batch,
)
from core.signals import TextAnalyzer as TextAnalyzerProtocol
from core.signals import TextSignals
from ingest.chunks import Chunk, ChunkOutcome, parse_chunk
from ingest.signals import TextAnalyzer
from ingest.validation import parse_log_record

# SQLite copies the write-ahead log back into the database every this many
# pages (default 1000) while importing: each batch dirties index pages all over
# the file, and checkpointing less often copies a page rewritten by several
# batches once. A third less CPU per commit measured; the log grows to ~40 MB.
IMPORT_WAL_AUTOCHECKPOINT = 10_000
# At most this many worker processes, however many cores: past that the
# importing process (reading and the SQL) is the limit.
MAX_WORKERS = 4


@dataclass(frozen=True, slots=True)
class ProcessedChunk:
    """A chunk parsed, validated and analysed, not stored yet."""

    read: int
    rejected: list[str]
    duplicates: int  # stored before, or repeated within the chunk
    prepared: PreparedLogBatch | None  # None when nothing is new


class RecentTextsAnalyzer:
    """An analyzer that remembers the signals of the last ``size`` distinct texts.

    Logs repeat themselves across batches, not only within one (system prompts,
    canned refusals, templated campaigns: a third of the texts in the
    benchmark's realistic file), and signals depend on the text alone. The
    bound keeps memory flat: about 1 KB a text.
    """

    def __init__(self, analyzer: TextAnalyzerProtocol, size: int = 20_000) -> None:
        self.analyzer = analyzer
        self.size = size
        self.recent: dict[str, TextSignals] = {}

    def analyze_many(self, texts: Sequence[str]) -> list[TextSignals]:
        recent = self.recent
        found: dict[str, TextSignals] = {}
        missing: list[str] = []
        for text in dict.fromkeys(texts):
            signals = recent.get(text)
            if signals is None:
                missing.append(text)
            else:
                found[text] = signals
        if missing:
            analysed = dict(zip(missing, self.analyzer.analyze_many(missing), strict=True))
            found.update(analysed)
            recent.update(analysed)
            # Oldest first: dicts keep insertion order.
            for text in list(itertools.islice(recent, max(0, len(recent) - self.size))):
                del recent[text]
        return [found[text] for text in texts]


class ChunkProcessor:
    """Turns a :class:`Chunk` into a :class:`ProcessedChunk`; runs in a worker process,
    or in the importing one (``workers=0``, and chunks parsed before any worker starts)."""

    def __init__(
        self,
        deployer_id: int,
        dialect: Dialect,
        lookup: Callable[[int, list[str]], set[str]],
    ) -> None:
        self.deployer_id = deployer_id
        self.dialect = dialect
        self.lookup = lookup
        # The offensive-language model loads on first use, so a rerun that
        # finds every record stored never loads it.
        self.analyzer = RecentTextsAnalyzer(TextAnalyzer())
        self.freeze_after_analysis = False

    def process(self, chunk: Chunk, *, analyse: bool = True) -> ProcessedChunk | None:
        """The chunk processed; ``None`` when it holds new records and ``analyse`` is false."""
        read, valid, rejected = parse_chunk(chunk, parse_log_record)
        seen: set[str] = set()
        fresh: list[LogRecordIn] = []
        for _, record in valid:
            if record.external_id not in seen:
                seen.add(record.external_id)
                fresh.append(record)
        duplicates = len(valid) - len(fresh)
        if fresh:
            stored = self.lookup(self.deployer_id, [r.external_id for r in fresh])
            if stored:
                fresh = [r for r in fresh if r.external_id not in stored]
                duplicates += len(seen) - len(fresh)
        prepared = None
        if fresh and not analyse:
            return None
        if fresh:
            prepared = prepare_log_batch(fresh, self.analyzer, self.dialect)
            if self.freeze_after_analysis:
                # The model has just loaded: spare it from every collection too.
                gc.freeze()
                self.freeze_after_analysis = False
        return ProcessedChunk(read, rejected, duplicates, prepared)


_PROCESSOR: ChunkProcessor | None = None


def _start_worker(database_url: str, deployer_id: int) -> None:
    global _PROCESSOR
    # Ctrl-C is the importing process's to handle (it lets chunks in flight
    # finish); a worker killed by it would break the pool instead.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent()
    from core.db import make_engine

    engine = make_engine(database_url)
    _PROCESSOR = ChunkProcessor(deployer_id, engine.dialect, _engine_lookup(engine))
    _PROCESSOR.freeze_after_analysis = True
    # The libraries stay for the worker's life: spare them from every collection.
    gc.freeze()


def _exit_with_parent() -> None:
    """End this worker as soon as the importing process is gone.

    A worker waits for work on a queue it also holds the writing end of, so it
    never sees end-of-file: after a ``kill -9`` of the importer it would wait
    forever, holding the model's memory and a database connection.
    """
    parent = multiprocessing.parent_process()
    if parent is None:
        return
    sentinel = parent.sentinel

    def watch() -> None:
        multiprocessing.connection.wait([sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _engine_lookup(engine: Engine) -> Callable[[int, list[str]], set[str]]:
    def lookup(deployer_id: int, external_ids: list[str]) -> set[str]:
        # A short read transaction per chunk: a long one would keep SQLite from
        # checkpointing its write-ahead log.
        with engine.connect() as conn:
            return existing_external_ids(conn, deployer_id, external_ids)

    return lookup


def _process_in_worker(chunk: Chunk) -> ProcessedChunk:
    assert _PROCESSOR is not None
    processed = _PROCESSOR.process(chunk)
    assert processed is not None
    return processed


def default_workers() -> int:
    """One worker per CPU that other work leaves idle (by the 1-minute load
    average), at least one, at most MAX_WORKERS.

    A second worker costs about two CPU-seconds (its own copy of the libraries
    and the model) and pays them back many times over on an idle machine; on a
    machine whose cores are busy anyway it has no core to run on, and the
    import measured 15% slower with it.
    """
    cpus = os.cpu_count() or 1
    try:
        busy = os.getloadavg()[0]
    except OSError:  # not available on this platform
        busy = 0.0
    return max(1, min(MAX_WORKERS, cpus, int(cpus - busy + 0.5)))


class LogImportPipeline:
    """A :class:`ingest.chunks.ChunkPipeline` storing log samples of one deployer.

    ``workers`` processes parse and analyse while this process writes, in
    submission order, each chunk in one transaction. Until the first chunk with
    a record not stored yet, this process parses and looks up itself and starts
    no worker, which keeps reruns cheap. With ``workers=0`` (or an in-memory
    SQLite database, which other processes cannot open) everything runs here,
    one chunk at a time.
    """

    def __init__(
        self,
        session: Session,
        deployer_id: int,
        *,
        source: str = "cli",
        workers: int | None = None,
    ) -> None:
        self.session = session
        self.deployer_id = deployer_id
        self.source = source
        workers = default_workers() if workers is None else workers
        url = session.get_bind().engine.url
        if url.get_backend_name() == "sqlite" and url.database in (None, "", ":memory:"):
            workers = 0
        self.pool: ProcessPoolExecutor | None = None
        # Parses here: every chunk without workers, else the chunks of a rerun.
        self.inline = ChunkProcessor(deployer_id, session.get_bind().dialect, self._lookup)
        # A rerun (or the first part of a resumed import) finds every record
        # stored: nothing to analyse, so this process parses and looks up alone
        # rather than start workers (a second of CPU each). The first chunk with
        # new records hands over to the workers for good.
        self.probing = workers > 0
        if workers > 0:
            # spawn, not fork: forking a process that holds database connections
            # and threads (a web server, a test runner) can deadlock the child.
            self.pool = ProcessPoolExecutor(
                max_workers=workers,
                initializer=_start_worker,
                initargs=(url.render_as_string(hide_password=False), deployer_id),
                mp_context=multiprocessing.get_context("spawn"),
            )
        self._wal_autocheckpoint: int | None = None
        if url.get_backend_name() == "sqlite":
            self._wal_autocheckpoint = self._set_wal_autocheckpoint(IMPORT_WAL_AUTOCHECKPOINT)
        # One chunk queued beyond one per worker, so no worker waits for the
        # reader; no more, so memory stays flat whatever the file size.
        self.max_in_flight = workers + 1
        self.in_flight: deque[tuple[int, Future[ProcessedChunk]]] = deque()

    def _set_wal_autocheckpoint(self, pages: int) -> int | None:
        """Set it on the session's connection (the only one this process writes
        with); return the previous value."""
        connection = self.session.connection()
        previous = connection.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar()
        connection.exec_driver_sql(f"PRAGMA wal_autocheckpoint={int(pages)}")
        self.session.rollback()
        return int(previous) if previous is not None else None

    def _lookup(self, deployer_id: int, external_ids: list[str]) -> set[str]:
        stored = existing_external_ids(self.session, deployer_id, external_ids)
        self.session.rollback()  # end the read transaction; writes come in their own
        return stored

    def submit(self, chunk: Chunk) -> list[ChunkOutcome]:
        if self.pool is None or self.probing:
            processed = self.inline.process(chunk, analyse=self.pool is None)
            if processed is not None:
                return [self._write(processed)]
            self.probing = False  # new records: the workers take over (and parse it again)
        assert self.pool is not None
        self.in_flight.append((chunk.record_count(), self.pool.submit(_process_in_worker, chunk)))
        outcomes = []
        while self.in_flight and (
            len(self.in_flight) > self.max_in_flight or self.in_flight[0][1].done()
        ):
            outcomes.append(self._write_oldest())
        return outcomes

    def drain(self) -> list[ChunkOutcome]:
        return [self._write_oldest() for _ in range(len(self.in_flight))]

    def abandon(self) -> int:
        dropped = sum(count for count, _ in self.in_flight)
        for _, future in self.in_flight:
            future.cancel()
        self.in_flight.clear()
        return dropped

    def _write_oldest(self) -> ChunkOutcome:
        _, future = self.in_flight[0]
        processed = future.result()
        outcome = self._write(processed)
        # Only now: a chunk interrupted while being written still counts as in flight.
        self.in_flight.popleft()
        return outcome

    def _write(self, processed: ProcessedChunk) -> ChunkOutcome:
        accepted = 0
        duplicates = processed.duplicates
        if processed.prepared is not None:
            inserted = write_log_batch(
                self.session, self.deployer_id, processed.prepared, source=self.source
            )
            accepted = len(inserted)
            # Stored meanwhile by a chunk before this one (or a concurrent writer).
            duplicates += len(processed.prepared.external_ids) - accepted
        return ChunkOutcome(processed.read, accepted, duplicates, processed.rejected)

    def close(self) -> None:
        self.abandon()
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None
        if self._wal_autocheckpoint is not None:
            # The connection goes back to the pool: leave it as it was. Never
            # at the price of hiding the error that ended the import, if any.
            previous, self._wal_autocheckpoint = self._wal_autocheckpoint, None
            with contextlib.suppress(SQLAlchemyError):
                self.session.rollback()
                self._set_wal_autocheckpoint(previous)
