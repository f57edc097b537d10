"""File formats: readers yield records with their starting line; bad lines never stop them."""

from __future__ import annotations

import gzip
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

import pytest

import ingest.formats as formats
from ingest.formats import (
    InputError,
    RawRecord,
    available_formats,
    detect_format,
    find_undecodable_line,
    get_reader,
    iter_lines,
    open_text,
    register,
)
from ingest.formats import json_array as json_array_module
from ingest.formats.csv import CsvSchema, csv_reader


def read(fmt: str, text: str, source: str = "input") -> list[RawRecord]:
    return list(get_reader(fmt)(io.StringIO(text, newline=""), source))


def good(records: list[RawRecord]) -> list[tuple[int, dict[str, Any]]]:
    return [(r.line, r.obj) for r in records if r.obj is not None]


def bad(records: list[RawRecord]) -> list[tuple[int, dict[str, str]]]:
    return [(r.line, r.error) for r in records if r.error is not None]


def jsonl(*objects: object) -> str:
    return "".join(json.dumps(o) + "\n" for o in objects)


# --- registry ----------------------------------------------------------------------------


def test_builtin_formats_are_registered() -> None:
    assert {"jsonl", "csv", "openai-chat", "json-array"} <= set(available_formats())


def test_unknown_format_names_the_known_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown format 'xml'; known formats: .*csv.*jsonl"):
        get_reader("xml")


def test_a_new_format_is_one_registered_function(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(formats, "_READERS", dict(formats._READERS))

    @register("lines-of-ids")
    def read_ids(stream: TextIO, source: str) -> Iterator[RawRecord]:
        for number, line in enumerate(stream, 1):
            yield RawRecord(number, {"external_id": line.strip()})

    assert "lines-of-ids" in available_formats()
    assert good(read("lines-of-ids", "a\nb\n")) == [
        (1, {"external_id": "a"}),
        (2, {"external_id": "b"}),
    ]
    with pytest.raises(ValueError, match="already registered"):
        register("lines-of-ids")(lambda stream, source: iter(()))


# --- JSON lines --------------------------------------------------------------------------


def test_jsonl_reports_bad_lines_and_keeps_going() -> None:
    text = (
        '{"external_id": "a"}\n'
        "\n"
        "   \n"
        '{"external_id": "b", oops}\n'
        "[1, 2]\n"
        '{"external_id": "c", "x": NaN}\n'
        '{"external_id": "d"}\r\n'
        '{"external_id": "e"}'  # no final newline
    )
    records = read("jsonl", text)
    assert good(records) == [
        (1, {"external_id": "a"}),
        (7, {"external_id": "d"}),
        (8, {"external_id": "e"}),
    ]
    errors = bad(records)
    assert [line for line, _ in errors] == [4, 5, 6]
    assert errors[0][1]["line"].startswith("invalid JSON: Expecting property name")
    assert "column 22" in errors[0][1]["line"]
    assert errors[1][1] == {"line": "must be a JSON object, got array"}
    assert errors[2][1] == {"line": "invalid JSON: NaN is not valid JSON"}
    # the rejected file shows the line as it was
    assert records[1].raw == '{"external_id": "b", oops}'


def test_deeply_nested_json_is_an_error_not_a_crash() -> None:
    records = read("jsonl", "[" * 100_000 + "\n" + '{"external_id": "ok"}\n')
    assert bad(records) == [(1, {"line": "invalid JSON: nested too deeply"})]
    assert good(records) == [(2, {"external_id": "ok"})]


def test_overlong_lines_are_skipped_in_bounded_chunks() -> None:
    stream = io.StringIO("short\n" + "x" * 95 + "\nafter\n")
    assert list(iter_lines(stream, max_chars=10)) == [(1, "short\n"), (2, None), (3, "after\n")]


# --- CSV ---------------------------------------------------------------------------------


CSV_HEADER = "external_id,timestamp,response,prompt,metadata,messages\n"


def test_csv_rows_become_records_with_json_columns_decoded() -> None:
    text = (
        CSV_HEADER + 'r1,2024-05-01T10:00:00Z,fine,say hi,"{""region"": ""eu""}",\n'
        'r2,1714557600,ok,,,"[{""role"": ""user"", ""content"": ""hi""}]"\n'
    )
    assert good(read("csv", text)) == [
        (
            2,
            {
                "external_id": "r1",
                "timestamp": "2024-05-01T10:00:00Z",
                "response": "fine",
                "prompt": "say hi",
                "metadata": {"region": "eu"},
            },
        ),
        (
            3,
            {
                "external_id": "r2",
                "timestamp": "1714557600",
                "response": "ok",
                "messages": [{"role": "user", "content": "hi"}],
            },
        ),
    ]


def test_csv_multiline_quoted_fields_report_their_starting_line() -> None:
    text = (
        "external_id,timestamp,response\n"  # line 1
        'a,2024-05-01T10:00:00Z,"first\n'  # line 2
        "second\r\n"  # line 3
        'third"\n'  # line 4
        "\n"  # line 5, blank
        "b,2024-05-01T10:00:00Z,one line\n"  # line 6
        'c,2024-05-01T10:00:00Z,"x\n\ny"\n'  # lines 7-9
        "d,2024-05-01T10:00:00Z,z\n"  # line 10
    )
    records = good(read("csv", text))
    assert [line for line, _ in records] == [2, 6, 7, 10]
    assert records[0][1]["response"] == "first\nsecond\r\nthird"


def test_csv_bad_rows_are_reported_and_later_rows_still_read() -> None:
    text = (
        "external_id,timestamp,response,metadata\n"  # 1
        "a,2024-05-01T10:00:00Z,ok\n"  # 2: too few fields
        "b,2024-05-01T10:00:00Z,ok,{not json}\n"  # 3
        'c,2024-05-01T10:00:00Z,"bad"quote,\n'  # 4
        "d,2024-05-01T10:00:00Z,ok,,extra\n"  # 5: too many
        "e,2024-05-01T10:00:00Z,fine,\n"  # 6
    )
    records = read("csv", text)
    assert good(records) == [
        (6, {"external_id": "e", "timestamp": "2024-05-01T10:00:00Z", "response": "fine"})
    ]
    errors = dict(bad(records))
    assert errors[2] == {"line": "has 3 fields; the header has 4"}
    assert errors[3]["metadata"].startswith("invalid JSON: Expecting property name")
    assert errors[4]["line"].startswith("invalid CSV: ")
    assert errors[5] == {"line": "has 5 fields; the header has 4"}


def test_csv_metadata_prefixed_columns_are_merged_into_metadata() -> None:
    text = (
        "external_id,timestamp,response,metadata,metadata.region,metadata.tier\n"
        'a,2024-05-01T10:00:00Z,ok,"{""k"": 1}",eu,\n'
        'b,2024-05-01T10:00:00Z,ok,"{""region"": ""us""}",eu,gold\n'
    )
    records = read("csv", text)
    assert good(records)[0][1]["metadata"] == {"k": 1, "region": "eu"}
    assert bad(records) == [(3, {"metadata.region": "is also set in the metadata column"})]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("external_id,timestamp,response,acount_id", "unknown columns 'acount_id'"),
        ("external_id,response", "missing required columns 'timestamp'"),
        ("external_id,timestamp,response,response", "duplicate columns 'response'"),
        ("external_id,timestamp,,response", "column 3 has no name"),
    ],
)
def test_csv_header_problems_stop_the_file_before_any_record(header: str, message: str) -> None:
    with pytest.raises(InputError, match=message) as caught:
        read("csv", header + "\na,2024-05-01T10:00:00Z,ok,x\n", source="logs.csv")
    assert caught.value.line == 1
    assert str(caught.value).startswith("logs.csv, line 1: ")


