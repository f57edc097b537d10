"""JSON lines (NDJSON): one record object per line; blank lines are skipped."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TextIO

from ingest.formats import (
    JSON_ERRORS,
    MAX_LINE_CHARS,
    RawRecord,
    describe_json_error,
    iter_lines,
    json_decoder,
    register,
)
from ingest.validation import json_type_name


def parse_json_line(line_number: int, text: str | None) -> RawRecord | None:
    """Decode one line into a record, an error record, or ``None`` for a blank line.

    Shared by the JSON-lines flavours so that they report bad lines alike.
    """
    if text is None:
        return RawRecord(
            line_number, None, {"line": f"longer than {MAX_LINE_CHARS:,} characters; skipped"}
        )
    if not text.strip():
        return None
    try:
        value = json_decoder.decode(text)
    except JSON_ERRORS as exc:
        return RawRecord(line_number, None, {"line": describe_json_error(exc)}, raw=text.rstrip())
    if not isinstance(value, dict):
        return RawRecord(
            line_number,
            None,
            {"line": f"must be a JSON object, got {json_type_name(value)}"},
            raw=value,
        )
    return RawRecord(line_number, value)


@register("jsonl", line_parser=parse_json_line)
def read_jsonl(stream: TextIO, source: str) -> Iterator[RawRecord]:
    """Yield one record per non-blank line of ``stream``."""
    for line_number, text in iter_lines(stream):
        record = parse_json_line(line_number, text)
        if record is not None:
            yield record
