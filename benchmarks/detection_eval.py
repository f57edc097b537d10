"""Campaign detection that generalises: planted campaigns of many shapes, decoys, real IRA
troll accounts, through the real ingest and jobs, against a naive baseline.

    .venv/bin/python benchmarks/detection_eval.py                # the next held-out seeds
    .venv/bin/python benchmarks/detection_eval.py --seeds 0-4    # the tuning seeds
    .venv/bin/python benchmarks/detection_eval.py --ira          # also the IRA store
    .venv/bin/python benchmarks/detection_eval.py --ira-only --ira-seed 0 --ira-half tune

For every seed a store is built (``benchmarks/detection_stores.py``: real organic
traffic, one campaign per shape, five decoys), written as JSONL per deployer, and put
through the product as a deployer would: ``misuse deployers create``, ``misuse ingest
logs``, ``misuse jobs run embed``, ``group --full`` and ``detect --full``, then
``misuse campaigns list --json`` and ``misuse alerts list --json``. The naive baseline
(``benchmarks/naive_coordination.py``) runs on the same store's vectors in the same run.

Printed per seed and shape: account recall and precision of the detect job and of the
baseline, whether the campaign was found (a flagged campaign holds at least half of
its accounts, and at least half of that campaign's accounts are planted), decoy
accounts flagged, and overall figures. Then a summary per shape over the seeds.

Tuning happens on seeds 0-4 only. Seeds 5-9 were the first held-out set: after their
run two misses on them led to two changes (concentration counted over texts, and
exclusivity against a burst's excess accounts), so they are no longer held out. Seeds
10-14 were the second held-out set, measured before the changes the IRA tuning half led
to; seeds 15-19 the third, before the member test on the community's own sources (tried
on seeds 0-4). Seeds 20-24 were the fourth held-out set, 25-26 the fifth (after the
0.001 cut on the links the community step reads). Seeds 25, 27 and 28 then joined the
tuning seeds for the in-burst split and the loose-part refinement; seeds 29-30 are
their held-out check, built before either change and run once after both, and seeds
31-32 that of the core rule added after it; seeds 33-36 were a second held-out check
of that code (no change followed them). The next change is held out on seeds from
FIRST_UNSEEN_SEED on.
The IRA store splits the IRA accounts in two fixed halves (by a hash of the author id):
changes are tried on ``--ira-half tune`` (with its own organic seed) and the figures to
quote are those of ``--ira-half held-out``; ``--ira-half all`` is the whole file, as the
issue asks, but its tuning half is no longer unseen.
``--work-dir`` keeps the stores, and ``--reuse`` runs only the detect job again on
stores already embedded and grouped (for trying detector settings on the tuning seeds);
``--regroup`` runs a full group job first (for a store built before a grouping change).

Needs ../shared/data (the real data sets) and the embedding model.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import detection_stores as stores  # noqa: E402
from benchmarks.machine import cpu_name  # noqa: E402
from benchmarks.naive_coordination import naive_campaigns, near_duplicate_groups  # noqa: E402

Account = tuple[str, str]


def _seeds(spec: str) -> list[int]:
    out: list[int] = []
    for part in spec.split(","):
        lo, _, hi = part.partition("-")
        out.extend(range(int(lo), int(hi or lo) + 1))
    return out


# -- running the product --------------------------------------------------------------


class Product:
    """``misuse`` commands against one scratch store."""

    def __init__(self, folder: Path, database_url: str) -> None:
        self.folder = folder
        self.env = {
            **os.environ,
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
            "TOKENIZERS_PARALLELISM": "false",
            "MISUSE_DATABASE_URL": database_url,
            "MISUSE_INSTANCE_DIR": str(folder / "instance"),
            "MISUSE_SECRET_KEY": "detection-eval",
        }
        self.database_url = database_url

    def run(self, *args: str) -> str:
        started = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-m", "cli", *args],
            env=self.env,
            cwd=ROOT,
            check=False,
            capture_output=True,
            text=True,
        )
        if out.returncode != 0:
            raise RuntimeError(f"misuse {' '.join(args)} failed:\n{out.stderr[-3000:]}")
        self.last_seconds = time.perf_counter() - started
        return out.stdout


def _postgres_url(name: str, admin_url: str) -> str:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def build_and_group(store: stores.Store, folder: Path, args: argparse.Namespace) -> Product:
    """Store -> JSONL -> ingest -> embed -> group, timings printed."""
    folder.mkdir(parents=True, exist_ok=True)
    if args.database == "postgresql":
        url = _postgres_url(f"misuse_eval_{folder.name.replace('-', '_')}", args.postgres_admin_url)
    else:
        db = folder / "misuse.db"
        db.unlink(missing_ok=True)
        url = f"sqlite:///{db}"
    (folder / "database_url").write_text(url)
    files = store.write(folder / "data")
    product = Product(folder, url)
    product.run("db", "upgrade")
    timings = {}
    started = time.perf_counter()
    for deployer, path in files.items():
        product.run("deployers", "create", deployer, "--retention-days", "3650")
        product.run("ingest", "logs", str(path), "--deployer", deployer)
    timings["ingest"] = time.perf_counter() - started
    cache = None if args.no_vector_cache else Path(args.work_dir) / "vectors.db"
    reused = copy_cached_vectors(url, cache) if cache else 0
    product.run("jobs", "run", "embed")
    timings["embed"] = product.last_seconds
    if cache:
        keep_vectors(url, cache)
    timings["vectors reused"] = reused
    product.run("jobs", "run", "group", "--full")
    timings["group"] = product.last_seconds
    (folder / "grouped").write_text(json.dumps(timings))
    print(
        f"  {store.count():,} records; ingest {timings['ingest']:.0f} s, embed "
        f"{timings['embed']:.0f} s ({reused:,} vectors reused), group {timings['group']:.0f} s",
        flush=True,
    )
    return product


def _vector_cache(path: Path) -> Any:
    import sqlite3

    conn = sqlite3.connect(path)
    conn.execute(
        "CREATE TABLE IF NOT EXISTS vec (model_id TEXT, content_hash TEXT, dim INT, "
        "vector BLOB, PRIMARY KEY (model_id, content_hash))"
    )
    return conn


def copy_cached_vectors(database_url: str, cache: Path) -> int:
    """Put the vectors of texts an earlier store embedded (same model, same content
    hash) into this store before the embed job runs, so that the job embeds only the
    texts it has not seen: the stores of different seeds share most organic texts, and
    embedding is most of a store's cost. The vectors are the embed job's own output."""
    from sqlalchemy import create_engine, insert, select

    from core.models import Embedding, TextBlob

    if not cache.exists():
        return 0
    conn = _vector_cache(cache)
    engine = create_engine(database_url)
    with engine.begin() as db:
        hashes = dict(db.execute(select(TextBlob.content_hash, TextBlob.id)).all())
        rows = []
        for model_id, content_hash, dim, vector in conn.execute(
            "SELECT model_id, content_hash, dim, vector FROM vec"
        ):
            if content_hash in hashes:
                rows.append(
                    {
                        "text_id": hashes[content_hash],
                        "model_id": model_id,
                        "dim": dim,
                        "vector": vector,
                    }
                )
        for start in range(0, len(rows), 5000):
            db.execute(insert(Embedding), rows[start : start + 5000])
    engine.dispose()
    conn.close()
    return len(rows)


def keep_vectors(database_url: str, cache: Path) -> None:
    from sqlalchemy import create_engine, select

    from core.models import Embedding, TextBlob

    engine = create_engine(database_url)
    with engine.connect() as db:
        rows = db.execute(
            select(Embedding.model_id, TextBlob.content_hash, Embedding.dim, Embedding.vector).join(
                TextBlob, TextBlob.id == Embedding.text_id
            )
        ).all()
    engine.dispose()
    conn = _vector_cache(cache)
    with conn:
        conn.executemany("INSERT OR IGNORE INTO vec VALUES (?, ?, ?, ?)", rows)
    conn.close()


def detect(product: Product) -> tuple[list[dict[str, Any]], list[dict[str, Any]], float]:
    product.run("jobs", "run", "detect", "--full")
    seconds = product.last_seconds
    found = json.loads(product.run("campaigns", "list", "--json"))
    alerts = json.loads(product.run("alerts", "list", "--json"))
    return found, alerts, seconds


# -- the baseline ---------------------------------------------------------------------


def _database(database_url: str, instance_dir: Path) -> Any:
    """The store as the product opens it (settings, engine, sessions)."""
    from core.db import Database
    from core.settings import load_settings

    return Database(
        load_settings(
            environ={}, database_url=database_url, instance_dir=instance_dir, secret_key="eval"
        )
    )


def baseline(product: Product) -> list[set[Account]]:
    """The naive baseline on the store's own response vectors."""
    from sqlalchemy import select

    from core.models import Deployer, LogRecord
    from core.services.embeddings import load_vectors
    from jobs.grouping import current_model_id

    db = _database(product.database_url, product.folder / "instance")
    with db.session_scope() as session:
        rows = session.execute(
            select(
                Deployer.name,
                LogRecord.account_id,
                LogRecord.occurred_at,
                LogRecord.response_text_id,
            ).join(Deployer, Deployer.id == LogRecord.deployer_id)
        ).all()
        # The vectors the embed job stored, under the model id it recorded.
        text_ids, x = load_vectors(session, current_model_id(db), sorted({r[3] for r in rows}))
    db.dispose()
    text_group = near_duplicate_groups(x)
    at = {int(t): i for i, t in enumerate(text_ids)}
    keys = [(d, a) for d, a, _, _ in rows]
    names = {k: i for i, k in enumerate(dict.fromkeys(keys))}
    inverse = list(names)
    account = np.fromiter((names[k] for k in keys), np.int64, len(keys))
    group = np.fromiter((text_group[at[r[3]]] for r in rows), np.int64, len(rows))
    when = np.fromiter((r[2].timestamp() for r in rows), np.float64, len(rows))
    return [{inverse[i] for i in c.tolist()} for c in naive_campaigns(account, group, when)]


