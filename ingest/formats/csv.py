"""CSV with a header row: one record per row, columns named after record fields.

Columns ``metadata``, ``messages`` and ``moderation_flags`` (or ``moderation``)
hold JSON text. Extra data goes in ``metadata.<key>`` columns, merged into
``metadata`` as strings. Any other column name is an error for the whole file,
raised before the first record: a misspelt column (``acount_id``) would otherwise
lose that data on every row, and routing unknown columns into metadata would hide
the typo the same way. Empty cells mean "absent". Comma-separated, RFC 4180
quoting; a quoted field may span lines, and its record is reported at the line
where it starts.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from ingest.formats import (
    JSON_ERRORS,
    MAX_LINE_CHARS,
    InputError,
    RawRecord,
    Reader,
    describe_json_error,
    iter_lines,
    json_decoder,
    register,
)
from ingest.validation import RECORD_FIELDS, REQUIRED_FIELDS

METADATA_PREFIX = "metadata."


@dataclass(frozen=True, slots=True)
class CsvSchema:
    """The columns a CSV flavour accepts, requires, and decodes as JSON."""

    fields: tuple[str, ...]
    required: tuple[str, ...]
    json_columns: frozenset[str] = frozenset()


LOG_RECORD_SCHEMA = CsvSchema(
    fields=RECORD_FIELDS,
    required=REQUIRED_FIELDS,
    json_columns=frozenset({"metadata", "messages", "moderation_flags", "moderation"}),
)

# Only the start of a bad record's text is kept for the rejected-records file.
_RAW_TEXT_CHARS = 4096


class _LineFeed:
    """Feeds ``csv.reader`` line by line and remembers where the current row began."""

    def __init__(self, stream: TextIO) -> None:
        self._lines = iter_lines(stream)
        self.first_line = 0
        self.text: list[str] = []
        self.too_long = False
        self._kept = 0

    def __iter__(self) -> _LineFeed:
        return self

    def __next__(self) -> str:
        number, text = next(self._lines)
        if not self.first_line:
            self.first_line = number
        if text is None:
            # Hand csv an empty line instead of the oversized one; the row is rejected anyway.
            self.too_long = True
            text = "\n"
        if self._kept < _RAW_TEXT_CHARS:
            self.text.append(text[: _RAW_TEXT_CHARS - self._kept])
            self._kept += len(self.text[-1])
        return text

    def start_row(self) -> None:
        self.first_line = 0
        self.text = []
        self.too_long = False
        self._kept = 0

    def raw_text(self) -> str:
        return "".join(self.text).rstrip("\r\n")


def csv_reader(schema: CsvSchema) -> Reader:
    """A CSV reader for records with ``schema``'s fields; see the module docstring.

    ``csv`` itself reads log records; another kind of record read from CSV is one
    ``register(name)(csv_reader(CsvSchema(...)))`` away.
    """

    def read_csv(stream: TextIO, source: str) -> Iterator[RawRecord]:
        feed = _LineFeed(stream)
        rows = csv.reader(feed, strict=True)
        header = _read_header(rows, feed, source, schema)
        while True:
            feed.start_row()
            try:
                row = next(rows)
            except StopIteration:
                return
            except csv.Error as exc:
                error = {"line": f"invalid CSV: {exc}"}
                yield RawRecord(feed.first_line, None, error, feed.raw_text())
                continue
            if not row:
                continue  # a blank line
            if feed.too_long:
                error = {"line": f"longer than {MAX_LINE_CHARS:,} characters; skipped"}
                yield RawRecord(feed.first_line, None, error, feed.raw_text())
            elif len(row) != len(header):
                error = {"line": f"has {len(row)} fields; the header has {len(header)}"}
                yield RawRecord(feed.first_line, None, error, feed.raw_text())
            else:
                yield _record_from_row(feed.first_line, header, row, schema.json_columns)

    return read_csv


read_log_csv = register("csv")(csv_reader(LOG_RECORD_SCHEMA))


def _read_header(
    rows: Iterator[list[str]], feed: _LineFeed, source: str, schema: CsvSchema
) -> list[str]:
    while True:
        feed.start_row()
        try:
            row = next(rows)
        except StopIteration:
            raise InputError(source, "is empty; a CSV file needs a header row") from None
        except csv.Error as exc:
            raise InputError(source, f"invalid CSV header: {exc}", feed.first_line) from None
        if row:
            break
    header = [name.strip() for name in row]
    line = feed.first_line
    problems = []
    if "" in header:
        problems.append(f"column {header.index('') + 1} has no name")
    duplicates = sorted({name for name in header if name and header.count(name) > 1})
    if duplicates:
        problems.append("duplicate columns " + ", ".join(map(repr, duplicates)))
    takes_metadata = "metadata" in schema.fields
    unknown = [
        name
        for name in header
        if name
        and name not in schema.fields
        and not (
            takes_metadata and name.startswith(METADATA_PREFIX) and len(name) > len(METADATA_PREFIX)
        )
    ]
    if unknown:
        hint = "; put extra data in 'metadata.<key>' columns" if takes_metadata else ""
        problems.append(
            f"unknown columns {', '.join(map(repr, unknown))}"
            f" (known: {', '.join(schema.fields)}{hint})"
        )
    missing = [name for name in schema.required if name not in header]
    if missing:
        problems.append("missing required columns " + ", ".join(map(repr, missing)))
    if problems:
        raise InputError(source, "; ".join(problems), line)
    return header


def _record_from_row(
    line: int, header: list[str], row: list[str], json_columns: frozenset[str]
) -> RawRecord:
    obj: dict[str, Any] = {}
    extra_metadata: dict[str, str] = {}
    errors: dict[str, str] = {}
    for name, value in zip(header, row, strict=True):
        if value == "":
            continue
        if name.startswith(METADATA_PREFIX):
            extra_metadata[name[len(METADATA_PREFIX) :]] = value
        elif name in json_columns:
            try:
                obj[name] = json_decoder.decode(value)
            except JSON_ERRORS as exc:
                errors[name] = describe_json_error(exc)
        else:
            obj[name] = value
    if extra_metadata and not errors:
        metadata = obj.setdefault("metadata", {})
        if not isinstance(metadata, dict):
            errors["metadata"] = "must be a JSON object when metadata.<key> columns are used"
        else:
            for key, value in extra_metadata.items():
                if key in metadata:
                    errors[METADATA_PREFIX + key] = "is also set in the metadata column"
                metadata[key] = value
    if errors:
        return RawRecord(line, None, errors, raw=dict(zip(header, row, strict=True)))
    return RawRecord(line, obj)
