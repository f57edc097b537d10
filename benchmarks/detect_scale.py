"""The detect job at scale: 1,000,000 stored log records, then 10,000 more.

Run through ``python benchmarks/campaigns.py --scale`` (see there). Vectors are not
computed: the detect job never reads them, only the near-duplicate groups, narratives
and topic clusters the group job leaves behind, so this writes those directly, as a
full group run and then an incremental one would leave them, and skips the embedding
model. Every organic text is in a narrative (its subject and tone) shared by thousands
of accounts, some of whom come back to it: topics, which the detector reads and then
leaves out (a narrative of more than 60 accounts is no unit); each campaign's three
templates are one narrative, which it counts.

The traffic follows demo/scenario.py at a larger scale: a week with a daily rhythm,
tens of thousands of accounts with heavy-tailed activity at three deployers, 45% of
records with a text of their own and the rest in near-duplicate groups of Zipf-like
popularity (refusals, greetings: the largest holds about 3% of all records), topic
clusters with a quarter of the groups unclustered, viral decoys (over a thousand
unrelated accounts on one topic over days), heavy users repeating themselves all week,
public reports, and 20 planted campaigns of 15 to 150 accounts posting near-duplicates
in bursts at two or three deployers. Each batch of new records continues the same
traffic for the next 100 minutes, with a planted campaign bursting again (and, in the
first batch, a new one starting). The group job runs behind ingest: texts that only
the last records of a batch use are placed with the next batch, so incremental runs
also pick up older records whose texts were placed late.
"""

from __future__ import annotations

import hashlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import Engine, text

from benchmarks.machine import cpu_name

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from demo import scenario  # noqa: E402

DAY = 86400.0
START = datetime(2026, 11, 9, tzinfo=UTC).timestamp()
DEPLOYERS = ("acme-ai", "nimbus-labs", "orbit-chat")
# The scenario's vocabulary and campaign messages, with more subjects for the larger
# traffic.
SUBJECTS = [
    *scenario.SUBJECTS,
    *("a wedding speech", "a cover letter", "sourdough bread", "a birthday party"),
    *("my thesis", "a used car"),
]
TONES = scenario.TONES
# Narrative ids (as the group job names them, any number): the organic takes on one
# subject in one tone are one narrative (1..), so are a popular group's variants with
# the others of its subject and tone, and each campaign's three templates.
_POPULAR_NARRATIVES = 10_000
_CAMPAIGN_NARRATIVES = 20_000
CAMPAIGN_TEMPLATES = [m for messages in scenario.CAMPAIGN_MESSAGES.values() for m in messages]
PLACES = scenario.PLACES
# Planted in the week; one more starts with the first batch of new records.
WEEK_CAMPAIGNS = 20
EDITS = ("", " #truth", " #wakeup", " #share", " RT!", " 👇", " PLEASE READ", " !!")


def daily_times(rng: np.random.Generator, n: int, start: float, seconds: float) -> np.ndarray:
    """Times with the scenario's daily rhythm (busier in the afternoon and evening),
    drawn by rejection in bulk."""
    out: list[np.ndarray] = [np.zeros(0)]
    need = n
    while need > 0:
        t = rng.uniform(0, seconds, 2 * need + 16)
        hour = ((start + t) % DAY) / 3600
        t = t[rng.random(len(t)) < scenario.daily_rhythm(hour)][:need]
        out.append(start + t)
        need -= len(t)
    return np.concatenate(out)


class _Ids:
    """Next ids of texts and groups, shared by the first batch and the new records."""

    def __init__(self) -> None:
        self.text = 0
        self.group = 0
        self.log = 0
        self.report = 0

    def take(self, kind: str, n: int) -> np.ndarray:
        first = getattr(self, kind) + 1
        setattr(self, kind, first - 1 + n)
        return np.arange(first, first + n, dtype=np.int64)


