"""The group job at scale: full and incremental runs, end to end, at 100k and 1M texts.

Run from the repository root:

    .venv/bin/python benchmarks/group_scale.py [--sizes 100000,1000000]
        [--stores sqlite,postgresql] [--repeats 3] [--full-reruns N] [--cache-dir DIR]

For each size and store it builds a scratch store of that many distinct texts (with
their log records and vectors, as ingest and the embed job leave them), then times,
each in a fresh process as the scheduler runs it:

- the full group job (``misuse jobs run group --full``): a first run on the unplaced
  store, then ``--full-reruns`` reruns (default ``--repeats``; their median is the
  figure, the first run's time with none; a rerun must keep every group id, which is
  checked);
- on PostgreSQL, the store brought to the state autovacuum keeps a running one in
  (wait for autovacuum, or ``VACUUM ANALYZE`` where it is off);
- ``--repeats`` incremental runs, each after 10,000 new texts (with their records and
  vectors) arrive;
- the grouping estimator alone (``NearDuplicateGrouper.fit`` on the same vectors, the
  figure the README used to quote), as the baseline of the ratio, in the same run.

Every run prints its phases (read, link, lexical, cluster, project, write, stats),
its peak RSS and its ratio to the estimator-only time.

The texts. 100k: distinct tweets of the IRA troll file in ../shared/data
(ira-troll-tweets; both derived files, ~131k distinct texts after the platform's PII
masking and normalisation), in the order they were first posted, embedded for real
with the configured backend; every tweet is a log record (its author the account).
The vectors are cached in ``--cache-dir`` (keyed by the texts and the model id), so a
rerun does not embed again; without the cache everything is built from scratch.

1M: the same real texts and vectors, replicated. Replica r applies one random
rotation of the 384-d space to every real vector and one letter substitution
(a Caesar shift) to every real text. A rotation keeps every cosine between two
vectors of one replica, and a letter bijection keeps every shingle containment
between two texts of one replica, so each replica has exactly the near-duplicate
groups and lexical links of the real data, while two replicas share neither (rotated
vectors are nearly orthogonal to the originals, shifted shingles are other shingles).
Topics are replicated too, so the store has ~8x the topics. Records follow their
real tweet, with the accounts renamed per replica.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import json
import math
import os
import statistics
import subprocess
import sys
import time
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.machine import cpu_name  # noqa: E402

# ../shared beside the repository (a worktree sits one level deeper).
IRA_DIR = next(
    (
        d / "shared" / "data" / "ira-troll-tweets"
        for d in (ROOT.parent, ROOT.parent.parent)
        if (d / "shared" / "data" / "ira-troll-tweets").is_dir()
    ),
    ROOT.parent / "shared" / "data" / "ira-troll-tweets",
)
IRA_FILES = ("ira_tweets_en_2016-10_2016-11.csv.gz", "ira_fearmonger_2015-11_2015-12.csv.gz")
NEW_TEXTS = 10_000


# -- the real texts ----------------------------------------------------------------


@dataclass
class RealTexts:
    """Distinct masked texts of the IRA tweets, in order of first posting."""

    texts: list[str]
    hashes: list[str]
    category: list[str]  # account category of the first author (a topic label)
    # Records: text index, author, seconds since the epoch (UTC).
    rec_text: np.ndarray
    rec_author: list[str]
    rec_time: np.ndarray


def read_ira(limit: int | None = None) -> RealTexts:
    """The IRA tweets as ingest stores them: PII masked, one text per content hash."""
    from ingest.signals import content_hash, mask_pii

    rows: list[tuple[str, str, str, str]] = []
    for name in IRA_FILES:
        path = IRA_DIR / name
        if not path.exists():
            raise SystemExit(f"{path} not found: the benchmark needs the shared IRA data set")
        with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                if row["content"] and row["content"].strip():
                    rows.append(
                        (
                            row["publish_date"],
                            row["author_id"],
                            row["content"],
                            row["account_category"],
                        )
                    )
    rows.sort(key=lambda r: (r[0], r[1]))
    slot: dict[str, int] = {}
    texts: list[str] = []
    hashes: list[str] = []
    category: list[str] = []
    rec_text: list[int] = []
    rec_author: list[str] = []
    rec_time: list[float] = []
    masked_of: dict[str, str] = {}
    for when, author, content, cat in rows:
        masked = masked_of.get(content)
        if masked is None:
            masked = masked_of[content] = mask_pii(content)[0]
        digest = content_hash(masked)
        i = slot.get(digest)
        if i is None:
            if limit is not None and len(texts) >= limit:
                continue
            i = slot[digest] = len(texts)
            texts.append(masked)
            hashes.append(digest)
            category.append(cat)
        rec_text.append(i)
        rec_author.append(author)
        rec_time.append(
            datetime.strptime(when, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC).timestamp()
        )
    return RealTexts(
        texts,
        hashes,
        category,
        np.asarray(rec_text, dtype=np.int64),
        rec_author,
        np.asarray(rec_time, dtype=np.float64),
    )


def embedded(real: RealTexts, cache_dir: Path) -> tuple[np.ndarray, str]:
    """Vectors of the real texts and their model id, from the cache when it has them."""
    from analytics.embedding import SentenceEmbedder
    from core.settings import Settings

    backend = Settings.embed_backend
    cache_dir.mkdir(parents=True, exist_ok=True)
    embedder = SentenceEmbedder(backend=backend, cache_dir=str(cache_dir / "models")).fit()
    key = hashlib.sha256("\n".join([embedder.model_id_, *real.hashes]).encode()).hexdigest()
    path = cache_dir / f"ira-{len(real.texts)}-{key[:16]}.npy"
    if path.exists():
        print(f"  vectors from the cache {path}", flush=True)
        return np.load(path), embedder.model_id_
    started = time.perf_counter()
    parts = []
    step = 8192
    for start in range(0, len(real.texts), step):
        parts.append(np.asarray(embedder.transform(real.texts[start : start + step]), np.float32))
        done = min(start + step, len(real.texts))
        rate = done / (time.perf_counter() - started)
        print(f"  embedded {done:,}/{len(real.texts):,} ({rate:.0f} texts/s)", flush=True)
    vectors = np.concatenate(parts)
    tmp = path.with_suffix(".tmp.npy")
    np.save(tmp, vectors)
    os.replace(tmp, path)
    return vectors, embedder.model_id_


# -- the stores ----------------------------------------------------------------------


@dataclass
class Corpus:
    """Texts (store first, then the new ones), their vectors and records, ready to write."""

    texts: list[str]
    vectors: np.ndarray
    category: np.ndarray  # topic label of each text (the real account category)
    replica: np.ndarray  # 0 for a real text
    rec_text: np.ndarray  # position of each record's text in ``texts``
    rec_account: list[str]
    rec_time: np.ndarray


def caesar(text: str, shift: int) -> str:
    """Every ASCII letter moved ``shift`` places along the alphabet (a bijection on texts)."""
    if shift % 26 == 0:
        return text
    lower = "abcdefghijklmnopqrstuvwxyz"
    upper = lower.upper()
    k = shift % 26
    return text.translate(
        str.maketrans(lower + upper, lower[k:] + lower[:k] + upper[k:] + upper[:k])
    )


def corpus(real: RealTexts, V: np.ndarray, total: int, seed: int = 0) -> Corpus:
    """``total`` distinct texts: the real ones in posting order when there are enough,
    else replicas interleaved (text k is replica ``k % R`` of real text ``k // R``)."""
    n_real = len(real.texts)
    replicas = max(1, -(-total // n_real))
    k = np.arange(total)
    source, replica = (
        (k, np.zeros(total, np.int64)) if replicas == 1 else (k // replicas, k % replicas)
    )
    rng = np.random.default_rng(seed)
    rotations = [np.eye(V.shape[1], dtype=np.float32)]
    for _ in range(1, replicas):
        q, r = np.linalg.qr(rng.standard_normal((V.shape[1], V.shape[1])))
        rotations.append((q * np.sign(np.diag(r))).astype(np.float32))
    vectors = np.empty((total, V.shape[1]), dtype=np.float32)
    for r in range(replicas):
        rows = np.flatnonzero(replica == r)
        vectors[rows] = V[source[rows]] @ rotations[r]
    texts = []
    for s_i, r in zip(source.tolist(), replica.tolist(), strict=True):
        t = caesar(real.texts[s_i], 3 * r)
        # A text without ASCII letters would repeat itself in every replica.
        texts.append(t if r == 0 or t != real.texts[s_i] else f"{t} ~{r}")
    # Records: those of the source tweet, accounts renamed per replica.
    order = np.argsort(real.rec_text, kind="stable")
    rec_sorted = real.rec_text[order]
    starts = np.searchsorted(rec_sorted, np.arange(n_real + 1))
    counts = np.diff(starts)[source]
    rec_pos = np.repeat(k, counts)
    first = np.repeat(starts[source] - np.concatenate([[0], np.cumsum(counts)[:-1]]), counts)
    rec_idx = order[first + np.arange(int(counts.sum()))]
    rec_rep = replica[rec_pos]
    authors = [real.rec_author[i] for i in rec_idx.tolist()]
    accounts = [a if r == 0 else f"{a}~{r}" for a, r in zip(authors, rec_rep.tolist(), strict=True)]
    return Corpus(
        texts,
        vectors,
        np.asarray(real.category, dtype=object)[source],
        replica,
        rec_pos,
        accounts,
        real.rec_time[rec_idx],
    )


def write_texts(engine: Any, c: Corpus, lo: int, hi: int, model_id: str, next_ids: dict) -> None:
    """Texts ``lo:hi`` of the corpus with their vectors, records and a few reports,
    as ingest and the embed job leave them (ids continue from ``next_ids``)."""
    from benchmarks.detect_scale import (
        DEPLOYERS,
        LOG_COLUMNS,
        REPORT_COLUMNS,
        TEXT_COLUMNS,
        _copy,
        _fix_sequences,
        _stamp,
        write_deployers,
    )
    from ingest.signals import content_hash

    d = engine.dialect.name
    now = _stamp(np.array([time.time()]), d)[0]
    if lo == 0:
        write_deployers(engine, now)
    step = 50_000
    for start in range(lo, hi, step):
        end = min(start + step, hi)
        ids = np.arange(start, end) + 1  # text id = corpus position + 1
        bodies = c.texts[start:end]
        _copy(
            engine,
            "text_blob",
            TEXT_COLUMNS,
            [
                (i, content_hash(b), b, 0.0, "[]", "[]", "{}", now)
                for i, b in zip(ids.tolist(), bodies, strict=True)
            ],
        )
        _copy(
            engine,
            "embedding",
            ["text_id", "model_id", "dim", "vector", "created_at"],
            [
                (i, model_id, c.vectors.shape[1], c.vectors[p].tobytes(), now)
                for i, p in zip(ids.tolist(), range(start, end), strict=True)
            ],
        )
    recs = np.flatnonzero((c.rec_text >= lo) & (c.rec_text < hi))
    stamps = _stamp(c.rec_time[recs], d)
    first_log = next_ids["log"]
    rows = []
    for n, (r, s) in enumerate(zip(recs.tolist(), stamps, strict=True)):
        account = c.rec_account[r]
        rows.append(
            (
                first_log + n,
                1 + zlib_crc(account) % len(DEPLOYERS),
                f"t-{first_log + n:09d}",
                s,
                s,
                "chat-large:2.1",
                account,
                int(c.rec_text[r]) + 1,
                "[]",
                "{}",
                "{}",
                "cli",
            )
        )
    for start in range(0, len(rows), 100_000):
        _copy(
            engine,
            "log_record",
            LOG_COLUMNS,
            rows[start : start + 100_000],
        )
    next_ids["log"] = first_log + len(rows)
    # One public report per 200 texts, at the time of the text's first record.
    reported = np.arange(lo, hi, 200)
    first_rec = np.searchsorted(c.rec_text, reported)
    stamps = _stamp(c.rec_time[first_rec], d)
    first_report = next_ids["report"]
    _copy(
        engine,
        "report",
        REPORT_COLUMNS,
        [
            (
                first_report + n,
                f"{first_report + n:064x}",
                "received",
                "user",
                False,
                "disinformation",
                "web",
                int(t) + 1,
                "Looks coordinated.",
                "[]",
                True,
                s,
                s,
            )
            for n, (t, s) in enumerate(zip(reported.tolist(), stamps, strict=True))
        ],
    )
    next_ids["report"] = first_report + len(reported)
    _fix_sequences(engine, ["deployer", "text_blob", "log_record", "report"])


def zlib_crc(value: str) -> int:
    return zlib.crc32(value.encode())


# -- timing ----------------------------------------------------------------------------


def child(mode: str, url: str, instance_dir: str) -> None:
    """One group run as the scheduler runs it: under the job's lease, recorded, in a
    process that has imported the job's libraries already. Prints one JSON line."""
    import faiss  # noqa: F401
    import sklearn.cluster  # noqa: F401

    from analytics import clustering, keywords, lexical, neighbors  # noqa: F401
    from core.db import Database
    from core.settings import load_settings
    from jobs.grouping import current_model_id, peak_rss_mb, run_group
    from jobs.locking import held
    from jobs.runs import recorded_run

    settings = load_settings(
        environ={}, database_url=url, instance_dir=Path(instance_dir), secret_key="benchmark"
    )
    db = Database(settings)
    model_id = current_model_id(db)
    rss0 = peak_rss_mb()
    started, cpu_started = time.perf_counter(), time.process_time()
    with held(db, "job:group"), recorded_run(db, "group") as rec:
        run_group(db, rec, model_id=model_id, full=True if mode == "full" else None)
    seconds = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    db.dispose()
    rss = peak_rss_mb()
    _log_result(
        {
            "mode": mode,
            "url": url,
            "seconds": seconds,
            "cpu_seconds": cpu,
            "rss_mb": rss,
            "stats": rec.stats,
            "params": rec.params,
        }
    )
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_seconds": cpu,
                "rss_mb": rss,
                "rss_before_mb": rss0,
                "params": rec.params,
                "stats": rec.stats,
            }
        )
    )


def estimator_child(url: str) -> None:
    """``NearDuplicateGrouper.fit`` alone, configured as the job configures it, on the
    store's vectors (read first, untimed)."""
    from core.db import Database
    from core.services.embeddings import load_vectors
    from core.settings import load_settings
    from jobs.grouping import _grouper, current_model_id, peak_rss_mb

    settings = load_settings(environ={}, database_url=url, secret_key="benchmark")
    db = Database(settings)
    with db.session_scope() as session:
        _, X = load_vectors(session, current_model_id(db))
    db.dispose()
    rss0 = peak_rss_mb()
    started, cpu_started = time.perf_counter(), time.process_time()
    _grouper(settings).fit(X)
    seconds = time.perf_counter() - started
    rss = peak_rss_mb()
    _log_result(
        {
            "mode": "estimator",
            "url": url,
            "seconds": seconds,
            "cpu_seconds": time.process_time() - cpu_started,
            "rss_mb": rss,
        }
    )
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_seconds": time.process_time() - cpu_started,
                "rss_mb": rss,
                "rss_before_mb": rss0,
            }
        )
    )