def rejected(product: Product, truth: dict[str, Any], limit: int) -> None:
    """What the detector saw and did not report: the largest communities that failed a
    test (from the detect job's saved state), who is in them and the failed tests. For
    working on the tuning stores; the figures to quote are the scores above."""
    from sqlalchemy import select

    from analytics.coordination import CoordinationDetector
    from core.models import Deployer
    from core.services import job_state
    from jobs.detection import STATE_JOB, detector_input

    db = _database(product.database_url, product.folder / "instance")
    with db.session_scope() as session:
        names = {i: n for i, n in session.execute(select(Deployer.id, Deployer.name))}
        state = job_state.load(session, STATE_JOB, secret_key="detection-eval")
    db.dispose()
    if state is None:
        print("  no detect state to read rejected communities from")
        return
    owner = {tuple(a): name for name, c in truth["campaigns"].items() for a in c["accounts"]} | {
        tuple(a): f"decoy:{name}" for name, accs in truth["decoys"].items() for a in accs
    }
    accounts = state["accounts"]
    # The state keeps the items and the window, not the fitted detector: refit it as
    # the job did (the eval runs the product with its default min_accounts).
    detector = CoordinationDetector(window=state["window"]).fit(detector_input(state["items"]))

    def line(c: dict[str, Any]) -> str:
        who: dict[str, int] = defaultdict(int)
        for code in c["accounts"]:
            key = (names.get(accounts.deployer[code], "reports"), accounts.account_id[code])
            who[owner.get(key, "organic")] += 1
        f = c["features"]
        return (
            f"    {len(c['accounts']):>4} accounts ({c['summary']['n_attached']} attached) "
            f"{dict(who)}; failed {c.get('failed', [])}; "
            + ", ".join(
                f"{k} {f[k]:.2f}"
                for k in (
                    "evidence",
                    "sources",
                    "repetition",
                    "focus",
                    "exclusivity",
                    "concentration",
                    "sync_excess",
                    "synchronised_share",
                    "density",
                )
            )
        )

    print(f"  reported communities ({len(detector.communities_)}):")
    for c in detector.communities_:
        print(line(c))
    shown = sorted(detector.rejected_, key=lambda c: -len(c["accounts"]))[:limit]
    print(f"  rejected communities (largest {len(shown)} of {len(detector.rejected_)}):")
    for c in shown:
        print(line(c))


