"""The group job's set-based statistics, incremental runs and kept index, on both stores.

Vectors here are synthetic (families of near-duplicates around a few topics) and
written straight into the embedding table, so no model is loaded.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
import pytest
from sqlalchemy import select

from core.models import (
    Embedding,
    JobRun,
    LogRecord,
    NearDupGroup,
    Report,
    TextBlob,
    TextPlacement,
    TopicCluster,
)
from core.services import clients
from core.services import grouping as grouping_service
from core.services.grouping import PlacementRow, refresh_stats, write_placements
from jobs.grouping import _IndexCache, run_group
from jobs.runs import recorded_run

MODEL = "synthetic-test@1"
T0 = datetime(2026, 11, 20, tzinfo=UTC)


def _unit(a: np.ndarray) -> np.ndarray:
    return (a / np.linalg.norm(a, axis=1, keepdims=True)).astype(np.float32)


class Corpus:
    """Families of near-duplicate texts (and vectors) around a few topics."""

    def __init__(self, seed: int = 0, dim: int = 32) -> None:
        self.rng = np.random.default_rng(seed)
        self.dim = dim
        self.topics = _unit(self.rng.standard_normal((4, dim)))
        self.families: list[np.ndarray] = []
        self.n = 0

    def family(self, size: int, topic: int | None = None) -> tuple[list[str], np.ndarray, int]:
        f = len(self.families)
        t = int(self.rng.integers(0, 4)) if topic is None else topic
        centre = _unit(0.7 * self.topics[t] + 0.7 * _unit(self.rng.standard_normal((1, self.dim))))
        self.families.append(centre)
        return self.members(f, size), self.vectors(f, size), f

    def members(self, f: int, size: int) -> list[str]:
        words = " ".join(f"w{f}x{k}" for k in range(12))
        out = []
        for _ in range(size):
            self.n += 1
            out.append(f"Message of family {f}: {words}. Copy number {self.n}.")
        return out

    def vectors(self, f: int, size: int) -> np.ndarray:
        noise = _unit(self.rng.standard_normal((size, self.dim)))
        return _unit(self.families[f] + 0.08 * noise)


def _deployer(session: Any) -> int:
    d = session.execute(select(clients.Deployer)).scalars().first()
    if d is None:
        d, _ = clients.create_deployer(
            session, "acme", retention_days=90, secret_key="k", actor="t"
        )
    return int(d.id)


def _add(db: Any, texts: list[str], vectors: np.ndarray, *, start: int = 0) -> list[int]:
    """Texts with their vectors, two or three log records each, and a report per fifth text."""
    with db.session_scope() as s:
        deployer = _deployer(s)
        ids = []
        for i, (body, vec) in enumerate(zip(texts, vectors, strict=True)):
            blob = TextBlob(content_hash=f"h{start + i:08d}{body[:20]}", masked_text=body)
            s.add(blob)
            s.flush()
            ids.append(blob.id)
            s.add(Embedding(text_id=blob.id, model_id=MODEL, dim=len(vec), vector=vec.tobytes()))
            for r in range(2 + i % 2):
                s.add(
                    LogRecord(
                        deployer_id=deployer,
                        external_id=f"x{start + i}-{r}",
                        occurred_at=T0 + timedelta(minutes=start + i + 7 * r),
                        # Every seventh record has no account id: its own account.
                        account_id=None if (start + i + r) % 7 == 0 else f"acct-{(i + r) % 5}",
                        response_text_id=blob.id,
                    )
                )
            if i % 5 == 0:
                s.add(
                    Report(
                        receipt_hash=f"{start + i:064x}",
                        reporter_type="user",
                        category="disinformation",
                        source="web",
                        output_text_id=blob.id,
                        explanation="x",
                        accuracy_confirmed=True,
                        created_at=T0 - timedelta(hours=1 + i),
                    )
                )
        s.commit()
        return ids


def _run(db: Any, full: bool | None = None) -> Any:
    with recorded_run(db, "group") as rec:
        run_group(db, rec, model_id=MODEL, full=full)
    return rec


def _stats(db: Any) -> dict[str, dict[int, tuple]]:
    columns = ("text_count", "report_count", "log_count", "first_seen", "last_seen")
    with db.session_scope() as s:
        groups = {
            g.id: (
                *(getattr(g, c) for c in (*columns, "deployer_count", "account_count")),
                g.sample_text,
            )
            for g in s.execute(select(NearDupGroup)).scalars()
        }
        clusters = {
            c.id: tuple(getattr(c, k) for k in columns)
            for c in s.execute(select(TopicCluster)).scalars()
        }
    return {"groups": groups, "clusters": clusters}


def _per_group_figures(db: Any) -> dict[str, dict[int, tuple]]:
    """What the per-group Python code computed: every item read, then summed per group."""
    with db.session_scope() as s:
        placed = {
            t: (g, c)
            for t, g, c in s.execute(
                select(TextPlacement.text_id, TextPlacement.group_id, TextPlacement.cluster_id)
            )
        }
        texts = dict(s.execute(select(TextBlob.id, TextBlob.masked_text)).all())
        items = [
            ("report", t, seen, None, None)
            for t, seen in s.execute(select(Report.output_text_id, Report.created_at))
        ] + [
            ("log", t, seen, d, a)
            for t, seen, d, a in s.execute(
                select(
                    LogRecord.response_text_id,
                    LogRecord.occurred_at,
                    LogRecord.deployer_id,
                    LogRecord.account_id,
                )
            )
        ]
    out: dict[str, dict[int, dict]] = {"groups": {}, "clusters": {}}
    for t, (g, c) in placed.items():
        for table, key in (("groups", g), ("clusters", c)):
            if key is None:
                continue
            entry = out[table].setdefault(
                key,
                {
                    "texts": [],
                    "report": 0,
                    "log": 0,
                    "deployers": set(),
                    "accounts": set(),
                    "seen": [],
                },
            )
            entry["texts"].append(texts[t])
    for kind, t, seen, d, a in items:
        if t not in placed:
            continue
        g, c = placed[t]
        for table, key in (("groups", g), ("clusters", c)):
            if key is None:
                continue
            entry = out[table][key]
            entry[kind] += 1
            entry["seen"].append(seen)
            if d is not None:
                entry["deployers"].add(d)
                entry["accounts"].add((d, a))
    figures: dict[str, dict[int, tuple]] = {"groups": {}, "clusters": {}}
    for table, entries in out.items():
        for key, e in entries.items():
            common = (
                len(e["texts"]),
                e["report"],
                e["log"],
                min(e["seen"]) if e["seen"] else None,
                max(e["seen"]) if e["seen"] else None,
            )
            figures[table][key] = (
                (*common, len(e["deployers"]), len(e["accounts"]), min(e["texts"])[:500])
                if table == "groups"
                else common
            )
    return figures


def _placed_figures(db: Any) -> dict[str, dict[int, tuple]]:
    """The stored figures of every group and cluster that holds a text."""
    stored = _stats(db)
    with db.session_scope() as s:
        groups = set(s.execute(select(TextPlacement.group_id)).scalars())
        clusters = set(s.execute(select(TextPlacement.cluster_id)).scalars()) - {None}
    return {
        "groups": {k: v for k, v in stored["groups"].items() if k in groups},
        "clusters": {k: v for k, v in stored["clusters"].items() if k in clusters},
    }


def test_set_based_statistics_equal_the_per_group_figures(db):
    corpus = Corpus()
    texts, vectors = [], []
    for size in (4, 3, 1, 2):
        t, v, _ = corpus.family(size)
        texts += t
        vectors.append(v)
    ids = _add(db, texts, np.concatenate(vectors))
    with db.session_scope() as s:
        lonely = TextBlob(content_hash="lonely", masked_text="A text nobody sent again.")
        s.add(lonely)
        s.flush()
        ids.append(lonely.id)  # placed, but no item carries it
        groups = grouping_service.new_group_ids(s, 4)
        clusters = grouping_service.new_cluster_ids(s, 2)
        assert groups == sorted(groups) and len(set(groups)) == 4
        run = JobRun(job="group", status="ok")
        s.add(run)
        s.flush()
        where = [0, 0, 0, 0, 1, 1, 1, 2, 3, 3, 3]
        write_placements(
            s,
            [
                PlacementRow(t, groups[w], clusters[w % 2] if w < 3 else None, 0.1 * w, 0.0)
                for t, w in zip(ids, where, strict=True)
            ],
            run_id=run.id,
            replace_all=True,
        )
        refresh_stats(s)
        s.commit()
    expected = _per_group_figures(db)
    assert _placed_figures(db) == expected
    lonely_group = expected["groups"][groups[3]]
    assert lonely_group[:3] == (3, 0, 5)  # three texts, one of them without any item
    # A missing account id is an account of its own, per deployer.
    assert any(v[6] > 0 for v in expected["groups"].values())


def test_incremental_statistics_equal_a_full_recompute(db):
    corpus = Corpus(seed=1)
    texts, vectors = [], []
    for _ in range(12):
        t, v, _ = corpus.family(int(corpus.rng.integers(1, 5)))
        texts += t
        vectors.append(v)
    _add(db, texts, np.concatenate(vectors))
    first = _run(db)
    assert first.params["mode"] == "full" and first.stats["stats_scope"] == "all"
    assert set(first.stats["seconds"]) == {
        "read",
        "link",
        "lexical",
        "cluster",
        "project",
        "write",
        "stats",
    }
    assert _placed_figures(db) == _per_group_figures(db)

    # New copies of an existing family, a new family, and new records of old texts.
    t_old = corpus.members(0, 2)
    v_old = corpus.vectors(0, 2)
    t_new, v_new, _ = corpus.family(3)
    _add(db, t_old + t_new, np.concatenate([v_old, v_new]), start=1000)
    with db.session_scope() as s:
        some_text = s.execute(select(TextPlacement.text_id).limit(1)).scalar_one()
        s.add(
            LogRecord(
                deployer_id=_deployer(s),
                external_id="late-1",
                occurred_at=T0 + timedelta(days=30),
                account_id="late-account",
                response_text_id=some_text,
            )
        )
        s.commit()
    untouched_before = _untouched_updated_at(db, some_text)
    rec = _run(db)
    assert rec.params["mode"] == "incremental" and rec.stats["stats_scope"] == "touched"
    assert rec.stats["texts"] == 5 and rec.stats["new_groups"] == 1
    incremental = _placed_figures(db)
    assert incremental == _per_group_figures(db)
    # Groups the run did not touch were not rewritten.
    after = _untouched_updated_at(db, some_text)
    assert untouched_before
    assert untouched_before == {g: after[g] for g in untouched_before}
    with db.session_scope() as s:
        refresh_stats(s)
        s.commit()
    assert _placed_figures(db) == incremental


def _untouched_updated_at(db: Any, touched_text: int) -> dict[int, datetime]:
    with db.session_scope() as s:
        touched = s.execute(
            select(TextPlacement.group_id).where(TextPlacement.text_id == touched_text)
        ).scalar_one()
        return {
            g.id: g.updated_at
            for g in s.execute(select(NearDupGroup).where(NearDupGroup.id != touched)).scalars()
            if g.text_count >= 2
        }


def _placements(db: Any) -> dict[int, tuple[int, int | None]]:
    with db.session_scope() as s:
        return grouping_service.placements(s)


def test_full_rerun_keeps_every_id_and_new_copies_join_their_family(db):
    corpus = Corpus(seed=2)
    texts, vectors, family_of = [], [], []
    for _ in range(20):
        t, v, f = corpus.family(int(corpus.rng.integers(2, 6)))
        texts += t
        vectors.append(v)
        family_of += [f] * len(t)
    ids = _add(db, texts, np.concatenate(vectors))
    _run(db)
    first = _placements(db)
    by_family: dict[int, set[int]] = {}
    for t, f in zip(ids, family_of, strict=True):
        by_family.setdefault(f, set()).add(first[t][0])
    assert all(len(groups) == 1 for groups in by_family.values())
    assert len({next(iter(g)) for g in by_family.values()}) == 20

    rerun = _run(db, full=True)
    assert _placements(db) == first
    assert rerun.stats["group_ids_kept"] == rerun.stats["groups"] == 20

    late = _add(db, corpus.members(3, 2), corpus.vectors(3, 2), start=500)
    rec = _run(db)
    assert rec.params["mode"] == "incremental"
    now = _placements(db)
    family_group = next(iter(by_family[3]))
    assert [now[t][0] for t in late] == [family_group, family_group]


def test_incremental_run_rebuilds_a_missing_or_stale_index(db):
    corpus = Corpus(seed=3)
    texts, vectors = [], []
    for _ in range(15):
        t, v, _ = corpus.family(3)
        texts += t
        vectors.append(v)
    _add(db, texts, np.concatenate(vectors))
    _run(db)
    cache = _IndexCache(db, MODEL)
    assert cache._meta_path.exists()
    with db.session_scope() as s:
        kept_index, kept_ids = cache.load(s, db.settings)
    for path in db.settings.instance_dir.glob(f"{cache.prefix}*"):
        path.unlink()
    with db.session_scope() as s:
        rebuilt_index, rebuilt_ids = cache.load(s, db.settings)
    queries = corpus.vectors(5, 4)
    assert np.array_equal(kept_ids, rebuilt_ids)
    assert np.array_equal(kept_index.search(queries, 5)[1], rebuilt_index.search(queries, 5)[1])

    # Without its files the next incremental run still places new copies right.
    late = _add(db, corpus.members(5, 2), corpus.vectors(5, 2), start=700)
    _run(db)
    now = _placements(db)
    assert len({now[t][0] for t in late}) == 1
    assert cache._meta_path.exists()  # published again for the next run


def test_a_failed_run_leaves_the_placements_and_the_kept_index_as_they_were(db, monkeypatch):
    corpus = Corpus(seed=4)
    t, v, _ = corpus.family(4)
    t2, v2, _ = corpus.family(3)
    _add(db, t + t2, np.concatenate([v, v2]))
    _run(db)
    cache = _IndexCache(db, MODEL)
    meta = cache._meta_path.read_text()
    files = sorted(p.name for p in db.settings.instance_dir.glob(f"{cache.prefix}*"))
    placed = _placements(db)
    stats = _stats(db)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("statistics failed")

    monkeypatch.setattr(grouping_service, "refresh_stats", broken)
    with pytest.raises(RuntimeError, match="statistics failed"):
        _run(db, full=True)
    assert _placements(db) == placed and _stats(db) == stats
    assert cache._meta_path.read_text() == meta
    assert sorted(p.name for p in db.settings.instance_dir.glob(f"{cache.prefix}*")) == files
    with db.session_scope() as s:
        last = s.execute(select(JobRun).order_by(JobRun.id.desc()).limit(1)).scalar_one()
        assert last.status == "failed" and "statistics failed" in (last.error or "")


def test_incremental_runs_keep_their_additions_beside_the_index(db):
    import json

    corpus = Corpus(seed=5)
    texts, vectors = [], []
    for _ in range(10):
        t, v, _ = corpus.family(3)
        texts += t
        vectors.append(v)
    ids = _add(db, texts, np.concatenate(vectors))
    full = _run(db)
    groups = _placements(db)
    cache = _IndexCache(db, MODEL)
    runs = []
    for family, start in ((2, 800), (7, 900)):
        late = _add(db, corpus.members(family, 2), corpus.vectors(family, 2), start=start)
        rec = _run(db)
        runs.append(rec.run_id)
        now = _placements(db)
        assert {now[t][0] for t in late} == {groups[ids[3 * family]][0]}
    meta = json.loads(cache._meta_path.read_text())
    assert meta["base"] == full.run_id and meta["deltas"] == runs
    with db.session_scope() as s:
        index, entries = cache.load(s, db.settings)
        assert index.ntotal == len(entries) == len(_placements(db))
