"""The embed and group jobs: turn stored texts into vectors, groups, clusters, neighbours.

A full group run reads every vector, links near-duplicates (approximate nearest
neighbours, plus lexical near-copies), clusters topics on a bounded sample and
assigns the rest by nearest neighbours, lays out the 2-D map, and writes every
placement and neighbour column-wise; statistics are then recomputed in SQL.

An incremental run reads only the vectors of texts not placed yet and searches them
against the index of placed vectors that the last run left in the instance
directory, so its cost follows the new texts, not the store. That index is a cache
(like the detect job's state): it names the placements it was built from (the last
run that wrote placements and how many there are) and is rebuilt from the stored
vectors when that no longer holds or the file is missing. Statistics are then
recomputed for the groups and clusters the run touched only.

Each run records the seconds of its phases (read, link, lexical, cluster, project,
write, stats) in its stats.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import resource
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import func, select

from core.db import Database
from core.models import Embedding, JobRun, TextBlob, TextPlacement
from core.services import embeddings as embedding_service
from core.services import grouping as grouping_service
from core.services.grouping import ItemMark
from core.settings import Settings
from jobs import offload
from jobs.embedder import make_embedder
from jobs.runs import Progress, RunRecorder

log = logging.getLogger(__name__)

# Between full runs a new text joins the topic cluster of its nearest placed text
# when they are at least this similar (same topic, not necessarily a near-duplicate).
CLUSTER_ATTACH_COSINE = 0.55


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
        if db.settings.dask_scheduler:
            _embed_on_cluster(db, recorder, progress)
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


# Model batches (MISUSE_EMBED_BATCH_SIZE texts) per cluster task: enough that the
# scheduling overhead (milliseconds per task) is lost in the embedding (about a
# second per thousand texts per core), few enough that a killed worker's tasks are
# quick to redo and that two workers share the last of a small backlog.
# benchmarks/distributed.py measures both. Whole batches, so that the model sees
# the same batches as in-process and stores the same vectors.
CLUSTER_EMBED_BATCHES = 4


def _embed_on_cluster(db: Database, recorder: RunRecorder, progress: Progress | None) -> None:
    """Embed the pending texts as tasks on the Dask cluster, a batch of text ids each.

    The workers read their texts and write their vectors themselves; a task rerun
    after its worker died writes nothing twice. A failed run leaves every finished
    batch stored, and the next run embeds what is still pending.
    """
    from jobs import cluster

    with cluster.connect(db.settings) as client:
        # The model id comes from a worker: the client never loads the model.
        model_id = client.submit(cluster.worker_model_id, pure=False).result()
        with db.session_scope() as session:
            ids = embedding_service.pending_ids(session, model_id)
        size = CLUSTER_EMBED_BATCHES * db.settings.embed_batch_size
        batches = [ids[i : i + size] for i in range(0, len(ids), size)]
        recorder.params = {
            "model_id": model_id,
            "backend": db.settings.embed_backend,
            "batch_size": db.settings.embed_batch_size,
            "cluster": db.settings.dask_scheduler,
            "tasks": len(batches),
            "task_texts": size,
        }
        futures = [
            client.submit(
                cluster.embed_batch,
                batch,
                model_id,
                db.settings.embed_batch_size,
                key=f"embed-{recorder.run_id}-{n}",
                retries=2,
            )
            for n, batch in enumerate(batches)
        ]
        # In submission order (distributed.as_completed wants a default client, and
        # this one is not: a job must not change what other code in the process uses).
        # Counted as the tasks finish, so a run that fails records what it stored.
        for done, future in enumerate(futures, start=1):
            recorder.items_processed += int(future.result())
            if progress is not None:
                progress(min(done * size, len(ids)), len(ids))


PHASES = ("read", "link", "lexical", "cluster", "project", "write", "stats")


class _Phases:
    """Seconds spent in each phase of one run, and the process's peak memory by
    the end of each (the phase that raised it is the one to look at)."""

    def __init__(self) -> None:
        self.seconds = dict.fromkeys(PHASES, 0.0)
        # CPU seconds of all the process's threads: on a shared machine the wall
        # time says as much about the neighbours as about the job.
        self.cpu = dict.fromkeys(PHASES, 0.0)
        self.peak_mb = dict.fromkeys(PHASES, 0)

    @contextmanager
    def __call__(self, name: str) -> Iterator[None]:
        started, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.seconds[name] += time.perf_counter() - started
            self.cpu[name] += time.process_time() - cpu
            self.peak_mb[name] = peak_rss_mb()

    def rounded(self) -> dict[str, float]:
        return {k: round(v, 3) for k, v in self.seconds.items()}


def peak_rss_mb() -> int:
    """This process's peak resident memory in MB.

    VmHWM where Linux has it: unlike ``ru_maxrss`` it starts afresh at exec, so a
    job started from a large parent process does not report the parent's size.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) // 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


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
    phases = _Phases()
    cache = _IndexCache(db, model_id)
    with db.session_scope() as session:
        with phases("read"):
            total = embedding_service.count_vectors(session, model_id)
            if total == 0:
                recorder.stats = {"texts": 0}
                return
            fresh = embedding_service.count_vectors(session, model_id, unplaced=True)
            placed = int(
                session.execute(select(func.count()).select_from(TextPlacement)).scalar_one()
            )
        if full is None:
            full = placed == 0 or fresh > s.group_full_fraction * max(placed, 1)
        recorder.params = {
            "mode": "full" if full else "incremental",
            "model_id": model_id,
            "threshold": s.group_threshold,
            "lexical_containment": s.group_lexical_containment,
            "narrative_threshold": s.group_narrative_threshold,
            "burst_narrative_threshold": s.group_burst_narrative_threshold,
            "burst_window": s.group_burst_window,
            "burst_mutual_threshold": s.group_burst_mutual_threshold,
            "foreign_word_overlap": s.group_foreign_word_overlap,
            "foreign_word_overlap_apart": s.group_foreign_word_overlap_apart,
            "k": s.group_neighbors,
            "min_cluster_size": s.cluster_min_size,
        }
        try:
            if full:
                with offload.cluster_client(s, recorder) as client:
                    stats = _full(session, s, recorder, phases, model_id, cache, client)
            else:
                stats = _incremental(session, s, recorder, phases, model_id, cache)
            with phases("stats"):
                since = None if full else _last_item_mark(session, recorder.run_id)
                mark = grouping_service.item_mark(session)
                if since is None:
                    grouping_service.refresh_stats(session)
                else:
                    grouping_service.refresh_stats(session, run_id=recorder.run_id, since=since)
            with phases("write"):
                session.commit()
                cache.publish()
        finally:
            cache.discard()
        recorder.stats = {
            **stats,
            "items_upto": mark.as_dict(),
            "stats_scope": "all" if since is None else "touched",
            "seconds": phases.rounded(),
            "cpu_seconds": {k: round(v, 3) for k, v in phases.cpu.items()},
            "peak_rss_mb": phases.peak_mb,
        }
        if progress:
            progress(total, total)