# -- scoring --------------------------------------------------------------------------


def score(truth: dict[str, Any], flagged_sets: list[set[Account]]) -> dict[str, Any]:
    """Per shape and overall account precision and recall, found or not, decoys flagged."""
    planted = {name: {tuple(a) for a in c["accounts"]} for name, c in truth["campaigns"].items()}
    owner = {a: name for name, accs in planted.items() for a in accs}
    every = set(owner)
    flagged = set().union(*flagged_sets) if flagged_sets else set()
    per_shape = {}
    for name, accs in planted.items():
        hit = flagged & accs
        # Campaigns mostly made of this shape's accounts: their precision is this shape's.
        mine = [c for c in flagged_sets if len(c & accs) >= 0.5 * len(c)]
        members = set().union(*mine) if mine else set()
        found = any(
            len(c & accs) >= 0.5 * len(accs) and len(c & every) >= 0.5 * len(c)
            for c in flagged_sets
        )
        per_shape[name] = {
            "recall": len(hit) / len(accs),
            "precision": len(members & accs) / len(members) if members else None,
            "found": found,
        }
    decoys = {k: len(flagged & {tuple(a) for a in v}) for k, v in truth["decoys"].items()}
    tp = len(flagged & every)
    return {
        "shapes": per_shape,
        "decoys": decoys,
        "precision": tp / len(flagged) if flagged else 1.0,
        "recall": tp / len(every) if every else 1.0,
        "flagged": len(flagged),
        "organic_flagged": len(flagged - every),
        "campaigns": len(flagged_sets),
    }


