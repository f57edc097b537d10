"""The import loop: batches, counts, rejected-records files, reruns, failures and interruptions."""

from __future__ import annotations

import gzip
import json
import os
import signal
import time
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

import ingest.formats as formats
from core.records import FieldErrors, LogRecordIn
from ingest.importer import BatchOutcome, ImportFailed, run_import
from ingest.validation import parse_log_record


class FakeStore:
    """An in-memory store with the real one's contract.

    Each call is one all-or-nothing transaction; records whose external id is
    already stored (or earlier in the same batch) count as duplicates.
    """

    def __init__(self, *, fail_on_call: int | None = None, keep_records: bool = True) -> None:
        self.records: dict[str, tuple[int, LogRecordIn]] = {}
        self.ids: set[str] = set()
        self.batches: list[list[int]] = []  # line numbers of each stored batch
        self.calls = 0
        self._fail_on_call = fail_on_call
        self._keep_records = keep_records

    def __call__(self, batch: list[tuple[int, LogRecordIn]]) -> BatchOutcome:
        self.calls += 1
        if self.calls == self._fail_on_call:
            raise RuntimeError("database connection lost")
        new: dict[str, tuple[int, LogRecordIn]] = {}
        duplicates = 0
        for line, record in batch:
            if record.external_id in self.ids or record.external_id in new:
                duplicates += 1
            else:
                new[record.external_id] = (line, record)
        self.ids.update(new)
        if self._keep_records:
            self.records.update(new)
            self.batches.append([line for line, _ in batch])
        return BatchOutcome(accepted=len(new), duplicates=duplicates)


def log_line(n: int, **fields: Any) -> str:
    obj: dict[str, Any] = {
        "external_id": f"log-{n}",
        "timestamp": "2024-05-01T10:00:00Z",
        "prompt": f"prompt {n}",
        "response": f"response {n}",
    }
    obj.update(fields)
    return json.dumps(obj) + "\n"


def write_jsonl(path: Path, count: int, bad_lines: dict[int, str] | None = None) -> Path:
    """``count`` lines; line numbers in ``bad_lines`` get that text instead of a good record."""
    bad_lines = bad_lines or {}
    path.write_text("".join(bad_lines.get(n, log_line(n)) for n in range(1, count + 1)))
    return path


def rejected_entries(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text().splitlines()]


# --- batching and counting ---------------------------------------------------------------


def test_valid_records_are_stored_in_batches_of_the_requested_size(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "logs.jsonl", 25)
    store = FakeStore()
    summary = run_import([path], batch_size=10, store_batch=store)
    assert [len(batch) for batch in store.batches] == [10, 10, 5]
    assert store.batches[0] == list(range(1, 11))  # (line, record) pairs, in file order
    assert store.records["log-7"][1].prompt == "prompt 7"
    assert (summary.read, summary.accepted, summary.duplicates, summary.rejected) == (25, 25, 0, 0)
    assert not summary.interrupted
    assert not (tmp_path / "logs.jsonl.rejected.jsonl").exists()
    [file_summary] = summary.files
    assert (file_summary.path, file_summary.format, file_summary.rejected_path) == (
        str(path),
        "jsonl",
        None,
    )


def test_rejected_records_go_to_a_rejected_file_with_line_and_field(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "logs.jsonl",
        8,
        bad_lines={
            2: log_line(2, timestamp="2024-13-45"),
            4: "{broken json\n",
            5: "\n",  # blank lines are not records
            7: log_line(7, response="", colour="blue"),
        },
    )
    store = FakeStore()
    summary = run_import([path], batch_size=3, store_batch=store)
    assert (summary.read, summary.accepted, summary.rejected) == (7, 4, 3)
    assert sorted(store.ids) == ["log-1", "log-3", "log-6", "log-8"]
    rejected_path = tmp_path / "logs.jsonl.rejected.jsonl"
    assert summary.files[0].rejected_path == str(rejected_path)
    entries = rejected_entries(rejected_path)
    assert [(e["file"], e["line"], e["external_id"]) for e in entries] == [
        (str(path), 2, "log-2"),
        (str(path), 4, None),
        (str(path), 7, "log-7"),
    ]
    assert entries[0]["errors"] == {"timestamp": "must be an ISO 8601 date-time, got '2024-13-45'"}
    assert entries[0]["raw"]["timestamp"] == "2024-13-45"  # the original object
    assert entries[1]["errors"]["line"].startswith("invalid JSON:")
    assert entries[1]["raw"] == "{broken json"  # the original line text
    assert entries[2]["errors"] == {"colour": "unknown field", "response": "required"}


