"""Topic clustering and a 2-D map of sentence vectors."""

from __future__ import annotations

import time
from typing import Any

import faiss
import numpy as np
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import connected_components
from sklearn.base import BaseEstimator, ClusterMixin
from sklearn.cluster import HDBSCAN, MiniBatchKMeans
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE
from sklearn.utils.validation import check_is_fitted, validate_data

from analytics.neighbors import _unit_rows, normalize_rows

__all__ = ["TopicClusterer"]


def _knn(reference: np.ndarray, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Exact inner-product neighbours; the reference sets here are small."""
    index = faiss.IndexFlatIP(reference.shape[1])
    index.add(np.ascontiguousarray(reference, dtype=np.float32))
    return index.search(np.ascontiguousarray(queries, dtype=np.float32), min(k, len(reference)))


# Rows voted on exactly against the HDBSCAN sample; more go through an HNSW graph.
_EXACT_VOTES = 50_000


def _knn_graph(points: np.ndarray, k: int) -> csr_matrix:
    """Symmetric sparse Euclidean distances of unit rows to their ``k`` nearest
    neighbours, each row holding its own zero (HDBSCAN counts a point in its own
    neighbourhood), with every connected component bridged to another by its
    closest pair found: HDBSCAN needs one connected graph."""
    n = len(points)
    k = max(1, min(k, n - 1))
    scores, ids = _knn(points, points, k + 1)
    rows = np.repeat(np.arange(n), ids.shape[1])
    cols = ids.ravel()
    keep = (cols >= 0) & (cols != rows)
    a, b = rows[keep], cols[keep]
    dist = np.sqrt(np.clip(2.0 - 2.0 * scores.ravel()[keep].astype(np.float64), 0.0, None))
    a, b, dist = _bridge(points, a, b, dist)
    # A floor above zero: identical points would otherwise be no edge at all.
    dist = dist + 1e-9
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    pair = lo * n + hi
    pair, first = np.unique(pair, return_index=True)
    lo, hi, dist = pair // n, pair % n, dist[first]
    diag = np.arange(n)
    graph = csr_matrix(
        (
            np.concatenate([dist, dist, np.zeros(n)]),
            (np.concatenate([lo, hi, diag]), np.concatenate([hi, lo, diag])),
        ),
        shape=(n, n),
    )
    graph.sort_indices()
    return graph


def _bridge(
    points: np.ndarray, a: np.ndarray, b: np.ndarray, dist: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Add, until the graph is connected, an edge from every component but the
    largest to its nearest point outside it (searched exactly)."""
    n = len(points)
    while True:
        count, comp = connected_components(
            csr_matrix((np.ones(len(a)), (a, b)), shape=(n, n)), directed=False
        )
        if count <= 1:
            return a, b, dist
        largest = np.bincount(comp).argmax()
        # One search for every point outside the largest component; the nearest
        # hit in another component bridges its component.
        members = np.flatnonzero(comp != largest)
        s, j = _knn(points, points[members], 64)
        other = (j >= 0) & (comp[np.clip(j, 0, None)] != comp[members][:, None])
        has = other.any(axis=1)
        first = other.argmax(axis=1)
        cand_d = np.where(has, s[np.arange(len(members)), first], -np.inf)
        cand_j = j[np.arange(len(members)), first]
        order = np.lexsort((-cand_d, comp[members]))
        lead = order[np.concatenate([[True], np.diff(comp[members][order]) != 0])]
        found = lead[has[lead]]
        edges_a = members[found].tolist()
        edges_b = cand_j[found].tolist()
        edges_d = np.sqrt(np.clip(2.0 - 2.0 * cand_d[found].astype(np.float64), 0.0, None)).tolist()
        # A component whose members' 64 nearest are all inside it: search outside it.
        for c in comp[members[lead[~has[lead]]]].tolist():
            inside = np.flatnonzero(comp == c)
            outside = np.flatnonzero(comp != c)
            s1, j1 = _knn(points[outside], points[inside], 1)
            best = int(np.argmax(s1[:, 0]))
            edges_a.append(int(inside[best]))
            edges_b.append(int(outside[j1[best, 0]]))
            edges_d.append(float(np.sqrt(max(0.0, 2.0 - 2.0 * float(s1[best, 0])))))
        a = np.concatenate([a, edges_a])
        b = np.concatenate([b, edges_b])
        dist = np.concatenate([dist, edges_d])


class TopicClusterer(ClusterMixin, BaseEstimator):
    """Reduce, cluster densely, and map vectors to 2-D.

    Vectors are L2-normalised, projected with PCA to ``n_components`` and
    re-normalised (so Euclidean distance tracks cosine), then clustered with
    HDBSCAN. Beyond ``max_hdbscan_samples`` points HDBSCAN runs on a random
    sample and every point takes the majority label of its nearest sample
    points, so the fit costs the same however large the input grows; only the
    vote and the map grow with it, linearly.

    With ``graph="knn"`` (the default) HDBSCAN gets the sample's exact
    ``graph_neighbors``-nearest-neighbour graph, computed with faiss, as a sparse
    distance matrix instead of the coordinates. Its core distances are then the
    same as on the coordinates, and its spanning tree is the minimum spanning
    tree of that graph (components of the graph are bridged by their closest
    outside points). scikit-learn's own search (a k-d tree in 50 dimensions) and
    its exact O(n^2) tree took ~30 s on a 20k sample; this takes ~2 s.
    ``graph="complete"`` keeps the exact tree over all pairs, for comparison.

    Parameters
    ----------
    n_components : int, default=50
        Dimensions kept by PCA (capped by the data).
    min_cluster_size : int, default=15
        Smallest topic, in points of the full data. When HDBSCAN runs on a
        sample it is scaled by the sampling rate (but not below 5).
    min_samples : int or None, default=None
        HDBSCAN's density smoothing; None uses ``min_cluster_size``'s scaled
        value.
    cluster_selection_method : {"eom", "leaf"}, default="eom"
    max_hdbscan_samples : int, default=20000
        Largest input clustered directly.
    graph : {"knn", "complete"}, default="knn"
        What HDBSCAN builds its tree on: the sample's nearest-neighbour graph,
        or every pair of sample points (scikit-learn on the coordinates).
    graph_neighbors : int, default=30
        Neighbours per point in the ``"knn"`` graph (at least the density
        smoothing ``min_samples``).
    pca_samples : int, default=20000
        Points PCA is fitted on.
    n_neighbors : int, default=5
        Sample points voting on the label of a point outside the sample (and
        on ``predict``).
    n_landmarks : int, default=300
        Landmarks of the 2-D map (k-means centres in the reduced space).
    projection : {"landmark-tsne", "pca"}, default="landmark-tsne"
        ``"landmark-tsne"`` lays out the landmarks with t-SNE and places each
        point at the similarity-weighted mean of its nearest landmarks: topics
        separate visibly, it takes seconds on 100k points and new points land
        where their neighbours are. ``"pca"`` is the first two principal axes.
    random_state : int, default=0

    Attributes
    ----------
    labels_ : ndarray of shape (n_samples,)
        Topic of every point; -1 is noise.
    projection_ : ndarray of shape (n_samples, 2)
        2-D coordinates for a scatter plot.
    n_clusters_ : int
        Number of topics (noise excluded).
    pca_ : sklearn.decomposition.PCA
    hdbscan_ : sklearn.cluster.HDBSCAN
        The fitted clusterer (on the sample when one was drawn).
    sample_indices_ : ndarray
        Rows HDBSCAN ran on (all rows when no sample was drawn).
    centroids_ : ndarray of shape (n_clusters_, n_components_)
        Unit-normalised topic centres in the reduced space.
    landmarks_ : ndarray of shape (n_landmarks_, n_components_)
    landmarks_2d_ : ndarray of shape (n_landmarks_, 2)
    seconds_ : dict of str to float
        Time spent clustering (reduction, HDBSCAN, vote) and mapping, in seconds.
    cpu_seconds_ : dict of str to float
        The same in CPU seconds of the process's threads.
    """

    def __init__(
        self,
        *,
        n_components: int = 50,
        min_cluster_size: int = 15,
        min_samples: int | None = None,
        cluster_selection_method: str = "eom",
        max_hdbscan_samples: int = 20000,
        graph: str = "knn",
        graph_neighbors: int = 30,
        pca_samples: int = 20000,
        n_neighbors: int = 5,
        n_landmarks: int = 300,
        projection: str = "landmark-tsne",
        random_state: int = 0,
    ) -> None:
        self.n_components = n_components
        self.min_cluster_size = min_cluster_size
        self.min_samples = min_samples
        self.cluster_selection_method = cluster_selection_method
        self.max_hdbscan_samples = max_hdbscan_samples
        self.graph = graph
        self.graph_neighbors = graph_neighbors
        self.pca_samples = pca_samples
        self.n_neighbors = n_neighbors
        self.n_landmarks = n_landmarks
        self.projection = projection
        self.random_state = random_state

    # -- fitting ---------------------------------------------------------------

    def fit(self, X: Any, y: Any = None) -> TopicClusterer:
        """Cluster ``X`` and compute its 2-D map.

        Parameters
        ----------
        X : array-like of shape (n_samples, n_features)
        y : ignored

        Returns
        -------
        self : TopicClusterer
        """
        if self.projection not in ("landmark-tsne", "pca"):
            raise ValueError("projection must be 'landmark-tsne' or 'pca'")
        if self.graph not in ("knn", "complete"):
            raise ValueError("graph must be 'knn' or 'complete'")
        started, cpu_started = time.perf_counter(), time.process_time()
        # Stored vectors are float32 and C-ordered already: validated in place, not copied.
        # Two features at least: the map is two-dimensional.
        V = _unit_rows(
            validate_data(
                self, X, dtype=np.float32, order="C", ensure_min_samples=2, ensure_min_features=2
            )
        )
        n, d = V.shape
        rng = np.random.default_rng(self.random_state)

        n_components = max(2, min(self.n_components, d, n))
        pca_rows = self._sample(rng, n, self.pca_samples)
        self.pca_ = PCA(n_components=n_components, random_state=self.random_state)
        self.pca_.fit(V[pca_rows])
        self.n_components_ = n_components
        R = self._reduce(V)
        del V

        self.sample_indices_ = self._sample(rng, n, self.max_hdbscan_samples)
        rate = len(self.sample_indices_) / n
        min_cluster = max(2, self.min_cluster_size)
        if rate < 1.0:
            min_cluster = max(5, min(min_cluster, round(min_cluster * rate)))
        self.min_cluster_size_ = min_cluster
        sample = R[self.sample_indices_]
        # HDBSCAN refuses a neighbourhood larger than its input; fewer points than
        # min_cluster_size are all noise, which is the answer for them.
        min_samples = min(
            min_cluster if self.min_samples is None else self.min_samples, len(sample)
        )
        if self.graph == "knn":
            self.hdbscan_ = HDBSCAN(
                min_cluster_size=min_cluster,
                min_samples=min_samples,
                cluster_selection_method=self.cluster_selection_method,
                metric="precomputed",
                copy=False,  # the graph is built for this fit alone
            )
            graph = _knn_graph(sample, max(self.graph_neighbors, min_samples))
            sample_labels = self.hdbscan_.fit(graph).labels_.astype(np.int64)
        else:
            self.hdbscan_ = HDBSCAN(
                min_cluster_size=min_cluster,
                min_samples=min_samples,
                cluster_selection_method=self.cluster_selection_method,
                copy=True,
            )
            sample_labels = self.hdbscan_.fit(sample).labels_.astype(np.int64)
        self._reference = sample
        self._reference_labels = sample_labels
        if rate < 1.0:
            labels = self._vote(R)
            labels[self.sample_indices_] = sample_labels
        else:
            labels = sample_labels
        self.labels_ = labels
        self.n_clusters_ = int(labels.max()) + 1 if labels.size and labels.max() >= 0 else 0
        self.centroids_ = np.zeros((self.n_clusters_, n_components), dtype=np.float32)
        if self.n_clusters_:
            inside = np.flatnonzero(labels >= 0)
            member = csr_matrix(
                (np.ones(len(inside), dtype=np.float32), (labels[inside], inside)),
                shape=(self.n_clusters_, n),
            )
            sums = np.asarray(member @ R)
            self.centroids_ = normalize_rows(sums / np.bincount(labels[inside])[:, None])
        clustered, cpu_clustered = time.perf_counter(), time.process_time()

        self._fit_projection(R, rng)
        self.projection_ = self._project(R)
        self.seconds_ = {
            "cluster": clustered - started,
            "project": time.perf_counter() - clustered,
        }
        self.cpu_seconds_ = {
            "cluster": cpu_clustered - cpu_started,
            "project": time.process_time() - cpu_clustered,
        }
        return self

    @staticmethod
    def _sample(rng: np.random.Generator, n: int, size: int) -> np.ndarray:
        if n <= size:
            return np.arange(n)
        return np.sort(rng.choice(n, size=size, replace=False))

    def _reduce(self, V: np.ndarray) -> np.ndarray:
        # A block at a time: PCA centres a copy of its input, 1.5 GB at a million rows.
        out = np.empty((len(V), self.n_components_), dtype=np.float32)
        step = 65536
        for start in range(0, len(V), step):
            out[start : start + step] = normalize_rows(self.pca_.transform(V[start : start + step]))
        return out

    def _vote(self, R: np.ndarray) -> np.ndarray:
        """Majority label of the nearest reference points (noise included)."""
        ids = self._reference_neighbors(R)
        votes = self._reference_labels[ids]
        n_labels = int(self._reference_labels.max()) + 2  # shift noise to 0
        counts = np.zeros((len(R), n_labels), dtype=np.int32)
        rows = np.repeat(np.arange(len(R)), votes.shape[1])
        np.add.at(counts, (rows, votes.ravel() + 1), 1)
        # Ties go to the nearest neighbour's label, like a 1-NN fallback.
        nearest = votes[:, 0] + 1
        best = counts.argmax(axis=1)
        tie = counts[np.arange(len(R)), nearest] == counts[np.arange(len(R)), best]
        return np.where(tie, nearest, best).astype(np.int64) - 1

    def _reference_neighbors(self, R: np.ndarray) -> np.ndarray:
        """The ``n_neighbors`` nearest sample points of each row of ``R``.

        Exact for up to ``_EXACT_VOTES`` rows; beyond, through an HNSW graph over
        the sample, which keeps a million votes to seconds instead of a minute
        (the nearest few of 20k points are found all but always).
        """
        k = min(self.n_neighbors, len(self._reference))
        if len(R) <= _EXACT_VOTES:
            return _knn(self._reference, R, k)[1]
        index = faiss.IndexHNSWFlat(self._reference.shape[1], 32, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 64
        index.hnsw.efSearch = 64
        index.add(np.ascontiguousarray(self._reference, dtype=np.float32))
        return np.concatenate(
            [index.search(R[start : start + 65536], k)[1] for start in range(0, len(R), 65536)]
        )

    def _fit_projection(self, R: np.ndarray, rng: np.random.Generator) -> None:
        if self.projection == "pca":
            self.landmarks_ = np.zeros((0, R.shape[1]), dtype=np.float32)
            self.landmarks_2d_ = np.zeros((0, 2), dtype=np.float32)
            return
        n_landmarks = max(2, min(self.n_landmarks, len(R) // 3))
        rows = self._sample(rng, len(R), 50 * n_landmarks)
        kmeans = MiniBatchKMeans(
            n_clusters=n_landmarks,
            random_state=self.random_state,
            n_init=3,
            batch_size=2048,
        ).fit(R[rows])
        self.landmarks_ = normalize_rows(kmeans.cluster_centers_)
        perplexity = float(min(15.0, max(2.0, (n_landmarks - 1) / 3)))
        layout = TSNE(
            n_components=2,
            perplexity=perplexity,
            metric="cosine",
            init="pca",
            # Exact gradients with 500 steps: ~1 s for 300 landmarks, where
            # Barnes-Hut with 1000 steps took 2-8 s.
            method="exact",
            max_iter=500,
            random_state=self.random_state,
        ).fit_transform(self.landmarks_)
        # Unit scale so the map's extent does not depend on the run.
        layout = layout - layout.mean(axis=0)
        self.landmarks_2d_ = (layout / (np.abs(layout).max() or 1.0)).astype(np.float32)

    def _project(self, R: np.ndarray) -> np.ndarray:
        if self.projection == "pca":
            return np.ascontiguousarray(R[:, :2], dtype=np.float32)
        scores, ids = _knn(self.landmarks_, R, 3)
        # Sharp softmax over cosine: a point sits by its nearest landmark, pulled
        # slightly towards the next ones, so topic islands stay apart.
        weights = np.exp((scores - scores[:, :1]) * 20.0)
        weights /= weights.sum(axis=1, keepdims=True)
        coords = np.einsum("nk,nkd->nd", weights, self.landmarks_2d_[ids])
        return coords.astype(np.float32)

    # -- new points ------------------------------------------------------------

    def _check_new(self, Y: Any) -> np.ndarray:
        check_is_fitted(self)
        return normalize_rows(validate_data(self, Y, reset=False, dtype=np.float32))

    def predict(self, Y: Any) -> np.ndarray:
        """Topic of new points (-1 for noise), by vote of the nearest fitted points.

        Parameters
        ----------
        Y : array-like of shape (n_queries, n_features)

        Returns
        -------
        labels : ndarray of shape (n_queries,)
        """
        return self._vote(self._reduce(self._check_new(Y)))

    def transform_2d(self, Y: Any) -> np.ndarray:
        """2-D map coordinates of new points, consistent with ``projection_``.

        Parameters
        ----------
        Y : array-like of shape (n_queries, n_features)

        Returns
        -------
        coords : ndarray of shape (n_queries, 2)
        """
        return self._project(self._reduce(self._check_new(Y)))