def _campaign_sets(found: list[dict[str, Any]]) -> list[set[Account]]:
    return [{(a["deployer"], a["account_id"]) for a in c["accounts"]} for c in found]


def _pr(s: dict[str, Any]) -> str:
    p = "  -  " if s["precision"] is None else f"{s['precision']:.2f}"
    return f"{s['recall']:.2f}/{p} {'found' if s['found'] else '  -  '}"


def print_seed(seed: int, truth: dict[str, Any], det: dict[str, Any], base: dict[str, Any]) -> None:
    print(f"\nseed {seed}: {'shape':<24} {'required':>8}  detect R/P         baseline R/P")
    for name, c in truth["campaigns"].items():
        req = "yes" if c["required"] else "no"
        print(f"  {name:<30} {req:>8}  {_pr(det['shapes'][name]):<18} {_pr(base['shapes'][name])}")
    for kind in det["decoys"]:
        print(
            f"  decoy {kind:<24} accounts flagged: detect {det['decoys'][kind]}, "
            f"baseline {base['decoys'][kind]}"
        )
    for label, s in (("detect", det), ("baseline", base)):
        print(
            f"  {label:<9} overall account precision {s['precision']:.3f}, recall "
            f"{s['recall']:.3f}; {s['campaigns']} campaigns, {s['organic_flagged']} organic "
            "accounts flagged"
        )


