"""The published ``LogRecord`` schema and the log validator agree: records drawn from
the schema are accepted, and every shape the validator accepts is in the schema."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import jsonschema_rs
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis.generation.modes import GenerationMode

from core.records import LogRecordIn
from ingest.validation import (
    IGNORED_MESSAGE_KEYS,
    MESSAGE_ROLES,
    MIN_YEAR,
    NON_TEXT_PART_TYPES,
    RECORD_FIELDS,
    REQUIRED_FIELDS,
    parse_log_record,
)
from portal import create_app
from portal.api.openapi import build_openapi

# The document is read off the app's views; building the app touches no database.
DOCUMENT = build_openapi(create_app())
SCHEMAS = DOCUMENT["components"]["schemas"]
CHECKS = settings(
    max_examples=300,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def _schema_validator() -> Any:
    # The document's references, made local to one standalone schema.
    text = json.dumps(SCHEMAS).replace('"#/components/schemas/', '"#/$defs/')
    defs = json.loads(text)
    return jsonschema_rs.Draft202012Validator({**defs["LogRecord"], "$defs": defs})


IN_SCHEMA = _schema_validator()
LOGS = schemathesis.openapi.from_dict(DOCUMENT)["/api/v1/logs"]["POST"]


# Each example is a batch of records; fewer examples draw as many records.
@pytest.mark.fuzz
@settings(CHECKS, max_examples=100)
@given(case=LOGS.as_strategy(generation_mode=GenerationMode.POSITIVE))
def test_records_drawn_from_the_published_schema_are_accepted(case):
    """Batches as schemathesis draws them from the document the API serves."""
    records = case.body if isinstance(case.body, list) else [case.body]
    for record in records:
        parsed = parse_log_record(record)
        assert isinstance(parsed, LogRecordIn), (record, parsed)


# --- every accepted shape, drawn by hand --------------------------------------------

TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), max_size=30)
SOME_TEXT = TEXT.filter(str.strip)
INTEGER_ID = st.integers(-(2**63) + 1, 2**63 - 1)
LAST_YEAR = datetime.now(UTC).year


def _absent(*alternatives: st.SearchStrategy) -> st.SearchStrategy:
    return st.one_of(st.none(), *alternatives)


def _iso(moment: datetime, zulu: bool) -> str:
    text = moment.isoformat()
    return text.replace("+00:00", "Z") if zulu else text


FIRST = datetime(MIN_YEAR + 1, 1, 1)
LAST = datetime(LAST_YEAR, 12, 31, 23, 59, 59)
EPOCHS = (int(datetime(MIN_YEAR, 1, 1, tzinfo=UTC).timestamp()), int(LAST.timestamp()) - 86400)
TIMESTAMPS = st.one_of(
    st.builds(
        _iso,
        st.datetimes(
            FIRST,
            LAST,
            timezones=st.sampled_from(
                [None, UTC, timezone(timedelta(hours=5, minutes=30)), timezone(-timedelta(hours=8))]
            ),
        ),
        st.booleans(),
    ),
    st.integers(*EPOCHS),
    st.floats(*EPOCHS),
    st.integers(*EPOCHS).map(str),
)
PART = st.one_of(
    st.fixed_dictionaries({"type": st.just("text"), "text": TEXT}),
    st.fixed_dictionaries({"type": st.just("refusal"), "refusal": TEXT}),
    st.fixed_dictionaries(
        {"type": st.sampled_from(sorted(NON_TEXT_PART_TYPES))},
        optional={"image_url": st.just({"url": "https://example.com/a.png"})},
    ),
)
SOME_PARTS = st.builds(
    lambda before, text, after: [*before, {"type": "text", "text": text}, *after],
    st.lists(PART, max_size=2),
    SOME_TEXT,
    st.lists(PART, max_size=2),
)
MESSAGE = st.fixed_dictionaries(
    {"role": st.sampled_from(MESSAGE_ROLES)},
    optional={
        "content": _absent(TEXT, st.lists(PART, max_size=3)),
        **{key: st.just("ignored") for key in sorted(IGNORED_MESSAGE_KEYS)[:3]},
    },
)
CHOICE = st.one_of(
    st.fixed_dictionaries({"text": SOME_TEXT}, optional={"index": st.just(0)}),
    st.fixed_dictionaries(
        {"message": st.fixed_dictionaries({"content": st.one_of(SOME_TEXT, SOME_PARTS)})}
    ),
    st.fixed_dictionaries(
        {
            "message": st.fixed_dictionaries(
                {"refusal": SOME_TEXT}, optional={"content": st.sampled_from([None, ""])}
            )
        }
    ),
)
COMPLETION = st.fixed_dictionaries(
    {"choices": st.lists(CHOICE, min_size=1, max_size=2)},
    optional={"model": _absent(SOME_TEXT, INTEGER_ID), "id": st.just("chatcmpl-1")},
)
JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(allow_nan=False, allow_infinity=False),
        TEXT,
    ),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)
JSON_OBJECT = _absent(st.just(""), st.dictionaries(TEXT, JSON_VALUES, max_size=4))
ACCEPTED = st.fixed_dictionaries(
    {
        "external_id": st.one_of(SOME_TEXT, INTEGER_ID),
        "timestamp": TIMESTAMPS,
        "response": st.one_of(SOME_TEXT, SOME_PARTS, COMPLETION),
    },
    optional={
        "model": _absent(
            st.just(""),
            TEXT,
            st.fixed_dictionaries(
                {"name": st.one_of(SOME_TEXT, INTEGER_ID)}, optional={"version": _absent(TEXT)}
            ),
        ),
        "account_id": _absent(TEXT, INTEGER_ID),
        "prompt": _absent(TEXT),
        "messages": _absent(st.lists(MESSAGE, max_size=3)),
        "metadata": JSON_OBJECT,
        # moderation_flags under either name, or both when one of them is null.
        "moderation_flags": JSON_OBJECT,
    },
).map(lambda record: _rename_flags(record))


def _rename_flags(record: dict[str, Any]) -> dict[str, Any]:
    if "moderation_flags" in record and len(str(record["external_id"])) % 2:
        record["moderation"] = record.pop("moderation_flags")
        if record["moderation"] is not None and len(str(record["external_id"])) % 3 == 0:
            record["moderation_flags"] = None
    return record


@CHECKS
@given(ACCEPTED)
def test_every_accepted_shape_is_in_the_schema(record):
    assert isinstance(parse_log_record(record), LogRecordIn), record
    errors = [error.message for error in IN_SCHEMA.iter_errors(record)]
    assert not errors, (record, errors)


@pytest.mark.parametrize(
    "shape",
    [
        {"external_id": 12345},
        {"external_id": 12345.0},
        {"timestamp": 1_709_510_400},
        {"timestamp": "1709510400"},
        {"response": {"model": "gpt-x", "choices": [{"message": {"content": "Hi there"}}]}},
        {"response": {"choices": [{"message": {"content": None, "refusal": "I can't"}}]}},
        {"moderation": {"flagged": True}},
        {"messages": [{"role": "tool", "content": "42", "tool_call_id": "call-1"}]},
        {"model": {"name": "acme-chat", "version": "1.2"}},
    ],
)
def test_shapes_the_validator_accepts_are_documented(shape):
    record = {"external_id": "r-1", "timestamp": "2024-03-04T12:00:00Z", "response": "ok", **shape}
    assert isinstance(parse_log_record(record), LogRecordIn)
    assert IN_SCHEMA.is_valid(record)


@pytest.mark.parametrize(
    "shape",
    [
        {"surplus": 1},
        {"external_id": "  "},
        {"timestamp": "1999-12-31T12:00:00Z"},
        {"timestamp": 1_709_510_400_000},
        {"response": ""},
        {"messages": [{"role": "robot", "content": "hi"}]},
        {"moderation": {"a": 1}, "moderation_flags": {"b": 2}},
        {"prompt": "a\x00b"},
    ],
)
def test_shapes_the_validator_refuses_are_outside_the_schema(shape):
    record = {"external_id": "r-1", "timestamp": "2024-03-04T12:00:00Z", "response": "ok", **shape}
    assert not isinstance(parse_log_record(record), LogRecordIn)
    assert not IN_SCHEMA.is_valid(record)


def test_the_schema_names_the_validators_fields_and_roles():
    schema = SCHEMAS["LogRecord"]
    assert set(schema["properties"]) == set(RECORD_FIELDS)
    assert schema["required"] == list(REQUIRED_FIELDS)
    assert schema["properties"]["messages"]["items"]["properties"]["role"] == {
        "enum": list(MESSAGE_ROLES)
    }


def test_the_schema_calls_blank_what_the_validator_strips():
    # A text the validator strips to nothing must not match the published pattern,
    # and one it keeps must: Python's whitespace, U+001C-U+001F included. Checked with
    # a JSON Schema engine, as a client reads the pattern (Python's re would read \s
    # as Python does, and could not tell).
    from ingest.validation import _NOT_BLANK

    validator = jsonschema_rs.Draft202012Validator({"type": "string", "pattern": _NOT_BLANK})
    for code in range(1, 0x3001):  # NUL: refused anywhere, by its own rule
        blank = chr(code) * 2
        assert validator.is_valid(blank) == bool(blank.strip()), hex(code)
