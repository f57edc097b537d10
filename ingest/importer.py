"""The import loop behind ``misuse ingest logs``: files in, batches handed to a store.

:func:`run_import` knows nothing about the database. It streams each file
through its format's reader and :func:`ingest.validation.parse_log_record`,
hands valid records to ``store_batch`` in batches of a fixed size (the caller
makes each call one transaction), and writes every rejected record to
``<input>.rejected.jsonl``.

Resuming is the store's job: a rerun sends every record again and the store
skips external ids it already has. That only works if reruns form the same
batches, so the loop is deterministic and never hands over part of a batch.

:func:`run_pipelined_import` is the same loop for an
:class:`ingest.chunks.ChunkPipeline` that parses, validates and stores in other
processes: it only reads, hands over chunks of ``batch_size`` lines (decoded
records for formats that are not line based) and writes the rejected records the
pipeline sends back, in order.
"""

from __future__ import annotations

import os
import signal
import threading
import time
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from types import FrameType, TracebackType
from typing import Any, Protocol, TextIO

from core.records import FieldErrors, LogRecordIn
from ingest.chunks import Chunk, ChunkOutcome, ChunkPipeline, Parse, holds_record
from ingest.formats import (
    InputError,
    RawRecord,
    Reader,
    detect_format,
    find_undecodable_line,
    get_line_parser,
    get_reader,
    iter_lines,
    open_text,
)
from ingest.rejected import rejected_entry
from ingest.summary import FileSummary, ImportSummary
from ingest.validation import parse_log_record

# Progress is reported every this many records (and after every batch).
_PROGRESS_EVERY = 1024


class ImportFailed(Exception):
    """An input file cannot be read; ``str()`` names the file and, where known, the line.

    Batches stored before the failure stay stored (a rerun skips them);
    ``summary`` holds the counts up to the failure.
    """

    def __init__(
        self,
        path: str,
        reason: str,
        line: int | None = None,
        summary: ImportSummary | None = None,
    ) -> None:
        self.path = path
        self.reason = reason
        self.line = line
        self.summary = summary
        where = f"{path}, line {line:,}" if line is not None else path
        super().__init__(f"{where}: {reason}")


@dataclass(frozen=True, slots=True)
class BatchOutcome:
    """What the store did with one batch: newly stored, and skipped as already known."""

    accepted: int
    duplicates: int


StoreBatch = Callable[[list[tuple[int, LogRecordIn]]], BatchOutcome]


class Progress(Protocol):
    """Receives progress of an import; ``misuse ingest`` shows it with
    :class:`cli.progress.ImportProgress`."""

    def start_file(self, path: str, total_bytes: int) -> None:
        """A file is about to be read; ``total_bytes`` is its size on disk."""

    def update(self, records_read: int, bytes_done: int) -> None:
        """``records_read`` so far in this file, ``bytes_done`` of its size on disk."""

    def finish_file(self, summary: FileSummary) -> None:
        """The file is done (or the import stopped inside it)."""


def _default_rejected_path(path: str) -> str:
    return path + ".rejected.jsonl"


def run_import(
    paths: Sequence[str | os.PathLike[str]],
    *,
    fmt: str = "auto",
    batch_size: int = 1000,
    store_batch: StoreBatch,
    parse: Parse = parse_log_record,
    progress: Progress | None = None,
    rejected_path_for: Callable[[str], str] = _default_rejected_path,
    handle_interrupt: bool = True,
    clock: Callable[[], float] = time.monotonic,
) -> ImportSummary:
    """Import log records from ``paths`` (read in order) and return the counts.

    ``fmt`` is a name from :func:`ingest.formats.available_formats` or ``auto``
    (chosen per file by :func:`ingest.formats.detect_format`). Every file is
    checked (exists, readable, format known) before anything is stored.

    ``store_batch`` receives ``(line, record)`` pairs, ``batch_size`` of them
    except for each file's last batch, and should store them in one transaction.
    An exception from it propagates unchanged; batches stored before stay stored.

    Ctrl-C (when ``handle_interrupt`` and running in the main thread) lets the
    batch being stored finish, drops the batch being filled, and returns the
    summary with ``interrupted=True``; a second Ctrl-C stops at once.

    Raises :class:`ImportFailed` for a file that cannot be read, ``ValueError``
    for an unknown ``fmt`` or a ``batch_size`` below 1.
    """
    return _import_files(
        paths,
        fmt=fmt,
        batch_size=batch_size,
        handle_interrupt=handle_interrupt,
        clock=clock,
        store_batch=store_batch,
        parse=parse,
        pipeline=None,
        progress=progress,
        rejected_path_for=rejected_path_for,
    )


