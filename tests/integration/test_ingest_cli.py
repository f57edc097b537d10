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
    workers = _children(proc.pid)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    # The worker processes notice and end too, instead of waiting forever for work.
    deadline = time.monotonic() + 20
    while any(os.path.exists(f"/proc/{pid}") for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not [pid for pid in workers if os.path.exists(f"/proc/{pid}")]
    partial = _count(db)
    assert 0 < partial < total, "the kill should land mid-import"
    assert partial % 500 == 0, "each batch is one transaction: whole batches only"
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"duplicates {partial:,}" in done.stdout
    assert _count(db) == total


def _children(pid):
    """Child process ids of ``pid`` (Linux; none elsewhere)."""
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            return [int(child) for child in fh.read().split()]
    except OSError:
        return []


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


def _stored_logs(db, deployer_name):
    """What an analyst would see of a deployer's log samples, by external id."""
    from sqlalchemy.orm import aliased

    from core.models import Deployer, TextBlob

    prompt, response = aliased(TextBlob), aliased(TextBlob)
    with db.session_scope() as s:
        rows = s.execute(
            select(LogRecord, prompt.masked_text, response.masked_text, response.pii_kinds)
            .join(Deployer, Deployer.id == LogRecord.deployer_id)
            .outerjoin(prompt, prompt.id == LogRecord.prompt_text_id)
            .join(response, response.id == LogRecord.response_text_id)
            .where(Deployer.name == deployer_name)
        ).all()
        return {
            log.external_id: (
                log.occurred_at.replace(tzinfo=None),
                log.model,
                log.account_id,
                log.messages,
                log.extra,
                log.moderation_flags,
                prompt_text,
                response_text,
                list(kinds),
            )
            for log, prompt_text, response_text, kinds in rows
        }


def _varied_record(n):
    fields = {}
    if n % 3:
        fields["prompt"] = f"Mail me at user{n % 4}@example.org about order {n}"
    else:
        fields["prompt"] = None
        fields["messages"] = [
            {"role": "system", "content": "You are a bank assistant."},
            {"role": "user", "content": f"Call +44 20 7946 0{n:03d} please"},
        ]
    if n % 5 == 0:
        fields["response"] = "I'm sorry, but I can't help with that."
    if n % 4 == 0:
        fields["moderation_flags"] = {"flagged": n % 2 == 0}
    return log_record(n, **fields)


def test_worker_processes_store_what_the_api_path_stores(runner, db, tmp_path):
    """Parsing, signals and rows built in worker processes; ids resolved by the database."""
    from core.models import Deployer
    from core.services.logs import ingest_log_batch
    from ingest.signals import TextAnalyzer
    from ingest.validation import parse_log_record

    records = [_varied_record(n) for n in range(40)]
    lines = [json.dumps(r) for r in records]
    # A client's retry of line 7 right after a chunk boundary (chunks of 7 lines):
    # a duplicate while the first copy may still be on its way to the database.
    lines.insert(8, lines[6])
    lines.insert(12, json.dumps(log_record(99, timestamp="2026-13-45T10:00:00Z")))
    lines.insert(20, "")
    path = tmp_path / "logs.jsonl"
    path.write_text("\n".join(lines) + "\n")

    for name in ("inline", "workers", "api"):
        runner.invoke("deployers", "create", name)
    for name, workers in (("inline", "0"), ("workers", "2")):
        result = runner.invoke(
            "ingest", "logs", str(path), "--deployer", name, "--workers", workers,
            "--batch-size", "7",
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        assert "read 42, accepted 40, duplicates 1, rejected 1" in result.output
    [entry] = [
        json.loads(x) for x in (tmp_path / "logs.jsonl.rejected.jsonl").read_text().split("\n") if x
    ]
    assert entry["line"] == 13 and "timestamp" in entry["errors"]

    with db.session_scope() as s:
        api_id = s.execute(select(Deployer.id).where(Deployer.name == "api")).scalar_one()
        batch = [(i, parse_log_record(r)) for i, r in enumerate(records)]
        ingest_log_batch(s, api_id, batch, analyzer=TextAnalyzer())

    stored = _stored_logs(db, "workers")
    assert len(stored) == 40
    assert stored == _stored_logs(db, "inline") == _stored_logs(db, "api")
    assert "[EMAIL]" in stored["rec-1"][6]  # masked before it was stored
    assert "+44" not in json.dumps(stored["rec-3"][3])

    again = runner.invoke("ingest", "logs", str(path), "--deployer", "workers")
    assert "read 42, accepted 0, duplicates 41, rejected 1" in again.output


def test_a_rerun_parses_without_workers_and_a_resumed_import_starts_them(runner, db, tmp_path):
    from core.models import Deployer
    from ingest.importer import run_pipelined_import
    from ingest.pipelined import LogImportPipeline

    runner.invoke("deployers", "create", "acme")
    with db.session_scope() as s:
        deployer_id = s.execute(select(Deployer.id).where(Deployer.name == "acme")).scalar_one()
    first_half, whole = tmp_path / "first-half.jsonl", tmp_path / "logs.jsonl"
    _write_jsonl(first_half, [log_record(n) for n in range(15)])
    _write_jsonl(whole, [log_record(n) for n in range(30)], bad_lines=[(12, "{broken")])

    def run(path):
        with db.session_scope() as s:
            pipeline = LogImportPipeline(s, deployer_id, workers=1)
            try:
                summary = run_pipelined_import(
                    [path], pipeline=pipeline, batch_size=10, handle_interrupt=False
                )
            finally:
                pipeline.close()
        counts = (summary.read, summary.accepted, summary.duplicates, summary.rejected)
        return counts, pipeline.probing  # still probing: no worker was ever started

    assert run(first_half) == ((15, 15, 0, 0), False)
    # Lines 1-10 are all stored (parsed here); 11-20 hold new ones: the workers take over.
    assert run(whole) == ((31, 15, 15, 1), False)
    assert run(whole) == ((31, 0, 30, 1), True)
    assert _count(db) == 30
    [entry] = [
        json.loads(x) for x in (tmp_path / "logs.jsonl.rejected.jsonl").read_text().split("\n") if x
    ]
    assert entry["line"] == 13