def _log_result(result: dict[str, Any]) -> None:
    """Every timed run, also appended as a JSON line to a file in the temp directory
    (``GROUP_SCALE_RESULTS`` to choose another): the figures of a long run survive
    its output."""
    import tempfile

    path = os.environ.get(
        "GROUP_SCALE_RESULTS", str(Path(tempfile.gettempdir()) / "group-scale-runs.jsonl")
    )
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(json.dumps({"at": datetime.now(UTC).isoformat(), **result}, default=str) + "\n")


def _run_child(*args: str) -> dict[str, Any]:
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *args],
        cwd=ROOT,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise RuntimeError(f"child {args[:2]} failed:\n{out.stderr[-4000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _placement_snapshot(engine: Any) -> dict[str, np.ndarray]:
    from sqlalchemy import text

    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT text_id, group_id, coalesce(cluster_id, -1) FROM text_placement "
                "ORDER BY text_id"
            )
        ).all()
    arr = np.asarray(rows, dtype=np.int64).reshape(-1, 3)
    return {"text": arr[:, 0], "group": arr[:, 1], "cluster": arr[:, 2]}


def _phases(stats: dict[str, Any]) -> str:
    from jobs.grouping import PHASES

    seconds = stats.get("seconds", {})
    cpu = stats.get("cpu_seconds", {})
    peak = stats.get("peak_rss_mb", {})
    return (
        " ".join(f"{p} {seconds.get(p, 0.0):.1f}" for p in PHASES)
        + " (s); CPU: "
        + " ".join(f"{p} {cpu.get(p, 0.0):.1f}" for p in PHASES)
    ) + (
        " (s); peak MB by then: " + " ".join(f"{p} {peak.get(p, 0)}" for p in PHASES)
        if peak
        else ""
    )