class Generator:
    """Builds the week of traffic, then the records that arrive after it."""

    def __init__(self, records: int, seed: int = 7, days: float = 7.0) -> None:
        self.rng = np.random.default_rng(seed)
        self.records = records
        self.days = days
        self.ids = _Ids()
        rng = self.rng
        self.n_accounts = max(records // 40, 500)
        self.account_deployer = rng.integers(0, len(DEPLOYERS), self.n_accounts)
        w = rng.pareto(1.5, self.n_accounts) + 1.0
        self.account_p = w / w.sum()
        self.n_clusters = max(records // 3000, 20)
        self.n_popular = max(records // 25, 100)
        # Popular groups: Zipf-like popularity, a few variant texts each.
        ranks = np.arange(1, self.n_popular + 1, dtype=float)
        p = ranks**-0.9
        self.popular_p = p / p.sum()
        self.popular_group = self.ids.take("group", self.n_popular)
        self.popular_cluster = self._clusters(self.n_popular)
        self.popular_subject = rng.integers(0, len(SUBJECTS), self.n_popular)
        self.popular_tone = rng.integers(0, len(TONES), self.n_popular)
        self.popular_texts: dict[int, list[int]] = {}
        self.campaign_members: list[list[tuple[int, str]]] = []
        self.campaign_texts: dict[tuple[int, int], np.ndarray] = {}
        self._reset_batch()

    def _clusters(self, n: int) -> np.ndarray:
        c = self.rng.integers(1, self.n_clusters + 1, n)
        c[self.rng.random(n) < 0.25] = -1  # noise: no topic cluster
        return c

    def _reset_batch(self) -> None:
        self.b_log: list[tuple[np.ndarray, list[str | None], np.ndarray, np.ndarray]] = []
        self.b_text: list[
            tuple[np.ndarray, np.ndarray, np.ndarray, list[str], np.ndarray, np.ndarray]
        ] = []

    def _texts(
        self,
        groups: np.ndarray,
        clusters: np.ndarray,
        bodies: list[str],
        narratives: np.ndarray | None = None,
    ) -> np.ndarray:
        """``narratives``: -1 (or None) for a text whose narrative is its group alone."""
        ids = self.ids.take("text", len(bodies))
        off = self.rng.beta(0.5, 12.0, len(bodies))
        if narratives is None:
            narratives = np.full(len(bodies), -1, dtype=np.int64)
        self.b_text.append((ids, groups, clusters, bodies, off, narratives))
        return ids

    def _logs(
        self, deployer: np.ndarray, account: list[str | None], t: np.ndarray, text_id: np.ndarray
    ) -> None:
        self.b_log.append((deployer, account, t, text_id))

    def _popular_text(self, g: int, n_new: int) -> np.ndarray:
        """Texts of popular group index g for n_new records: a few variants, most
        records repeating one of them exactly."""
        have = self.popular_texts.setdefault(g, [])
        want = max(1, round((len(have) ** 2 + n_new) ** 0.5))
        if want > len(have):
            s, tone = SUBJECTS[self.popular_subject[g]], TONES[self.popular_tone[g]]
            bodies = [
                f"I'm sorry, but I can't help with {s} in a {tone} way. "
                f"Here is what I can do instead (topic {g}, variant {len(have) + k})."
                for k in range(want - len(have))
            ]
            n = len(bodies)
            have.extend(
                self._texts(
                    np.full(n, self.popular_group[g]),
                    np.full(n, self.popular_cluster[g]),
                    bodies,
                    np.full(
                        n,
                        _POPULAR_NARRATIVES
                        + self.popular_subject[g] * len(TONES)
                        + self.popular_tone[g],
                    ),
                ).tolist()
            )
        return np.asarray(have)[self.rng.integers(0, len(have), n_new)]

    def organic(self, n: int, start: float, seconds: float) -> None:
        rng = self.rng
        acc = rng.choice(self.n_accounts, n, p=self.account_p)
        t = daily_times(rng, n, start, seconds)
        unique = rng.random(n) < 0.45
        text = np.zeros(n, dtype=np.int64)
        nu = int(unique.sum())
        groups = self.ids.take("group", nu)
        subj = rng.integers(0, len(SUBJECTS), nu)
        tone = rng.integers(0, len(TONES), nu)
        # The next text ids: unique notes keep the texts distinct.
        note = self.ids.text + 1 + np.arange(nu)
        bodies = [
            f"Here is a {TONES[b]} take on {SUBJECTS[a]} (note {c}): people mention the "
            f"timing, the cost and the staff; views on {SUBJECTS[a]} differ week to week."
            for a, b, c in zip(subj.tolist(), tone.tolist(), note.tolist(), strict=True)
        ]
        # A take on one subject in one tone is one narrative, whoever writes it.
        text[unique] = self._texts(groups, self._clusters(nu), bodies, 1 + subj * len(TONES) + tone)
        popular = np.flatnonzero(~unique)
        pg = rng.choice(self.n_popular, len(popular), p=self.popular_p)
        order = np.argsort(pg, kind="stable")
        bounds = np.flatnonzero(np.diff(pg[order])) + 1
        for chunk in np.split(order, bounds):
            if len(chunk):
                text[popular[chunk]] = self._popular_text(int(pg[chunk[0]]), len(chunk))
        # One record in a hundred has no account id.
        accounts: list[str | None] = [f"user-{a:06d}" for a in acc.tolist()]
        for i in np.flatnonzero(rng.random(n) < 0.01).tolist():
            accounts[i] = None
        self._logs(self.account_deployer[acc], accounts, t, text)

    def viral(self, n_topics: int, accounts_each: int, start: float, seconds: float) -> None:
        """Organic virality: many unrelated accounts, one topic, spread over days."""
        rng = self.rng
        for v in range(n_topics):
            acc = rng.choice(self.n_accounts, accounts_each, replace=False)
            t = daily_times(rng, accounts_each, start, seconds)
            g = self.ids.take("group", 1)[0]
            place = PLACES[v % len(PLACES)]
            base = scenario.VIRAL_TOPIC.format(place=place)
            bodies = [base + e for e in EDITS]
            tid = self._texts(
                np.full(len(bodies), g), self._clusters(1).repeat(len(bodies)), bodies
            )
            self._logs(
                self.account_deployer[acc],
                [f"user-{a:06d}" for a in acc.tolist()],
                t,
                tid[rng.integers(0, len(tid), accounts_each)],
            )

    def heavy_users(self, users: int, posts: int, start: float, seconds: float) -> None:
        """Single accounts repeating near-identical requests all week."""
        rng = self.rng
        for u in range(users):
            g = self.ids.take("group", 1)[0]
            bodies = [
                f"Stand-up summary {u}: yesterday I finished the report, today I review pull "
                f"requests, no blockers. Ticket {k}."
                for k in range(100, 140)
            ]
            tid = self._texts(
                np.full(len(bodies), g), self._clusters(1).repeat(len(bodies)), bodies
            )
            dep = u % len(DEPLOYERS)
            self._logs(
                np.full(posts, dep),
                [f"power-user-{u:04d}"] * posts,
                daily_times(rng, posts, start, seconds),
                tid[rng.integers(0, len(tid), posts)],
            )

    def campaign(self, c: int, size: int, bursts: int, start: float, seconds: float) -> None:
        """Tens of accounts at two or three deployers posting edits of a few
        templates, in bursts of 50 minutes."""
        rng = self.rng
        if c >= len(self.campaign_members):
            spread = 2 + c % 2
            self.campaign_members.append(
                [(i % spread, f"camp-{c:02d}-{i:03d}") for i in range(size)]
            )
            groups = self.ids.take("group", 3).tolist()
            cluster = self._clusters(1)[0]
            place = PLACES[c % len(PLACES)]
            for k, g in enumerate(groups):
                template = CAMPAIGN_TEMPLATES[(c + k) % len(CAMPAIGN_TEMPLATES)]
                link = f" https://t.example/{c}{k}"
                bodies = [template.format(place=place) + link + e for e in EDITS]
                tid = self._texts(
                    np.full(len(bodies), g),
                    np.full(len(bodies), cluster),
                    bodies,
                    np.full(len(bodies), _CAMPAIGN_NARRATIVES + c),
                )
                self.campaign_texts[(c, k)] = tid
        members = self.campaign_members[c]
        for _ in range(bursts):
            texts = self.campaign_texts[(c, int(rng.integers(0, 3)))]
            t0 = daily_times(rng, 1, start, max(seconds - 3600, 1))[0]
            per = rng.integers(1, 4, len(members))
            dep = np.repeat([d for d, _ in members], per)
            acc = [a for (_, a), n in zip(members, per.tolist(), strict=True) for _ in range(n)]
            n = len(acc)
            self._logs(
                dep, acc, t0 + rng.uniform(0, 3000, n), texts[rng.integers(0, len(texts), n)]
            )

    def batch(self) -> dict[str, Any]:
        """The records and texts generated since the last call, ids assigned."""
        dep = np.concatenate([d for d, _, _, _ in self.b_log])
        acc = [a for _, accs, _, _ in self.b_log for a in accs]
        t = np.concatenate([x for _, _, x, _ in self.b_log])
        tid = np.concatenate([x for _, _, _, x in self.b_log])
        order = np.argsort(t, kind="stable")
        out = {
            "log_id": self.ids.take("log", len(t)),
            "log_deployer": dep[order],
            "log_account": [acc[i] for i in order.tolist()],
            "log_time": t[order],
            "log_text": tid[order],
            "text_id": np.concatenate([x[0] for x in self.b_text]),
            "text_group": np.concatenate([x[1] for x in self.b_text]),
            "text_cluster": np.concatenate([x[2] for x in self.b_text]),
            "text_narrative": np.concatenate([x[5] for x in self.b_text]),
            "text_body": [b for x in self.b_text for b in x[3]],
            "text_offensive": np.concatenate([x[4] for x in self.b_text]),
        }
        self._reset_batch()
        return out

    def reports(self, n: int, start: float, seconds: float, text_ids: np.ndarray) -> dict:
        """Public reports (no key: each is its own source) about stored texts, a few
        of them about campaign texts."""
        pick = self.rng.choice(text_ids, n)
        if self.campaign_texts:
            campaign_texts = np.concatenate(list(self.campaign_texts.values()))
            some = self.rng.random(n) < 0.05
            pick[some] = self.rng.choice(campaign_texts, int(some.sum()))
        return {
            "report_id": self.ids.take("report", n),
            "report_text": pick,
            "report_time": daily_times(self.rng, n, start, seconds),
        }


def build(
    records: int, new_records: int, batches: int, seed: int = 7, campaigns: bool = True
) -> tuple[Generator, dict, dict, list[dict]]:
    """The generator (for its planted campaigns), the week's records (``records``
    within 0.5%), its reports, and ``batches`` batches of about ``new_records`` each,
    every one the next 100 minutes of traffic. ``campaigns=False``: organic traffic,
    virality and heavy users only, for counting false campaigns and alerts."""
    g = Generator(records, seed)
    week = g.days * DAY
    campaign_sizes = [150, 120, 90] + [15 + (7 * i) % 45 for i in range(WEEK_CAMPAIGNS - 3)]
    if not campaigns:
        campaign_sizes = []
    for c, size in enumerate(campaign_sizes):
        g.campaign(c, size, 3 + c % 4, START, week)
    heavy_posts = max(records // 700, 50)
    g.heavy_users(20, heavy_posts, START, week)
    g.viral(5, min(max(records // 700, 50), g.n_accounts // 2), START, week)
    planted = sum(len(x[3]) for x in g.b_log)
    g.organic(max(records - planted, 0), START, week)
    first = g.batch()
    reports = g.reports(max(records // 500, 10), START, week, first["text_id"])
    new = []
    for k in range(batches):
        # A planted campaign bursts again in each batch; in the first one a new
        # campaign of 20 accounts starts with three bursts.
        later = START + week + k * 6000
        if campaign_sizes:
            g.campaign(k % len(campaign_sizes), 0, 1, later, 6000)
        if k == 0 and campaign_sizes:
            g.campaign(len(campaign_sizes), 20, 3, later, 6000)
        planted = sum(len(x[3]) for x in g.b_log)
        g.organic(max(new_records - planted, 0), later, 6000)
        new.append(g.batch())
    return g, first, reports, new


def planted_accounts(g: Generator, started: int) -> list[set[tuple[str, str]]]:
    """Members of the first ``started`` planted campaigns."""
    return [{(DEPLOYERS[d], a) for d, a in members} for members in g.campaign_members[:started]]


# -- writing ---------------------------------------------------------------------------


def _stamp(seconds: np.ndarray, dialect: str) -> list[str]:
    """Times as the store's own text form of UTC timestamps (SQLAlchemy's SQLite
    format; an ISO string with an offset for PostgreSQL)."""
    iso = np.datetime_as_string((seconds * 1e6).astype("datetime64[us]"), unit="us")
    if dialect == "sqlite":
        return np.char.replace(iso, "T", " ").tolist()
    return [s + "+00:00" for s in iso.tolist()]


# Columns of the rows written straight into the store (also benchmarks/group_scale.py).
TEXT_COLUMNS = [
    "id",
    "content_hash",
    "masked_text",
    "offensive_prob",
    "pii_kinds",
    "injection_markers",
    "provenance",
    "created_at",
]
LOG_COLUMNS = [
    "id",
    "deployer_id",
    "external_id",
    "occurred_at",
    "received_at",
    "model",
    "account_id",
    "response_text_id",
    "messages",
    "metadata",
    "moderation_flags",
    "source",
]
REPORT_COLUMNS = [
    "id",
    "receipt_hash",
    "status",
    "reporter_type",
    "trusted_flagger",
    "category",
    "source",
    "output_text_id",
    "explanation",
    "pii_kinds",
    "accuracy_confirmed",
    "created_at",
    "updated_at",
]


def write_deployers(engine: Engine, now: str) -> None:
    """The deployers of ``DEPLOYERS``, ids from 1."""
    with engine.begin() as conn:
        for i, name in enumerate(DEPLOYERS, start=1):
            conn.execute(
                text(
                    "INSERT INTO deployer (id, name, retention_days, status, created_at) "
                    "VALUES (:i, :n, 3650, 'active', :c)"
                ),
                {"i": i, "n": name, "c": now},
            )


def _copy(engine: Engine, table: str, columns: list[str], rows: list[tuple]) -> None:
    """Bulk rows: COPY on PostgreSQL, one executemany on SQLite."""
    raw = engine.raw_connection()
    try:
        cur = raw.cursor()
        if engine.dialect.name == "postgresql":
            with cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:  # type: ignore[attr-defined]
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("?" * len(columns))
            cur.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)
        raw.commit()
    finally:
        raw.close()


def _fix_sequences(engine: Engine, tables: list[str]) -> None:
    if engine.dialect.name != "postgresql":
        return
    with engine.begin() as conn:
        for t in tables:
            conn.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{t}', 'id'), "
                    f"(SELECT coalesce(max(id), 1) FROM {t}))"
                )
            )


def write(
    engine: Engine,
    batch: dict,
    *,
    first: bool,
    group_run: int,
    reports: dict | None,
    late: list[tuple] | None = None,
    unplaced: int = 0,
) -> list[tuple]:
    """Write one batch as ingest and the group job would leave it, except that the
    texts only the last ``unplaced`` records use are left for the next group run (the
    group job runs behind ingest); they are returned, to be passed as ``late`` with
    the next batch."""
    d = engine.dialect.name
    now = _stamp(np.array([time.time()]), d)[0]
    if first:
        write_deployers(engine, now)
        n_clusters = int(batch["text_cluster"].max())
        _copy(
            engine,
            "topic_cluster",
            [
                "id",
                "keywords",
                "text_count",
                "report_count",
                "log_count",
                "created_at",
                "updated_at",
            ],
            [
                (
                    c,
                    json.dumps([SUBJECTS[c % len(SUBJECTS)].split()[-1], TONES[c % 8]]),
                    0,
                    0,
                    0,
                    now,
                    now,
                )
                for c in range(1, n_clusters + 1)
            ],
        )
    groups = np.unique(batch["text_group"])
    with engine.connect() as conn:
        known = set(conn.execute(text("SELECT id FROM near_dup_group")).scalars())
    _copy(
        engine,
        "near_dup_group",
        [
            "id",
            "text_count",
            "report_count",
            "log_count",
            "deployer_count",
            "account_count",
            "created_at",
            "updated_at",
        ],
        [(int(gid), 0, 0, 0, 0, 0, now, now) for gid in groups.tolist() if gid not in known],
    )
    bodies = batch["text_body"]
    _copy(
        engine,
        "text_blob",
        TEXT_COLUMNS,
        [
            (i, hashlib.sha256(b.encode()).hexdigest(), b, o, "[]", "[]", "{}", now)
            for i, b, o in zip(
                batch["text_id"].tolist(), bodies, batch["text_offensive"].tolist(), strict=True
            )
        ],
    )
    texts = batch["log_text"]
    cut = len(texts) - unplaced
    waiting = set(np.setdiff1d(texts[cut:], texts[:cut]).tolist())
    placements = [
        (i, g, c if c > 0 else None, 0.0, 0.0, n if n >= 0 else None)
        for i, g, c, n in zip(
            batch["text_id"].tolist(),
            batch["text_group"].tolist(),
            batch["text_cluster"].tolist(),
            batch["text_narrative"].tolist(),
            strict=True,
        )
    ]
    _copy(
        engine,
        "text_placement",
        ["text_id", "group_id", "cluster_id", "x", "y", "narrative_id", "run_id"],
        [(*p, group_run) for p in placements + (late or []) if p[0] not in waiting],
    )
    stamps = _stamp(batch["log_time"], d)
    _copy(
        engine,
        "log_record",
        LOG_COLUMNS,
        [
            (i, dep + 1, f"r-{i:09d}", s, s, "chat-large:2.1", acc, tid, "[]", "{}", "{}", "cli")
            for i, dep, s, acc, tid in zip(
                batch["log_id"].tolist(),
                batch["log_deployer"].tolist(),
                stamps,
                batch["log_account"],
                batch["log_text"].tolist(),
                strict=True,
            )
        ],
    )
    if reports is not None:
        stamps = _stamp(reports["report_time"], d)
        _copy(
            engine,
            "report",
            REPORT_COLUMNS,
            [
                (
                    i,
                    f"{i:064x}",
                    "received",
                    "user",
                    False,
                    "disinformation",
                    "web",
                    t,
                    "Looks coordinated.",
                    "[]",
                    True,
                    s,
                    s,
                )
                for i, t, s in zip(
                    reports["report_id"].tolist(),
                    reports["report_text"].tolist(),
                    stamps,
                    strict=True,
                )
            ],
        )
    _fix_sequences(
        engine, ["deployer", "topic_cluster", "near_dup_group", "text_blob", "log_record", "report"]
    )
    return [p for p in placements if p[0] in waiting]


def group_run(engine: Engine, mode: str) -> int:
    """The job_run row a group run would have left, for the placements' run_id."""
    d = engine.dialect.name
    now = _stamp(np.array([time.time()]), d)[0]
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO job_run (job, status, started_at, finished_at, items_processed, "
                "params, stats) VALUES ('group', 'ok', :n, :n, 0, :p, '{}')"
            ),
            {"n": now, "p": json.dumps({"mode": mode})},
        )
        return int(conn.execute(text("SELECT max(id) FROM job_run")).scalar_one())


# -- timing ----------------------------------------------------------------------------


def child(mode: str, url: str, instance_dir: str) -> None:
    """One detect run as the scheduler runs it: under the job's lease, recorded, in a
    process that has imported the job's libraries already (a scheduler has, after its
    first run). Prints one JSON line."""
    import pyod.models.ecod  # the alerts' detector: 3-5 s to import
    import sknetwork.clustering  # noqa: F401  # the community step's Louvain

    from analytics import anomaly, coordination, keywords, stable_ids  # noqa: F401

    # A scheduler after its first run has also compiled ECOD's numba kernels (2 s of
    # the first run only): compile them here, on a few rows.
    pyod.models.ecod.ECOD().fit(np.random.default_rng(0).random((20, 3)))
    from core.db import Database
    from core.settings import load_settings
    from jobs.detection import run_detect
    from jobs.locking import held
    from jobs.runs import recorded_run

    settings = load_settings(
        environ={}, database_url=url, instance_dir=Path(instance_dir), secret_key="benchmark"
    )
    db = Database(settings)
    started = time.perf_counter()
    with held(db, "job:detect"), recorded_run(db, "detect") as rec:
        run_detect(db, rec, full=True if mode == "full" else None)
    seconds = time.perf_counter() - started
    db.dispose()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"seconds": seconds, "rss_mb": rss, "params": rec.params, "stats": rec.stats}))


def _timed_child(mode: str, url: str, instance_dir: str) -> dict[str, Any]:
    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "benchmarks" / "campaigns.py"),
            "--detect-child",
            mode,
            "--database-url",
            url,
            "--instance-dir",
            instance_dir,
        ],
        cwd=ROOT,
        env={**os.environ, "HF_HUB_OFFLINE": "1"},
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _cold_cli(url: str, instance_dir: str) -> dict[str, Any]:
    """``misuse jobs run detect`` as an operator types it: a fresh process."""
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "MISUSE_DATABASE_URL": url,
        "MISUSE_INSTANCE_DIR": instance_dir,
        "MISUSE_SECRET_KEY": "benchmark",
    }
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "cli", "jobs", "run", "detect"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    assert proc.stdout is not None
    output = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise RuntimeError(f"misuse jobs run detect failed: {output}")
    # "detect: ok, 10,000 items in 4.2 s {...}": the job's own time, imports included.
    job = float(output.split(" items in ")[1].split(" s")[0])
    return {
        "wall": time.perf_counter() - started,
        "job": job,
        "rss_mb": usage.ru_maxrss / 1024,
        "output": output.strip(),
    }