def run_pipelined_import(
    paths: Sequence[str | os.PathLike[str]],
    *,
    pipeline: ChunkPipeline,
    fmt: str = "auto",
    batch_size: int = 1000,
    progress: Progress | None = None,
    rejected_path_for: Callable[[str], str] = _default_rejected_path,
    handle_interrupt: bool = True,
    clock: Callable[[], float] = time.monotonic,
) -> ImportSummary:
    """:func:`run_import` with parsing, validation and storing left to ``pipeline``.

    The same checks, counts, rejected-records files, progress and Ctrl-C
    handling; the chunks handed over hold ``batch_size`` lines of the file (blank
    and rejected ones included), or ``batch_size`` records for formats without
    a line parser, so reruns of a file form the same chunks. A first Ctrl-C
    drops the chunk being read and lets the chunks in flight be stored.
    """
    return _import_files(
        paths,
        fmt=fmt,
        batch_size=batch_size,
        handle_interrupt=handle_interrupt,
        clock=clock,
        store_batch=None,
        parse=parse_log_record,
        pipeline=pipeline,
        progress=progress,
        rejected_path_for=rejected_path_for,
    )


def _import_files(
    paths: Sequence[str | os.PathLike[str]],
    *,
    fmt: str,
    batch_size: int,
    handle_interrupt: bool,
    clock: Callable[[], float],
    rejected_path_for: Callable[[str], str],
    **file_import: Any,
) -> ImportSummary:
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    if fmt != "auto":
        get_reader(fmt)  # an unknown name fails here, before any file is touched
    sources = [os.fspath(path) for path in paths]
    formats = [_preflight(source, None if fmt == "auto" else fmt) for source in sources]
    summary = ImportSummary()
    started = clock()
    with _InterruptFlag(enabled=handle_interrupt) as interrupt:
        for source, format_name in zip(sources, formats, strict=True):
            file_summary = FileSummary(path=source, format=format_name)
            summary.files.append(file_summary)
            run = _FileImport(
                file_summary,
                reader=get_reader(format_name),
                batch_size=batch_size,
                interrupt=interrupt,
                clock=clock,
                rejected_path=rejected_path_for(source),
                **file_import,
            )
            try:
                finished = run.run()
            except ImportFailed as exc:
                summary.elapsed = clock() - started
                exc.summary = summary
                raise
            if not finished:
                summary.interrupted = True
                break
    summary.elapsed = clock() - started
    return summary


def _preflight(source: str, fmt: str | None) -> str:
    """Check that ``source`` can be opened and return its format (detected when ``fmt`` is None).

    Run for every file before the first is imported, so that a typo in the last
    path does not surface after an hour of importing the first.
    """
    try:
        if fmt is None:
            return detect_format(source)
        open_text(source).close()
        return fmt
    except InputError as exc:
        raise ImportFailed(source, exc.reason, exc.line) from exc
    except FileNotFoundError as exc:
        raise ImportFailed(source, "no such file") from exc
    except IsADirectoryError as exc:
        raise ImportFailed(source, "is a directory, not a file") from exc
    except PermissionError as exc:
        raise ImportFailed(source, "permission denied") from exc
    except UnicodeDecodeError as exc:
        raise _undecodable(source, after_line=0) from exc
    except (OSError, EOFError, zlib.error) as exc:
        raise ImportFailed(source, f"is corrupt or cannot be read: {exc}") from exc


class _InterruptFlag:
    """Turns the first Ctrl-C into a request to stop at the next safe point."""

    def __init__(self, *, enabled: bool) -> None:
        self.requested = False
        self._enabled = enabled and threading.current_thread() is threading.main_thread()
        self._previous: Any = None

    def __enter__(self) -> _InterruptFlag:
        if self._enabled:
            self._previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if self._enabled:
            # None means the previous handler was not installed from Python.
            previous = self._previous if self._previous is not None else signal.default_int_handler
            signal.signal(signal.SIGINT, previous)

    def _handle(self, signum: int, frame: FrameType | None) -> None:
        if self.requested:
            raise KeyboardInterrupt
        self.requested = True


