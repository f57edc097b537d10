import gzip
import json
import os
import signal
import subprocess
import sys
import time

from sqlalchemy import func, select

from core.models import LogRecord, Report
from factories import log_record, report_payload


def _write_jsonl(path, records, bad_lines=()):
    lines = [json.dumps(r) for r in records]
    for index, text in bad_lines:
        lines.insert(index, text)
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "wt") as fh:
        fh.write("\n".join(lines) + "\n")


def _count(db, model=LogRecord):
    with db.session_scope() as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


def test_import_reports_summary_and_rejected_lines(runner, db, tmp_path):
    runner.invoke("deployers", "create", "acme")
    path = tmp_path / "logs.jsonl.gz"
    _write_jsonl(
        path,
        [log_record(n) for n in range(50)],
        bad_lines=[(3, "{broken"), (10, json.dumps(log_record(999, timestamp="soon")))],
    )
    result = runner.invoke("ingest", "logs", str(path), "--deployer", "acme", "--batch-size", "7")
    assert result.exit_code == 0, result.output
    assert "read 52, accepted 50, duplicates 0, rejected 2" in result.output
    assert _count(db) == 50
    rejected = [
        json.loads(x) for x in (tmp_path / "logs.jsonl.gz.rejected.jsonl").read_text().splitlines()
    ]
    assert [r["line"] for r in rejected] == [4, 11]
    assert "timestamp" in rejected[1]["errors"]
    again = runner.invoke("ingest", "logs", str(path), "--deployer", "acme")
    assert "accepted 0, duplicates 50, rejected 2" in again.output
    assert _count(db) == 50


def test_unknown_deployer_and_unreadable_file_fail_clearly(runner, tmp_path):
    runner.invoke("deployers", "create", "acme")
    missing = runner.invoke("ingest", "logs", str(tmp_path / "nope.jsonl"), "--deployer", "acme")
    assert missing.exit_code != 0 and "nope.jsonl" in missing.output
    path = tmp_path / "x.jsonl"
    _write_jsonl(path, [log_record(1)])
    unknown = runner.invoke("ingest", "logs", str(path), "--deployer", "ghost")
    assert unknown.exit_code == 1 and "ghost" in unknown.output


def test_nothing_ingested_exits_non_zero(runner, tmp_path):
    runner.invoke("deployers", "create", "acme")
    path = tmp_path / "bad.jsonl"
    path.write_text("{nope\n[1]\n")
    result = runner.invoke("ingest", "logs", str(path), "--deployer", "acme")
    assert result.exit_code == 1
    assert "rejected 2" in result.output


def test_csv_import(runner, db, tmp_path):
    runner.invoke("deployers", "create", "acme")
    path = tmp_path / "logs.csv"
    path.write_text(
        "external_id,timestamp,account_id,prompt,response\n"
        'c1,2026-11-20T10:00:00Z,u1,"hi","multi\nline answer"\n'
        'c2,2026-11-20T10:01:00Z,u2,"hello","short answer"\n'
    )
    result = runner.invoke("ingest", "logs", str(path), "--deployer", "acme")
    assert "accepted 2" in result.output, result.output
    assert _count(db) == 2


def test_reports_import_is_resumable_without_external_ids(runner, db, tmp_path):
    path = tmp_path / "reports.jsonl"
    items = [report_payload(contact_email=None, output=f"scam text number {n}") for n in range(12)]
    _write_jsonl(path, items, bad_lines=[(5, json.dumps(report_payload(category="x")))])
    first = runner.invoke("ingest", "reports", str(path))
    assert "accepted 12, duplicates 0, rejected 1" in first.output, first.output
    second = runner.invoke("ingest", "reports", str(path))
    assert "accepted 0, duplicates 12, rejected 1" in second.output
    assert _count(db, Report) == 12


def test_kill_9_then_rerun_loses_nothing_and_stores_nothing_twice(cli_env, db, tmp_path, runner):
    """A real interruption: the importer process is killed mid-way, then rerun."""
    runner.invoke("deployers", "create", "acme")
    path = tmp_path / "big.jsonl"
    total = 12_000
    _write_jsonl(path, [log_record(n, response=f"answer {n} " * 5) for n in range(total)])
    env = {**os.environ, **cli_env}
    cmd = [
        sys.executable,
        "-m",
        "cli",
        "ingest",
        "logs",
        str(path),
        "--deployer",
        "acme",
        "--batch-size",
        "500",
    ]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while _count(db) < 2000 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = _count(db)
    assert 0 < partial < total, "the kill should land mid-import"
    assert partial % 500 == 0, "each batch is one transaction: whole batches only"
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"duplicates {partial:,}" in done.stdout
    assert _count(db) == total


def test_reports_csv_import(runner, db, tmp_path):
    path = tmp_path / "reports.csv"
    path.write_text(
        "external_id,category,output,explanation,accuracy_confirmed\n"
        'r1,fraud,"Pay the fee to claim your prize","A scam script with a fake prize.",true\n'
        'r2,fraud,"Send your PIN","Phishing for the bank PIN of the victim.",false\n'
    )
    result = runner.invoke("ingest", "reports", str(path))
    assert "accepted 1, duplicates 0, rejected 1" in result.output, result.output
    assert _count(db, Report) == 1
