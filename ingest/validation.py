"""Validation of deployer log records: untrusted JSON-like objects in, ``LogRecordIn`` out.

:func:`parse_log_record` is the single place that decides what a valid log
record is, for the bulk log API and for every file format of the importer.
It never raises for bad input; it returns every problem it finds as
``{field: message}``, with field keys that point into the record
(``messages[2].role``, ``model.name``) and messages meant for the person who
has to fix the export.

Choices worth knowing:

- Unknown top-level keys are errors, so a misspelt key cannot silently drop data.
- Strings containing NUL (``\\u0000``) or unpaired surrogates are rejected, not
  cleaned (``core.records.text_problem``, shared with the report validator). A
  NUL in a log export almost always means a broken export, which the deployer
  should hear about.
- Identifiers (``external_id``, ``account_id``, ``model``) are stripped of
  surrounding whitespace; texts (``prompt``, message contents, ``response``)
  are kept exactly as sent. An integer id may be sent as a JSON number, also
  written with a decimal point (``12345.0`` is ``"12345"``).
- :func:`log_record_schemas` is the published JSON Schema of a record, built
  below from the same constants.
- An optional field that is ``null`` or an empty string counts as absent.
"""

from __future__ import annotations

import json
import math
import re
import time
from collections.abc import Mapping
from datetime import UTC, datetime
from typing import Any, TypeGuard

from core.records import ChatMessage, FieldErrors, LogRecordIn, text_problem

REQUIRED_FIELDS = ("external_id", "timestamp", "response")
# "moderation" is accepted as another name for "moderation_flags".
RECORD_FIELDS = (
    "external_id",
    "timestamp",
    "model",
    "account_id",
    "prompt",
    "messages",
    "response",
    "metadata",
    "moderation_flags",
    "moderation",
)
MESSAGE_ROLES = ("system", "user", "assistant", "tool")
MAX_ID_CHARS = 200
# Logs of generative models cannot predate 2000; an epoch of 0 or a year 9999
# is a broken export, not a record to keep.
MIN_YEAR = 2000
# Keys OpenAI puts on chat messages that carry no text we analyse.
IGNORED_MESSAGE_KEYS = frozenset(
    {
        "name",
        "tool_calls",
        "tool_call_id",
        "function_call",
        "refusal",
        "annotations",
        "audio",
        "weight",
    }
)
# Content parts without text (images, audio, files) are skipped; their
# surrounding text is what is analysed, and there is nowhere to store them.
NON_TEXT_PART_TYPES = frozenset({"image_url", "image", "input_audio", "audio", "file"})
# Past this many message errors a record is clearly in the wrong shape; listing
# them all would only bloat the rejected-records file.
MAX_MESSAGE_ERRORS = 10

_FIELD_SET = frozenset(RECORD_FIELDS)
_EPOCH = re.compile(r"[+-]?\d+(\.\d+)?")
_PREVIEW_CHARS = 60


def _is_mapping(value: object) -> TypeGuard[Mapping[Any, Any]]:
    # Decoded JSON is always a dict; isinstance(.., Mapping) goes through the ABC
    # machinery, a measurable share of validating a record.
    return type(value) is dict or isinstance(value, Mapping)


