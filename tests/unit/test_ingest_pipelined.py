"""The pipelined import loop: chunks of raw lines parsed elsewhere, stored in order.

``run_pipelined_import`` only reads; a ``ChunkPipeline`` parses, validates and
stores. These tests use an in-memory pipeline that holds chunks in flight like
the real one (which runs worker processes and is tested in
tests/integration/test_ingest_cli.py).
"""

from __future__ import annotations

import gzip
import json
import signal
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest
from test_ingest_importer import FakeStore, log_line, rejected_entries, write_jsonl

from core.signals import TextSignals
from ingest.chunks import Chunk, ChunkOutcome, parse_chunk
from ingest.formats import available_formats, get_line_parser, get_reader, iter_lines
from ingest.importer import ImportFailed, run_import, run_pipelined_import
from ingest.pipelined import RecentTextsAnalyzer
from ingest.validation import parse_log_record


class FakePipeline:
    """Stores chunks in submission order, keeping up to ``depth`` of them in flight."""

    def __init__(self, *, depth: int = 2, on_submit: Callable[[int], None] | None = None) -> None:
        self.depth = depth
        self.on_submit = on_submit
        self.ids: set[str] = set()
        self.chunks: list[Chunk] = []
        self.stored_chunks: list[Chunk] = []
        self.in_flight: deque[Chunk] = deque()

    def submit(self, chunk: Chunk) -> list[ChunkOutcome]:
        self.chunks.append(chunk)
        self.in_flight.append(chunk)
        if self.on_submit is not None:
            self.on_submit(len(self.chunks))
        outcomes = []
        while len(self.in_flight) > self.depth:
            outcomes.append(self._store(self.in_flight.popleft()))
        return outcomes

    def drain(self) -> list[ChunkOutcome]:
        outcomes = [self._store(chunk) for chunk in self.in_flight]
        self.in_flight.clear()
        return outcomes

    def abandon(self) -> int:
        dropped = sum(chunk.record_count() for chunk in self.in_flight)
        self.in_flight.clear()
        return dropped

    def _store(self, chunk: Chunk) -> ChunkOutcome:
        read, valid, rejected = parse_chunk(chunk, parse_log_record)
        new = {record.external_id for _, record in valid} - self.ids
        self.ids |= new
        self.stored_chunks.append(chunk)
        return ChunkOutcome(read, len(new), len(valid) - len(new), rejected)


def _counts(summary: object) -> tuple[int, ...]:
    names = ("read", "accepted", "duplicates", "rejected", "discarded")
    return tuple(getattr(summary, name) for name in names)


def test_rejected_lines_and_counts_match_the_single_process_import(tmp_path: Path) -> None:
    lines = [log_line(n) for n in range(1, 31)]
    lines[2] = "{broken\n"
    lines[6] = "\n"  # blank: not a record, but still a line
    lines[7] = "   \n"
    lines[11] = log_line(12, timestamp="soon")
    lines[15] = "[1, 2]\n"
    lines[20] = log_line(5)  # a duplicate of line 5, in another chunk
    lines[25] = log_line(26, extra_field=1)
    path = tmp_path / "logs.jsonl.gz"
    with gzip.open(path, "wt") as fh:
        fh.write("".join(lines))

    plain = run_import([path], batch_size=4, store_batch=FakeStore())
    expected = (tmp_path / "logs.jsonl.gz.rejected.jsonl").read_text()
    pipeline = FakePipeline()
    pipelined = run_pipelined_import([path], pipeline=pipeline, batch_size=4)

    assert _counts(pipelined) == _counts(plain) == (28, 23, 1, 4, 0)
    assert (tmp_path / "logs.jsonl.gz.rejected.jsonl").read_text() == expected
    entries = rejected_entries(tmp_path / "logs.jsonl.gz.rejected.jsonl")
    assert [e["line"] for e in entries] == [3, 12, 16, 26]
    assert "timestamp" in entries[1]["errors"] and entries[1]["external_id"] == "log-12"


def test_chunks_are_batch_size_lines_in_file_order(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "logs.jsonl", 25, bad_lines={4: "\n"})
    pipeline = FakePipeline()
    summary = run_pipelined_import([path], pipeline=pipeline, batch_size=10)
    assert [len(chunk.lines or ()) for chunk in pipeline.chunks] == [10, 10, 5]
    numbers = [n for chunk in pipeline.chunks for n, _ in chunk.lines or ()]
    assert numbers == list(range(1, 26))
    assert pipeline.stored_chunks == pipeline.chunks  # stored in the order read
    assert _counts(summary) == (24, 24, 0, 0, 0)


def test_formats_without_a_line_parser_go_as_records(tmp_path: Path) -> None:
    path = tmp_path / "logs.csv"
    path.write_text(
        "external_id,timestamp,prompt,response\n"
        'c1,2026-11-20T10:00:00Z,hi,"multi\nline answer"\n'
        "c2,not a time,hello,short answer\n"
        "c3,2026-11-20T10:02:00Z,hey,fine\n"
    )
    pipeline = FakePipeline()
    summary = run_pipelined_import([path], pipeline=pipeline, batch_size=2)
    assert all(chunk.lines is None and chunk.records for chunk in pipeline.chunks)
    assert _counts(summary) == (3, 2, 0, 1, 0)
    [entry] = rejected_entries(tmp_path / "logs.csv.rejected.jsonl")
    assert entry["line"] == 4 and "timestamp" in entry["errors"]