def _median(xs: list[float]) -> float:
    return float(np.median(xs))


@dataclass
class Store:
    """A scratch database: a SQLite file, or a PostgreSQL database dropped afterwards."""

    url: str
    instance_dir: str
    engine: Engine
    admin_url: str | None = None

    @classmethod
    def create(cls, kind: str, name: str, admin_url: str) -> Store:
        from sqlalchemy.engine import make_url

        from core.db import make_engine
        from core.migrate import upgrade

        instance_dir = tempfile.mkdtemp(prefix=f"misuse-{name}-")
        if kind == "sqlite":
            url = f"sqlite:///{instance_dir}/misuse.db"
            admin = None
        else:
            db_name = f"misuse_bench_{name}_{os.getpid()}"
            with make_engine(admin_url, isolation_level="AUTOCOMMIT").connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)'))
                conn.execute(text(f'CREATE DATABASE "{db_name}"'))
            url = make_url(admin_url).set(database=db_name).render_as_string(hide_password=False)
            admin = admin_url
        engine = make_engine(url)
        upgrade(engine)
        return cls(url, instance_dir, engine, admin)

    def drop(self) -> None:
        from sqlalchemy.engine import make_url

        from core.db import make_engine

        self.engine.dispose()
        if self.admin_url:
            name = make_url(self.url).database
            with make_engine(self.admin_url, isolation_level="AUTOCOMMIT").connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        subprocess.run(["rm", "-rf", self.instance_dir], check=False)


