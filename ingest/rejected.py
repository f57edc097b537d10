"""Entries of the rejected-records file, ``<input>.rejected.jsonl``.

One JSON object a line: the input file, the line the record starts on, its external
id when it has one, the errors by field, and the record as read (its start only,
for a long one). The importer writes them itself, or receives them ready-made from
the processes of a :class:`ingest.chunks.ChunkPipeline`.
"""

from __future__ import annotations

import json
from typing import Any

from core.records import FieldErrors

# How much of a rejected record is copied into the rejected-records file.
RAW_PREVIEW_CHARS = 4096


def rejected_entry(
    source: str, line: int, errors: FieldErrors, raw: object, obj: dict[str, Any] | None
) -> str:
    """One line of the rejected-records file (without its newline)."""
    entry: dict[str, Any] = {
        "file": source,
        "line": line,
        "external_id": _external_id_of(obj if obj is not None else raw),
        "errors": errors,
    }
    entry.update(_raw_preview(raw))
    return json.dumps(entry, ensure_ascii=False, default=str)


def _external_id_of(value: object) -> str | None:
    if not isinstance(value, dict):
        return None
    found = value.get("external_id", value.get("id"))
    if isinstance(found, str | int) and not isinstance(found, bool):
        return str(found)[:200]
    return None


def _raw_preview(raw: object) -> dict[str, Any]:
    """``{"raw": value}``, or the start of its JSON text plus ``raw_truncated``."""
    if isinstance(raw, str):
        if len(raw) <= RAW_PREVIEW_CHARS:
            return {"raw": raw}
        return {"raw": raw[:RAW_PREVIEW_CHARS], "raw_truncated": True}
    text = json.dumps(raw, ensure_ascii=False, default=str)
    if len(text) <= RAW_PREVIEW_CHARS:
        return {"raw": raw}
    return {"raw": text[:RAW_PREVIEW_CHARS], "raw_truncated": True}