def test_csv_reader_for_another_record_schema() -> None:
    schema = CsvSchema(
        fields=("external_id", "output", "tags"),
        required=("output",),
        json_columns=frozenset({"tags"}),
    )
    reader = csv_reader(schema)
    records = list(reader(io.StringIO('output,tags\nhello,"[1]"\n', newline=""), "r.csv"))
    assert good(records) == [(2, {"output": "hello", "tags": [1]})]
    # no metadata field, so no metadata.<key> columns either
    with pytest.raises(InputError, match=r"unknown columns 'metadata.x' \(known: external_id"):
        list(reader(io.StringIO("output,metadata.x\n"), "r.csv"))


def test_csv_without_header_is_an_error() -> None:
    with pytest.raises(InputError, match="needs a header row"):
        read("csv", "\n\n")


# --- OpenAI chat format ------------------------------------------------------------------


def test_openai_chat_last_assistant_message_becomes_the_response() -> None:
    line: dict[str, Any] = {
        "id": "conv-1",
        "created": 1714557600,
        "user": "acct-7",
        "model": "gpt-4o",
        "messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "Hi"},
            {"role": "assistant", "content": "Hello", "weight": 0},
            {"role": "user", "content": "Insult me"},
            {"role": "assistant", "content": "No."},
        ],
        "tools": [{"type": "function"}],
    }
    records = read("openai-chat", jsonl(line))
    assert good(records) == [
        (
            1,
            {
                "external_id": "conv-1",
                "timestamp": 1714557600,
                "account_id": "acct-7",
                "model": "gpt-4o",
                "messages": line["messages"][:-1],
                "response": "No.",
            },
        )
    ]
    assert records[0].raw == line  # what the deployer sent, for the rejected file


def test_openai_chat_problems_are_reported_per_line() -> None:
    text = (
        jsonl({"id": "a", "messages": [{"role": "user", "content": "unanswered"}]})
        + "not json\n"
        + jsonl(
            {"id": "b", "external_id": "b", "messages": [{"role": "assistant", "content": "x"}]}
        )
        + jsonl(
            {"id": "c", "created": 1714557600, "messages": [{"role": "assistant", "content": "ok"}]}
        )
    )
    records = read("openai-chat", text)
    assert bad(records)[0] == (
        1,
        {"messages": "the last message must be the assistant's response, got role 'user'"},
    )
    assert bad(records)[1][0] == 2
    assert bad(records)[2] == (3, {"id": "is an alias of external_id; send only one of them"})
    assert good(records) == [
        (4, {"external_id": "c", "timestamp": 1714557600, "messages": [], "response": "ok"})
    ]