def settle(engine: Any, limit: float = 900.0) -> None:
    """Bring a PostgreSQL store to the state autovacuum keeps a running one in, before
    the incremental runs are timed; say what that took.

    A bulk load, or a full group run replacing a million placements and ten
    million neighbour rows, is vacuumed and analysed within minutes on a server
    with autovacuum (PostgreSQL's default), before the scheduler's next run: wait
    for it, at most ``limit`` seconds. With autovacuum off (as on this project's test
    server) nothing ever analyses them, and the timed runs' queries were planned
    from no statistics (the group job's unplaced-vector read and statistics took 5-8
    s each of server time, the detect job's deletion check 0.44 s against 0.18):
    run the ``VACUUM ANALYZE`` autovacuum would have. Batches of 10,000 new rows
    stay under autovacuum's thresholds (10-20% of a table) and are left as they are.
    """
    if engine.dialect.name != "postgresql":
        return
    started = time.perf_counter()
    with engine.connect() as conn:
        conn = conn.execution_options(isolation_level="AUTOCOMMIT")
        if conn.exec_driver_sql("SHOW autovacuum").scalar_one() != "on":
            conn.exec_driver_sql("VACUUM ANALYZE")
            print(
                f"  autovacuum is off on this server: VACUUM ANALYZE, as autovacuum would "
                f"have run, took {time.perf_counter() - started:.0f} s",
                flush=True,
            )
            return
    seen: set[str] = set()
    busy: list[str] = []
    while time.perf_counter() - started < limit:
        with engine.connect() as conn:
            busy = list(
                conn.execute(
                    text(
                        "SELECT query FROM pg_stat_activity WHERE backend_type = "
                        "'autovacuum worker' AND datname = current_database()"
                    )
                ).scalars()
            )
        if not busy:
            break
        seen.update(busy)
        time.sleep(2.0)
    if seen:
        print(
            f"  waited {time.perf_counter() - started:.0f} s for autovacuum "
            f"({'; '.join(sorted(seen))})" + (", and stopped waiting" if busy else ""),
            flush=True,
        )