def summarise(results: list[dict[str, Any]]) -> None:
    """Per shape over the seeds (mixed shapes differ per seed and are pooled)."""
    rows: dict[str, dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    for r in results:
        for name, c in r["truth"]["campaigns"].items():
            key = "mix (random, pooled)" if name.startswith("mix-") else name
            rows[key]["required"].append(c["required"])
            for label in ("detect", "baseline"):
                s = r[label]["shapes"][name]
                rows[key][f"{label}_found"].append(s["found"])
                rows[key][f"{label}_recall"].append(s["recall"])
                if s["precision"] is not None:
                    rows[key][f"{label}_precision"].append(s["precision"])
    seeds = ",".join(str(r["seed"]) for r in results)
    print(f"\nsummary over seeds {seeds}: found k/n, mean recall, mean precision")
    print(f"  {'shape':<30} {'detect':<26} baseline")
    for name, v in rows.items():
        cells = []
        for label in ("detect", "baseline"):
            found = v[f"{label}_found"]
            prec = v[f"{label}_precision"]
            cells.append(
                f"{sum(found)}/{len(found)} R {np.mean(v[f'{label}_recall']):.2f} "
                f"P {np.mean(prec) if prec else float('nan'):.2f}"
            )
        print(f"  {name:<30} {cells[0]:<26} {cells[1]}")
    for label in ("detect", "baseline"):
        p = [r[label]["precision"] for r in results]
        rc = [r[label]["recall"] for r in results]
        dec = defaultdict(int)
        for r in results:
            for k, v in r[label]["decoys"].items():
                dec[k] += v
        req = [
            r[label]["shapes"][n]["found"]
            for r in results
            for n, c in r["truth"]["campaigns"].items()
            if c["required"]
        ]
        # Recall over the accounts of the required shapes (the target), per
        # seed: the shapes with 1-2 posts per account are not required.
        req_rc = []
        for r in results:
            hit = total = 0.0
            for n, c in r["truth"]["campaigns"].items():
                if c["required"]:
                    k = len(c["accounts"])
                    hit += r[label]["shapes"][n]["recall"] * k
                    total += k
            req_rc.append(hit / max(total, 1))
        print(
            f"  {label}: account precision {np.mean(p):.3f} (min {min(p):.3f}), recall "
            f"{np.mean(rc):.3f} (min {min(rc):.3f}), over required shapes' accounts "
            f"{np.mean(req_rc):.3f} (min {min(req_rc):.3f}); required shapes found "
            f"{sum(req)}/{len(req)}; decoy accounts flagged {dict(dec)}"
        )


def alert_replay(product: Product, truth: dict[str, Any], step: float = 6 * 3600.0) -> dict:
    """The alerts the scheduled detect job would have raised over the store's life.

    The job alerts on the latest windows only, so one run at the end says nothing of
    the week. Its own alert code runs here on the items it reads, cut at every step
    (the job runs every 15 minutes; its windows are six hours), with its cap of new
    alerts per run; each alert is then classed by who posted its subject's items in
    its window: a planted campaign, a decoy, or organic traffic.
    """
    from sqlalchemy import select

    from analytics.anomaly import rank_alerts
    from core.models import Deployer
    from core.queries.detection import Accounts, cursor_now, read_items
    from jobs.detection import alerts_of

    db = _database(product.database_url, product.folder / "instance")
    with db.session_scope() as session:
        accounts = Accounts()
        items = read_items(session, accounts, cursor_now(session, None), None)
        names = dict(session.execute(select(Deployer.id, Deployer.name)).all())
    db.dispose()
    owner: dict[Account, str] = {}
    for name, c in truth["campaigns"].items():
        owner.update({tuple(a): f"campaign:{name}" for a in c["accounts"]})
    for kind, accs in truth["decoys"].items():
        owner.update({tuple(a): f"decoy:{kind}" for a in accs if tuple(a) not in owner})
    who = np.array(
        [
            owner.get((names.get(d), a), "organic")
            for d, a in zip(accounts.deployer, accounts.account_id, strict=True)
        ],
        dtype=object,
    )
    raised: dict[tuple[str, str, Any], dict[str, Any]] = {}
    start, end = float(items.time.min()) + 86400.0, float(items.time.max())
    for cut in np.arange(start, end + step, step):
        upto = items.take(np.flatnonzero(items.time <= cut))
        proposed = alerts_of(upto, accounts, db.settings.detect_contamination)
        fresh = [
            a
            for a in proposed
            if (a["subject_type"], a["subject_id"], a["window_start"]) not in raised
        ]
        for a in rank_alerts(fresh, db.settings.detect_max_alerts):
            raised[(a["subject_type"], a["subject_id"], a["window_start"])] = a
    classes: dict[str, int] = defaultdict(int)
    alerted: set[str] = set()
    keys = accounts.key_array()
    for a in raised.values():
        t0, t1 = a["window_start"].timestamp(), a["window_end"].timestamp()
        if a["subject_type"] == "account":
            rows = np.flatnonzero(keys[items.account] == a["subject_id"])
        else:
            rows = np.flatnonzero(
                (items.group == int(a["subject_id"])) & (items.time >= t0) & (items.time < t1)
            )
        kinds, counts = np.unique(who[items.account[rows]], return_counts=True)
        top = str(kinds[np.argmax(counts)]) if len(kinds) else "organic"
        classes[top.split(":")[0]] += 1
        if top.startswith("campaign:"):
            alerted.add(top)
    total = sum(classes.values())
    return {
        "alerts": total,
        "classes": dict(classes),
        "precision": classes["campaign"] / total if total else None,
        "campaigns_alerted": len(alerted),
        "campaigns": len(truth["campaigns"]),
    }


def alert_line(r: dict[str, Any]) -> str:
    p = "-" if r["precision"] is None else f"{r['precision']:.2f}"
    return (
        f"alerts over the store's life: {r['alerts']} ({dict(r['classes'])}); share on "
        f"planted campaigns {p}; campaigns with an alert {r['campaigns_alerted']}/"
        f"{r['campaigns']}"
    )


# -- main -----------------------------------------------------------------------------


def kept_or_built(
    folder: Path, args: argparse.Namespace, label: str, build: Callable[[], stores.Store]
) -> tuple[dict[str, Any], Product]:
    """The store's truth and the product over it: kept from an earlier run with
    ``--reuse`` (once embedded and grouped), else built now."""
    if args.reuse and (folder / "grouped").exists():
        print(f"{label}: reusing {folder}", flush=True)
        truth = json.loads((folder / "data" / "truth.json").read_text())
        product = Product(folder, (folder / "database_url").read_text())
        product.run("db", "upgrade")  # a store kept from an older version
        if args.regroup:
            # Placed by an older group job: place every text again, as this one does.
            product.run("jobs", "run", "group", "--full")
        return truth, product
    print(f"{label}: building", flush=True)
    store = build()
    return store.truth(), build_and_group(store, folder, args)


def run_seed(seed: int, args: argparse.Namespace) -> dict[str, Any]:
    folder = Path(args.work_dir) / f"seed-{seed}"
    truth, product = kept_or_built(folder, args, f"seed {seed}", lambda: stores.shape_store(seed))
    if args.build_only:
        return {}
    found, _, seconds = detect(product)
    if args.rejected:
        rejected(product, truth, args.rejected)
    det = score(truth, _campaign_sets(found))
    base = score(truth, baseline(product))
    print_seed(seed, truth, det, base)
    alerts = alert_replay(product, truth)
    print(f"  detect job {seconds:.1f} s; {alert_line(alerts)}")
    return {
        "seed": seed,
        "truth": truth,
        "detect": det,
        "baseline": base,
        "alerts": alerts,
        "campaigns": [
            {k: c[k] for k in ("id", "score", "explanation", "features", "accounts_count")}
            for c in found
        ],
    }


# Seeds below this were looked at before the detector's last change (the in-burst
# split and the loose-part refinement, tuned on seeds 0-4, 25, 27 and 28; seeds 29-30
# were first run after them, 31-32 and 33-36 after the core rule; 37-40 after the
# template test's relative cut, set on the demo and checked on seeds 29-32; 41-44
# and 45-48 after the burst test on members, set on seeds 37-40; 49-52 after the
# relative synchrony in the concentration test, set on seeds 45-48; 53-56 after the
# narratives, set on seeds 45-52; 57-60 after the community kept whole, set on the IRA
# tuning half; 61-64 after large narratives were left out, set on seeds 37-52 and the
# scale store; 65-68 on the same code; 69-74 after dropped accounts were tested
# together and followers listed, set on seeds 54, 55, 58-62 and 68; 75-79 after
# narratives within a burst, set on seeds 72 and 74; 80-84 after mutual neighbours
# within a burst and narrative followers twice or more, set on seeds 70-74, 76, 79;
# 85-89 after the word check of texts the model cannot read, set on seeds 70, 72, 74,
# 76, 79 and 81, and 90-94 on the same code; 95-99 after copied narratives counted,
# set on seeds 70-94 as seen; 100-104 after a fresh crowd's burst counted, set on
# seeds 95-97, and 105-109 on the same code; 110-114 after parts hanging on one link
# were tested alone, set on seed 100, and 115-119 on the same code).
FIRST_UNSEEN_SEED = 120
IRA_STATUS = {
    "held-out": "held out: figures to quote",
    "tune": "the tuning half: not held out",
    "all": "includes the tuning half: not held out",
}


def run_ira(seed: int, args: argparse.Namespace) -> None:
    half = args.ira_half
    folder = Path(args.work_dir) / (f"ira-{seed}" if half == "all" else f"ira-{seed}-{half}")
    truth, product = kept_or_built(
        folder,
        args,
        f"IRA store (organic seed {seed}, IRA accounts: {half}; {IRA_STATUS[half]})",
        lambda: stores.ira_store(seed, half=half),
    )
    if args.build_only:
        return
    found, _, seconds = detect(product)
    if args.rejected:
        rejected(product, truth, args.rejected)
    for label, flagged_sets in (
        ("detect", _campaign_sets(found)),
        ("baseline", baseline(product)),
    ):
        s = score(truth, flagged_sets)
        print(
            f"  IRA {label}: precision against organic accounts {s['precision']:.3f} "
            f"({s['organic_flagged']} organic of {s['flagged']} flagged), "
            f"{s['campaigns']} campaigns; decoys {s['decoys']}"
        )
        for name, c in sorted(s["shapes"].items()):
            n = len(truth["campaigns"][name]["accounts"])
            print(f"    {name:<20} {n:>4} accounts, recall {c['recall']:.3f}")
    print(f"  detect job {seconds:.1f} s")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--seeds",
        default=f"{FIRST_UNSEEN_SEED}-{FIRST_UNSEEN_SEED + 4}",
        help=f"e.g. {FIRST_UNSEEN_SEED}-{FIRST_UNSEEN_SEED + 4} (held out, default) or 0-4 "
        "(tuning)",
    )
    p.add_argument(
        "--work-dir", default=str(Path(os.environ.get("TMPDIR", "/tmp")) / "misuse-detection-eval")
    )
    p.add_argument("--reuse", action="store_true", help="only rerun detect on kept stores")
    p.add_argument(
        "--regroup",
        action="store_true",
        help="with --reuse: run a full group job on the kept stores first (for a store "
        "built before a change to grouping)",
    )
    p.add_argument(
        "--build-only",
        action="store_true",
        help="build, ingest, embed and group the stores, and stop there",
    )
    p.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    p.add_argument(
        "--postgres-admin-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    p.add_argument("--ira", action="store_true", help="also the IRA store")
    p.add_argument("--ira-only", action="store_true")
    p.add_argument("--ira-seed", type=int, default=10)
    p.add_argument(
        "--ira-half",
        choices=stores.IRA_HALVES,
        default="held-out",
        help="which IRA accounts: the half tuned on, the held-out half (default), or all",
    )
    p.add_argument(
        "--no-vector-cache",
        action="store_true",
        help="embed every store's texts, even those an earlier store embedded",
    )
    p.add_argument(
        "--rejected",
        type=int,
        default=0,
        metavar="N",
        help="also print the N largest communities the detector rejected, and who is in them",
    )
    p.add_argument("--json", help="write every figure to this file")
    args = p.parse_args()
    if not stores.DATA.exists():
        sys.exit(f"{stores.DATA} not found: this evaluation needs the real data sets")
    seeds = _seeds(args.seeds)
    if all(s >= FIRST_UNSEEN_SEED for s in seeds):
        status = "held out: figures to quote"
    elif any(s < 5 for s in seeds):
        status = "includes tuning seeds"
    else:
        seen = f"5-{FIRST_UNSEEN_SEED - 1}"
        status = f"includes seeds {seen}, seen before the last change: not held out"
    ran = "" if args.ira_only else f"; seeds {args.seeds} ({status})"
    print(f"CPU: {cpu_name()}; store: {args.database}{ran}")
    results = [] if args.ira_only else [run_seed(s, args) for s in seeds]
    results = [r for r in results if r]
    if results:
        summarise(results)
    if args.ira or args.ira_only:
        run_ira(args.ira_seed, args)
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    main()