def test_huge_rejected_records_are_truncated_in_the_rejected_file(tmp_path: Path) -> None:
    path = tmp_path / "logs.jsonl"
    path.write_text(log_line(1, timestamp="nope", prompt="p" * 50_000) + "{" + "x" * 50_000 + "\n")
    run_import([path], store_batch=FakeStore())
    entries = rejected_entries(tmp_path / "logs.jsonl.rejected.jsonl")
    for entry in entries:
        assert entry["raw_truncated"] is True
        assert isinstance(entry["raw"], str) and len(entry["raw"]) == 4096
    assert entries[0]["external_id"] == "log-1"


def test_a_stale_rejected_file_is_removed_and_a_custom_path_honoured(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "logs.jsonl", 3)
    stale = tmp_path / "logs.jsonl.rejected.jsonl"
    stale.write_text('{"line": 99}\n')
    run_import([path], store_batch=FakeStore())
    assert not stale.exists()

    write_jsonl(path, 3, bad_lines={2: "[]\n"})
    custom = tmp_path / "out" / "rejects.jsonl"
    custom.parent.mkdir()
    run_import([path], store_batch=FakeStore(), rejected_path_for=lambda p: str(custom))
    assert [e["line"] for e in rejected_entries(custom)] == [2]


def test_rerun_of_the_same_file_stores_nothing_new(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "logs.jsonl", 23, bad_lines={5: "oops\n"})
    store = FakeStore()
    first = run_import([path], batch_size=5, store_batch=store)
    second = run_import([path], batch_size=5, store_batch=store)
    assert (first.accepted, first.duplicates, first.rejected) == (22, 0, 1)
    assert (second.accepted, second.duplicates, second.rejected) == (0, 22, 1)
    # the same batches both times, so a crashed run resumes cleanly
    assert store.batches[: len(store.batches) // 2] == store.batches[len(store.batches) // 2 :]
    assert len(rejected_entries(tmp_path / "logs.jsonl.rejected.jsonl")) == 1


def test_several_files_of_different_formats(tmp_path: Path) -> None:
    jsonl_path = write_jsonl(tmp_path / "a.jsonl", 4)
    csv_path = tmp_path / "b.csv.gz"
    csv_path.write_bytes(
        gzip.compress(
            b"external_id,timestamp,response,metadata.region\n"
            b'log-1,2024-05-01T10:00:00Z,"dup of a.jsonl",eu\n'
            b"c-1,2024-05-01T10:00:00Z,new,us\n"
            b"c-2,not a date,bad,us\n"
        )
    )
    chat_path = tmp_path / "c.jsonl"
    chat_path.write_text(
        json.dumps(
            {
                "id": "chat-1",
                "created": 1714557600,
                "messages": [{"role": "assistant", "content": "x"}],
            }
        )
        + "\n"
    )
    store = FakeStore()
    summary = run_import([jsonl_path, csv_path, chat_path], batch_size=2, store_batch=store)
    assert [f.format for f in summary.files] == ["jsonl", "csv", "openai-chat"]
    assert [(f.read, f.accepted, f.duplicates, f.rejected) for f in summary.files] == [
        (4, 4, 0, 0),
        (3, 1, 1, 1),
        (1, 1, 0, 0),
    ]
    assert (summary.read, summary.accepted, summary.duplicates, summary.rejected) == (8, 6, 1, 1)
    assert store.records["c-1"][1].metadata == {"region": "us"}
    assert [e["line"] for e in rejected_entries(Path(f"{csv_path}.rejected.jsonl"))] == [4]
    totals = summary.to_dict()
    assert totals["accepted"] == 6 and totals["files"][1]["rejected"] == 1
    json.dumps(totals)


def test_explicit_format_overrides_detection(tmp_path: Path) -> None:
    path = tmp_path / "export.txt"
    path.write_text(
        json.dumps(
            {"id": "x", "created": 1714557600, "messages": [{"role": "assistant", "content": "r"}]}
        )
        + "\n"
    )
    store = FakeStore()
    summary = run_import([path], fmt="openai-chat", store_batch=store)
    assert summary.accepted == 1 and store.records["x"][1].response == "r"
    with pytest.raises(ValueError, match="unknown format 'yaml'"):
        run_import([path], fmt="yaml", store_batch=store)
    with pytest.raises(ValueError, match="batch_size"):
        run_import([path], batch_size=0, store_batch=store)


def test_summary_elapsed_and_rate(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "logs.jsonl", 10)
    ticks = iter(range(100))
    summary = run_import([path], store_batch=FakeStore(), clock=lambda: float(next(ticks)))
    assert summary.elapsed > 0 and summary.files[0].elapsed > 0
    assert summary.rate == pytest.approx(10 / summary.elapsed)
    assert summary.files[0].rate == pytest.approx(10 / summary.files[0].elapsed)


# --- failures ----------------------------------------------------------------------------


def test_store_failure_keeps_earlier_batches_and_propagates(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "logs.jsonl", 30, bad_lines={3: "nope\n"})
    store = FakeStore(fail_on_call=3)
    with pytest.raises(RuntimeError, match="database connection lost"):
        run_import([path], batch_size=5, store_batch=store)
    assert len(store.ids) == 10  # two whole batches, nothing of the third
    # the rejected file is complete up to the failure
    assert [e["line"] for e in rejected_entries(tmp_path / "logs.jsonl.rejected.jsonl")] == [3]
    # and a rerun finishes the job without storing anything twice
    summary = run_import([path], batch_size=5, store_batch=store)
    assert (summary.accepted, summary.duplicates) == (19, 10)


def test_every_file_is_checked_before_anything_is_stored(tmp_path: Path) -> None:
    good = write_jsonl(tmp_path / "good.jsonl", 3)
    missing = tmp_path / "missing.jsonl"
    store = FakeStore()
    with pytest.raises(ImportFailed, match=r"missing.jsonl: no such file") as caught:
        run_import([good, missing], store_batch=store)
    assert caught.value.path == str(missing)
    assert store.calls == 0


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda p: p.mkdir(), "is a directory"),
        (lambda p: p.write_text("{}\n"), "has a .gz name but is not gzip-compressed"),
    ],
)
def test_unreadable_inputs(tmp_path: Path, setup: Any, message: str) -> None:
    path = tmp_path / "logs.jsonl.gz"
    setup(path)
    with pytest.raises(ImportFailed, match=message) as caught:
        run_import([path], store_batch=FakeStore())
    assert str(caught.value).startswith(str(path))


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write_jsonl(tmp_path / "logs.jsonl", 1)

    def deny(file: Any, *args: Any, **kwargs: Any) -> Any:
        raise PermissionError(13, "Permission denied", os.fspath(file))

    # chmod does not stop root, who may be running the tests
    monkeypatch.setattr(formats, "open", deny, raising=False)
    with pytest.raises(ImportFailed, match=r"logs.jsonl: permission denied"):
        run_import([path], store_batch=FakeStore())