def _load(
    store: Store, records: int, new_records: int, batches: int, campaigns: bool = True
) -> tuple[Any, list, list]:
    started = time.perf_counter()
    g, first, reports, new = build(records, new_records, batches, campaigns=campaigns)
    generated = time.perf_counter() - started
    late = write(
        store.engine,
        first,
        first=True,
        group_run=group_run(store.engine, "full"),
        reports=reports,
        unplaced=1000,
    )
    # A store written in a minute, where one that grew over days has been vacuumed
    # and analysed (the batches of new records stay as they arrive).
    settle(store.engine)
    print(
        f"  {len(first['log_id']):,} log records, {len(first['text_id']):,} distinct texts, "
        f"{len(np.unique(first['text_group'])):,} near-duplicate groups, "
        f"{len(set(first['log_account'])):,} accounts at {len(DEPLOYERS)} deployers, "
        f"{len(reports['report_id']):,} reports, "
        f"{WEEK_CAMPAIGNS if campaigns else 0} planted campaigns; "
        f"generated in {generated:.0f} s, written in "
        f"{time.perf_counter() - started - generated:.0f} s",
        flush=True,
    )
    return g, new, late


def _quality(store: Store, g: Generator, started: int) -> str:
    from core.db import Database
    from core.services.detection import list_campaigns
    from core.settings import load_settings

    db = Database(
        load_settings(
            environ={},
            database_url=store.url,
            instance_dir=Path(store.instance_dir),
            secret_key="benchmark",
        )
    )
    with db.session_scope() as session:
        found = list_campaigns(session, with_items=False)
    db.dispose()
    flagged = [{(a["deployer"], a["account_id"]) for a in c["accounts"]} for c in found]
    planted = planted_accounts(g, started)
    if not planted:
        sizes = sorted((len(f) for f in flagged), reverse=True)
        return f"{len(found)} campaigns on a store with none planted (sizes {sizes[:10]})"
    truth = set().union(*planted)
    hits = set().union(*flagged) & truth if flagged else set()
    every = set().union(*flagged) if flagged else set()
    caught = sum(1 for p in planted if any(len(p & f) >= 0.5 * len(p) for f in flagged))
    return (
        f"{len(found)} campaigns; planted found {caught}/{len(planted)}; account precision "
        f"{len(hits) / max(len(every), 1):.3f}, recall {len(hits) / len(truth):.3f}"
    )


