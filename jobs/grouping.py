"""The embed and group jobs: turn stored texts into vectors, groups, clusters, neighbours."""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

import numpy as np
from sqlalchemy import select

from core.db import Database
from core.models import JobRun, TextBlob
from core.services import embeddings as embedding_service
from core.services import grouping as grouping_service
from core.services.grouping import PlacementRow
from core.settings import Settings
from jobs.runs import Progress, RunRecorder

log = logging.getLogger(__name__)

# Between full runs a new text joins the topic cluster of its nearest placed text
# when they are at least this similar (same topic, not necessarily a near-duplicate).
CLUSTER_ATTACH_COSINE = 0.55


def make_embedder(settings: Settings) -> Any:
    from analytics.embedding import SentenceEmbedder

    cache = settings.instance_dir / "models"
    return SentenceEmbedder(backend=settings.embed_backend, cache_dir=str(cache)).fit()


def _last_embed_model_id(db: Database) -> str | None:
    """The model id the last successful embed run used with the configured backend,
    read from its run record."""
    with db.session_scope() as session:
        runs = session.execute(
            select(JobRun.params)
            .where(JobRun.job == "embed", JobRun.status == "ok")
            .order_by(JobRun.id.desc())
            .limit(20)
        ).scalars()
        for params in runs:
            model_id = str(params.get("model_id", ""))
            if params.get("backend") == db.settings.embed_backend and model_id:
                return model_id
    return None


def current_model_id(db: Database) -> str:
    """The model id of the vectors to group, without loading the model when an
    embed run has recorded it."""
    return _last_embed_model_id(db) or make_embedder_id(db.settings)


def make_embedder_id(settings: Settings) -> str:
    """The model id the embed job tags vectors with, without loading the model twice
    when embed and group run in one process (the embedder caches nothing else)."""
    global _EMBEDDER
    if _EMBEDDER is None or _EMBEDDER.backend != settings.embed_backend:
        _EMBEDDER = make_embedder(settings)
    return str(_EMBEDDER.model_id_)


_EMBEDDER: Any = None


def run_embed(
    db: Database, recorder: RunRecorder, progress: Progress | None = None, embedder: Any = None
) -> None:
    global _EMBEDDER
    if embedder is None:
        known = _last_embed_model_id(db)
        if known is not None:
            with db.session_scope() as session:
                if embedding_service.count_pending(session, known) == 0:
                    # Nothing new: do not pay the model's load time to find that out.
                    recorder.params = {"model_id": known, "backend": db.settings.embed_backend}
                    return
        make_embedder_id(db.settings)
        embedder = _EMBEDDER
    recorder.params = {
        "model_id": embedder.model_id_,
        "backend": db.settings.embed_backend,
        "batch_size": db.settings.embed_batch_size,
    }
    with db.session_scope() as session:
        recorder.items_processed = embedding_service.embed_pending(
            session, embedder, batch_size=db.settings.embed_batch_size, progress=progress
        )


def run_group(
    db: Database,
    recorder: RunRecorder,
    *,
    model_id: str,
    full: bool | None = None,
    progress: Progress | None = None,
) -> None:
    """Full run (re-cluster everything, keep ids of groups that did not really change)
    or incremental run (attach texts placed for the first time), in one transaction."""
    s = db.settings
    with db.session_scope() as session:
        ids, X = embedding_service.load_vectors(session, model_id)
        if len(ids) == 0:
            recorder.stats = {"texts": 0}
            return
        placed = grouping_service.placements(session)
        new_mask = np.array([int(t) not in placed for t in ids], dtype=bool)
        if full is None:
            full = not placed or new_mask.sum() > s.group_full_fraction * max(len(placed), 1)
        recorder.params = {
            "mode": "full" if full else "incremental",
            "model_id": model_id,
            "threshold": s.group_threshold,
            "lexical_containment": s.group_lexical_containment,
            "k": s.group_neighbors,
            "min_cluster_size": s.cluster_min_size,
        }
        if full:
            stats = _full(session, s, recorder, ids, X, placed)
        else:
            stats = _incremental(session, s, recorder, ids, X, placed, new_mask)
        grouping_service.refresh_stats(session)
        session.commit()
        recorder.stats = stats
        if progress:
            progress(len(ids), len(ids))