def _median(xs: list[float]) -> float:
    return float(statistics.median(xs))


def bench_store(kind: str, size: int, c: Corpus, model_id: str, args: Any) -> dict[str, Any]:
    """Build one store, time the full and incremental runs and the estimator."""
    from benchmarks.detect_scale import Store, settle

    print(f"\n== {size:,} distinct texts on {kind} ==", flush=True)
    store = Store.create(kind, f"group{size}", args.postgres_admin_url)
    try:
        started = time.perf_counter()
        next_ids = {"log": 1, "report": 1}
        write_texts(store.engine, c, 0, size, model_id, next_ids)
        with store.engine.begin() as conn:
            from sqlalchemy import text

            # The model id the embed job would have recorded for these vectors.
            conn.execute(
                text(
                    "INSERT INTO job_run (job, status, started_at, finished_at, items_processed, "
                    "params, stats) VALUES ('embed', 'ok', :n, :n, 0, :p, '{}')"
                ),
                {
                    "n": datetime.now(UTC).isoformat(" ")
                    if kind == "sqlite"
                    else datetime.now(UTC),
                    "p": json.dumps(
                        {"model_id": model_id, "backend": model_id.split("/")[-1].split("-")[0]}
                    ),
                },
            )
        records = next_ids["log"] - 1
        print(
            f"  store: {size:,} texts, {records:,} log records, {next_ids['report'] - 1:,} "
            f"reports, written in {time.perf_counter() - started:.0f} s",
            flush=True,
        )
        first = _run_child(
            "--child", "full", "--database-url", store.url, "--instance-dir", store.instance_dir
        )
        print(
            f"  first full run (nothing placed yet): {first['seconds']:.1f} s "
            f"(CPU {first.get('cpu_seconds', 0):.0f} s), peak RSS "
            f"{first['rss_mb']:.0f} MB\n    phases: {_phases(first['stats'])}\n    "
            f"{first['stats']['groups']:,} groups ({first['stats']['multi_text_groups']:,} with "
            f"several texts), {first['stats']['clusters']:,} topic clusters, noise "
            f"{first['stats']['noise'] / size:.1%}, lexical links "
            f"{first['stats']['lexical_links']:,}",
            flush=True,
        )
        before = _placement_snapshot(store.engine)
        fulls = []
        reruns = args.repeats if args.full_reruns is None else args.full_reruns
        for _ in range(reruns):
            r = _run_child(
                "--child", "full", "--database-url", store.url, "--instance-dir", store.instance_dir
            )
            after = _placement_snapshot(store.engine)
            same_groups = float(np.mean(after["group"] == before["group"]))
            same_clusters = float(np.mean(after["cluster"] == before["cluster"]))
            r["same_groups"], r["same_clusters"] = same_groups, same_clusters
            fulls.append(r)
            print(
                f"  full rerun: {r['seconds']:.1f} s (CPU {r.get('cpu_seconds', 0):.0f} s), "
                f"peak RSS {r['rss_mb']:.0f} MB; group ids "
                f"kept {r['stats']['group_ids_kept']:,}/{r['stats']['groups']:,}, texts with the "
                f"same group id {same_groups:.4%}, same cluster id {same_clusters:.2%}\n"
                f"    phases: {_phases(r['stats'])}",
                flush=True,
            )
            before = after
        estimator = [
            _run_child("--estimator-child", "--database-url", store.url)
            for _ in range(args.estimator_repeats)
        ]
        est = _median([e["seconds"] for e in estimator])
        # Without reruns the first full run is the figure (it placed every text).
        full = _median([r["seconds"] for r in fulls or [first]])
        rss_full = max(r["rss_mb"] for r in [first, *fulls])
        print(
            f"  estimator alone (NearDuplicateGrouper.fit on the same vectors): median {est:.1f} s "
            f"({', '.join(format(e['seconds'], '.1f') for e in estimator)}), peak RSS "
            f"{max(e['rss_mb'] for e in estimator):.0f} MB",
            flush=True,
        )
        incs = []
        settle(store.engine)
        for b in range(args.repeats):
            lo = size + b * NEW_TEXTS
            write_texts(store.engine, c, lo, lo + NEW_TEXTS, model_id, next_ids)
            r = _run_child(
                "--child", "auto", "--database-url", store.url, "--instance-dir", store.instance_dir
            )
            assert r["params"]["mode"] == "incremental", r["params"]
            incs.append(r)
            print(
                f"  +{NEW_TEXTS:,} texts: incremental run {r['seconds']:.1f} s "
                f"(CPU {r.get('cpu_seconds', 0):.0f} s), peak RSS "
                f"{r['rss_mb']:.0f} MB, {r['stats']['new_groups']:,} new groups, stats for "
                f"{r['stats'].get('stats_scope')} groups\n    phases: {_phases(r['stats'])}",
                flush=True,
            )
        inc = _median([r["seconds"] for r in incs])
        print(
            f"  full run median {full:.1f} s = {full / est:.2f}x the estimator alone "
            f"({est:.1f} s); incremental median {inc:.1f} s = {inc / est:.2f}x; peak RSS full "
            f"{rss_full:.0f} MB, incremental "
            f"{max(r['rss_mb'] for r in incs):.0f} MB",
            flush=True,
        )
        return {
            "full": full,
            "incremental": inc,
            "estimator": est,
            "rss_full": rss_full,
            "rss_incremental": max(r["rss_mb"] for r in incs),
            "same_groups": min((r["same_groups"] for r in fulls), default=float("nan")),
        }
    finally:
        store.drop()