def run_organic(args: Any) -> None:
    """One first full run over a store with no planted campaign: the campaigns it
    reports are all false, and the alerts it raises are what an analyst would face on
    the first day (the cap is ``MISUSE_DETECT_MAX_ALERTS``, 50)."""
    kind = "postgresql" if args.store == "postgresql" else "sqlite"
    print(
        f"first full detect run on {kind}, {cpu_name()}, {args.records:,} records, nothing planted"
    )
    store = Store.create(kind, f"organic{args.records}", args.postgres_admin_url)
    try:
        g, _, _ = _load(store, args.records, args.new_records, 0, campaigns=False)
        r = _timed_child("full", store.url, store.instance_dir)
        print(
            f"  full run {r['seconds']:.1f} s, peak RSS {r['rss_mb']:.0f} MB; alerts raised "
            f"{r['stats']['new_alerts']}, {r['params']['alerts_over_cap']} more proposed "
            f"and left unraised by the cap; {_quality(store, g, 0)}",
            flush=True,
        )
    finally:
        store.drop()


def run(args: Any) -> None:
    """Full runs on the baseline store and the large one (median of 3 each), then
    incremental runs after each batch of new records (median of 3), then one more
    batch through a cold ``misuse jobs run detect``."""
    kind = "postgresql" if args.store == "postgresql" else "sqlite"
    print(
        f"detect at scale on {kind}, {cpu_name()} (shared with other work: "
        "expect noise, figures are medians)",
        flush=True,
    )
    stores: list[Store] = []
    try:
        results: dict[int, float] = {}
        for size in (args.baseline_records, args.records):
            print(f"\n== {size:,} records ==", flush=True)
            store = Store.create(kind, f"{size}", args.postgres_admin_url)
            stores.append(store)
            g, new, late = _load(store, size, args.new_records, 4 if size == args.records else 0)
            runs = [_timed_child("full", store.url, store.instance_dir) for _ in range(3)]
            results[size] = _median([r["seconds"] for r in runs])
            print(
                f"  full run: median {results[size]:.1f} s "
                f"({', '.join(format(r['seconds'], '.1f') for r in runs)}), peak RSS "
                f"{max(r['rss_mb'] for r in runs):.0f} MB, window "
                f"{runs[-1]['params']['window_resolved']:.0f} s, "
                f"{runs[-1]['stats']['items']:,} items, alerts raised "
                f"{runs[-1]['stats']['new_alerts']} (+{runs[-1]['params']['alerts_over_cap']} "
                "over the cap)",
                flush=True,
            )
            print(f"  found: {_quality(store, g, WEEK_CAMPAIGNS)}", flush=True)
            if size != args.records:
                store.drop()
                stores.remove(store)
                continue
            incremental = []
            for k, batch in enumerate(new):
                late = write(
                    store.engine,
                    batch,
                    first=False,
                    group_run=group_run(store.engine, "incremental"),
                    reports=None,
                    late=late,
                    unplaced=200,
                )
                if k < 3:
                    r = _timed_child("auto", store.url, store.instance_dir)
                    assert r["params"]["mode"] == "incremental", r["params"]
                    incremental.append(r)
                    print(
                        f"  +{len(batch['log_id']):,} records: incremental run "
                        f"{r['seconds']:.2f} s, {r['stats']['new_items']:,} new items "
                        f"(with late-placed ones), peak RSS {r['rss_mb']:.0f} MB",
                        flush=True,
                    )
                else:
                    cold = _cold_cli(store.url, store.instance_dir)
                    print(
                        f"  +{len(batch['log_id']):,} records, `misuse jobs run detect` "
                        f"in a fresh process: {cold['wall']:.1f} s wall, job "
                        f"{cold['job']:.1f} s (imports of pyod/scikit-learn included), "
                        f"peak RSS {cold['rss_mb']:.0f} MB\n    {cold['output'][:200]}",
                        flush=True,
                    )
            inc = _median([r["seconds"] for r in incremental])
            print(
                f"  found after the new records: {_quality(store, g, WEEK_CAMPAIGNS + 1)}",
                flush=True,
            )
        big, small = results[args.records], results[args.baseline_records]
        print(
            f"\nfull run: {big:.1f} s on {args.records:,} records vs {small:.1f} s on "
            f"{args.baseline_records:,} (baseline, same run): {big / small:.1f}x the time "
            f"for {args.records / args.baseline_records:.0f}x the records; target < 120 s: "
            f"{'met' if big < 120 else 'MISSED'}"
        )
        print(
            f"incremental run after {args.new_records:,} new records: median {inc:.2f} s "
            f"= {inc / big:.2f}x the full run; target < 10 s: {'met' if inc < 10 else 'MISSED'}"
        )
    finally:
        for store in stores:
            store.drop()