def test_ctrl_c_lets_the_chunks_in_flight_be_stored(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "logs.jsonl", 100)
    other = write_jsonl(tmp_path / "other.jsonl", 5)

    def interrupt_on_third(count: int) -> None:
        if count == 3:
            signal.raise_signal(signal.SIGINT)

    pipeline = FakePipeline(depth=2, on_submit=interrupt_on_third)
    # Whatever handled SIGINT before (SIG_IGN when the suite runs in the background)
    # is what handles it after.
    before = signal.getsignal(signal.SIGINT)
    summary = run_pipelined_import([path, other], pipeline=pipeline, batch_size=10)
    assert summary.interrupted
    assert _counts(summary) == (30, 30, 0, 0, 0)
    assert len(pipeline.ids) == 30 and not pipeline.in_flight
    assert [f.path for f in summary.files] == [str(path)]  # the next file is not started
    assert signal.getsignal(signal.SIGINT) is before


def test_a_hard_interrupt_drops_the_chunks_in_flight_and_counts_them(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "logs.jsonl", 100, bad_lines={45: "\n"})

    def stop_on_fifth(count: int) -> None:
        if count == 5:
            raise KeyboardInterrupt

    pipeline = FakePipeline(depth=2, on_submit=stop_on_fifth)
    summary = run_pipelined_import([path], pipeline=pipeline, batch_size=10, handle_interrupt=False)
    assert summary.interrupted
    # Chunks 1-2 stored; 3, 4 and 5 (one blank line) in flight, dropped.
    assert _counts(summary) == (49, 20, 0, 0, 29)
    assert len(pipeline.ids) == 20


def test_a_file_that_breaks_mid_way_keeps_what_was_stored(tmp_path: Path) -> None:
    path = tmp_path / "logs.jsonl.gz"
    with gzip.open(path, "wt") as fh:
        fh.write("".join(log_line(n, response="x" * 2000) for n in range(1, 2001)))
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])
    pipeline = FakePipeline()
    with pytest.raises(ImportFailed, match="corrupt or cannot be read") as failure:
        run_pipelined_import([path], pipeline=pipeline, batch_size=100)
    assert failure.value.summary is not None
    stored = failure.value.summary.accepted
    assert stored > 0 and stored == len(pipeline.ids)


@pytest.mark.parametrize("name", [n for n in available_formats() if get_line_parser(n)])
def test_a_line_parser_reads_as_its_format_reader(tmp_path: Path, name: str) -> None:
    path = tmp_path / "input"
    chat = {"id": "c1", "created": 1_700_000_000, "messages": [
        {"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]}  # fmt: skip
    path.write_text(log_line(1) + "\n{broken\n" + json.dumps(chat) + "\n" + json.dumps([1]) + "\n")
    parser = get_line_parser(name)
    assert parser is not None
    with path.open(newline="") as stream:
        by_line = [parser(n, text) for n, text in iter_lines(stream)]
    with path.open(newline="") as stream:
        by_reader = list(get_reader(name)(stream, str(path)))
    assert [r for r in by_line if r is not None] == by_reader


def test_formats_read_line_by_line_have_line_parsers() -> None:
    assert get_line_parser("jsonl") is not None
    assert get_line_parser("openai-chat") is not None
    assert get_line_parser("csv") is None  # a quoted field may span lines


class CountingAnalyzer:
    def __init__(self) -> None:
        self.analysed: list[str] = []

    def analyze_many(self, texts: Sequence[str]) -> list[TextSignals]:
        self.analysed.extend(texts)
        return [TextSignals(masked_text=t.upper(), content_hash=f"h-{t}") for t in texts]


def test_recent_texts_are_analysed_once_and_memory_stays_bounded() -> None:
    inner = CountingAnalyzer()
    analyzer = RecentTextsAnalyzer(inner, size=3)
    first = analyzer.analyze_many(["a", "b", "a"])
    assert [s.masked_text for s in first] == ["A", "B", "A"]
    assert inner.analysed == ["a", "b"]
    second = analyzer.analyze_many(["b", "c", "d", "e", "f"])
    assert [s.content_hash for s in second] == ["h-b", "h-c", "h-d", "h-e", "h-f"]
    assert inner.analysed == ["a", "b", "c", "d", "e", "f"]  # "b" was remembered
    assert len(analyzer.recent) == 3  # the oldest were forgotten
    analyzer.analyze_many(["a"])
    assert inner.analysed[-1] == "a"


@pytest.mark.parametrize(
    ("cpus", "load", "expected"),
    [(2, 0.1, 2), (2, 1.2, 1), (2, 7.5, 1), (8, 0.0, 4), (1, 0.0, 1), (None, 0.0, 1)],
)
def test_default_workers_fill_the_idle_cpus(
    monkeypatch: pytest.MonkeyPatch, cpus: int | None, load: float, expected: int
) -> None:
    import ingest.pipelined as pipelined

    monkeypatch.setattr(pipelined.os, "cpu_count", lambda: cpus)
    monkeypatch.setattr(pipelined.os, "getloadavg", lambda: (load, load, load))
    assert pipelined.default_workers() == expected