# -- quality -------------------------------------------------------------------------


def bench_quality(c: Corpus, jbb_vectors: bool = True) -> None:
    """Near-duplicate precision/recall on the labelled sets of embed_group.py (the
    platform's links), and topic quality of the clusterer before (HDBSCAN over all
    pairs, ``graph="complete"``) and after (the kNN graph) on the same labelled sets."""
    from sklearn.metrics import adjusted_rand_score, normalized_mutual_info_score

    from analytics.clustering import TopicClusterer
    from analytics.embedding import SentenceEmbedder
    from benchmarks import embed_group as eg
    from core.settings import Settings, load_settings

    print("\n== Quality on labelled sets ==", flush=True)
    embedder = SentenceEmbedder(backend=Settings.embed_backend).fit()
    jbb_csv = IRA_DIR.parent / "jailbreakbench-artifacts" / "jbb_artifacts_flat.csv"
    if jbb_csv.exists():  # found beside a worktree too, where embed_group's path misses
        eg.JBB_CSV = jbb_csv
    sets = {"generated families": eg.generated_families()}
    for seed in range(4):
        sets[f"hard negatives, seed {seed}"] = eg.hard_negative_families(seed=seed)
    jbb = eg.load_jbb()
    if jbb is not None:
        sets["JailbreakBench prompts"] = (jbb[0], jbb[1])
    from analytics.lexical import ShingleLinker
    from analytics.neighbors import union_labels
    from jobs.grouping import _grouper

    settings = load_settings(environ={}, secret_key="benchmark")
    for name, (texts, labels) in sets.items():
        V = embedder.transform(texts)
        p, r, f = eg.pair_scores(labels, eg.platform_groups(texts, V))
        # The links as the job configures them (its index), on the same vectors.
        job_groups = union_labels(
            len(texts),
            _grouper(settings).fit(V).pairs_,
            ShingleLinker(threshold=settings.group_lexical_containment).fit(texts).pairs_,
        )
        jp, jr, _ = eg.pair_scores(labels, job_groups)
        print(
            f"  near-duplicates, {name}: precision {p:.3f} recall {r:.3f} F1 {f:.3f} "
            f"(the job's index: precision {jp:.3f} recall {jr:.3f})",
            flush=True,
        )
    topic_sets = {
        "IRA tweets (100k, account category)": (c.vectors[:100_000], c.category[:100_000])
    }
    if jbb is not None:
        topic_sets["JailbreakBench prompts (harm category)"] = (
            embedder.transform(jbb[0]),
            np.asarray(jbb[2]),
        )
    for name, (V, labels) in topic_sets.items():
        for graph in ("complete", "knn"):
            size = 10 if len(V) < 5000 else 15
            started = time.perf_counter()
            topics = TopicClusterer(min_cluster_size=size, graph=graph).fit(V)
            seconds = time.perf_counter() - started
            inside = topics.labels_ >= 0
            clustered = adjusted_rand_score(labels[inside], topics.labels_[inside])
            print(
                f"  topics, {name}, graph={graph!r}: {topics.n_clusters_} clusters, noise "
                f"{1 - inside.mean():.1%}, ARI {adjusted_rand_score(labels, topics.labels_):.3f} "
                f"(clustered only {clustered:.3f}), "
                f"NMI {normalized_mutual_info_score(labels, topics.labels_):.3f}; "
                f"{seconds:.1f} s",
                flush=True,
            )


