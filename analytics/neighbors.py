"""Near-duplicate grouping over sentence vectors.

Two texts are near-duplicates when the cosine of their vectors reaches a
threshold; a group is a connected component of that relation, found among
each point's k nearest neighbours so the cost stays near-linear.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import faiss
import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components
from sklearn.base import BaseEstimator, ClusterMixin, clone
from sklearn.utils.validation import check_is_fitted, validate_data

from analytics.language import word_overlap

__all__ = [
    "PAIR_DTYPE",
    "IndexShard",
    "NearDuplicateGrouper",
    "coarse_probes",
    "components",
    "merge_shard_results",
    "named_by_lowest",
    "narratives",
    "neighbor_reach",
    "normalize_rows",
    "search_shard",
    "shard_index",
    "union_labels",
]

PAIR_DTYPE = np.dtype([("i", np.int64), ("j", np.int64), ("score", np.float32)])
_INDEXES = ("hnsw", "ivf", "flat")
# Rows indexed or searched at once when the distinct rows are read in place.
_BLOCK = 65536
# Cosine above which a vector is treated as already indexed (float32 rounding).
_SAME_VECTOR = 1.0 - 1e-6


def normalize_rows(X: Any) -> np.ndarray:
    """Return a C-contiguous float32 copy of ``X`` with unit-norm rows."""
    X = np.ascontiguousarray(X, dtype=np.float32)
    if X.ndim != 2:
        raise ValueError(f"expected a 2-D array of vectors, got shape {X.shape}")
    norms = np.linalg.norm(X, axis=1, keepdims=True)
    return np.ascontiguousarray(X / np.clip(norms, 1e-12, None), dtype=np.float32)


def _unit_rows(X: Any) -> np.ndarray:
    """``X`` itself when it is already C-contiguous float32 with unit-norm rows (as
    stored vectors are), else :func:`normalize_rows`. Read-only use only: a million
    384-d vectors are 1.5 GB, and a copy of them was the largest cost in memory."""
    if (
        isinstance(X, np.ndarray)
        and X.dtype == np.float32
        and X.ndim == 2
        and X.flags.c_contiguous
        and len(X)
    ):
        step = 65536
        for start in range(0, len(X), step):
            norms = np.einsum("ij,ij->i", X[start : start + step], X[start : start + step])
            if not np.all(np.abs(norms - 1.0) <= 1e-5):
                return normalize_rows(X)
        return X
    return normalize_rows(X)


def distinct_rows(V: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First row of each distinct row of ``V`` (in order of first appearance), and
    each row's slot among them.

    Rows are hashed to 64 bits a block at a time and the hashes sorted; rows sharing
    a hash are then compared in full, so a collision cannot merge two vectors.
    Sorting the rows themselves (``np.unique`` on a void view) copied the matrix and
    compared 1.5 KB keys, seconds and gigabytes at a million rows.
    """
    n = len(V)
    if n == 0:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    words = np.ascontiguousarray(V).view(np.uint8).reshape(n, -1)
    pad = (-words.shape[1]) % 8
    mult = np.random.default_rng(12345).integers(
        1, 1 << 63, (words.shape[1] + pad) // 8, dtype=np.uint64
    ) | np.uint64(1)
    hashes = np.empty(n, dtype=np.uint64)
    step = 32768
    for start in range(0, n, step):
        block = words[start : start + step]
        if pad:
            block = np.pad(block, ((0, 0), (0, pad)))
        block = np.ascontiguousarray(block).view(np.uint64)
        hashes[start : start + step] = (block * mult).sum(axis=1, dtype=np.uint64)
    _, first, inverse = np.unique(hashes, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    slot_of = np.empty_like(order)
    slot_of[order] = np.arange(len(order))
    firsts, slots = first[order].astype(np.int64), slot_of[inverse.ravel()].astype(np.int64)
    dup = np.flatnonzero(firsts[slots] != np.arange(n))
    for start in range(0, len(dup), step):
        rows = dup[start : start + step]
        if not np.array_equal(words[rows], words[firsts[slots[rows]]]):
            return _distinct_rows_exact(V)
    return firsts, slots


def _distinct_rows_exact(V: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`distinct_rows` by sorting whole rows; for the rare hash collision."""
    keys = np.ascontiguousarray(V).view(np.dtype((np.void, V.dtype.itemsize * V.shape[1])))
    _, first, inverse = np.unique(keys.ravel(), return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")
    slot_of = np.empty_like(order)
    slot_of[order] = np.arange(len(order))
    return first[order].astype(np.int64), slot_of[inverse.ravel()].astype(np.int64)


def components(n: int, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    """Connected-component labels, numbered by first appearance."""
    graph = coo_matrix((np.ones(len(i), dtype=np.int8), (i, j)), shape=(n, n))
    _, raw = connected_components(graph, directed=False)
    # Renumber so that labels follow the input order: stable and readable.
    _, first = np.unique(raw, return_index=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first, kind="stable")] = np.arange(len(first))
    return rank[raw]


def union_labels(n: int, *pair_sets: np.ndarray) -> np.ndarray:
    """Groups of ``n`` items linked by any of several kinds of link.

    Parameters
    ----------
    n : int
        Number of items.
    *pair_sets : structured ndarrays with fields ``i`` and ``j``
        Links in row numbers, for example ``NearDuplicateGrouper.pairs_`` and
        ``ShingleLinker.pairs_`` over the same rows.

    Returns
    -------
    labels : ndarray of shape (n,)
        Connected components of the union, numbered by first appearance.
    """
    i = np.concatenate([np.asarray(p["i"], dtype=np.int64) for p in pair_sets] or [[]])
    j = np.concatenate([np.asarray(p["j"], dtype=np.int64) for p in pair_sets] or [[]])
    if len(i) and (i.min() < 0 or max(i.max(), j.max()) >= n):
        raise ValueError(f"a link names a row outside 0..{n - 1}")
    return components(n, i.astype(np.int64), j.astype(np.int64))


def narratives(
    keys: np.ndarray,
    scores: np.ndarray,
    neighbors: np.ndarray,
    groups: np.ndarray,
    threshold: float,
    *,
    seen: np.ndarray | None = None,
    burst_threshold: float = 0.0,
    burst_window: float = 0.0,
    mutual_threshold: float = 0.0,
    foreign: np.ndarray | None = None,
    words: Sequence[frozenset[str]] | None = None,
    min_word_overlap: float = 0.0,
    min_word_overlap_apart: float | None = None,
) -> np.ndarray:
    """Each row's narrative: the rows linked to it, directly or through others, by a
    neighbour cosine of at least ``threshold``, or of at least ``burst_threshold`` for
    two rows first ``seen`` within ``burst_window`` seconds of each other (or of at
    least ``mutual_threshold`` when each of the two is also among the other's kept
    neighbours), or by sharing its near-duplicate group, named by the lowest of their
    ``keys``.

    Texts that make the same claim in other words are not near-duplicates (cosine
    0.7-0.9 for one message reworded), so a campaign that draws a few posts per
    account from a wide pool shares few groups but whole narratives. Only the kept
    neighbours link (``neighbors``: row numbers, -1 for none, with their ``scores``),
    which bounds the chaining through a dense topic.

    Parameters
    ----------
    keys : ndarray of shape (n,)
        Each row's id (text ids).
    scores, neighbors : ndarrays of shape (n, k)
    groups : ndarray of shape (n,)
        Near-duplicate group labels: a narrative holds whole groups.
    threshold : float
        0 or less: no narratives (every row -1).
    seen : ndarray of shape (n,), optional
        When each row's text was first seen (seconds; NaN or inf for never, such as a
        text that is only ever a prompt): with ``burst_threshold`` above 0, the
        looser links of texts that came in one burst. A small operation draws its
        posts from a pool of messages that each reword one theme, 0.5-0.7 alike,
        where the same claim reworded is 0.75-0.85; people write about one theme
        at their own times, an operation posts in bursts. Through time the looser
        links would chain a whole topic into one narrative.
    mutual_threshold : float
        Above 0: within a burst, two rows that are each among the other's kept
        neighbours link at this cosine. Where texts are sparse (an operation's own
        theme, which nobody else writes about) the nearest texts are 0.4-0.5 alike
        and its messages are each other's nearest. Organic texts can be as sparse
        (docs/detection.md has the figures): what keeps them out of the detector's
        evidence is that a narrative counts only once accounts come back to it.
    foreign, words, min_word_overlap, min_word_overlap_apart : optional
        Which rows the embedding model cannot read (``analytics.language.foreign_texts``)
        and every row's content words (``content_words``): with ``min_word_overlap``
        above 0, a link that involves such a row (other than a shared group) holds only
        when the two share at least that share of their words (``word_overlap``), or
        ``min_word_overlap_apart`` (default: the same) when they were not first seen
        within one burst. The English model puts any two Spanish texts 0.5-0.9 apart,
        whatever they say: the words are what says that two of them make one claim.

    Returns
    -------
    ndarray of shape (n,), int64
    """
    keys = np.asarray(keys, dtype=np.int64)
    n = len(keys)
    if threshold <= 0 or n == 0:
        return np.full(n, -1, dtype=np.int64)
    neighbors = np.asarray(neighbors, dtype=np.int64).reshape(n, -1)
    scores = np.asarray(scores).reshape(n, -1)
    source = np.repeat(np.arange(n, dtype=np.int64), neighbors.shape[1])
    target = neighbors.ravel()
    link = (target >= 0) & (target != source)
    seen_pair = reach_pair = None
    if seen is not None:
        seen = np.asarray(seen, dtype=np.float64)
        seen_pair = (seen[source[link]], seen[target[link]])
        if mutual_threshold > 0:
            reach = neighbor_reach(scores, neighbors)
            reach_pair = (reach[source[link]], reach[target[link]])
    link[link] = narrative_links(
        scores.ravel()[link],
        threshold,
        seen_pair,
        burst_threshold,
        burst_window,
        reach=reach_pair,
        mutual_threshold=mutual_threshold,
    )
    if foreign is not None and words is not None and min_word_overlap > 0:
        foreign = np.asarray(foreign, dtype=bool)
        pairs = source[link], target[link]
        link[link] = word_checked(
            pairs,
            (foreign, foreign),
            (words, words),
            None if seen is None else (seen, seen),
            burst_window,
            min_word_overlap,
            min_word_overlap_apart,
        )
    # Every row is linked to the first row of its group.
    _, first, group = np.unique(np.asarray(groups), return_index=True, return_inverse=True)
    label = components(
        n,
        np.concatenate([source[link], np.arange(n)]),
        np.concatenate([target[link], first[group.ravel()]]),
    )
    return named_by_lowest(label, keys)


def narrative_links(
    score: np.ndarray,
    threshold: float,
    seen: tuple[np.ndarray, np.ndarray] | None = None,
    burst_threshold: float = 0.0,
    burst_window: float = 0.0,
    *,
    reach: tuple[np.ndarray, np.ndarray] | None = None,
    mutual_threshold: float = 0.0,
) -> np.ndarray:
    """Which pairs of texts, at cosine ``score``, share a narrative: at ``threshold``
    or more, or at ``burst_threshold`` or more when both were first ``seen`` (the two
    texts' times) within ``burst_window`` seconds of each other, never for a time that
    is not finite (a text never seen as an item's text); within such a burst also at
    ``mutual_threshold`` or more when the cosine reaches both texts' ``reach`` (the
    cosine of each one's last kept neighbour, :func:`neighbor_reach`: each is then
    among the other's nearest). The one rule of a full run (:func:`narratives`) and
    of the group job's incremental placement."""
    out = score >= threshold
    if seen is None or burst_threshold <= 0:
        return out
    floor = burst_threshold
    if reach is not None and 0 < mutual_threshold < burst_threshold:
        floor = mutual_threshold
    a, b = (np.asarray(x, dtype=np.float64) for x in seen)
    loose = ~out & (score >= floor)
    loose[loose] = _together(a[loose], b[loose], burst_window)
    if floor < burst_threshold and reach is not None:
        weak = loose & (score < burst_threshold)
        ra, rb = (np.asarray(x, dtype=np.float64) for x in reach)
        loose[weak] = (score[weak] >= ra[weak]) & (score[weak] >= rb[weak])
    return out | loose


def _together(a: np.ndarray, b: np.ndarray, window: float) -> np.ndarray:
    """Whether two texts first seen at times ``a`` and ``b`` came within ``window``
    seconds of each other; never for a time that is not finite (a text never seen as
    an item's text)."""
    out = np.isfinite(a) & np.isfinite(b)
    out[out] = np.abs(a[out] - b[out]) <= window
    return out


Sides = tuple[Any, Any]


def word_checked(
    pairs: tuple[np.ndarray, np.ndarray],
    foreign: Sides,
    words: Sides,
    seen: Sides | None,
    burst_window: float,
    within: float,
    apart: float | None = None,
) -> np.ndarray:
    """Which of the linked ``pairs`` (row ``i`` of the first side with row ``j`` of
    the second) still hold once the links that involve a text the embedding model
    cannot read are checked: such a link holds when the two texts share at least
    ``within`` of their content words (``analytics.language.word_overlap``) if both
    were first ``seen`` within ``burst_window`` seconds of each other, else at least
    ``apart`` (default ``within``). ``foreign``, ``words`` and ``seen`` give each side's
    rows (the same arrays twice where both sides are one set of texts). The one rule of
    a full run (:func:`narratives`) and of the group job's incremental placement."""
    i, j = (np.asarray(x, dtype=np.int64) for x in pairs)
    keep = np.ones(len(i), dtype=bool)
    check = np.flatnonzero(foreign[0][i] | foreign[1][j])
    if not len(check):
        return keep
    ci, cj = i[check], j[check]
    need = np.full(len(check), within if apart is None else apart, dtype=np.float64)
    if seen is not None:
        a = np.asarray(seen[0], dtype=np.float64)[ci]
        b = np.asarray(seen[1], dtype=np.float64)[cj]
        need[_together(a, b, burst_window)] = within
    keep[check] = word_overlap(words[0], ci, cj, words[1]) >= need
    return keep


def neighbor_reach(scores: np.ndarray, neighbors: np.ndarray) -> np.ndarray:
    """Per row, the cosine of its last kept neighbour (rows of ``neighbors``, -1 for
    none, with their ``scores``): a text closer than that is among its nearest. -inf
    for a row that keeps fewer neighbours than it has room for (every text is then
    among its nearest)."""
    neighbors = np.asarray(neighbors).reshape(len(neighbors), -1)
    scores = np.asarray(scores, dtype=np.float64).reshape(neighbors.shape)
    n, k = neighbors.shape
    if k == 0:
        return np.full(n, -np.inf)
    own = neighbors == np.arange(n)[:, None]
    valid = (neighbors >= 0) & ~own
    # A row's own vector may sit in its list (a search of the index it is in): room
    # for k - 1 others then.
    room = k - own.any(axis=1)
    full = valid.sum(axis=1) >= room
    lowest = np.where(valid, scores, np.inf).min(axis=1)
    return np.where(full & (room > 0), lowest, -np.inf)


def named_by_lowest(label: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """Each row's component (``label``, 0..) named by the lowest of its rows' ``keys``:
    a name that stays when rows join the component later with higher keys."""
    label = np.asarray(label, dtype=np.int64)
    lowest = np.full(int(label.max(initial=-1)) + 1, np.iinfo(np.int64).max, dtype=np.int64)
    np.minimum.at(lowest, label, np.asarray(keys, dtype=np.int64))
    return lowest[label]


def _fill_lists(index: Any, V: np.ndarray, rows: np.ndarray | None) -> None:
    """``index.add`` of ``V[rows]`` for a trained IndexIVFFlat, with every inverted
    list allocated once at its final size.

    faiss appends to its lists as points arrive, and the vectors under them grow
    by doubling: up to twice the 1.5 GB of a million vectors. Here each point's list
    is found first, then each list is written whole; the lists hold the same entries
    in the same order as after ``add``.
    """
    n = len(rows) if rows is not None else len(V)
    assigned = np.empty(n, dtype=np.int64)
    for start in range(0, n, _BLOCK):
        block = V[start : start + _BLOCK] if rows is None else V[rows[start : start + _BLOCK]]
        _, nearest = index.quantizer.search(np.ascontiguousarray(block), 1)
        assigned[start : start + _BLOCK] = nearest[:, 0]
    order = np.argsort(assigned, kind="stable")
    bounds = np.searchsorted(assigned[order], np.arange(index.nlist + 1))
    lists = index.invlists
    for lst in range(index.nlist):
        members = order[bounds[lst] : bounds[lst + 1]]
        if not len(members):
            continue
        source = members if rows is None else rows[members]
        # Both held in names for the call: faiss reads them through raw pointers.
        ids = np.ascontiguousarray(members, dtype=np.int64)
        codes = np.ascontiguousarray(V[source], dtype=np.float32).view(np.uint8)
        lists.resize(lst, len(ids))
        lists.update_entries(lst, 0, len(ids), faiss.swig_ptr(ids), faiss.swig_ptr(codes))
    index.ntotal = n


class NearDuplicateGrouper(ClusterMixin, BaseEstimator):
    """Group vectors whose cosine similarity reaches a threshold.

    Parameters
    ----------
    threshold : float, default=0.9
        Cosine at or above which two points are near-duplicates.
    k : int, default=10
        Neighbours examined per point. A group still forms when it is larger
        than ``k``, because groups are connected components of the links.
    exact_below : int, default=5000
        Below this many distinct vectors the index is exact (``IndexFlatIP``).
    index : {"hnsw", "ivf", "flat"}, default="hnsw"
        Index for larger inputs: HNSW graph, inverted file, or always exact.
    hnsw_m : int, default=32
        HNSW graph degree; 16 lost ~5% of the links on 100k synthetic points.
    ef_construction : int, default=64
        HNSW build beam width.
    ef_search : int or None, default=None
        HNSW search beam width; None means ``max(4 * k, 32)``.
    nprobe : int, default=8
        Inverted lists visited per query for ``index="ivf"``.
    random_state : int, default=0
        Seed for the IVF training sample.

    Attributes
    ----------
    labels_ : ndarray of shape (n_samples,)
        Group label of every point, numbered by first appearance; a point
        without near-duplicates is a group of its own.
    pairs_ : structured ndarray with fields ``i``, ``j``, ``score``
        Linked pairs (``i < j``) with their cosine. Exact duplicates are linked
        to the first occurrence of their vector with score 1.
    n_groups_ : int
        Number of groups (``labels_.max() + 1``).
    index_ : faiss.Index
        Index over the distinct vectors seen so far.
    index_rows_ : ndarray of int
        The row (in fit/partial_fit order) whose vector each entry of ``index_``
        holds: the first row of each distinct vector.
    n_samples_ : int
        Points seen by ``fit`` and ``partial_fit``.
    exact_ : bool
        Whether the index is exact.

    Notes
    -----
    Identical vectors are indexed once: graph indexes degrade on many exact
    ties, and the platform often holds templates whose vectors coincide.
    """

    def __init__(
        self,
        *,
        threshold: float = 0.9,
        k: int = 10,
        exact_below: int = 5000,
        index: str = "hnsw",
        hnsw_m: int = 32,
        ef_construction: int = 64,
        ef_search: int | None = None,
        nprobe: int = 8,
        random_state: int = 0,
    ) -> None:
        self.threshold = threshold
        self.k = k
        self.exact_below = exact_below
        self.index = index
        self.hnsw_m = hnsw_m
        self.ef_construction = ef_construction
        self.ef_search = ef_search
        self.nprobe = nprobe
        self.random_state = random_state

    # -- helpers ---------------------------------------------------------------

    def _build_index(self, V: np.ndarray, rows: np.ndarray | None = None) -> Any:
        """An index over ``V[rows]`` (all of ``V`` when ``rows`` is None)."""
        n, d = (len(rows) if rows is not None else len(V)), V.shape[1]
        if self.index not in _INDEXES:
            raise ValueError(f"index must be one of {_INDEXES}, got {self.index!r}")
        if n < self.exact_below or self.index == "flat":
            self.exact_ = True
            built = faiss.IndexFlatIP(d)
        elif self.index == "hnsw":
            self.exact_ = False
            built = faiss.IndexHNSWFlat(d, self.hnsw_m, faiss.METRIC_INNER_PRODUCT)
            built.hnsw.efConstruction = self.ef_construction
            built.hnsw.efSearch = self.ef_search or max(4 * self.k, 32)
        else:
            self.exact_ = False
            # ~4 sqrt(n) lists, with enough training points per list for k-means.
            nlist = max(1, min(int(4 * np.sqrt(n)), n // 39))
            quantizer = faiss.IndexFlatIP(d)
            built = faiss.IndexIVFFlat(quantizer, d, nlist, faiss.METRIC_INNER_PRODUCT)
            rng = np.random.default_rng(self.random_state)
            # 32 points per list and 10 k-means rounds: the lists only need to
            # hold near neighbours together, and faiss's defaults (up to 256
            # points per list, 25 rounds) took minutes at a million vectors.
            sample = np.sort(rng.choice(n, size=min(n, 32 * nlist), replace=False))
            built.cp.niter = 10
            built.cp.seed = self.random_state
            built.train(V[sample] if rows is None else V[rows[sample]])
            built.nprobe = self.nprobe
            self._ivf_quantizer = quantizer  # faiss does not own it from Python
        if isinstance(built, faiss.IndexIVFFlat):
            _fill_lists(built, V, rows)
        elif rows is None:
            built.add(V)
        elif isinstance(built, faiss.IndexHNSWFlat):
            # One add: HNSW's graph depends on how the points arrive.
            built.add(np.ascontiguousarray(V[rows]))
        else:
            # A block at a time: a copy of a million distinct vectors is 1.5 GB.
            for start in range(0, n, _BLOCK):
                built.add(np.ascontiguousarray(V[rows[start : start + _BLOCK]]))
        return built

    def _search(self, Q: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        k = max(1, min(k, self.index_.ntotal))
        scores, ids = self.index_.search(Q, k)
        return scores, ids

    def _search_rows(
        self, V: np.ndarray, rows: np.ndarray | None, k: int, search: Any = None
    ) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`_search` of ``V[rows]``, a block of rows at a time; each block through
        ``search(index, block, k)`` when given (a search sharded across machines)."""
        k = max(1, min(k, self.index_.ntotal))
        find = search or (lambda index, block, k: index.search(block, k))
        if rows is None:
            return find(self.index_, V, k)  # type: ignore[no-any-return]
        parts = [
            find(self.index_, np.ascontiguousarray(V[rows[start : start + _BLOCK]]), k)
            for start in range(0, len(rows), _BLOCK)
        ]
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])

    def _dedupe(self, V: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """First row of each distinct vector, and each row's distinct slot."""
        return distinct_rows(V)

    # -- fitting ---------------------------------------------------------------

    def _index(self, X: Any) -> tuple[np.ndarray, np.ndarray | None, np.ndarray]:
        """Index the distinct vectors of ``X``; return the unit vectors, the rows
        holding the distinct ones (None when every row is distinct), and each
        row's slot."""
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError("threshold must be in (0, 1]")
        if self.k < 1:
            raise ValueError("k must be >= 1")
        # Stored vectors are float32 and C-ordered already: validated in place, not copied.
        V = _unit_rows(validate_data(self, X, dtype=np.float32, order="C"))
        rep_rows, slot = self._dedupe(V)
        # Distinct texts rarely share a vector: then the rows are their own slots.
        # Otherwise the distinct rows are read in place, never copied out whole.
        rows = None if len(rep_rows) == len(V) else rep_rows
        self.index_ = self._build_index(V, rows)
        self._rep_rows = rep_rows.astype(np.int64)
        self.index_rows_ = self._rep_rows
        return V, rows, slot

    def index_vectors(self, X: Any) -> NearDuplicateGrouper:
        """Build ``index_`` and ``index_rows_`` over ``X`` without grouping it.

        For a caller that only searches new points against stored ones (the
        group job between full runs, when its kept index is missing).

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)

        Returns
        -------
        self : NearDuplicateGrouper
        """
        self._index(X)
        return self

    def fit(self, X: Any, y: Any = None, *, search: Any = None) -> NearDuplicateGrouper:
        """Index ``X`` and group its near-duplicates.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
            Vectors; rows are L2-normalised here.
        y : ignored
        search : callable or None
            ``search(index, queries, k) -> (scores, ids)`` in place of
            ``index.search``: the same search split over shards of the index (see
            :func:`shard_index`), which must return what ``index.search`` would.

        Returns
        -------
        self : NearDuplicateGrouper
        """
        V, rows, slot = self._index(X)
        n = len(slot)
        rep_rows = self._rep_rows

        scores, ids = self._search_rows(V, rows, self.k + 1, search)
        self._fit_search = (scores, ids)
        self._row_slots = slot.astype(np.int64)
        src = np.repeat(np.arange(len(rep_rows)), ids.shape[1])
        dst = ids.ravel()
        sc = scores.ravel()
        keep = (dst >= 0) & (dst != src) & (sc >= self.threshold)
        a, b, sc = src[keep], dst[keep], sc[keep]
        slot_labels = components(len(rep_rows), a, b)

        # Links between distinct vectors, reported once per unordered pair.
        ri, rj = rep_rows[a], rep_rows[b]
        lo, hi = np.minimum(ri, rj), np.maximum(ri, rj)
        link_pairs = np.unique(np.rec.fromarrays([lo, hi, sc.astype(np.float32)], dtype=PAIR_DTYPE))
        # np.unique on records keeps both (i, j) scores if they differ by
        # rounding; keep one per pair.
        _, once = np.unique(link_pairs[["i", "j"]], return_index=True)
        link_pairs = link_pairs[once]
        dup_rows = np.flatnonzero(rep_rows[slot] != np.arange(n))
        dup_pairs = np.rec.fromarrays(
            [rep_rows[slot[dup_rows]], dup_rows, np.ones(len(dup_rows), np.float32)],
            dtype=PAIR_DTYPE,
        )
        pairs = np.concatenate([np.asarray(link_pairs), np.asarray(dup_pairs)])
        self.pairs_ = np.sort(pairs, order=["i", "j"])
        self.labels_ = slot_labels[slot].astype(np.int64)
        self._slot_labels = slot_labels.astype(np.int64)
        self.n_groups_ = int(self.labels_.max()) + 1
        self.n_samples_ = n
        return self

    # -- querying --------------------------------------------------------------

    def _check_new(self, Y: Any) -> np.ndarray:
        # index_vectors fits the index alone: enough for every query.
        check_is_fitted(self, "index_")
        # No rows is a valid query (nothing new arrived), not an error.
        return normalize_rows(
            validate_data(self, Y, reset=False, dtype=np.float32, ensure_min_samples=0)
        )

    def fitted_neighbors(self) -> tuple[np.ndarray, np.ndarray]:
        """The ``k + 1`` nearest points of every point given to ``fit``, from the search
        ``fit`` made anyway: what ``kneighbors(X, k + 1)`` returns for the fitted
        ``X``, without searching the index a second time.

        Returns
        -------
        scores : ndarray of shape (n_samples, k + 1)
        indices : ndarray of shape (n_samples, k + 1)
            Row numbers as in :meth:`kneighbors`; -1 where fewer points exist.
        """
        check_is_fitted(self, "labels_")
        scores, ids = self._fit_search
        scores, ids = scores[self._row_slots], ids[self._row_slots]
        rows = np.where(ids >= 0, self._rep_rows[np.clip(ids, 0, None)], -1)
        return scores, rows

    def kneighbors(self, Y: Any, k: int | None = None) -> tuple[np.ndarray, np.ndarray]:
        """Nearest indexed vectors of each row of ``Y``.

        Parameters
        ----------
        Y : array-like of shape (n_queries, n_features)
        k : int or None
            Neighbours to return; None means ``self.k``.

        Returns
        -------
        scores : ndarray of shape (n_queries, k)
            Cosines, best first.
        indices : ndarray of shape (n_queries, k)
            Row numbers (in fit/partial_fit order) of the first point holding
            each neighbouring vector; -1 where fewer than k vectors exist.
        """
        Q = self._check_new(Y)
        k = self.k if k is None else k
        scores, ids = self._search(Q, k)
        if ids.shape[1] < k:
            pad = k - ids.shape[1]
            scores = np.pad(scores, ((0, 0), (0, pad)), constant_values=-np.inf)
            ids = np.pad(ids, ((0, 0), (0, pad)), constant_values=-1)
        rows = np.where(ids >= 0, self._rep_rows[np.clip(ids, 0, None)], -1)
        return scores, rows

    def _assign(
        self, Q: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Labels for new rows, plus the links that justify them.

        Returns labels, the best indexed slot (-1 if below threshold), its
        score, the unattached rows, and the pairs linking unattached rows (in
        positions among them).
        """
        scores, ids = self._search(Q, 1)
        best, best_score = ids[:, 0], scores[:, 0]
        attached = (best >= 0) & (best_score >= self.threshold)
        labels = np.full(len(Q), -1, dtype=np.int64)
        labels[attached] = self._slot_labels[best[attached]]
        # Rows arriving together may be near-duplicates of each other (a new
        # campaign): group them among themselves instead of n singletons.
        fresh = np.flatnonzero(~attached)
        sub_pairs = np.zeros(0, dtype=PAIR_DTYPE)
        if len(fresh):
            sub = clone(self).fit(Q[fresh])
            labels[fresh] = self.n_groups_ + sub.labels_
            sub_pairs = sub.pairs_
        best = np.where(attached, best, -1)
        return labels, best, best_score, fresh, sub_pairs

    def assign(self, Y: Any) -> np.ndarray:
        """Group labels for new points without changing the index.

        A point joins the group of its nearest indexed neighbour when their
        cosine reaches ``threshold``; the others get labels from ``n_groups_``
        upwards, shared by new points that are near-duplicates of each other.

        Parameters
        ----------
        Y : array-like of shape (n_queries, n_features)

        Returns
        -------
        labels : ndarray of shape (n_queries,)
        """
        return self._assign(self._check_new(Y))[0]

    def partial_fit(self, Y: Any, y: Any = None) -> NearDuplicateGrouper:
        """Add points between full runs, keeping existing labels unchanged.

        New points are labelled as by :meth:`assign`, appended to ``labels_``
        and ``pairs_`` (row numbers continue after the points already seen),
        and added to the index so later calls can match them. Groups are never
        merged here; a full ``fit`` does that.

        Parameters
        ----------
        Y : array-like of shape (n_new, n_features)
        y : ignored

        Returns
        -------
        self : NearDuplicateGrouper
        """
        if not hasattr(self, "index_"):
            return self.fit(Y)
        Q = self._check_new(Y)
        if len(Q) == 0:
            return self
        labels, best, best_score, fresh, sub = self._assign(Q)
        offset = self.n_samples_
        rows = offset + np.arange(len(Q))

        new_pairs = [np.asarray(self.pairs_)]
        attached = np.flatnonzero(best >= 0)
        if len(attached):
            new_pairs.append(
                np.asarray(
                    np.rec.fromarrays(
                        [
                            self._rep_rows[best[attached]],
                            rows[attached],
                            best_score[attached].astype(np.float32),
                        ],
                        dtype=PAIR_DTYPE,
                    )
                )
            )
        if len(sub):
            new_pairs.append(
                np.asarray(
                    np.rec.fromarrays(
                        [rows[fresh[sub["i"]]], rows[fresh[sub["j"]]], sub["score"]],
                        dtype=PAIR_DTYPE,
                    )
                )
            )
        self.pairs_ = np.concatenate(new_pairs)

        # Index each new distinct vector once, and none already indexed:
        # repeats are found through their twin, and ties hurt graph indexes.
        first, _ = self._dedupe(Q)
        new = first[~((best[first] >= 0) & (best_score[first] >= _SAME_VECTOR))]
        if len(new):
            self.index_.add(Q[new])
            self._rep_rows = np.concatenate([self._rep_rows, rows[new].astype(np.int64)])
            self.index_rows_ = self._rep_rows
            self._slot_labels = np.concatenate([self._slot_labels, labels[new]])
        self.labels_ = np.concatenate([self.labels_, labels])
        self.n_groups_ = max(self.n_groups_, int(labels.max()) + 1)
        self.n_samples_ = offset + len(Q)
        return self


# -- the search split across machines -----------------------------------------------
#
# A worker holds one shard of the index and searches every query against it; the
# shards' answers are then merged into what one search of the whole index gives.
# Every score is computed by the same faiss kernel over the same vectors as in one
# search, so it is the same float: an exact index is cut at multiples of faiss's
# database block (1,024 vectors), so each shard multiplies the same blocks; an
# inverted-file index is cut between its lists, and every query visits the lists
# that the whole index's own coarse search would pick (:func:`coarse_probes`).


@dataclass(frozen=True)
class IndexShard:
    """What one worker needs to search part of an index: the vectors of an exact
    index from ``first`` on, or some inverted lists (``lists``, each list's ``ids``
    and ``vectors``) of an inverted-file one with its ``centroids``."""

    kind: str  # "flat" or "ivf"
    first: int
    vectors: np.ndarray
    centroids: np.ndarray | None = None
    lists: np.ndarray | None = None
    list_sizes: np.ndarray | None = None
    ids: np.ndarray | None = None

    @property
    def size(self) -> int:
        return len(self.vectors)


# faiss multiplies an exact index by blocks of this many vectors
# (distance_compute_blas_database_bs); shards are cut at multiples of it.
_FLAT_BLOCK = 1024


def _ivf_lists(index: Any) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray]]:
    """Sizes, ids and vectors of every inverted list of an IndexIVFFlat."""
    invlists, d = index.invlists, index.d
    sizes = np.array([invlists.list_size(i) for i in range(index.nlist)], dtype=np.int64)
    ids, vectors = [], []
    for lst, size in enumerate(sizes.tolist()):
        if size == 0:
            ids.append(np.zeros(0, dtype=np.int64))
            vectors.append(np.zeros((0, d), dtype=np.float32))
            continue
        ids.append(faiss.rev_swig_ptr(invlists.get_ids(lst), size).copy())
        codes = faiss.rev_swig_ptr(invlists.get_codes(lst), size * 4 * d)
        vectors.append(np.frombuffer(codes, dtype=np.float32).reshape(size, d).copy())
    return sizes, ids, vectors


def shard_index(index: Any, n_shards: int) -> list[IndexShard]:
    """Cut an exact (``IndexFlatIP``) or inverted-file (``IndexIVFFlat``) index into at
    most ``n_shards`` shards of about equal size.

    Raises ValueError for any other kind of index (an HNSW graph does not split).
    """
    if n_shards < 1:
        raise ValueError(f"n_shards must be >= 1, got {n_shards}")
    if isinstance(index, faiss.IndexIVFFlat):
        sizes, ids, vectors = _ivf_lists(index)
        centroids = index.quantizer.reconstruct_n(0, index.nlist)
        # Contiguous runs of lists, cut where the running size crosses each share.
        bounds = np.searchsorted(
            np.cumsum(sizes), np.linspace(0, sizes.sum(), n_shards + 1)[1:-1], side="left"
        )
        edges = np.unique(np.concatenate([[0], bounds + 1, [index.nlist]]).clip(0, index.nlist))
        shards = []
        for lo, hi in pairwise(edges):
            lists = np.arange(lo, hi, dtype=np.int64)
            shards.append(
                IndexShard(
                    "ivf",
                    int(lo),
                    np.concatenate(vectors[lo:hi]),
                    centroids=centroids,
                    lists=lists,
                    list_sizes=sizes[lo:hi],
                    ids=np.concatenate(ids[lo:hi]),
                )
            )
        return shards
    if type(index) is faiss.IndexFlatIP or isinstance(index, faiss.IndexFlatIP):
        n = index.ntotal
        blocks = -(-n // _FLAT_BLOCK)
        per = max(1, -(-blocks // n_shards)) * _FLAT_BLOCK
        xb = faiss.rev_swig_ptr(index.get_xb(), n * index.d)
        X = np.frombuffer(xb, dtype=np.float32).reshape(n, index.d)
        return [IndexShard("flat", lo, X[lo : lo + per].copy()) for lo in range(0, max(n, 1), per)]
    raise ValueError(f"cannot shard a {type(index).__name__}: only exact and IVF-flat indexes")


def coarse_probes(index: Any, Q: np.ndarray) -> np.ndarray | None:
    """The inverted lists each query of ``Q`` visits, in the order it visits them, as
    ``index.search(Q, k)`` finds them; None for an exact index.

    faiss cuts the queries into one slice per thread and runs the coarse search on
    each; the same slices here give the same floats, hence the same lists.
    """
    if not isinstance(index, faiss.IndexIVFFlat):
        return None
    n = len(Q)
    nt = max(1, min(faiss.omp_get_max_threads(), n))
    out = np.empty((n, index.nprobe), dtype=np.int64)
    for s in range(nt):
        lo, hi = n * s // nt, n * (s + 1) // nt
        if hi > lo:
            out[lo:hi] = index.quantizer.search(np.ascontiguousarray(Q[lo:hi]), index.nprobe)[1]
    return out


def _shard_to_index(shard: IndexShard) -> tuple[Any, Any]:
    """The shard as a faiss index, and its quantizer (to be kept alive beside it:
    faiss does not own it from Python)."""
    d = shard.vectors.shape[1]
    if shard.kind == "flat":
        built = faiss.IndexFlatIP(d)
        built.add(np.ascontiguousarray(shard.vectors))
        return built, None
    assert shard.centroids is not None and shard.lists is not None
    assert shard.list_sizes is not None and shard.ids is not None
    quantizer = faiss.IndexFlatIP(d)
    quantizer.add(np.ascontiguousarray(shard.centroids))
    built = faiss.IndexIVFFlat(quantizer, d, len(shard.centroids), faiss.METRIC_INNER_PRODUCT)
    built.is_trained = True
    at = 0
    for lst, size in zip(shard.lists.tolist(), shard.list_sizes.tolist(), strict=True):
        if size:
            ids = np.ascontiguousarray(shard.ids[at : at + size])
            codes = np.ascontiguousarray(shard.vectors[at : at + size]).view(np.uint8)
            built.invlists.add_entries(lst, size, faiss.swig_ptr(ids), faiss.swig_ptr(codes))
            at += size
    built.ntotal = shard.size
    return built, quantizer


def search_shard(
    shard: IndexShard, Q: np.ndarray, k: int, probes: np.ndarray | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ``k`` best entries of ``shard`` for every query of ``Q``: scores, ids in the
    whole index, and each hit's place in the whole index's scan (for ties).

    ``probes`` are :func:`coarse_probes` of the whole index (None for an exact one).
    Fewer than ``k`` hits are padded with score -inf and id -1.
    """
    Q = np.ascontiguousarray(Q, dtype=np.float32)
    index, _quantizer = _shard_to_index(shard)
    n = len(Q)
    if shard.kind == "flat":
        kk = max(1, min(k, index.ntotal))
        scores, ids = index.search(Q, kk)
        ids = np.where(ids >= 0, ids + shard.first, -1)
        order = ids.astype(np.float64)
    else:
        assert probes is not None
        kk = k
        index.nprobe = probes.shape[1]
        assert shard.centroids is not None and shard.lists is not None
        held = np.zeros(len(shard.centroids), dtype=bool)
        held[shard.lists] = True
        scores = np.full((n, k), -np.inf, dtype=np.float32)
        ids = np.full((n, k), -1, dtype=np.int64)
        # Only the queries that visit one of this shard's lists.
        ask = np.flatnonzero(held[probes].any(axis=1))
        if len(ask):
            dummy = np.zeros((len(ask), probes.shape[1]), dtype=np.float32)
            s, i = index.search_preassigned(Q[ask], k, np.ascontiguousarray(probes[ask]), dummy)
            scores[ask], ids[ask] = s, i
        # A hit's place in the scan: the rank of its list among the query's probes,
        # then its id (ids ascend within a list).
        list_of = np.full(int(shard.ids.max(initial=-1)) + 1, -1)  # type: ignore[union-attr]
        list_of[shard.ids] = np.repeat(shard.lists, shard.list_sizes)  # type: ignore[arg-type]
        hit = ids >= 0
        lists = np.where(hit, list_of[np.clip(ids, 0, None)], -1)
        rank = (probes[:, :, None] == lists[:, None, :]).argmax(axis=1)
        order = np.where(hit, rank * float(1 << 40) + ids, np.inf)
    if scores.shape[1] < kk or scores.shape[1] < k:
        pad = k - scores.shape[1]
        scores = np.pad(scores, ((0, 0), (0, pad)), constant_values=-np.inf)
        ids = np.pad(ids, ((0, 0), (0, pad)), constant_values=-1)
        order = np.pad(order, ((0, 0), (0, pad)), constant_values=np.inf)
    return scores, ids, order


def merge_shard_results(
    parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]], k: int
) -> tuple[np.ndarray, np.ndarray]:
    """The ``k`` best hits per query over every shard's :func:`search_shard`, in the
    order ``index.search`` returns them (score descending, equal scores by id
    descending).

    Between distinct vectors with exactly the same float score for a query at the
    k-th place, the one met first in the scan is kept; faiss's heap may keep another
    (its choice depends on what it evicted before). With float vectors of many
    dimensions such a tie is all but unheard of; identical vectors are indexed once.
    """
    scores = np.concatenate([p[0] for p in parts], axis=1)
    ids = np.concatenate([p[1] for p in parts], axis=1)
    order = np.concatenate([p[2] for p in parts], axis=1)
    # Sort keys must treat -inf padding as worst: -score is +inf there.
    chosen = np.lexsort((order, -scores.astype(np.float64)), axis=1)[:, :k]
    s = np.take_along_axis(scores, chosen, axis=1)
    i = np.take_along_axis(ids, chosen, axis=1)
    out = np.lexsort((-i, -s.astype(np.float64)), axis=1)
    return np.take_along_axis(s, out, axis=1), np.take_along_axis(i, out, axis=1)