def parse_log_record(
    obj: object, *, max_metadata_bytes: int = 16384, max_text_chars: int = 100_000
) -> LogRecordIn | FieldErrors:
    """Validate one log record; return it as a ``LogRecordIn`` or all its field errors.

    ``obj`` is one decoded JSON object (or a CSV row mapped to field names).
    The returned errors map a field path to a message, e.g.
    ``{"timestamp": "must be an ISO 8601 date-time, got '2024-13-45'"}``.
    """
    if not _is_mapping(obj):
        return {"record": f"must be a JSON object, got {json_type_name(obj)}"}
    errors: FieldErrors = {}
    for key in obj:
        if key not in _FIELD_SET:
            errors[str(key)[:100]] = "unknown field"

    external_id = _identifier(obj.get("external_id"), "external_id", errors, required=True)
    timestamp = _timestamp(obj.get("timestamp"), errors)
    model = _model(obj.get("model"), errors)
    account_id = _identifier(obj.get("account_id"), "account_id", errors, required=False)
    prompt = _optional_text(obj.get("prompt"), "prompt", errors, max_text_chars)
    messages = _messages(obj.get("messages"), errors, max_text_chars)
    response, completion_model = _response(obj.get("response"), errors, max_text_chars)
    metadata = _json_object(obj.get("metadata"), "metadata", errors, max_metadata_bytes)
    flags_key = "moderation_flags"
    if obj.get("moderation") is not None:
        if obj.get("moderation_flags") is not None:
            errors["moderation"] = "is another name for moderation_flags; send only one of them"
        else:
            flags_key = "moderation"
    moderation_flags = _json_object(obj.get(flags_key), flags_key, errors, max_metadata_bytes)

    if errors:
        return errors
    assert external_id is not None and timestamp is not None and response is not None
    return LogRecordIn(
        external_id=external_id,
        timestamp=timestamp,
        response=response,
        model=model if model is not None else completion_model,
        account_id=account_id,
        prompt=prompt,
        messages=messages,
        metadata=metadata,
        moderation_flags=moderation_flags,
    )