def bench_link_recall(V: np.ndarray, k: int = 11, threshold: float = 0.91) -> None:
    """Share of the exact search's near-duplicate links (cosine >= threshold among the
    k nearest) that the job's inverted-file index and the estimator's default HNSW
    graph find, with their times, on the same real vectors."""
    import faiss

    from analytics.neighbors import NearDuplicateGrouper, normalize_rows

    print(f"\n== Link recall on {len(V):,} real vectors (cosine >= {threshold}) ==", flush=True)
    V = normalize_rows(V)

    def links(scores: np.ndarray, ids: np.ndarray) -> set[int]:
        src = np.repeat(np.arange(len(V)), ids.shape[1])
        dst, sc = ids.ravel(), scores.ravel()
        keep = (dst >= 0) & (dst != src) & (sc >= threshold)
        lo, hi = np.minimum(src[keep], dst[keep]), np.maximum(src[keep], dst[keep])
        return set((lo * len(V) + hi).tolist())

    started = time.perf_counter()
    exact = faiss.IndexFlatIP(V.shape[1])
    exact.add(V)
    truth = links(*exact.search(V, k))
    print(f"  exact search: {time.perf_counter() - started:.1f} s, {len(truth):,} links")
    for index in ("ivf", "hnsw"):
        started = time.perf_counter()
        grouper = NearDuplicateGrouper(threshold=threshold, k=k - 1, index=index).fit(V)
        found = links(*grouper.fitted_neighbors())
        print(
            f"  index={index!r}: {time.perf_counter() - started:.1f} s, finds "
            f"{len(found & truth) / max(len(truth), 1):.4%} of them",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--sizes", default="100000,1000000")
    parser.add_argument("--stores", default="sqlite,postgresql")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--estimator-repeats", type=int, default=3)
    parser.add_argument(
        "--full-reruns",
        type=int,
        help="full reruns after the first full run (default: --repeats; 0 times the "
        "first run only, for a quicker look at the incremental runs)",
    )
    parser.add_argument("--cache-dir", default=str(Path.home() / ".cache" / "misuse-watch-bench"))
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument(
        "--link-recall",
        action="store_true",
        help="also compare the links of the job's index and HNSW with an exact search "
        "on 100k real vectors (several minutes)",
    )
    parser.add_argument(
        "--postgres-admin-url",
        default=os.environ.get(
            "MISUSE_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
        ),
    )
    parser.add_argument("--child", choices=["full", "auto"])
    parser.add_argument("--estimator-child", action="store_true")
    parser.add_argument("--database-url")
    parser.add_argument("--instance-dir")
    args = parser.parse_args()
    if args.child:
        child(args.child, args.database_url, args.instance_dir)
        return
    if args.estimator_child:
        estimator_child(args.database_url)
        return
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    sizes = [int(x) for x in args.sizes.split(",")]
    stores = args.stores.split(",")
    print(f"group job at scale on {cpu_name()} (shared: figures are medians)", flush=True)
    started = time.perf_counter()
    real = read_ira()
    print(
        f"IRA tweets: {len(real.texts):,} distinct texts, {len(real.rec_text):,} tweets "
        f"({time.perf_counter() - started:.0f} s)",
        flush=True,
    )
    V, model_id = embedded(real, Path(args.cache_dir))
    results = {}
    for size in sizes:
        total = size + args.repeats * NEW_TEXTS
        c = corpus(real, V, total)
        how = "real" if c.replica.max() == 0 else f"{c.replica.max() + 1} replicas of the real"
        print(f"\ncorpus of {total:,} texts: {how} texts and vectors", flush=True)
        if size == sizes[0] and not args.skip_quality:
            bench_quality(c)
        if size == sizes[0] and args.link_recall:
            bench_link_recall(c.vectors[:100_000])
        for kind in stores:
            results[(kind, size)] = bench_store(kind, size, c, model_id, args)
        del c
    print("\n== Summary (medians) ==")
    for (kind, size), r in results.items():
        target = 60 if size <= 100_000 else 600
        print(
            f"  {kind:10s} {size:>9,}: full {r['full']:6.1f} s (target < {target} s: "
            f"{'met' if r['full'] < target else 'MISSED'}), {r['full'] / r['estimator']:.2f}x the "
            f"estimator ({r['estimator']:.1f} s); incremental after {NEW_TEXTS:,} new "
            f"{r['incremental']:5.1f} s"
            + (
                f" (target < 30 s: {'met' if r['incremental'] < 30 else 'MISSED'})"
                if size >= 1_000_000
                else ""
            )
            + f"; peak RSS full {r['rss_full'] / 1024:.2f} GB"
            + (
                f" (target < 4 GB: {'met' if r['rss_full'] < 4096 else 'MISSED'})"
                if size >= 1_000_000
                else ""
            )
            + f", incremental {r['rss_incremental'] / 1024:.2f} GB; "
            + (
                f"rerun keeps {r['same_groups']:.4%} of texts' group ids"
                if not math.isnan(r["same_groups"])
                else "no full rerun timed, group ids not checked"
            )
        )


if __name__ == "__main__":
    main()
