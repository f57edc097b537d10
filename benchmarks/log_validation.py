"""Log record validation alone: ``parse_log_record`` of this tree against a baseline
revision's, measured in the same run on the same records.

The validator is on the importer's and the bulk API's path for every record, so a
change to it is measured before it lands. Records are the shapes deployers send: plain
prompt/response records with a string id and an ISO time, chat transcripts, integer
ids with epoch seconds, and OpenAI completion objects. Both validators are timed in
alternating rounds (so load on the machine falls on both alike); medians are quoted.

    .venv/bin/python benchmarks/log_validation.py                 # against main
    .venv/bin/python benchmarks/log_validation.py --baseline HEAD~1 --rounds 9
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest.validation import parse_log_record  # noqa: E402


def records(n: int, seed: int = 0) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    out: list[dict[str, Any]] = []
    for i in range(n):
        shape = i % 4
        text = f"Polling stations in district {rng.randrange(500)} close early. Share this!"
        if shape == 0:
            out.append(
                {
                    "external_id": f"rec-{i}",
                    "timestamp": "2026-11-20T12:00:00Z",
                    "model": "acme-chat:1.2",
                    "account_id": f"acct-{rng.randrange(5000)}",
                    "prompt": f"Write a post about the election, number {i}",
                    "response": text,
                    "metadata": {"region": "eu", "latency_ms": rng.randrange(900)},
                }
            )
        elif shape == 1:
            out.append(
                {
                    "external_id": f"chat-{i}",
                    "timestamp": "2026-11-20T12:00:00+01:00",
                    "account_id": f"acct-{rng.randrange(5000)}",
                    "messages": [
                        {"role": "system", "content": "You are a helpful assistant."},
                        {"role": "user", "content": f"Tell me about district {i}"},
                    ],
                    "response": text,
                }
            )
        elif shape == 2:
            out.append(
                {
                    "external_id": 10_000_000 + i,
                    "timestamp": 1_795_000_000 + i,
                    "account_id": rng.randrange(5000),
                    "prompt": "Summarise the news",
                    "response": text,
                    "moderation": {"flagged": False},
                }
            )
        else:
            out.append(
                {
                    "external_id": f"cmpl-{i}",
                    "timestamp": "2026-11-20T12:00:00.123456Z",
                    "prompt": "Summarise the news",
                    "response": {
                        "id": f"chatcmpl-{i}",
                        "model": "gpt-x",
                        "choices": [
                            {"index": 0, "message": {"role": "assistant", "content": text}}
                        ],
                    },
                }
            )
    return out


def baseline_validator(revision: str) -> Any:
    """``parse_log_record`` as it is at ``revision``, loaded as a module of its own."""
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{revision}:ingest/validation.py"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    path = Path(tempfile.mkdtemp()) / "baseline_validation.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("baseline_validation", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.parse_log_record


def rate(parse: Any, batch: list[dict[str, Any]]) -> float:
    started = time.perf_counter()
    for record in batch:
        parse(record)
    return len(batch) / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", default="main", help="git revision to compare with (main)")
    parser.add_argument("--records", type=int, default=50_000, help="records per round (50,000)")
    parser.add_argument("--rounds", type=int, default=7, help="alternating rounds (7)")
    args = parser.parse_args()

    batch = records(args.records)
    before = baseline_validator(args.baseline)
    for record in batch[:8]:
        assert type(before(record)) is type(parse_log_record(record)), record
    rates: dict[str, list[float]] = {"baseline": [], "this tree": []}
    for _ in range(args.rounds):
        rates["baseline"].append(rate(before, batch))
        rates["this tree"].append(rate(parse_log_record, batch))
    base = statistics.median(rates["baseline"])
    for name, values in rates.items():
        median = statistics.median(values)
        spread = f"{min(values):,.0f}–{max(values):,.0f}"
        print(f"{name:10} {median:10,.0f} records/s (median of {args.rounds}; {spread})")
    ratio = statistics.median(rates["this tree"]) / base
    print(f"ratio this tree / {args.baseline}: {ratio:.3f}")


if __name__ == "__main__":
    main()