def _full(
    session: Any,
    s: Settings,
    recorder: RunRecorder,
    ids: np.ndarray,
    X: np.ndarray,
    placed: dict[int, tuple[int, int | None]],
) -> dict[str, Any]:
    from analytics.clustering import TopicClusterer
    from analytics.keywords import ClassTfidfKeywords
    from analytics.lexical import ShingleLinker
    from analytics.neighbors import NearDuplicateGrouper, union_labels
    from analytics.stable_ids import match_labels

    keys = [int(t) for t in ids]
    texts = _texts(session, keys)
    grouper = NearDuplicateGrouper(threshold=s.group_threshold, k=s.group_neighbors).fit(X)
    scores, neighbors = grouper.kneighbors(X, s.group_neighbors + 1)
    n = len(ids)
    lexical_links = 0
    if s.group_lexical_containment > 0:
        # Near-copies the vectors miss (a fixed template around a changing
        # payload): a group is linked by either kind of link.
        linker = ShingleLinker(threshold=s.group_lexical_containment).fit(
            [texts.get(k, "") for k in keys]
        )
        lexical_links = len(linker.pairs_)
        group_labels = union_labels(n, grouper.pairs_, linker.pairs_)
    else:
        group_labels = np.asarray(grouper.labels_)
    min_cluster = max(2, min(s.cluster_min_size, n // 4 or 2))
    # Density clustering needs enough points to tell a dense region from noise.
    if n >= max(3 * min_cluster, 30):
        clusterer = TopicClusterer(min_cluster_size=min_cluster).fit(X)
        cluster_labels = np.asarray(clusterer.labels_)
        xy = np.asarray(clusterer.projection_, dtype=float)
    else:  # too few texts for density clustering: everything is noise, place on a line
        cluster_labels = np.full(n, -1)
        xy = np.column_stack([np.arange(n, dtype=float), np.zeros(n)])

    old_groups: dict[Any, Any] = {t: g for t, (g, _) in placed.items()}
    old_clusters: dict[Any, Any] = {t: c for t, (_, c) in placed.items() if c is not None}
    matched_groups: dict[Any, Any] = match_labels(
        old_groups, dict(zip(keys, group_labels.tolist(), strict=True))
    )
    matched_clusters: dict[Any, Any] = match_labels(
        old_clusters,
        {k: lab for k, lab in zip(keys, cluster_labels.tolist(), strict=True) if lab != -1},
    )
    group_map = _fill_new(matched_groups, grouping_service.new_group_ids, session)
    cluster_map = _fill_new(matched_clusters, grouping_service.new_cluster_ids, session)

    keyword_model = ClassTfidfKeywords(top_n=8).fit(
        [texts[k] for k in keys], cluster_labels.tolist()
    )
    keywords = {
        cluster_map[lab]: words
        for lab, words in keyword_model.keywords_.items()
        if lab in cluster_map
    }

    rows = [
        PlacementRow(
            text_id=k,
            group_id=group_map[int(g)],
            cluster_id=cluster_map.get(int(c)) if c != -1 else None,
            x=float(p[0]),
            y=float(p[1]),
        )
        for k, g, c, p in zip(keys, group_labels, cluster_labels, xy, strict=True)
    ]
    pairs = [
        (keys[i], keys[int(j)], float(sc))
        for i in range(n)
        for sc, j in zip(scores[i], neighbors[i], strict=True)
        if j >= 0 and int(j) != i
    ]
    grouping_service.write_placements(
        session,
        rows,
        run_id=recorder.run_id,
        replace_all=True,
        neighbors=pairs,
        cluster_keywords=keywords,
    )
    recorder.items_processed = n
    reused = sum(1 for v in group_map.values() if v in set(old_groups.values()))
    return {
        "texts": n,
        "groups": len(set(group_labels.tolist())),
        "multi_text_groups": sum(1 for c in Counter(group_labels.tolist()).values() if c > 1),
        "clusters": len(cluster_map),
        "noise": int((cluster_labels == -1).sum()),
        "group_ids_kept": reused,
        "lexical_links": lexical_links,
    }


def _incremental(
    session: Any,
    s: Settings,
    recorder: RunRecorder,
    ids: np.ndarray,
    X: np.ndarray,
    placed: dict[int, tuple[int, int | None]],
    new_mask: np.ndarray,
) -> dict[str, Any]:
    """Attach new texts: exact search against everything placed (cheap for the few
    thousand texts that arrive between full runs), group and cluster by the
    nearest placed text, position near it."""
    import faiss

    new_ids, old_ids = ids[new_mask], ids[~new_mask]
    if len(new_ids) == 0:
        return {"texts": 0, "mode": "incremental"}
    positions = dict(
        (t, (x, y))
        for t, x, y in session.execute(
            select(
                grouping_service.TextPlacement.text_id,
                grouping_service.TextPlacement.x,
                grouping_service.TextPlacement.y,
            )
        )
    )
    index = faiss.IndexFlatIP(X.shape[1])
    index.add(np.ascontiguousarray(X[~new_mask]))
    # New texts may be near-duplicates of each other too: search them as well.
    k = min(s.group_neighbors + 1, len(old_ids)) if len(old_ids) else 0
    scores, nbr = (
        index.search(np.ascontiguousarray(X[new_mask]), k)
        if k
        else (np.zeros((len(new_ids), 0)), np.zeros((len(new_ids), 0), dtype=int))
    )
    rows: list[PlacementRow] = []
    pairs: list[tuple[int, int, float]] = []
    fresh_groups = 0
    among_new: dict[int, int] = {}
    Xn = X[new_mask]
    new_sims = Xn @ Xn.T  # the texts of one incremental run are few: a small matrix
    lexical_old, lexical_new = _lexical_candidates(
        session, s, new_ids, old_ids, nbr if k else None, new_sims
    )
    for i, tid in enumerate(new_ids.tolist()):
        best_score = float(scores[i][0]) if k else -1.0
        best = int(old_ids[int(nbr[i][0])]) if k else None
        group_id: int | None = None
        cluster_id: int | None = None
        xy = (0.0, 0.0)
        if best is not None and best_score >= s.group_threshold:
            group_id = placed[best][0]
        # An earlier new text may be this one's near-duplicate, and a closer one.
        earlier = new_sims[i, :i]
        if i and earlier.max() >= s.group_threshold and earlier.max() > best_score:
            group_id = among_new[int(earlier.argmax())]
        if group_id is None and i in lexical_old:
            group_id = placed[lexical_old[i]][0]
        elif group_id is None and i in lexical_new:
            group_id = among_new[lexical_new[i]]
        if best is not None and best_score >= CLUSTER_ATTACH_COSINE:
            cluster_id = placed[best][1]
            xy = positions.get(best, xy)
        if group_id is None:
            group_id = grouping_service.new_group_ids(session, 1)[0]
            fresh_groups += 1
        among_new[i] = group_id
        placed[tid] = (group_id, cluster_id)
        rows.append(PlacementRow(tid, group_id, cluster_id, xy[0], xy[1]))
        pairs.extend(
            (tid, int(old_ids[int(j)]), float(sc))
            for sc, j in zip(scores[i], nbr[i], strict=True)
            if j >= 0
        )
    grouping_service.write_placements(
        session, rows, run_id=recorder.run_id, replace_all=False, neighbors=pairs
    )
    recorder.items_processed = len(rows)
    return {"texts": len(rows), "new_groups": fresh_groups}


def _lexical_candidates(
    session: Any,
    s: Settings,
    new_ids: np.ndarray,
    old_ids: np.ndarray,
    nbr: np.ndarray | None,
    new_sims: np.ndarray,
) -> tuple[dict[int, int], dict[int, int]]:
    """Lexical near-copies of each new text between full runs.

    A full run compares every pair through MinHash; here only a new text's
    nearest placed texts by vector, and the earlier new texts most like it,
    are checked. A template copy with another payload is still among its
    nearest vectors even when the cosine misses the threshold, so this finds
    it without re-reading every stored text.

    Returns, per new text (position in ``new_ids``), the best placed text id
    and the best earlier new position whose containment passes.
    """
    from analytics.lexical import ShingleLinker

    if s.group_lexical_containment <= 0:
        return {}, {}
    cand: list[tuple[int, bool, int]] = []  # (new position, is_old, other)
    for i in range(len(new_ids)):
        if nbr is not None:
            cand.extend((i, True, int(old_ids[int(j)])) for j in nbr[i] if j >= 0)
        if i:
            earlier = new_sims[i, :i]
            cand.extend((i, False, int(j)) for j in np.argsort(-earlier)[:3])
    if not cand:
        return {}, {}
    need = {int(new_ids[i]) for i, _, _ in cand}
    need.update(other if is_old else int(new_ids[other]) for _, is_old, other in cand)
    texts = _texts(session, sorted(need))
    linker = ShingleLinker(threshold=s.group_lexical_containment)
    scores = linker.pair_containment(
        [texts.get(int(new_ids[i]), "") for i, _, _ in cand],
        [texts.get(other if is_old else int(new_ids[other]), "") for _, is_old, other in cand],
    )
    best_old: dict[int, tuple[float, int]] = {}
    best_new: dict[int, tuple[float, int]] = {}
    for (i, is_old, other), score in zip(cand, scores.tolist(), strict=True):
        if score < s.group_lexical_containment:
            continue
        table = best_old if is_old else best_new
        if score > table.get(i, (-1.0, 0))[0]:
            table[i] = (score, other)
    return {i: o for i, (_, o) in best_old.items()}, {i: o for i, (_, o) in best_new.items()}


def _fill_new(mapping: dict[Any, Any], allocate: Any, session: Any) -> dict[int, int]:
    missing = [lab for lab, old in mapping.items() if old is None]
    fresh = iter(allocate(session, len(missing)))
    return {int(lab): int(old) if old is not None else next(fresh) for lab, old in mapping.items()}


def _texts(session: Any, ids: list[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    for start in range(0, len(ids), 500):
        out.update(
            (t, m)
            for t, m in session.execute(
                select(TextBlob.id, TextBlob.masked_text).where(
                    TextBlob.id.in_(ids[start : start + 500])
                )
            )
        )
    return out