# --- JSON array --------------------------------------------------------------------------


def test_json_array_elements_carry_their_starting_line() -> None:
    text = (
        '[\n  {"external_id": "a",\n   "n": 1},\n'
        '  {"external_id": "b"}, 7,\n{"external_id": "c"}\n]\n'
    )
    records = read("json-array", text)
    assert good(records) == [
        (2, {"external_id": "a", "n": 1}),
        (4, {"external_id": "b"}),
        (5, {"external_id": "c"}),
    ]
    assert bad(records) == [(4, {"line": "must be a JSON object, got number"})]


@pytest.mark.parametrize("text", ["[]", "  [ ]  \n"])
def test_empty_json_array(text: str) -> None:
    assert read("json-array", text) == []


def test_json_array_streams_through_a_small_window(monkeypatch: pytest.MonkeyPatch) -> None:
    # Elements much larger than the window, numbers cut at its edge, many lines.
    monkeypatch.setattr(json_array_module, "CHUNK_CHARS", 7)
    elements: list[object] = [{"external_id": str(i), "text": "y" * (i * 13)} for i in range(40)]
    elements.insert(5, 1234567890123)
    text = "[\n" + ",\n".join(json.dumps(e) for e in elements) + "\n]"
    records = read("json-array", text)
    assert [r.obj for r in records if r.obj] == [e for e in elements if isinstance(e, dict)]
    assert [r.line for r in records] == list(range(2, 2 + len(elements)))
    assert records[5].error == {"line": "must be a JSON object, got number"}


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ('[\n{"a": 1}\n{"b": 2}]', 3, "expected ',' or ']'"),
        ('[\n{"a": 1},\n{"b": oops}]', 3, "invalid JSON: Expecting value"),
        ('[\n{"a": 1},\n{"b": 2}', 3, "not closed"),
        ('[{"a": 1}]\n[{"b": 2}]', 2, "unexpected data after the closing ']'"),
        ('{"a": 1}', 1, "must start with '['"),
    ],
)
def test_json_array_syntax_errors_name_the_line(text: str, line: int, message: str) -> None:
    with pytest.raises(InputError, match=re.escape(message)) as caught:
        read("json-array", text)
    assert caught.value.line == line


# --- opening files: gzip, encodings ------------------------------------------------------


def test_open_text_decompresses_gzip_by_magic_bytes(tmp_path: Path) -> None:
    content = '{"external_id": "ä"}\n'
    named = tmp_path / "logs.jsonl.gz"
    unnamed = tmp_path / "logs.jsonl"
    for path in (named, unnamed):
        path.write_bytes(gzip.compress(content.encode()))
    for path in (named, unnamed):
        with open_text(path) as stream:
            assert stream.read() == content
            assert stream.compressed
            assert stream.size == path.stat().st_size
            assert stream.bytes_consumed() == stream.size


def test_open_text_drops_a_byte_order_mark(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbfexternal_id,timestamp,response\n")
    with open_text(path) as stream:
        assert stream.readline() == "external_id,timestamp,response\n"


def test_gz_name_without_gzip_content_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "logs.jsonl.gz"
    path.write_text('{"external_id": "a"}\n')
    with pytest.raises(InputError, match=r"logs.jsonl.gz: has a .gz name but is not gzip"):
        open_text(path)


def test_find_undecodable_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(b'{"a": 1}\n{"b": "\xc3\xa4"}\n{"c": "caf\xe9"}\n')
    assert find_undecodable_line(path) == (3, "not valid UTF-8 (byte 0xe9)")
    path.write_bytes(b"fine\n")
    assert find_undecodable_line(path) is None


# --- auto detection ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("a.jsonl", '{"external_id": 1}\n', "jsonl"),
        ("a.ndjson", '{"external_id": 1}\n', "jsonl"),
        ("a.json", '{"external_id": 1}\n', "jsonl"),
        ("a.json", '  [{"external_id": 1}]', "json-array"),
        ("a.jsonl", '[{"external_id": 1}]', "json-array"),
        ("a.jsonl", '{"messages": [], "id": "x"}\n', "openai-chat"),
        ("a.csv", "external_id,timestamp,response\n", "csv"),
        ("a.csv", "{looks like json}", "csv"),  # the extension wins
        ("a.jsonl", "", "jsonl"),
        ("export.txt", '{"external_id": 1}\n', "jsonl"),
        ("export", "[]", "json-array"),
        ("export.dat", "external_id,timestamp,response\n", "csv"),
    ],
)
def test_detect_format(tmp_path: Path, name: str, content: str, expected: str) -> None:
    path = tmp_path / name
    path.write_text(content)
    assert detect_format(path) == expected
    zipped = tmp_path / (name + ".gz")
    zipped.write_bytes(gzip.compress(content.encode()))
    assert detect_format(zipped) == expected


def test_detect_format_gives_up_with_the_choices(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello world\n")
    with pytest.raises(InputError, match=r"notes.txt: cannot tell the format .*json-array"):
        detect_format(path)