def test_undecodable_bytes_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "logs.jsonl"
    good_lines = "".join(log_line(n) for n in range(1, 1001))
    path.write_bytes(
        good_lines.encode() + b'{"external_id": "caf\xe9"}\n' + log_line(1002).encode()
    )
    store = FakeStore()
    with pytest.raises(ImportFailed) as caught:
        run_import([path], batch_size=100, store_batch=store)
    assert str(caught.value) == f"{path}, line 1,001: not valid UTF-8 (byte 0xe9)"
    assert caught.value.line == 1001
    partial = caught.value.summary
    assert partial is not None and partial.accepted == len(store.ids)
    assert len(store.ids) % 100 == 0  # only whole batches
    assert partial.read == partial.accepted + partial.discarded


def test_undecodable_bytes_in_the_first_kilobytes_fail_before_any_import(tmp_path: Path) -> None:
    path = tmp_path / "export"  # no extension: the format check reads the start
    path.write_bytes(b'{"external_id": 1}\n\n{"external_id": "\xff"}\n')
    with pytest.raises(ImportFailed, match=r"export, line 3: not valid UTF-8 \(byte 0xff\)"):
        run_import([path], store_batch=FakeStore())


def test_truncated_gzip_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "logs.jsonl.gz"
    data = gzip.compress("".join(log_line(n) for n in range(5000)).encode())
    path.write_bytes(data[: len(data) - 30])
    with pytest.raises(
        ImportFailed,
        match=r"logs.jsonl.gz: is corrupt or cannot be read after line [\d,]+: Compressed file",
    ):
        run_import([path], store_batch=FakeStore())
    # a file too short to get past the format check fails there, as clearly
    path.write_bytes(data[:100])
    with pytest.raises(ImportFailed, match=r"logs.jsonl.gz: is corrupt or cannot be read"):
        run_import([path], store_batch=FakeStore())