class _FileImport:
    """Imports one file; :meth:`run` returns False when the import was interrupted."""

    def __init__(
        self,
        summary: FileSummary,
        *,
        reader: Reader,
        batch_size: int,
        store_batch: StoreBatch | None,
        parse: Parse,
        pipeline: ChunkPipeline | None,
        progress: Progress | None,
        rejected_path: str,
        interrupt: _InterruptFlag,
        clock: Callable[[], float],
    ) -> None:
        self.summary = summary
        self._reader = reader
        self._batch_size = batch_size
        self._store_batch = store_batch
        self._parse = parse
        self._pipeline = pipeline
        self._chunk: list[Any] = []  # pipelined: read, not handed over yet
        self._progress = progress
        self._interrupt = interrupt
        self._clock = clock
        self._rejects = _RejectedFile(rejected_path, summary.path)
        self._batch: list[tuple[int, LogRecordIn]] = []

    def run(self) -> bool:
        started = self._clock()
        # A rerun reads the whole input again, so an old rejected file would only mislead.
        self._rejects.remove_stale()
        try:
            return self._read_all() if self._pipeline is None else self._read_all_pipelined()
        except KeyboardInterrupt:
            self._discard_batch()
            return False
        except ImportFailed:
            self._discard_batch()
            raise
        finally:
            self._rejects.close()
            self.summary.elapsed = self._clock() - started
            if self._rejects.written:
                self.summary.rejected_path = self._rejects.path
            if self._progress is not None:
                self._progress.finish_file(self.summary)

    def _open(self) -> Any:
        try:
            return open_text(self.summary.path)
        except InputError as exc:
            raise ImportFailed(self.summary.path, exc.reason, exc.line) from exc
        except OSError as exc:
            raise ImportFailed(
                self.summary.path, f"cannot be opened: {exc.strerror or exc}"
            ) from exc

    def _read_all(self) -> bool:
        summary = self.summary
        assert self._store_batch is not None
        stream = self._open()
        with stream:
            if self._progress is not None:
                self._progress.start_file(summary.path, stream.size)
            for raw in _checked(self._reader(stream, summary.path), summary.path):
                summary.read += 1
                if raw.obj is None:
                    self._reject(raw, raw.error or {"line": "unreadable"})
                else:
                    result = self._parse(raw.obj)
                    if isinstance(result, dict):
                        self._reject(raw, result)
                    else:
                        self._batch.append((raw.line, result))
                        if len(self._batch) >= self._batch_size:
                            self._store()
                            self._report(stream.bytes_consumed())
                if self._interrupt.requested:
                    self._discard_batch()
                    return False
                if summary.read % _PROGRESS_EVERY == 0:
                    self._report(stream.bytes_consumed())
            if self._batch:
                self._store()
            self._report(stream.bytes_consumed())
        return not self._interrupt.requested

    def _read_all_pipelined(self) -> bool:
        summary = self.summary
        pipeline = self._pipeline
        assert pipeline is not None
        stream = self._open()
        with stream:
            if self._progress is not None:
                self._progress.start_file(summary.path, stream.size)
            by_line = get_line_parser(summary.format) is not None
            items: Iterator[Any] = _checked(
                iter_lines(stream) if by_line else self._reader(stream, summary.path),
                summary.path,
            )
            for item in items:
                self._chunk.append(item)
                if len(self._chunk) >= self._batch_size:
                    self._apply(pipeline.submit(self._take_chunk(by_line)))
                    self._report(stream.bytes_consumed())
                if self._interrupt.requested:
                    self._discard_batch(abandon=False)
                    self._apply(pipeline.drain())
                    return False
            if self._chunk:
                self._apply(pipeline.submit(self._take_chunk(by_line)))
            self._apply(pipeline.drain())
            self._report(stream.bytes_consumed())
        return not self._interrupt.requested

    def _take_chunk(self, by_line: bool) -> Chunk:
        items, self._chunk = self._chunk, []
        if by_line:
            return Chunk(self.summary.path, self.summary.format, lines=items)
        return Chunk(self.summary.path, self.summary.format, records=items)

    def _apply(self, outcomes: list[ChunkOutcome]) -> None:
        for outcome in outcomes:
            self.summary.read += outcome.read
            self.summary.accepted += outcome.accepted
            self.summary.duplicates += outcome.duplicates
            self.summary.rejected += len(outcome.rejected)
            for entry in outcome.rejected:
                self._rejects.write_entry(entry)

    def _store(self) -> None:
        batch, self._batch = self._batch, []
        assert self._store_batch is not None
        outcome = self._store_batch(batch)
        self.summary.accepted += outcome.accepted
        self.summary.duplicates += outcome.duplicates

    def _discard_batch(self, *, abandon: bool = True) -> None:
        self.summary.discarded += len(self._batch)
        self._batch = []
        if self._pipeline is not None:
            # Records are counted as read when their chunk's outcome comes back;
            # the dropped ones never come back, so they are counted here.
            chunk, self._chunk = self._chunk, []
            dropped = sum(
                1 for item in chunk if not isinstance(item, tuple) or holds_record(item[1])
            )
            if abandon:
                dropped += self._pipeline.abandon()
            self.summary.read += dropped
            self.summary.discarded += dropped

    def _reject(self, raw: RawRecord, errors: FieldErrors) -> None:
        self.summary.rejected += 1
        self._rejects.write(raw.line, errors, raw.obj if raw.raw is None else raw.raw, raw.obj)

    def _report(self, bytes_done: int) -> None:
        if self._progress is not None:
            self._progress.update(self.summary.read, bytes_done)


