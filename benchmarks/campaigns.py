"""End-to-end campaign detection: scenario -> public API -> embed, group, detect -> CLI.

Builds organic traffic (thousands of accounts over a week with a daily rhythm) with
planted campaigns and two decoys (organic virality, a single heavy user), sends it
through POST /api/v1/logs of a portal served by `misuse serve`, runs the jobs with
`misuse jobs run`, reads `misuse campaigns list --json`, and prints campaign- and
account-level precision and recall and whether a decoy was flagged. Then times
`misuse jobs run detect` alone. The IRA #KochFarms evaluation lives in
benchmarks/campaigns_eval.py (estimator level, real data).

    python benchmarks/campaigns.py [--accounts 3000 --posts 30000] [--database-url URL]

A second mode times the detect job at scale, without the embedding model: 1,000,000
log records with their near-duplicate groups already computed are written straight
into a scratch store (benchmarks/detect_scale.py says how they are made), the full
run is timed (median of 3) against the same on 100,000 records measured in the same
run, then incremental runs after 10,000 new records each (median of 3), then one
more batch through a cold `misuse jobs run detect`. Targets: full run under 2
minutes, incremental run under 10 s.

    python benchmarks/campaigns.py --scale [--store sqlite|postgresql] [--records N]

``--scale --organic-only`` builds the same store with nothing planted and runs detect
once: every campaign it reports is false, and it prints the alerts an analyst would
face after the first run (at most ``MISUSE_DETECT_MAX_ALERTS``, 50, ranked) and how
many more were proposed.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from demo.scenario import build_scenario, score_detection  # noqa: E402


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def misuse(env: dict[str, str], *args: str, capture: bool = True) -> str:
    out = subprocess.run(
        [sys.executable, "-m", "cli", *args],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=capture,
        text=True,
    )
    return out.stdout if capture else ""


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--accounts", type=int, default=3000)
    p.add_argument("--posts", type=int, default=30000)
    p.add_argument("--campaigns", type=int, default=4)
    p.add_argument("--seed", type=int, default=11)
    p.add_argument("--database-url", default="")
    p.add_argument("--scale", action="store_true", help="time the detect job at scale")
    p.add_argument(
        "--organic-only",
        action="store_true",
        help="with --scale: one first full run on a store with nothing planted "
        "(false campaigns and alerts raised)",
    )
    p.add_argument("--store", choices=["sqlite", "postgresql"], default="sqlite")
    p.add_argument("--records", type=int, default=1_000_000)
    p.add_argument("--baseline-records", type=int, default=100_000)
    p.add_argument("--new-records", type=int, default=10_000)
    p.add_argument(
        "--postgres-admin-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    p.add_argument("--detect-child", choices=["full", "auto"], help=argparse.SUPPRESS)
    p.add_argument("--instance-dir", help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.detect_child:
        from benchmarks.detect_scale import child

        child(args.detect_child, args.database_url, args.instance_dir)
        return
    if args.scale:
        from benchmarks.detect_scale import run, run_organic

        if args.organic_only:
            run_organic(args)
        else:
            run(args)
        return

    tmp = tempfile.mkdtemp(prefix="misuse-campaigns-")
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "MISUSE_INSTANCE_DIR": tmp,
        "MISUSE_SECRET_KEY": "benchmark",
        "MISUSE_RATE_LIMITS_ENABLED": "false",
        "MISUSE_SERVE_SCHEDULER": "false",
    }
    if args.database_url:
        env["MISUSE_DATABASE_URL"] = args.database_url
    misuse(env, "db", "upgrade")
    sc = build_scenario(
        seed=args.seed,
        organic_accounts=args.accounts,
        organic_posts=args.posts,
        campaigns=args.campaigns,
    )
    print(
        f"scenario: {sc.count():,} log records, {len(sc.campaign_accounts)} campaign "
        f"accounts in {len(sc.campaigns)} campaigns, {len(sc.viral_accounts)} viral-decoy "
        "accounts, 1 heavy user"
    )
    keys = {}
    for deployer in sc.records:
        out = misuse(env, "deployers", "create", deployer, "--retention-days", "3650")
        keys[deployer] = next(w for w in out.split() if w.startswith("mw_"))

    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "cli", "serve", "--port", str(port), "--no-scheduler"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                requests.get(base + "/api/v1/openapi.json", timeout=5)
                break
            except requests.RequestException:
                time.sleep(0.2)
        started = time.perf_counter()
        with requests.Session() as http:
            for deployer, rows in sc.records.items():
                for i in range(0, len(rows), 1000):
                    r = http.post(
                        base + "/api/v1/logs",
                        json=rows[i : i + 1000],
                        timeout=120,
                        headers={"Authorization": f"Bearer {keys[deployer]}"},
                    )
                    r.raise_for_status()
        print(f"ingest through the API: {time.perf_counter() - started:.1f} s")
    finally:
        server.terminate()
        server.wait(timeout=30)

    for job in ("embed", "group", "detect"):
        t = time.perf_counter()
        misuse(env, "jobs", "run", job)
        print(f"job {job}: {time.perf_counter() - t:.1f} s")
    found = json.loads(misuse(env, "campaigns", "list", "--json"))
    flagged = [{(a["deployer"], a["account_id"]) for a in c["accounts"]} for c in found]
    m = score_detection(sc, flagged)
    mostly_planted = sum(1 for f in flagged if len(f & sc.campaign_accounts) >= 0.5 * len(f))
    campaign_precision = mostly_planted / max(len(flagged), 1)
    print(
        f"campaigns flagged: {len(found)}; planted found: {m['campaigns_found']}/"
        f"{m['campaigns_planted']}; campaign-level precision "
        f"{campaign_precision:.3f}"
    )
    print(
        f"account-level precision {m['account_precision']:.3f}, recall "
        f"{m['account_recall']:.3f}; viral decoy flagged: {m['viral_decoy_flagged']}; "
        f"heavy user flagged: {m['heavy_user_flagged']}"
    )
    for c in found[:5]:
        print(f"  #{c['id']} score {c['score']:.2f} {c['category_guess']}: {c['explanation']}")

    times = []
    for _ in range(3):
        t = time.perf_counter()
        misuse(env, "jobs", "run", "detect")
        times.append(time.perf_counter() - t)
    times.sort()
    print(
        f"detect job alone on {sc.count():,} records: median {times[1]:.1f} s "
        f"(baseline in the same run: embed+group+detect above)"
    )


if __name__ == "__main__":
    main()
