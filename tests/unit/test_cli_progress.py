"""Progress bars of ``misuse ingest`` and ``misuse jobs run``: on a terminal, never in a pipe."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

from test_ingest_importer import FakeStore, log_line, write_jsonl

from cli.progress import ImportProgress, JobProgress
from ingest.importer import run_import


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_import_progress_off_a_terminal_writes_nothing(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "logs.jsonl", 3000, bad_lines={7: "x\n"})
    out = io.StringIO()
    summary = run_import([path], store_batch=FakeStore(), progress=ImportProgress(out))
    assert summary.accepted == 2999
    assert out.getvalue() == ""


def test_import_progress_on_a_terminal_updates_one_line_then_clears_it(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "logs.jsonl", 5000)
    out = FakeTerminal()
    run_import([path], store_batch=FakeStore(), progress=ImportProgress(out, interval=0))
    text = out.getvalue()
    assert "\n" not in text  # redrawn in place: the command's summary owns the lines
    shown = [part for part in text.split("\r") if "records" in part]
    assert shown and all(part.startswith("logs.jsonl: ") and "% |" in part for part in shown)
    assert text.endswith("\r") and not text.rsplit("\r", 2)[-2].strip()  # cleared at the end


def test_import_progress_percent_comes_from_the_bytes_on_disk(tmp_path: Path) -> None:
    """A compressed file's percent is of the compressed bytes consumed; the rate is records."""
    out = FakeTerminal()
    now = [100.0]
    progress = ImportProgress(out, interval=0, clock=lambda: now[0])
    progress.start_file("/data/logs.jsonl.gz", total_bytes=1000)
    now[0] += 30.0
    progress.update(12_345, 250)
    line = out.getvalue().split("\r")[-1]
    assert line.startswith("logs.jsonl.gz:  25% |") and "ETA " in line
    assert line.endswith(", 12,345 records, 412/s")

    path = tmp_path / "logs.jsonl.gz"
    with gzip.open(path, "wt") as gz:
        gz.writelines(log_line(n) for n in range(1, 2001))
    out = FakeTerminal()
    run_import([path], store_batch=FakeStore(), progress=ImportProgress(out, interval=0))
    shown = [part for part in out.getvalue().split("\r") if "records" in part]
    percents = [int(part.split(":")[1].split("%")[0]) for part in shown]
    assert shown and all(part.startswith("logs.jsonl.gz: ") for part in shown)
    assert percents == sorted(percents) and 0 < percents[-1] <= 100


def test_job_progress_leaves_its_last_state_above_the_result() -> None:
    out = FakeTerminal()
    progress = JobProgress("embed", out, interval=0)
    for done in (0, 400, 800):
        progress(done, 800)
    progress.close()
    last = out.getvalue().split("\r")[-1]
    assert last.startswith("embed: 100%|") and "800/800" in last and last.endswith("\n")

    quiet = io.StringIO()
    progress = JobProgress("embed", quiet)
    progress(5, 10)
    progress.close()
    assert quiet.getvalue() == ""


def test_a_job_that_reports_no_progress_writes_nothing() -> None:
    out = FakeTerminal()
    JobProgress("detect", out).close()
    assert out.getvalue() == ""