def json_type_name(value: object) -> str:
    """The JSON name of a decoded value's type, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list | tuple):
        return "array"
    if _is_mapping(value):
        return "object"
    return type(value).__name__


def _preview(text: str) -> str:
    if len(text) <= _PREVIEW_CHARS:
        return text
    return text[:_PREVIEW_CHARS] + "…"


def _too_long(text: str, limit: int) -> str | None:
    if len(text) > limit:
        return f"must be at most {limit:,} characters, got {len(text):,}"
    return None


def _identifier(value: object, field: str, errors: FieldErrors, *, required: bool) -> str | None:
    if value is None or value == "":
        if required:
            errors[field] = "required"
        return None
    if type(value) is not str:  # the usual case tested first: this runs per record
        if isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        elif type(value) is float and value.is_integer():
            # JSON has one number type: 12345.0 is the integer 12345 (JSON Schema's
            # "integer" includes it), however the exporter formats its numbers.
            value = str(int(value))
    if not isinstance(value, str):
        errors[field] = f"must be a string or an integer, got {json_type_name(value)}"
        return None
    text = value.strip()
    if not text:
        if required:
            errors[field] = "must not be blank"
        return None
    if problem := _too_long(text, MAX_ID_CHARS) or text_problem(text):
        errors[field] = problem
        return None
    return text


def _timestamp(value: object, errors: FieldErrors) -> datetime | None:
    if value is None or value == "":
        errors["timestamp"] = "required"
        return None
    moment: datetime | None = None
    problem: str | None = None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, int | float) and not isinstance(value, bool):
        moment, problem = _from_epoch(value)
    elif isinstance(value, str):
        text = value.strip()
        # "2024-..." cannot be epoch seconds: skip the pattern for the common case.
        if (len(text) <= 4 or text[4] != "-") and _EPOCH.fullmatch(text):
            moment, problem = _from_epoch(float(text))
        else:
            try:
                # Any ISO date alone is at most 10 characters; a date-time is longer.
                moment = datetime.fromisoformat(text) if len(text) > 10 else None
            except ValueError:
                moment = None
            if moment is None:
                problem = f"must be an ISO 8601 date-time, got '{_preview(text)}'"
    else:
        problem = (
            f"must be an ISO 8601 date-time string or epoch seconds, got {json_type_name(value)}"
        )
    if moment is not None:
        try:
            moment = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
        except (OverflowError, ValueError):
            moment, problem = None, "is out of range"
    if moment is not None and not MIN_YEAR <= moment.year <= _max_year():
        problem = f"year {moment.year} is out of range ({MIN_YEAR}–{_max_year()})"
        moment = None
    if problem:
        errors["timestamp"] = problem
        return None
    return moment


def _max_year() -> int:
    # Allows clocks a little ahead without accepting dates decades away.
    # Read from the clock once a minute, not twice per record.
    now = time.monotonic()
    if now >= _max_year_cache[1]:
        _max_year_cache[:] = [datetime.now(UTC).year + 1, now + 60.0]
    return int(_max_year_cache[0])


_max_year_cache: list[float] = [0.0, 0.0]  # [max year, monotonic time to read it again]


def _from_epoch(seconds: float) -> tuple[datetime | None, str | None]:
    if not math.isfinite(seconds):
        return None, "must be a finite number of epoch seconds"
    try:
        moment = datetime.fromtimestamp(seconds, tz=UTC)
    except (OverflowError, OSError, ValueError):
        moment = None
    if moment is not None and MIN_YEAR <= moment.year <= _max_year():
        return moment, None
    hint = ""
    try:
        if MIN_YEAR <= datetime.fromtimestamp(seconds / 1000, tz=UTC).year <= _max_year():
            hint = "; it looks like milliseconds, send seconds"
    except (OverflowError, OSError, ValueError):
        pass
    shown = f"{seconds:.0f}" if seconds == int(seconds) else f"{seconds}"
    return None, f"epoch seconds {shown} are out of range ({MIN_YEAR}–{_max_year()}){hint}"


def _model(value: object, errors: FieldErrors) -> str | None:
    if value is None or value == "":
        return None
    if _is_mapping(value):
        for key in value:
            if key not in ("name", "version"):
                errors[f"model.{key}"] = "unknown field"
        name = _identifier(value.get("name"), "model.name", errors, required=True)
        version = _identifier(value.get("version"), "model.version", errors, required=False)
        if name is None:
            return None
        text = f"{name}:{version}" if version else name
        if problem := _too_long(text, MAX_ID_CHARS):
            errors["model"] = problem
            return None
        return text
    if not isinstance(value, str):
        errors["model"] = (
            f"must be a string or an object with name and version, got {json_type_name(value)}"
        )
        return None
    return _identifier(value, "model", errors, required=False)


def _optional_text(value: object, field: str, errors: FieldErrors, limit: int) -> str | None:
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        errors[field] = f"must be a string, got {json_type_name(value)}"
        return None
    if problem := _too_long(value, limit) or text_problem(value):
        errors[field] = problem
        return None
    return value if value.strip() else None


def _content_text(value: object, field: str, errors: FieldErrors) -> str | None:
    """A message content: a string, or a list of typed parts whose text is joined."""
    if isinstance(value, str):
        return value
    if not isinstance(value, list):
        errors[field] = (
            f"must be a string or an array of content parts, got {json_type_name(value)}"
        )
        return None
    texts = []
    for index, part in enumerate(value):
        where = f"{field}[{index}]"
        part_type = part.get("type") if _is_mapping(part) else None
        if not _is_mapping(part):
            errors[where] = f"must be a content part object, got {json_type_name(part)}"
        elif part_type in ("text", "refusal"):
            text = part.get(part_type)
            if isinstance(text, str):
                texts.append(text)
            else:
                errors[f"{where}.{part_type}"] = (
                    "required" if text is None else f"must be a string, got {json_type_name(text)}"
                )
        elif part_type not in NON_TEXT_PART_TYPES:
            errors[f"{where}.type"] = (
                "required" if part_type is None else f"unsupported content part type {part_type!r}"
            )
    return "\n".join(texts)


def _messages(value: object, errors: FieldErrors, limit: int) -> tuple[ChatMessage, ...]:
    if value is None or value == []:
        return ()
    if not isinstance(value, list):
        errors["messages"] = f"must be an array of messages, got {json_type_name(value)}"
        return ()
    own: FieldErrors = {}
    messages = []
    for index, item in enumerate(value):
        where = f"messages[{index}]"
        if not _is_mapping(item):
            own[where] = f"must be an object with role and content, got {json_type_name(item)}"
            continue
        for key in item:
            if key not in ("role", "content") and key not in IGNORED_MESSAGE_KEYS:
                own[f"{where}.{key}"] = "unknown field"
        role = item.get("role")
        if role is None:
            own[f"{where}.role"] = "required"
        elif role not in MESSAGE_ROLES:
            own[f"{where}.role"] = f"must be one of {', '.join(MESSAGE_ROLES)}, got {_shown(role)}"
        raw_content = item.get("content")
        # Assistant turns that only call tools have null content.
        content = "" if raw_content is None else _content_text(raw_content, f"{where}.content", own)
        problem = None if content is None else _too_long(content, limit) or text_problem(content)
        if problem:
            own[f"{where}.content"] = problem
        if isinstance(role, str) and content is not None:
            messages.append(ChatMessage(role=role, content=content))
        if len(own) > MAX_MESSAGE_ERRORS:
            break
    if len(own) > MAX_MESSAGE_ERRORS:
        own = dict(list(own.items())[:MAX_MESSAGE_ERRORS])
        own["messages"] = f"more than {MAX_MESSAGE_ERRORS} errors; only the first are listed"
    errors.update(own)
    return tuple(messages) if not own else ()


def _shown(value: object) -> str:
    return f"'{_preview(value)}'" if isinstance(value, str) else json_type_name(value)


def _response(value: object, errors: FieldErrors, limit: int) -> tuple[str | None, str | None]:
    """The response text, and the model named by a completion object if one was sent."""
    if value is None:
        errors["response"] = "required"
        return None, None
    field = "response"
    model = None
    if _is_mapping(value):
        value, field, model = _completion_text(value, errors)
        if value is None:
            return None, None
    elif isinstance(value, list):
        value = _content_text(value, field, errors)
        if value is None:
            return None, None
    if not isinstance(value, str):
        errors[field] = (
            f"must be a string or an OpenAI chat completion object, got {json_type_name(value)}"
        )
        return None, None
    problem = (
        ("required" if field == "response" and value == "" else "must not be empty")
        if not value.strip()
        else _too_long(value, limit) or text_problem(value)
    )
    if problem:
        errors[field] = problem
        return None, None
    return value, model


def _completion_text(
    completion: Mapping[str, Any], errors: FieldErrors
) -> tuple[object, str, str | None]:
    """Text of the first choice of a chat (or legacy text) completion object."""
    # The completion's model name is stored when the record names no model of its
    # own: it gets the same checks as a top-level one.
    model = _identifier(completion.get("model"), "response.model", errors, required=False)
    choices = completion.get("choices")
    if not isinstance(choices, list) or not choices:
        errors["response"] = (
            "must be a string or an OpenAI chat completion object with a non-empty 'choices' array"
        )
        return None, "response", None
    choice = choices[0]
    if not _is_mapping(choice):
        errors["response.choices[0]"] = f"must be an object, got {json_type_name(choice)}"
        return None, "response", None
    if "message" not in choice and isinstance(choice.get("text"), str):
        return choice["text"], "response.choices[0].text", model
    message = choice.get("message")
    if not _is_mapping(message):
        errors["response.choices[0].message"] = (
            "required" if message is None else f"must be an object, got {json_type_name(message)}"
        )
        return None, "response", None
    field = "response.choices[0].message.content"
    content = message.get("content")
    if content is None or content == "":
        # A refusal comes back as null content plus a refusal text.
        refusal = message.get("refusal")
        if isinstance(refusal, str) and refusal:
            return refusal, "response.choices[0].message.refusal", model
        errors[field] = "required"
        return None, field, None
    return _content_text(content, field, errors), field, model


def _json_object(value: object, field: str, errors: FieldErrors, max_bytes: int) -> dict[str, Any]:
    if value is None or value == "":
        return {}
    if not _is_mapping(value):
        errors[field] = f"must be a JSON object, got {json_type_name(value)}"
        return {}
    if _small_flat_object(value, max_bytes):
        return dict(value)
    try:
        problem = _nested_text_problem(value, field)
        if problem is None:
            size = len(
                json.dumps(
                    value, ensure_ascii=False, separators=(",", ":"), allow_nan=False
                ).encode()
            )
            if size > max_bytes:
                problem = f"{field} is {size:,} bytes; the limit is {max_bytes:,}"
    except (TypeError, ValueError):
        problem = "must contain only JSON values (no NaN, Infinity or other types)"
    except RecursionError:
        problem = "is nested too deeply"
    if problem:
        errors[field] = problem
        return {}
    return dict(value)


def _nested_text_problem(value: object, path: str) -> str | None:
    if isinstance(value, str):
        problem = text_problem(value)
        return f"{problem} at {path}" if problem else None
    if _is_mapping(value):
        for key, item in value.items():
            where = f"{path}.{key}"
            if isinstance(key, str) and (problem := text_problem(key)):
                return f"key {problem} at {where}"
            if problem := _nested_text_problem(item, where):
                return problem
    elif isinstance(value, list):
        for index, item in enumerate(value):
            if problem := _nested_text_problem(item, f"{path}[{index}]"):
                return problem
    return None


def _small_flat_object(value: Mapping[str, Any], max_bytes: int) -> bool:
    """True when ``value`` is clearly valid: string keys, ASCII strings without NUL,
    finite numbers, booleans and nulls, and a size bound under ``max_bytes``.

    The usual metadata (``{"region": "eu", "latency_ms": 171}``) is settled here
    without serialising it; anything else is left to the exact check, which
    reaches the same verdict for everything this accepts.
    """
    size = 2
    for key, item in value.items():
        if type(key) is not str or not key.isascii() or "\x00" in key:
            return False
        size += 6 * len(key) + 4  # escaped, quoted, colon and comma
        kind = type(item)
        if kind is str:
            if not item.isascii() or "\x00" in item:
                return False
            size += 6 * len(item) + 2
        elif kind is int:
            size += item.bit_length() // 3 + 2
        elif kind is float:
            if not math.isfinite(item):
                return False
            size += 26
        elif kind is bool or item is None:
            size += 5
        else:
            return False
    return size <= max_bytes


# --- the published shape ------------------------------------------------------------
#
# The JSON Schema of a log record for the OpenAPI document, built here from the same
# constants as the validator above so that the two cannot drift apart. It describes
# records the validator accepts; a few rules a JSON Schema cannot state are in the
# descriptions (whitespace around identifiers is stripped before the length limit, a
# name:version model string is at most 200 characters, metadata is at most 16 KiB,
# texts hold no unpaired surrogate). tests/unit/test_log_record_schema.py holds both
# to it: records drawn from the schema are accepted, and every accepted shape is in
# the schema.

# The integer ids the schema describes: those of a signed 64-bit column, which every
# exporter's ids fit (larger ones are accepted too, as text up to MAX_ID_CHARS).
_MAX_INTEGER_ID = 2**63 - 1
_NO_NUL = "^[^\\u0000]*$"
# Blank as the validator's str.strip() sees it: Python's whitespace, which takes in
# the separators U+001C-U+001F that a schema regex's \s does not.
_PY_SPACE = (
    "\\t\\n\\u000b\\u000c\\r\\u001c-\\u001f \\u0085\\u00a0\\u1680\\u2000-\\u200a"
    "\\u2028\\u2029\\u202f\\u205f\\u3000"
)
_NOT_BLANK = f"^[^\\u0000]*[^{_PY_SPACE}\\u0000][^\\u0000]*$"


def _digits_between(lo: str, hi: str) -> str:
    """A regular expression for the decimal numbers from ``lo`` to ``hi``, two strings
    of digits of equal length."""
    if lo == hi:
        return lo
    if len(lo) == 1:
        return f"[{lo}-{hi}]"
    if lo == "0" * len(lo) and hi == "9" * len(hi):
        return f"[0-9]{{{len(lo)}}}"
    if lo[0] == hi[0]:
        return lo[0] + _digits_between(lo[1:], hi[1:])
    rest = len(lo) - 1
    parts = [lo[0] + _digits_between(lo[1:], "9" * rest)]
    if int(hi[0]) - int(lo[0]) > 1:
        parts.append(f"[{int(lo[0]) + 1}-{int(hi[0]) - 1}][0-9]{{{rest}}}")
    parts.append(hi[0] + _digits_between("0" * rest, hi[1:]))
    return "(?:" + "|".join(parts) + ")"


def _integers_between(lo: int, hi: int) -> str:
    """A regular expression for the integers from ``lo`` to ``hi`` (both positive)."""
    parts = []
    for width in range(len(str(lo)), len(str(hi)) + 1):
        low = max(lo, 10 ** (width - 1))
        high = min(hi, 10**width - 1)
        parts.append(_digits_between(str(low), str(high)))
    return "(?:" + "|".join(parts) + ")"


def _timestamp_schema() -> dict[str, Any]:
    last_year = _max_year()
    first = datetime(MIN_YEAR, 1, 1, tzinfo=UTC).timestamp()
    last = datetime(last_year, 12, 31, 23, 59, 59, tzinfo=UTC).timestamp()
    # Strings name their years: those an offset of up to a day cannot carry out of
    # the accepted range.
    years = range(MIN_YEAR + 1, last_year)
    leap = [y for y in years if y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)]
    day = (
        "(?:(?:0[1-9]|1[0-2])-(?:0[1-9]|1[0-9]|2[0-8])"
        "|(?:0[13-9]|1[0-2])-(?:29|30)|(?:0[13578]|1[02])-31)"
    )
    date = f"(?:(?:{'|'.join(map(str, years))})-{day}|(?:{'|'.join(map(str, leap))})-02-29)"
    clock = "(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\\.[0-9]{1,9})?"
    zone = "(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9])?"
    epoch = _integers_between(int(first), int(last))
    return {
        "description": (
            f"when the output was produced, {MIN_YEAR} to next year: an ISO 8601 "
            "date-time (without an offset it is UTC) or epoch seconds, as a number or "
            "a string of digits (milliseconds are refused)"
        ),
        "anyOf": [
            {"type": "string", "pattern": f"^{date}T{clock}{zone}$"},
            {"type": "number", "minimum": int(first), "maximum": int(last)},
            {"type": "string", "pattern": f"^\\+?{epoch}(?:\\.[0-9]{{1,6}})?$"},
        ],
    }


def _identifier_schema(*, required: bool, max_chars: int = MAX_ID_CHARS) -> dict[str, Any]:
    text: dict[str, Any] = {
        "type": "string",
        "maxLength": max_chars,
        "pattern": _NOT_BLANK if required else _NO_NUL,
    }
    number = {"type": "integer", "minimum": -_MAX_INTEGER_ID, "maximum": _MAX_INTEGER_ID}
    return {"anyOf": [text, number] if required else [text, number, {"type": "null"}]}


def log_record_schemas(ref_prefix: str = "#/components/schemas/") -> dict[str, Any]:
    """``LogRecord`` and the ``JsonValue`` it refers to, as JSON Schemas (2020-12, the
    dialect of OpenAPI 3.1), with references under ``ref_prefix``."""
    json_value = {"$ref": f"{ref_prefix}JsonValue"}
    text = {"type": "string", "maxLength": 100_000, "pattern": _NO_NUL}
    some_text = {**text, "pattern": _NOT_BLANK}
    part = {
        "anyOf": [
            {
                "type": "object",
                "required": ["type", kind],
                "properties": {"type": {"const": kind}, kind: text},
            }
            for kind in ("text", "refusal")
        ]
        + [
            {
                "type": "object",
                "required": ["type"],
                "properties": {"type": {"enum": sorted(NON_TEXT_PART_TYPES)}},
                "description": "not analysed, and not stored",
            }
        ]
    }
    parts = {"type": "array", "items": part}
    some_parts = {
        **parts,
        "contains": {
            "type": "object",
            "required": ["type", "text"],
            "properties": {"type": {"const": "text"}, "text": some_text},
        },
    }
    message = {
        "type": "object",
        "required": ["role"],
        "additionalProperties": False,
        "properties": {
            "role": {"enum": list(MESSAGE_ROLES)},
            "content": {"anyOf": [text, parts, {"type": "null"}]},
            **{key: {"description": "ignored"} for key in sorted(IGNORED_MESSAGE_KEYS)},
        },
    }
    choice = {
        "anyOf": [
            {
                "type": "object",
                "required": ["text"],
                "not": {"required": ["message"]},
                "properties": {"text": some_text},
            },
            {
                "type": "object",
                "required": ["message"],
                "properties": {
                    "message": {
                        "anyOf": [
                            {
                                "type": "object",
                                "required": ["content"],
                                "properties": {"content": {"anyOf": [some_text, some_parts]}},
                            },
                            {
                                "type": "object",
                                "required": ["refusal"],
                                "properties": {
                                    "content": {"enum": [None, ""]},
                                    "refusal": some_text,
                                },
                            },
                        ]
                    }
                },
            },
        ]
    }
    completion = {
        "type": "object",
        "description": (
            "an OpenAI chat (or text) completion: the first choice's text is stored, and "
            "the completion's model when the record names none"
        ),
        "required": ["choices"],
        "properties": {
            "model": _identifier_schema(required=False),
            "choices": {"type": "array", "minItems": 1, "items": choice},
        },
    }
    json_object = {
        "anyOf": [
            {
                "type": "object",
                "propertyNames": {"pattern": _NO_NUL},
                "additionalProperties": json_value,
            },
            {"type": "null"},
            {"const": ""},
        ],
    }
    return {
        "LogRecord": {
            "type": "object",
            "description": (
                "One prompt/response record. null, and an empty string in place of a "
                "text or an object, mean the field is absent. Identifiers are stripped "
                "of surrounding whitespace; texts hold no NUL and no unpaired surrogate."
            ),
            "additionalProperties": False,
            "required": list(REQUIRED_FIELDS),
            "properties": {
                "external_id": {
                    **_identifier_schema(required=True),
                    "description": "unique per deployer; a number is stored as text",
                },
                "timestamp": _timestamp_schema(),
                "model": {
                    "description": "a name, or name and version (at most 200 characters)",
                    "anyOf": [
                        {"type": "string", "maxLength": MAX_ID_CHARS, "pattern": _NO_NUL},
                        {
                            "type": "object",
                            "additionalProperties": False,
                            "required": ["name"],
                            "properties": {
                                "name": _identifier_schema(required=True, max_chars=100),
                                "version": _identifier_schema(required=False, max_chars=99),
                            },
                        },
                        {"type": "null"},
                    ],
                },
                "account_id": {
                    **_identifier_schema(required=False),
                    "description": "a pseudonym of the end user or key",
                },
                "prompt": {**text, "type": ["string", "null"]},
                "messages": {
                    "type": ["array", "null"],
                    "items": message,
                    "description": "a chat transcript; its user turns are the prompt",
                },
                "response": {"anyOf": [some_text, some_parts, completion]},
                "metadata": {**json_object, "description": "at most 16 KiB as JSON"},
                "moderation_flags": {**json_object, "description": "at most 16 KiB as JSON"},
                "moderation": {**json_object, "description": "another name for moderation_flags"},
            },
            "not": {
                "required": ["moderation", "moderation_flags"],
                "properties": {
                    "moderation": {"not": {"type": "null"}},
                    "moderation_flags": {"not": {"type": "null"}},
                },
            },
        },
        "JsonValue": {
            "anyOf": [
                {"type": "string", "pattern": _NO_NUL},
                {"type": ["number", "boolean", "null"]},
                {"type": "array", "items": json_value},
                {
                    "type": "object",
                    "propertyNames": {"pattern": _NO_NUL},
                    "additionalProperties": json_value,
                },
            ]
        },
    }