def _checked(records: Iterator[Any], source: str) -> Iterator[Any]:
    """``records``, with failures to read the file turned into :class:`ImportFailed`.

    Only reading is wrapped: errors from the store must reach the caller unchanged.
    """
    line = 0
    while True:
        try:
            raw = next(records)
        except StopIteration:
            return
        except InputError as exc:
            raise ImportFailed(source, exc.reason, exc.line) from exc
        except UnicodeDecodeError as exc:
            raise _undecodable(source, after_line=line) from exc
        except (OSError, EOFError, zlib.error) as exc:
            # Corrupt or truncated gzip data, or an I/O error of the disk.
            # The text layer reads ahead, so the damage is somewhere after ``line``.
            raise ImportFailed(
                source, f"is corrupt or cannot be read after line {line:,}: {exc}"
            ) from exc
        line = raw[0] if isinstance(raw, tuple) else raw.line
        yield raw


def _undecodable(source: str, *, after_line: int) -> ImportFailed:
    located = find_undecodable_line(source)
    if located is None:  # cannot happen unless the file changed under us
        return ImportFailed(source, f"not valid UTF-8 after line {after_line:,}")
    line, reason = located
    return ImportFailed(source, reason, line)


class _RejectedFile:
    """``<input>.rejected.jsonl``, created on the first rejected record only."""

    def __init__(self, path: str, source: str) -> None:
        self.path = path
        self._source = source
        self._file: TextIO | None = None
        self.written = False

    def remove_stale(self) -> None:
        try:
            os.remove(self.path)
        except FileNotFoundError:
            pass
        except OSError as exc:
            raise ImportFailed(
                self._source, f"cannot remove old rejected-records file {self.path}: {exc}"
            ) from exc

    def write(
        self, line: int, errors: FieldErrors, raw: object, obj: dict[str, Any] | None
    ) -> None:
        self.write_entry(rejected_entry(self._source, line, errors, raw, obj))

    def write_entry(self, entry: str) -> None:
        """Append one entry made by :func:`rejected_entry`."""
        if self._file is None:
            try:
                # backslashreplace writes an unpaired surrogate as a JSON escape, so
                # the very records rejected for one can still be written.
                self._file = open(  # noqa: SIM115 -- closed by close()
                    self.path, "w", encoding="utf-8", errors="backslashreplace"
                )
            except OSError as exc:
                raise ImportFailed(
                    self._source, f"cannot write rejected records to {self.path}: {exc}"
                ) from exc
            self.written = True
        self._file.write(entry + "\n")

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None