def _last_item_mark(session: Any, run_id: int) -> ItemMark | None:
    """The item ids the last successful group run counted, if it recorded them."""
    stats = session.execute(
        select(JobRun.stats)
        .where(JobRun.job == "group", JobRun.status == "ok", JobRun.id < run_id)
        .order_by(JobRun.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    upto = (stats or {}).get("items_upto")
    if not isinstance(upto, dict):
        return None
    return ItemMark(int(upto.get("log", 0)), int(upto.get("report", 0)))


def _full(
    session: Any,
    s: Settings,
    recorder: RunRecorder,
    phases: _Phases,
    model_id: str,
    cache: _IndexCache,
    client: Any = None,
) -> dict[str, Any]:
    """A full run; with a Dask ``client``, its nearest-neighbour search and lexical
    links are worked out on the cluster (``jobs.cluster_group``), to the same result."""
    from analytics.clustering import TopicClusterer
    from analytics.keywords import ClassTfidfKeywords
    from analytics.lexical import ShingleLinker
    from analytics.neighbors import narratives, union_labels

    with phases("read"):
        keys, X = embedding_service.load_vectors(session, model_id)
        old = grouping_service.placement_arrays(session)
    n = len(keys)
    search = None
    if client is not None:
        from jobs import cluster_group

        search = cluster_group.sharded_search(client, f"group-{recorder.run_id}", recorder.params)
    with phases("link"):
        grouper = _grouper(s).fit(X, search=search)
        scores, neighbors = grouper.fitted_neighbors()
        vector_links = grouper.pairs_
        group_labels = np.asarray(grouper.labels_)
        cache.stage(grouper.index_, keys[grouper.index_rows_], recorder.run_id, n)
        del grouper  # the index is as large as the vectors: free it before clustering

    min_cluster = max(2, min(s.cluster_min_size, n // 4 or 2))
    # Density clustering needs enough points to tell a dense region from noise.
    if n >= max(3 * min_cluster, 30):
        clusterer = TopicClusterer(min_cluster_size=min_cluster).fit(X)
        cluster_labels = np.asarray(clusterer.labels_)
        xy = np.asarray(clusterer.projection_, dtype=float)
        for phase in ("cluster", "project"):
            phases.seconds[phase] += clusterer.seconds_[phase]
            phases.cpu[phase] += clusterer.cpu_seconds_[phase]
            phases.peak_mb[phase] = peak_rss_mb()
        del clusterer
    else:  # too few texts for density clustering: everything is noise, place on a line
        cluster_labels = np.full(n, -1)
        xy = np.column_stack([np.arange(n, dtype=float), np.zeros(n)])
    del X

    with phases("read"):
        texts = _texts(session, keys)
    lexical_links = 0
    with phases("lexical"):
        if s.group_lexical_containment > 0:
            # Near-copies the vectors miss (a fixed template around a changing
            # payload): a group is linked by either kind of link.
            linker = ShingleLinker(threshold=s.group_lexical_containment)
            if client is None:
                lexical = linker.fit(list(texts)).pairs_
            else:
                lexical = cluster_group.lexical_pairs(
                    client, linker, list(texts), f"lexical-{recorder.run_id}", recorder.params
                )
            lexical_links = len(lexical)
            group_labels = union_labels(n, vector_links, lexical)
            del linker, lexical
    with phases("cluster"):
        keyword_model = ClassTfidfKeywords(top_n=8).fit(list(texts), cluster_labels.tolist())
    with phases("lexical"):
        foreign, words = _foreign_words(s, texts, neighbors)
    del texts
    with phases("read"):
        seen = _seen_for_bursts(session, s, keys)
    with phases("link"):
        narrative_of = narratives(
            keys,
            scores,
            neighbors,
            group_labels,
            s.group_narrative_threshold,
            seen=seen,
            burst_threshold=s.group_burst_narrative_threshold,
            burst_window=s.group_burst_window,
            mutual_threshold=s.group_burst_mutual_threshold,
            foreign=foreign,
            words=words,
            min_word_overlap=s.group_foreign_word_overlap,
            min_word_overlap_apart=s.group_foreign_word_overlap_apart,
        )
    del words

    with phases("write"):
        group_of, kept, n_groups = _stable_ids(
            session, old.text, old.group, keys, group_labels, grouping_service.new_group_ids
        )
        clustered = cluster_labels >= 0
        had_cluster = old.cluster >= 0
        cluster_of, _, n_clusters = _stable_ids(
            session,
            old.text[had_cluster],
            old.cluster[had_cluster],
            keys[clustered],
            cluster_labels[clustered],
            grouping_service.new_cluster_ids,
        )
        cluster_ids = np.full(n, -1, dtype=np.int64)
        cluster_ids[clustered] = cluster_of
        # Label -> stored cluster id, for the keywords.
        label_to_id = dict(
            zip(cluster_labels[clustered].tolist(), cluster_of.tolist(), strict=True)
        )
        keywords = {
            label_to_id[lab]: words
            for lab, words in keyword_model.keywords_.items()
            if lab in label_to_id
        }
        width = neighbors.shape[1]
        source = np.repeat(np.arange(n), width)
        flat = neighbors.ravel()
        keep = (flat >= 0) & (flat != source)
        grouping_service.write_placement_arrays(
            session,
            keys,
            group_of,
            cluster_ids,
            xy,
            run_id=recorder.run_id,
            replace_all=True,
            neighbors=(keys[source[keep]], keys[flat[keep]], scores.ravel()[keep]),
            cluster_keywords=keywords,
            narrative_ids=narrative_of,
        )
    recorder.items_processed = n
    sizes = np.bincount(group_labels)
    return {
        "texts": n,
        "groups": n_groups,
        "multi_text_groups": int((sizes > 1).sum()),
        "clusters": n_clusters,
        "noise": int((cluster_labels == -1).sum()),
        "group_ids_kept": kept,
        "lexical_links": lexical_links,
        "foreign_texts": 0 if foreign is None else int(foreign.sum()),
    }


def _foreign_words(
    s: Settings, texts: np.ndarray, neighbors: np.ndarray
) -> tuple[np.ndarray | None, list[frozenset[str]] | None]:
    """Which ``texts`` the embedding model cannot read, and the content words of
    those and of their kept ``neighbors`` (rows, -1 for none): the only texts whose
    words the narrative check reads (an empty set for the others); (None, None) when
    that check is off."""
    from analytics.language import content_words, foreign_texts

    if s.group_foreign_word_overlap <= 0 or s.group_narrative_threshold <= 0:
        return None, None
    foreign = foreign_texts(texts)
    words: list[frozenset[str]] = [frozenset()] * len(texts)
    # Rows whose lists hold a foreign text, and the rows in foreign texts' lists.
    foreign_in = ((neighbors >= 0) & foreign[np.clip(neighbors, 0, None)]).any(axis=1)
    near = neighbors[foreign].ravel()
    at = np.union1d(np.flatnonzero(foreign | foreign_in), near[near >= 0])
    for i, w in zip(at.tolist(), content_words([texts[i] for i in at]), strict=True):
        words[i] = w
    return foreign, words


def _grouper(s: Settings) -> Any:
    """The near-duplicate grouper as the job configures it.

    An inverted-file index rather than the estimator's default HNSW graph: on
    100,000 real tweet vectors it found 99.97% of the exact search's links at a
    cosine of 0.91 (HNSW: 99.98%) in a fifth of the time (31 s against 159 s on
    a busy 2-core machine), and its cost grows far more slowly with the store.
    """
    from analytics.neighbors import NearDuplicateGrouper

    return NearDuplicateGrouper(threshold=s.group_threshold, k=s.group_neighbors, index="ivf")


def _stable_ids(
    session: Any,
    old_keys: np.ndarray,
    old_ids: np.ndarray,
    keys: np.ndarray,
    labels: np.ndarray,
    allocate: Any,
) -> tuple[np.ndarray, int, int]:
    """Stored id of each member's label: the old id a label continues (member
    overlap), else a fresh one, allocated in order of the labels' first appearance.
    Returns the ids per member, how many old ids were kept, and how many labels."""
    from analytics.stable_ids import match_label_arrays

    distinct, matched = match_label_arrays(old_keys, old_ids, keys, labels)
    missing = np.flatnonzero(matched < 0)
    if len(missing):
        _, first = np.unique(labels, return_index=True)
        missing = missing[np.argsort(first[missing], kind="stable")]
        matched[missing] = allocate(session, len(missing))
    at = np.searchsorted(distinct, labels)
    return matched[at], len(distinct) - len(missing), len(distinct)


def _incremental(
    session: Any,
    s: Settings,
    recorder: RunRecorder,
    phases: _Phases,
    model_id: str,
    cache: _IndexCache,
) -> dict[str, Any]:
    """Attach the texts not placed yet.

    Each new text is searched against the index of placed vectors (kept from the
    last run, else rebuilt) and against the other new texts. It joins the group of
    its nearest placed text when their cosine reaches the threshold, else of its
    best lexical near-copy among its nearest placed texts. New texts linked to one
    another (by either kind of link) form a component: members without a group of
    their own take the group of the member with the strongest link to a placed
    text, and a component with none gets one new group. Groups are never merged
    here; a full run does that. A text joins the topic cluster, and takes the map
    position, of its nearest placed text when they are at least
    ``CLUSTER_ATTACH_COSINE`` alike.
    """
    import faiss

    from analytics.neighbors import components

    with phases("read"):
        new_ids, Xn = embedding_service.load_vectors(session, model_id, unplaced=True)
    m = len(new_ids)
    if m == 0:
        return {"texts": 0, "mode": "incremental"}
    with phases("link"):
        index, slot_text = cache.load(session, s)
        k = min(s.group_neighbors + 1, index.ntotal)
        if k:
            scores, slots = index.search(np.ascontiguousarray(Xn), k)
            old_text = np.where(slots >= 0, slot_text[np.clip(slots, 0, None)], -1)
        else:
            scores = np.zeros((m, 0), dtype=np.float32)
            old_text = np.zeros((m, 0), dtype=np.int64)
        # New texts may be near-duplicates of each other too: search them as well.
        among = faiss.IndexFlatIP(Xn.shape[1])
        among.add(np.ascontiguousarray(Xn))
        k_new = min(4, m)
        new_scores, new_nbr = among.search(np.ascontiguousarray(Xn), k_new)
        near = grouping_service.placement_arrays(session, np.unique(old_text[old_text >= 0]))
    best_score = scores[:, 0] if k else np.full(m, -np.inf, dtype=np.float32)
    best_row = near.lookup(old_text[:, 0]) if k else np.full(m, -1, dtype=np.int64)
    attached = (best_row >= 0) & (best_score >= s.group_threshold)
    direct = np.where(attached, near.group[np.clip(best_row, 0, None)], -1)
    strength = np.where(attached, best_score, -np.inf).astype(np.float64)

    source = np.repeat(np.arange(m), k_new)
    target = new_nbr.ravel()
    link = (target >= 0) & (target != source) & (new_scores.ravel() >= s.group_threshold)
    link_i, link_j = source[link], target[link]
    with phases("lexical"):
        # The near-copy check and the foreign-text check both read the new texts.
        read = _TextsRead(session)
        lex_old, lex_new = _lexical_links(read, s, new_ids, old_text, new_nbr, attached)
    if len(lex_old[0]):
        rows = near.lookup(lex_old[1])
        ok = rows >= 0
        # Only texts without a vector link take a lexical one, the strongest first.
        at, group, score = lex_old[0][ok], near.group[rows[ok]], lex_old[2][ok]
        order = np.lexsort((-score, at))
        at, group, score = at[order], group[order], score[order]
        first = np.concatenate([[True], at[1:] != at[:-1]])
        at, group, score = at[first], group[first], score[first]
        free = direct[at] < 0
        direct[at[free]] = group[free]
        # A lexical link ranks below every vector link when choosing a component's group.
        strength[at[free]] = score[free] - 2.0
    link_i = np.concatenate([link_i, lex_new[0]])
    link_j = np.concatenate([link_j, lex_new[1]])

    comp = components(m, link_i, link_j)
    comp_group = _strongest_per_component(comp, direct, strength)
    homeless = np.flatnonzero(comp_group < 0)  # ascending = first appearance
    with phases("write"):
        comp_group[homeless] = grouping_service.new_group_ids(session, len(homeless))
    group_ids = np.where(direct >= 0, direct, comp_group[comp])

    with phases("read"):
        seen, reach = _burst_inputs(session, s, new_ids, old_text, scores)
    with phases("lexical"):
        foreign = _new_foreign_words(read, s, new_ids, old_text, new_nbr)
    narrative_ids = _new_narratives(
        s,
        new_ids,
        best_row,
        best_score,
        near,
        new_scores,
        new_nbr,
        lex_old,
        lex_new,
        seen,
        reach,
        foreign,
    )

    with phases("cluster"):
        close = (best_row >= 0) & (best_score >= CLUSTER_ATTACH_COSINE)
        cluster_ids = np.where(close, near.cluster[np.clip(best_row, 0, None)], -1)
        xy = np.where(close[:, None], near.xy[np.clip(best_row, 0, None)], 0.0)

    with phases("write"):
        keep = old_text.ravel() >= 0
        grouping_service.write_placement_arrays(
            session,
            new_ids,
            group_ids,
            cluster_ids,
            xy,
            run_id=recorder.run_id,
            replace_all=False,
            neighbors=(np.repeat(new_ids, k)[keep], old_text.ravel()[keep], scores.ravel()[keep]),
            narrative_ids=narrative_ids,
        )
    with phases("link"):
        cache.extend(index, slot_text, Xn, new_ids, scores, recorder.run_id)
    recorder.items_processed = m
    return {"texts": m, "new_groups": len(homeless)}


def _seen_for_bursts(session: Any, s: Settings, text_ids: np.ndarray) -> np.ndarray | None:
    """When each text was first seen, for the narrative links within a burst; None
    when those are off."""
    if s.group_narrative_threshold <= 0 or s.group_burst_narrative_threshold <= 0:
        return None
    return grouping_service.first_seen(session, text_ids)


Pair = tuple[np.ndarray, np.ndarray]


def _burst_inputs(
    session: Any, s: Settings, new_ids: np.ndarray, old_text: np.ndarray, scores: np.ndarray
) -> tuple[Pair | None, Pair | None]:
    """For the narrative links of new texts within a burst, each as (new texts, their
    nearest placed texts): when they were first seen (one read; a text never seen, or
    no placed text, -1: inf), and how close a text must be to be among the nearest of
    each (the new texts' k-th placed neighbour; the placed texts' k-th kept one, read
    from their lists). None where those links are off."""
    m, width = old_text.shape
    nearest = old_text[:, 0] if width else np.full(m, -1, dtype=np.int64)
    both = _seen_for_bursts(session, s, np.concatenate([new_ids, nearest]))
    if both is None:
        return None, None
    seen = (both[:m], both[m:])
    if s.group_burst_mutual_threshold <= 0:
        return seen, None
    kth = s.group_neighbors - 1
    own = np.full(m, -np.inf)
    if 0 <= kth < width:
        own = np.where(old_text[:, kth] >= 0, scores[:, kth].astype(np.float64), -np.inf)
    return seen, (own, grouping_service.neighbor_reach(session, nearest, s.group_neighbors))


# Per text, whether the embedding model cannot read it, and its content words: for
# the new texts, and for their nearest placed texts.
ForeignWords = tuple[
    tuple[np.ndarray, list[frozenset[str]]], tuple[np.ndarray, list[frozenset[str]]]
]


def _new_foreign_words(
    read: _TextsRead, s: Settings, new_ids: np.ndarray, old_text: np.ndarray, new_nbr: np.ndarray
) -> ForeignWords | None:
    """For the narrative links of new texts that involve a text the embedding model
    cannot read (:func:`_foreign_words` for a full run): which of the new texts and of
    their nearest placed texts are such, with the content words of every text that a
    link with such a text could compare (the new texts' nearest among themselves are
    ``new_nbr``; one read); None when that check is off."""
    from analytics.language import content_words, foreign_texts

    if s.group_foreign_word_overlap <= 0 or s.group_narrative_threshold <= 0:
        return None
    m, width = old_text.shape
    nearest = old_text[:, 0] if width else np.full(m, -1, dtype=np.int64)
    ids = np.unique(np.concatenate([new_ids, nearest[nearest >= 0]]))
    texts = read(ids)
    foreign = foreign_texts(texts)
    at_new = np.searchsorted(ids, new_ids)
    # A new text without a placed one (-1) points at the first row, and is masked off.
    placed = nearest >= 0
    at_near = np.searchsorted(ids, nearest)
    new_foreign = foreign[at_new]
    near_foreign = foreign[at_near] & placed
    listed = new_nbr >= 0
    need_new = new_foreign | near_foreign
    need_new |= (listed & new_foreign[np.clip(new_nbr, 0, None)]).any(axis=1)
    need_new[new_nbr[new_foreign][listed[new_foreign]]] = True
    need = np.zeros(len(ids), dtype=bool)
    need[at_new[need_new]] = True
    need[at_near[need_new & placed]] = True
    words: list[frozenset[str]] = [frozenset()] * len(ids)
    rows = np.flatnonzero(need)
    for i, w in zip(rows.tolist(), content_words(texts[rows]), strict=True):
        words[i] = w
    return (
        (new_foreign, [words[i] for i in at_new]),
        (
            near_foreign,
            [words[i] if ok else frozenset() for i, ok in zip(at_near, placed, strict=True)],
        ),
    )


def _new_narratives(
    s: Settings,
    new_ids: np.ndarray,
    best_row: np.ndarray,
    best_score: np.ndarray,
    near: grouping_service.PlacementArrays,
    new_scores: np.ndarray,
    new_nbr: np.ndarray,
    lex_old: tuple[np.ndarray, np.ndarray, np.ndarray],
    lex_new: tuple[np.ndarray, np.ndarray],
    seen: Pair | None = None,
    reach: Pair | None = None,
    foreign: ForeignWords | None = None,
) -> np.ndarray:
    """The narratives of the new texts, as a full run would name them but without
    merging placed ones (as for groups): a new text joins the narrative of its nearest
    placed text when they are linked (their cosine reaches the narrative threshold, or
    the burst one and they were first seen within the burst window: ``seen`` holds
    when the new texts and their nearest placed texts were; or the mutual one within
    the burst and it reaches both texts' ``reach``, in the same order; as
    :func:`analytics.neighbors.narrative_links` links them), or of its lexical
    near-copy; new texts linked to one another (or lexically) form a component that
    takes the narrative of its member most like a placed text, or is a new narrative
    named by its lowest text id."""
    from analytics.neighbors import components, named_by_lowest, narrative_links, word_checked

    m = len(new_ids)
    threshold = s.group_narrative_threshold
    if threshold <= 0:
        return np.full(m, -1, dtype=np.int64)
    burst = (s.group_burst_narrative_threshold, s.group_burst_window)
    mutual = s.group_burst_mutual_threshold
    has = (best_row >= 0) & narrative_links(
        best_score, threshold, seen, *burst, reach=reach, mutual_threshold=mutual
    )
    overlap = (
        s.group_burst_window,
        s.group_foreign_word_overlap,
        s.group_foreign_word_overlap_apart,
    )
    if foreign is not None:
        # Each new text with its nearest placed text: row i of both sides.
        (new_foreign, new_words), (near_foreign, near_words) = foreign
        at = np.flatnonzero(has)
        has[at] = word_checked(
            (at, at), (new_foreign, near_foreign), (new_words, near_words), seen, *overlap
        )
    direct = np.where(has, near.narrative[np.clip(best_row, 0, None)], -1)
    strength = np.where(direct >= 0, best_score, -np.inf).astype(np.float64)
    if len(lex_old[0]):
        rows = near.lookup(lex_old[1])
        ok = rows >= 0
        at, narrative = lex_old[0][ok], near.narrative[rows[ok]]
        free = (direct[at] < 0) & (narrative >= 0)
        direct[at[free]] = narrative[free]
        strength[at[free]] = lex_old[2][ok][free] - 2.0
    source = np.repeat(np.arange(m), new_nbr.shape[1])
    target = new_nbr.ravel()
    link = (target >= 0) & (target != source)
    link[link] = narrative_links(
        new_scores.ravel()[link],
        threshold,
        None if seen is None else (seen[0][source[link]], seen[0][target[link]]),
        *burst,
        reach=None if reach is None else (reach[0][source[link]], reach[0][target[link]]),
        mutual_threshold=mutual,
    )
    if foreign is not None:
        new_foreign, new_words = foreign[0]
        link[link] = word_checked(
            (source[link], target[link]),
            (new_foreign, new_foreign),
            (new_words, new_words),
            None if seen is None else (seen[0], seen[0]),
            *overlap,
        )
    comp = components(
        m,
        np.concatenate([source[link], lex_new[0]]),
        np.concatenate([target[link], lex_new[1]]),
    )
    chosen = _strongest_per_component(comp, direct, strength)
    named = np.where(chosen[comp] >= 0, chosen[comp], named_by_lowest(comp, new_ids))
    return np.where(direct >= 0, direct, named)


def _strongest_per_component(
    comp: np.ndarray, direct: np.ndarray, strength: np.ndarray
) -> np.ndarray:
    """Per component of new texts (``comp``, 0..): the ``direct`` label (a group or a
    narrative of a placed text, -1 for none) of its member with the greatest
    ``strength``, or -1 when no member has one."""
    out = np.full(int(comp.max(initial=-1)) + 1, -1, dtype=np.int64)
    linked = np.flatnonzero(direct >= 0)
    if not len(linked):
        return out
    order = linked[np.lexsort((-strength[linked], comp[linked]))]
    firsts = order[np.concatenate([[True], comp[order][1:] != comp[order][:-1]])]
    out[comp[firsts]] = direct[firsts]
    return out


def _lexical_links(
    read: _TextsRead,
    s: Settings,
    new_ids: np.ndarray,
    old_text: np.ndarray,
    new_nbr: np.ndarray,
    attached: np.ndarray,
) -> tuple[tuple[np.ndarray, np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """Lexical near-copies of the new texts between full runs.

    A full run compares every pair through MinHash; here only a new text's
    nearest placed texts by vector (for those without a vector link), and the new
    texts most like it, are checked. A template copy with another payload is still
    among its nearest vectors even when the cosine misses the threshold, so this
    finds it without re-reading every stored text.

    Returns ``(new position, placed text id, containment)`` of the passing links to
    placed texts, and ``(new position, new position)`` of those among new texts.
    """
    from analytics.lexical import ShingleLinker

    empty_i = np.zeros(0, dtype=np.int64)
    if s.group_lexical_containment <= 0:
        return (empty_i, empty_i, np.zeros(0)), (empty_i, empty_i)
    m = len(new_ids)
    k = old_text.shape[1]
    old_src = np.repeat(np.arange(m), k)
    old_dst = old_text.ravel()
    want = (old_dst >= 0) & ~attached[old_src]
    old_src, old_dst = old_src[want], old_dst[want]
    new_src = np.repeat(np.arange(m), new_nbr.shape[1])
    new_dst = new_nbr.ravel()
    want = (new_dst >= 0) & (new_dst != new_src)
    new_src, new_dst = new_src[want], new_dst[want]
    ids = np.unique(np.concatenate([new_ids, old_dst]))
    texts = read(ids)
    new_at = np.searchsorted(ids, new_ids)
    linker = ShingleLinker(threshold=s.group_lexical_containment)
    scores = linker.containment(
        list(texts),
        np.concatenate([new_at[old_src], new_at[new_src]]),
        np.concatenate([np.searchsorted(ids, old_dst), new_at[new_dst]]),
    )
    old_scores, new_scores = scores[: len(old_src)], scores[len(old_src) :]
    ok_old = old_scores >= s.group_lexical_containment
    ok_new = new_scores >= s.group_lexical_containment
    return (
        (old_src[ok_old], old_dst[ok_old], old_scores[ok_old].astype(np.float64)),
        (new_src[ok_new], new_dst[ok_new]),
    )


class _TextsRead:
    """Masked texts of one incremental run, each read from the database once: the
    near-copy check and the foreign-text check ask for overlapping ids (both for the
    new texts)."""

    def __init__(self, session: Any) -> None:
        self.session = session
        self.ids = np.zeros(0, dtype=np.int64)
        self.texts = np.zeros(0, dtype=object)

    def __call__(self, ids: np.ndarray) -> np.ndarray:
        """Masked texts of ``ids`` (sorted, distinct), as :func:`_texts` gives them."""
        missing = np.setdiff1d(ids, self.ids, assume_unique=True)
        if len(missing):
            ids_all = np.concatenate([self.ids, missing])
            order = np.argsort(ids_all, kind="stable")
            self.ids = ids_all[order]
            self.texts = np.concatenate([self.texts, _texts(self.session, missing)])[order]
        return self.texts[np.searchsorted(self.ids, ids)]


def _texts(session: Any, ids: np.ndarray) -> np.ndarray:
    """Masked texts of ``ids`` (sorted, distinct) as an object array in that order;
    "" for an id without a text."""
    ids = np.asarray(ids, dtype=np.int64)
    out = np.full(len(ids), "", dtype=object)
    if len(ids) == 0:
        return out
    if len(ids) > 50_000:
        # Most of the store: one ordered scan beats thousands of IN lists.
        stmt: Any = select(TextBlob.id, TextBlob.masked_text).where(
            TextBlob.id.between(int(ids[0]), int(ids[-1]))
        )
        parts = [stmt.order_by(TextBlob.id)]
    else:
        parts = [
            select(TextBlob.id, TextBlob.masked_text).where(
                TextBlob.id.in_(ids[start : start + 5000].tolist())
            )
            for start in range(0, len(ids), 5000)
        ]
    for stmt in parts:
        result = session.execute(stmt)
        while rows := result.fetchmany(50_000):
            got, bodies = zip(*rows, strict=True)
            got_arr = np.asarray(got, dtype=np.int64)
            at = np.minimum(np.searchsorted(ids, got_arr), len(ids) - 1)
            hit = ids[at] == got_arr
            values = np.empty(len(bodies), dtype=object)
            values[:] = bodies
            out[at[hit]] = values[hit]
    return out


class _IndexCache:
    """The nearest-neighbour index over placed vectors, kept between runs.

    Files in the instance directory, one set per database: the faiss index a full
    run built, with the text id of each entry; one small file per later
    incremental run with the vectors and ids it added (rewriting a million-vector
    index after every ten thousand new texts would cost more than the run); and a
    JSON file naming the current set and the placements it covers. A run writes
    its files aside (:meth:`stage`) and points the JSON file at them only after its
    transaction commits (:meth:`publish`); a run that fails leaves the last good
    set. Past ``_MAX_DELTAS`` additions the whole index is written again.
    """

    VERSION = 2

    def __init__(self, db: Database, model_id: str) -> None:
        digest = hashlib.sha256(db.settings.resolved_database_url.encode()).hexdigest()[:12]
        self.dir = db.settings.instance_dir
        self.prefix = f"group-index-{digest}"
        self.model_id = model_id
        self._staged: dict[str, Any] | None = None
        self._staged_files: list[Path] = []
        self._loaded: dict[str, Any] | None = None
        self._placed_before = 0

    @property
    def _meta_path(self) -> Path:
        return self.dir / f"{self.prefix}.json"

    def _file(self, run_id: int, kind: str) -> Path:
        return self.dir / f"{self.prefix}-{run_id}.{kind}"

    def _describe(self, run_id: int, placed: int, base: int, deltas: list[int]) -> dict[str, Any]:
        return {
            "version": self.VERSION,
            "model_id": self.model_id,
            "run_id": run_id,
            "placed": placed,
            "base": base,
            "deltas": deltas,
        }

    def _write(self, writes: list[tuple[Path, Any]]) -> bool:
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            for path, write in writes:
                self._staged_files.append(path)
                write(path)
        except (OSError, RuntimeError):
            # A cache: without it the next incremental run rebuilds the index.
            log.warning("could not save the group index in %s", self.dir, exc_info=True)
            self.discard()
            return False
        return True

    def stage(self, index: Any, slot_text: np.ndarray, run_id: int, placed: int) -> None:
        """Write the whole ``index`` (entry i holds the vector of text ``slot_text[i]``)
        for the placements this run leaves: ``placed`` of them, the newest from
        ``run_id``."""
        import faiss

        ids = np.asarray(slot_text, dtype=np.int64)
        if self._write(
            [
                (self._file(run_id, "faiss"), lambda p: faiss.write_index(index, str(p))),
                (self._file(run_id, "ids.npy"), lambda p: np.save(p, ids)),
            ]
        ):
            self._staged = self._describe(run_id, placed, run_id, [])

    def publish(self) -> None:
        """Make the staged files current (after the run's commit) and drop older ones."""
        if self._staged is None:
            return
        meta, self._staged = self._staged, None
        self._staged_files = []
        tmp = self._meta_path.with_suffix(".json.tmp")
        try:
            tmp.write_text(json.dumps(meta))
            os.replace(tmp, self._meta_path)
        except OSError:
            log.warning("could not publish the group index", exc_info=True)
            return
        keep = {f"{self.prefix}-{r}." for r in [meta["base"], *meta["deltas"]]}
        for path in self.dir.glob(f"{self.prefix}-*"):
            if not any(path.name.startswith(k) for k in keep):
                with suppress(OSError):
                    path.unlink()

    def discard(self) -> None:
        """Remove files staged and not published (a failed run)."""
        self._staged = None
        for path in self._staged_files:
            with suppress(OSError):
                path.unlink()
        self._staged_files = []

    def load(self, session: Any, s: Settings) -> tuple[Any, np.ndarray]:
        """The index of every placed vector and the text id of each entry: the kept
        one when it still covers exactly the placements, else built from the store."""
        import faiss

        last_run, placed = session.execute(
            select(func.coalesce(func.max(TextPlacement.run_id), 0), func.count())
        ).one()
        self._placed_before = int(placed)
        try:
            meta = json.loads(self._meta_path.read_text())
            if {k: meta.get(k) for k in ("version", "model_id", "run_id", "placed")} == {
                "version": self.VERSION,
                "model_id": self.model_id,
                "run_id": int(last_run),
                "placed": int(placed),
            }:
                index = faiss.read_index(str(self._file(meta["base"], "faiss")))
                ids = [np.load(self._file(meta["base"], "ids.npy"))]
                for delta in meta["deltas"]:
                    with np.load(self._file(delta, "delta.npz")) as added:
                        index.add(np.ascontiguousarray(added["vectors"]))
                        ids.append(added["ids"])
                self._loaded = meta
                return index, np.concatenate(ids)
        except (OSError, ValueError, KeyError, RuntimeError):
            log.info("no usable group index in %s; rebuilding it", self.dir)
        self._loaded = None
        return self._rebuild(session, s)

    def _rebuild(self, session: Any, s: Settings) -> tuple[Any, np.ndarray]:
        placed_ids = (
            select(TextPlacement.text_id)
            .join(Embedding, Embedding.text_id == TextPlacement.text_id)
            .where(Embedding.model_id == self.model_id)
        )
        ids = np.asarray(
            session.execute(placed_ids.order_by(TextPlacement.text_id)).scalars().all(),
            dtype=np.int64,
        )
        text_ids, X = embedding_service.load_vectors(session, self.model_id, ids)
        if len(text_ids) == 0:
            import faiss

            return faiss.IndexFlatIP(X.shape[1] or 1), np.zeros(0, dtype=np.int64)
        grouper = _grouper(s).index_vectors(X)
        return grouper.index_, text_ids[grouper.index_rows_]

    def extend(
        self,
        index: Any,
        slot_text: np.ndarray,
        Xn: np.ndarray,
        new_ids: np.ndarray,
        scores: np.ndarray,
        run_id: int,
    ) -> None:
        """Add the new texts' distinct vectors to ``index`` and stage the addition."""
        from analytics.neighbors import distinct_rows

        first, _ = distinct_rows(Xn)
        # A vector already indexed (an identical twin) is found through its twin.
        if scores.shape[1]:
            first = first[scores[first, 0] < _SAME_VECTOR]
        vectors = np.ascontiguousarray(Xn[first])
        added = new_ids[first].astype(np.int64)
        placed = self._placed_before + len(new_ids)
        loaded = self._loaded
        if loaded is None or len(loaded["deltas"]) >= _MAX_DELTAS:
            if len(first):
                index.add(vectors)
            self.stage(index, np.concatenate([slot_text, added]), run_id, placed)
            return
        if self._write(
            [
                (
                    self._file(run_id, "delta.npz"),
                    lambda p: np.savez(p, vectors=vectors, ids=added),
                )
            ]
        ):
            self._staged = self._describe(
                run_id, placed, loaded["base"], [*loaded["deltas"], run_id]
            )


# Incremental runs whose additions are kept as files of their own before the
# whole index is written again.
_MAX_DELTAS = 20


# Cosine above which a vector counts as already indexed (float32 rounding).
_SAME_VECTOR = 1.0 - 1e-6
