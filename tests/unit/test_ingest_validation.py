"""parse_log_record: what a deployer's log record may look like, and what they are told when not."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from core.records import ChatMessage, LogRecordIn
from ingest.validation import parse_log_record


def record(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "external_id": "log-1",
        "timestamp": "2024-05-01T10:00:00Z",
        "response": "Here is the text you asked for.",
    }
    base.update(fields)
    return {key: value for key, value in base.items() if value is not ...}


def valid(obj: object, **limits: int) -> LogRecordIn:
    result = parse_log_record(obj, **limits)
    assert isinstance(result, LogRecordIn), result
    return result


def errors_of(obj: object, **limits: int) -> dict[str, str]:
    result = parse_log_record(obj, **limits)
    assert isinstance(result, dict), result
    return result


# --- good records in the shapes deployers send -------------------------------------------


def test_minimal_record_with_prompt_only() -> None:
    parsed = valid(record(prompt="Write a phishing e-mail"))
    assert parsed.external_id == "log-1"
    assert parsed.timestamp == datetime(2024, 5, 1, 10, 0, tzinfo=UTC)
    assert parsed.prompt == "Write a phishing e-mail"
    assert parsed.messages == ()
    assert parsed.model is None and parsed.account_id is None
    assert parsed.metadata == {} and parsed.moderation_flags == {}


def test_messages_only_with_text_parts_and_tool_turns() -> None:
    parsed = valid(
        record(
            messages=[
                {"role": "system", "content": "You are helpful."},
                {
                    "role": "user",
                    "content": [
                        {"type": "text", "text": "What is in"},
                        {"type": "image_url", "image_url": {"url": "https://x.test/a.png"}},
                        {"type": "text", "text": "this picture?"},
                    ],
                },
                {"role": "assistant", "content": None, "tool_calls": [{"id": "c1"}]},
                {"role": "tool", "content": "{}", "tool_call_id": "c1"},
            ]
        )
    )
    assert parsed.messages == (
        ChatMessage("system", "You are helpful."),
        ChatMessage("user", "What is in\nthis picture?"),
        ChatMessage("assistant", ""),
        ChatMessage("tool", "{}"),
    )
    assert parsed.prompt is None
    assert parsed.prompt_text == "What is in\nthis picture?"


def test_response_as_openai_chat_completion_object_supplies_the_model() -> None:
    completion = {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "model": "gpt-4o-2024-08-06",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": "Sure."}}],
        "usage": {"total_tokens": 12},
    }
    parsed = valid(record(response=completion))
    assert parsed.response == "Sure."
    assert parsed.model == "gpt-4o-2024-08-06"
    # an explicit model wins over the completion's
    assert valid(record(response=completion, model="mine")).model == "mine"


def test_response_refusal_and_legacy_completion_text() -> None:
    refusal = {"choices": [{"message": {"content": None, "refusal": "I can't help with that."}}]}
    assert valid(record(response=refusal)).response == "I can't help with that."
    legacy = {"choices": [{"text": "old style"}]}
    assert valid(record(response=legacy)).response == "old style"


@pytest.mark.parametrize(
    ("model", "stored"),
    [
        ("gpt-4o", "gpt-4o"),
        ("llama-3:70b-instruct", "llama-3:70b-instruct"),
        ({"name": "claude", "version": "2024-06"}, "claude:2024-06"),
        ({"name": "mistral-large"}, "mistral-large"),
        ({"name": "m", "version": 3}, "m:3"),
        ("  padded  ", "padded"),
        ("", None),
        (None, None),
    ],
)
def test_model_shapes(model: object, stored: str | None) -> None:
    assert valid(record(model=model)).model == stored


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-05-01T12:00:00+02:00", datetime(2024, 5, 1, 10, 0, tzinfo=UTC)),
        ("2024-05-01T10:00:00", datetime(2024, 5, 1, 10, 0, tzinfo=UTC)),  # naive = UTC
        ("2024-05-01 10:00:00.250Z", datetime(2024, 5, 1, 10, 0, 0, 250000, tzinfo=UTC)),
        (1714557600, datetime(2024, 5, 1, 10, 0, tzinfo=UTC)),
        (1714557600.5, datetime(2024, 5, 1, 10, 0, 0, 500000, tzinfo=UTC)),
        ("1714557600", datetime(2024, 5, 1, 10, 0, tzinfo=UTC)),  # CSV cells are strings
    ],
)
def test_timestamps_become_aware_utc(value: object, expected: datetime) -> None:
    parsed = valid(record(timestamp=value))
    assert parsed.timestamp == expected
    assert parsed.timestamp.utcoffset() is not None
    assert parsed.timestamp.tzinfo == UTC


def test_other_optional_fields_and_moderation_alias() -> None:
    parsed = valid(
        record(
            external_id=12345,
            account_id="acct-9",
            metadata={"region": "eu", "latency_ms": 120},
            moderation={"flagged": True, "categories": {"hate": True}},
        )
    )
    assert parsed.external_id == "12345"
    assert parsed.account_id == "acct-9"
    assert parsed.metadata == {"region": "eu", "latency_ms": 120}
    assert parsed.moderation_flags == {"flagged": True, "categories": {"hate": True}}
    assert valid(record(moderation_flags={"flagged": False})).moderation_flags == {"flagged": False}


def test_a_whole_number_written_with_a_decimal_point_is_an_integer_id() -> None:
    # JSON has one number type: 12345.0 is 12345, and JSON Schema's "integer" says so.
    parsed = valid(record(external_id=12345.0, account_id=7.0))
    assert (parsed.external_id, parsed.account_id) == ("12345", "7")


def test_null_and_empty_optional_fields_count_as_absent() -> None:
    parsed = valid(
        record(
            model=None, account_id="", prompt="", messages=[], metadata=None, moderation_flags=None
        )
    )
    assert (parsed.model, parsed.account_id, parsed.prompt, parsed.messages) == (
        None,
        None,
        None,
        (),
    )


def test_texts_are_kept_exactly_but_identifiers_are_stripped() -> None:
    parsed = valid(record(external_id="  id-7 ", prompt="  spaced\n", response=" r "))
    assert parsed.external_id == "id-7"
    assert parsed.prompt == "  spaced\n"
    assert parsed.response == " r "


# --- one problem, one precise error ----------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "key", "message"),
    [
        ({"external_id": ...}, "external_id", "required"),
        ({"external_id": "   "}, "external_id", "must not be blank"),
        ({"external_id": "x" * 201}, "external_id", "must be at most 200 characters, got 201"),
        ({"external_id": 1.5}, "external_id", "must be a string or an integer, got number"),
        ({"external_id": True}, "external_id", "must be a string or an integer, got boolean"),
        ({"timestamp": ...}, "timestamp", "required"),
        (
            {"timestamp": "2024-13-45"},
            "timestamp",
            "must be an ISO 8601 date-time, got '2024-13-45'",
        ),
        ({"timestamp": "yesterday"}, "timestamp", "must be an ISO 8601 date-time, got 'yesterday'"),
        (
            {"timestamp": "2024-05-01"},
            "timestamp",
            "must be an ISO 8601 date-time, got '2024-05-01'",
        ),
        ({"timestamp": "1899-01-01T00:00:00Z"}, "timestamp", "year 1899 is out of range"),
        ({"timestamp": "9999-12-31T23:59:59"}, "timestamp", "year 9999 is out of range"),
        ({"timestamp": 0}, "timestamp", "epoch seconds 0 are out of range"),
        ({"timestamp": 1714557600000}, "timestamp", "it looks like milliseconds, send seconds"),
        ({"timestamp": [2024]}, "timestamp", "or epoch seconds, got array"),
        ({"model": 4}, "model", "must be a string or an object with name and version, got number"),
        ({"model": {"version": "1"}}, "model.name", "required"),
        ({"model": {"name": "m", "vendor": "x"}}, "model.vendor", "unknown field"),
        ({"model": "m" * 201}, "model", "must be at most 200 characters, got 201"),
        ({"account_id": {"id": 1}}, "account_id", "must be a string or an integer, got object"),
        ({"account_id": "a" * 201}, "account_id", "must be at most 200 characters, got 201"),
        ({"prompt": 12}, "prompt", "must be a string, got number"),
        ({"messages": "hi"}, "messages", "must be an array of messages, got string"),
        (
            {"messages": ["hi"]},
            "messages[0]",
            "must be an object with role and content, got string",
        ),
        ({"messages": [{"content": "x"}]}, "messages[0].role", "required"),
        (
            {"messages": [{"role": "bot", "content": "x"}]},
            "messages[0].role",
            "must be one of system, user, assistant, tool, got 'bot'",
        ),
        (
            {"messages": [{"role": "user", "content": 5}]},
            "messages[0].content",
            "must be a string or an array of content parts, got number",
        ),
        (
            {"messages": [{"role": "user", "content": [{"type": "video", "url": "x"}]}]},
            "messages[0].content[0].type",
            "unsupported content part type 'video'",
        ),
        (
            {"messages": [{"role": "user", "content": [{"type": "text"}]}]},
            "messages[0].content[0].text",
            "required",
        ),
        (
            {"messages": [{"role": "user", "content": "x", "mood": 1}]},
            "messages[0].mood",
            "unknown field",
        ),
        ({"response": ...}, "response", "required"),
        ({"response": ""}, "response", "required"),
        ({"response": "  \n"}, "response", "must not be empty"),
        (
            {"response": 42},
            "response",
            "must be a string or an OpenAI chat completion object, got number",
        ),
        ({"response": {"text": "x"}}, "response", "with a non-empty 'choices' array"),
        (
            {"response": {"choices": [{"message": {"content": None}}]}},
            "response.choices[0].message.content",
            "required",
        ),
        ({"response": {"choices": [{"index": 0}]}}, "response.choices[0].message", "required"),
        ({"metadata": [1, 2]}, "metadata", "must be a JSON object, got array"),
        ({"metadata": {"x": float("nan")}}, "metadata", "must contain only JSON values"),
        ({"moderation_flags": "flagged"}, "moderation_flags", "must be a JSON object, got string"),
        ({"moderation": True}, "moderation", "must be a JSON object, got boolean"),
        (
            {"moderation": {"a": 1}, "moderation_flags": {"a": 1}},
            "moderation",
            "is another name for moderation_flags; send only one of them",
        ),
        ({"timestap": "2024-05-01T10:00:00Z"}, "timestap", "unknown field"),
    ],
)
def test_field_error(fields: dict[str, Any], key: str, message: str) -> None:
    errors = errors_of(record(**fields))
    assert message in errors[key], errors
    assert len(errors) == 1, errors


def test_exact_messages_for_common_mistakes() -> None:
    errors = errors_of(
        record(timestamp="2024-13-45", external_id="x" * 201, metadata={"blob": "x" * 20_101}),
    )
    assert errors == {
        "timestamp": "must be an ISO 8601 date-time, got '2024-13-45'",
        "external_id": "must be at most 200 characters, got 201",
        "metadata": "metadata is 20,112 bytes; the limit is 16,384",
    }


def test_limits_are_configurable() -> None:
    assert errors_of(record(metadata={"k": "v" * 20}), max_metadata_bytes=10) == {
        "metadata": "metadata is 28 bytes; the limit is 10"
    }
    assert errors_of(record(response="x" * 11, prompt="p" * 12), max_text_chars=10) == {
        "response": "must be at most 10 characters, got 11",
        "prompt": "must be at most 10 characters, got 12",
    }
    assert errors_of(
        record(response="r", messages=[{"role": "user", "content": "u" * 11}]), max_text_chars=10
    ) == {"messages[0].content": "must be at most 10 characters, got 11"}


def test_metadata_size_counts_utf8_bytes() -> None:
    # 9 characters, 27 bytes: the limit protects storage, which is in bytes
    assert errors_of(record(metadata={"k": "€" * 9}), max_metadata_bytes=30) == {
        "metadata": "metadata is 35 bytes; the limit is 30"
    }


def test_all_errors_of_a_record_are_reported_together() -> None:
    errors = errors_of(
        {
            "external_id": "",
            "timestamp": "2024-02-30T10:00:00",
            "model": {"name": ""},
            "messages": [{"role": "user", "content": "x"}, {"role": "robot", "content": "y"}],
            "metadata": "not an object",
            "colour": "blue",
        }
    )
    assert set(errors) == {
        "external_id",
        "timestamp",
        "model.name",
        "messages[1].role",
        "response",
        "metadata",
        "colour",
    }


def test_many_message_errors_are_capped() -> None:
    errors = errors_of(record(messages=[{"role": "bot", "content": "x"}] * 50))
    assert len([key for key in errors if key.startswith("messages[")]) == 10
    assert "only the first are listed" in errors["messages"]


@pytest.mark.parametrize("obj", [None, [], "text", 3])
def test_record_must_be_an_object(obj: object) -> None:
    assert list(errors_of(obj)) == ["record"]


# --- texts a database cannot store are rejected, never silently changed ------------------


@pytest.mark.parametrize(
    ("fields", "key"),
    [
        ({"external_id": "id\x00"}, "external_id"),
        ({"account_id": "a\x00"}, "account_id"),
        ({"model": "m\x00"}, "model"),
        ({"prompt": "p\x00q"}, "prompt"),
        ({"response": "r\x00"}, "response"),
        ({"messages": [{"role": "user", "content": "c\x00"}]}, "messages[0].content"),
        ({"metadata": {"deep": ["ok", "n\x00"]}}, "metadata"),
        ({"metadata": {"k\x00": 1}}, "metadata"),
    ],
)
def test_nul_characters_are_rejected(fields: dict[str, Any], key: str) -> None:
    errors = errors_of(record(**fields))
    assert "NUL" in errors[key]


def test_nul_error_in_metadata_says_where() -> None:
    errors = errors_of(record(metadata={"deep": ["ok", "n\x00"]}))
    assert errors["metadata"] == "must not contain NUL characters (\\u0000) at metadata.deep[1]"


def test_unpaired_surrogates_are_rejected() -> None:
    errors = errors_of(record(response="broken \ud83d emoji"))
    assert errors == {"response": "must be valid Unicode; contains an unpaired surrogate (\\ud83d)"}
    assert isinstance(parse_log_record(record(response="fine 😀")), LogRecordIn)
