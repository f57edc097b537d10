"""Chunks: what the pipelined import hands to the processes that parse and store.

:func:`ingest.importer.run_pipelined_import` only reads. It cuts each file into
:class:`Chunk` objects of consecutive input and submits them to a
:class:`ChunkPipeline` (:class:`ingest.pipelined.LogImportPipeline` in the
product), which parses them with :func:`parse_chunk`, stores the valid records and
sends back a :class:`ChunkOutcome` per chunk, in submission order.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from core.records import FieldErrors, LogRecordIn
from ingest.formats import RawRecord, get_line_parser
from ingest.rejected import rejected_entry

# Validates one decoded record: the record, or its errors by field.
Parse = Callable[[object], LogRecordIn | FieldErrors]


@dataclass(frozen=True, slots=True)
class Chunk:
    """Consecutive input of one file, as handed to a :class:`ChunkPipeline`.

    ``lines`` (``(line number, text)`` as from :func:`ingest.formats.iter_lines`)
    for a format with a line parser, else ``records`` as its reader made them.
    """

    source: str  # the input file, named in rejected-record entries
    fmt: str
    lines: list[tuple[int, str | None]] | None = None
    records: list[RawRecord] | None = None

    def record_count(self) -> int:
        """Records in the chunk (blank lines are none)."""
        if self.lines is None:
            return len(self.records or ())
        return sum(1 for _, text in self.lines if holds_record(text))


def holds_record(line: str | None) -> bool:
    """Whether a line of :func:`ingest.formats.iter_lines` counts as a record read."""
    # None is a line too long to read: a record, rejected.
    return line is None or bool(line.strip())


@dataclass(frozen=True, slots=True)
class ChunkOutcome:
    """What became of one chunk: ``read = accepted + duplicates + len(rejected)``."""

    read: int
    accepted: int
    duplicates: int
    rejected: list[str]  # entries of the rejected-records file, in line order


class ChunkPipeline(Protocol):
    """Parses, validates and stores chunks, in the order submitted, each chunk's valid
    records in one transaction. Outcomes come back in that order too."""

    def submit(self, chunk: Chunk) -> list[ChunkOutcome]:
        """Queue ``chunk``; return the outcomes of chunks finished meanwhile (maybe none).

        Blocks while too many chunks are in flight, so memory stays bounded.
        """
        ...

    def drain(self) -> list[ChunkOutcome]:
        """Finish every chunk in flight and return their outcomes."""
        ...

    def abandon(self) -> int:
        """Drop the chunks in flight without storing them; return how many records they held."""
        ...


def parse_chunk(chunk: Chunk, parse: Parse) -> tuple[int, list[tuple[int, Any]], list[str]]:
    """Read, parse and validate ``chunk``: ``(records read, valid (line, record) pairs,
    rejected-records file entries)``; for pipelines, in whichever process they parse."""
    raws: Iterable[RawRecord | None]
    if chunk.lines is not None:
        line_parser = get_line_parser(chunk.fmt)
        if line_parser is None:
            raise ValueError(f"format {chunk.fmt!r} has no line parser")
        raws = (line_parser(line, text) for line, text in chunk.lines)
    else:
        raws = chunk.records or ()
    read = 0
    valid: list[tuple[int, Any]] = []
    rejected: list[str] = []
    for raw in raws:
        if raw is None:
            continue
        read += 1
        if raw.obj is None:
            errors = raw.error or {"line": "unreadable"}
        else:
            result = parse(raw.obj)
            if not isinstance(result, dict):
                valid.append((raw.line, result))
                continue
            errors = result
        shown = raw.obj if raw.raw is None else raw.raw
        rejected.append(rejected_entry(chunk.source, raw.line, errors, shown, raw.obj))
    return read, valid, rejected