def test_broken_csv_header_and_json_array_syntax_name_the_line(tmp_path: Path) -> None:
    csv_path = tmp_path / "logs.csv"
    csv_path.write_text("external_id,timestamp,respons\n")
    with pytest.raises(ImportFailed, match=r"logs.csv, line 1: unknown columns 'respons'"):
        run_import([csv_path], store_batch=FakeStore())
    array_path = tmp_path / "logs.json"
    array_path.write_text("[\n" + log_line(1) + ",\n" + log_line(2) + "\n" + log_line(3) + "]")
    store = FakeStore()
    with pytest.raises(ImportFailed, match=r"logs.json, line 6: invalid JSON: expected ','"):
        run_import([array_path], batch_size=1, store_batch=store)
    assert sorted(store.ids) == ["log-1", "log-2"]


# --- Ctrl-C ------------------------------------------------------------------------------


def test_ctrl_c_while_storing_lets_that_batch_finish(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "logs.jsonl", 50, bad_lines={2: "bad\n"})
    other = write_jsonl(tmp_path / "other.jsonl", 5)
    store = FakeStore()

    def store_then_interrupt(batch: list[tuple[int, LogRecordIn]]) -> BatchOutcome:
        outcome = store(batch)
        if store.calls == 2:
            signal.raise_signal(signal.SIGINT)
        return outcome

    # Whatever handled SIGINT before (SIG_IGN when the suite runs in the background)
    # is what handles it after.
    before = signal.getsignal(signal.SIGINT)
    summary = run_import([path, other], batch_size=10, store_batch=store_then_interrupt)
    assert summary.interrupted
    assert len(store.ids) == 20 and summary.accepted == 20
    assert [f.path for f in summary.files] == [str(path)]  # the next file is not started
    assert summary.files[0].discarded == 0
    assert [e["line"] for e in rejected_entries(tmp_path / "logs.jsonl.rejected.jsonl")] == [2]
    assert signal.getsignal(signal.SIGINT) is before


def test_ctrl_c_while_reading_drops_the_unfinished_batch(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "logs.jsonl", 50)
    store = FakeStore()

    def parse_until_line_25(obj: object) -> LogRecordIn | FieldErrors:
        assert isinstance(obj, dict)
        if obj["external_id"] == "log-25":
            signal.raise_signal(signal.SIGINT)
        return parse_log_record(obj)

    summary = run_import([path], batch_size=10, store_batch=store, parse=parse_until_line_25)
    assert summary.interrupted
    assert (summary.read, summary.accepted, summary.discarded) == (25, 20, 5)
    assert sorted(store.ids) == sorted(f"log-{n}" for n in range(1, 21))


def test_keyboard_interrupt_without_a_signal_handler(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "logs.jsonl", 30)
    store = FakeStore()

    def parse(obj: object) -> LogRecordIn | FieldErrors:
        assert isinstance(obj, dict)
        if obj["external_id"] == "log-15":
            raise KeyboardInterrupt
        return parse_log_record(obj)

    summary = run_import(
        [path], batch_size=10, store_batch=store, parse=parse, handle_interrupt=False
    )
    assert summary.interrupted and summary.accepted == 10 and summary.discarded == 4


# --- memory stays flat -------------------------------------------------------------------


def test_a_large_gzip_file_is_streamed(tmp_path: Path) -> None:
    path = tmp_path / "big.jsonl.gz"
    filler = "lorem ipsum dolor sit amet " * 740  # ~20 KB per record
    with gzip.open(path, "wt", compresslevel=1) as out:
        for n in range(2_500):
            out.write(log_line(n, response=f"{n} {filler}"))  # ~50 MB uncompressed
    store = FakeStore(keep_records=False)
    started = time.perf_counter()
    tracemalloc.start()
    try:
        summary = run_import([path], batch_size=50, store_batch=store)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert summary.accepted == 2_500
    assert peak < 6 * 1024 * 1024, f"peak {peak:,} bytes"
    assert time.perf_counter() - started < 10
