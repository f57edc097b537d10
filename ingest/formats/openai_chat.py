"""OpenAI chat format: JSON lines of ``{"messages": [...], ...}``, as in chat logs
and fine-tuning files.

The last message must be the assistant's: it becomes ``response`` and the
messages before it ``messages``. ``id``, ``created`` and ``user`` are accepted as
the names OpenAI uses for ``external_id``, ``timestamp`` and ``account_id``.
Other keys pass through unchanged, so validation still rejects unknown ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TextIO

from ingest.formats import RawRecord, iter_lines, register
from ingest.formats.jsonl import parse_json_line

ALIASES = {"id": "external_id", "created": "timestamp", "user": "account_id"}
_ALIAS_OF = {field: alias for alias, field in ALIASES.items()}

# Fine-tuning files describe the tools the model could call; that is
# configuration, not traffic, and there is no record field for it.
IGNORED_KEYS = frozenset({"tools", "functions", "parallel_tool_calls"})


def parse_openai_chat_line(line_number: int, text: str | None) -> RawRecord | None:
    """One line reshaped into the record fields, an error record, or ``None`` if blank."""
    record = parse_json_line(line_number, text)
    if record is None or record.obj is None:
        return record
    return to_log_record(record.line, record.obj)


@register("openai-chat", line_parser=parse_openai_chat_line)
def read_openai_chat(stream: TextIO, source: str) -> Iterator[RawRecord]:
    """Yield one record per non-blank line, reshaped into the record fields."""
    for line_number, text in iter_lines(stream):
        record = parse_openai_chat_line(line_number, text)
        if record is not None:
            yield record


def to_log_record(line: int, line_obj: dict[str, Any]) -> RawRecord:
    """Reshape one chat-format object; shapes it cannot reshape are left to validation."""
    obj: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for key, value in line_obj.items():
        if key in IGNORED_KEYS:
            continue
        name = ALIASES.get(key, key)
        if name in obj:
            alias = key if key in ALIASES else _ALIAS_OF[name]
            errors[alias] = f"is an alias of {name}; send only one of them"
            continue
        obj[name] = value
    if errors:
        return RawRecord(line, None, errors, raw=line_obj)
    messages = obj.get("messages")
    if "response" not in obj and isinstance(messages, list) and messages:
        last = messages[-1]
        if not (isinstance(last, dict) and last.get("role") == "assistant"):
            role = last.get("role") if isinstance(last, dict) else None
            error = {
                "messages": "the last message must be the assistant's response"
                + (f", got role {role!r}" if isinstance(role, str) else "")
            }
            return RawRecord(line, None, error, raw=line_obj)
        obj["response"] = last.get("content")
        obj["messages"] = messages[:-1]
    return RawRecord(line, obj, raw=line_obj)
