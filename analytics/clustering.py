"""Topic clustering and a 2-D map of sentence vectors."""

from __future__ import annotations

from typing import Any

import faiss
import numpy as np
from sklearn.cluster import HDBSCAN, MiniBatchKMeans
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE

from analytics.neighbors import normalize_rows

__all__ = ["TopicClusterer"]


def _knn(reference: np.ndarray, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Exact inner-product neighbours; the reference sets here are small."""
    index = faiss.IndexFlatIP(reference.shape[1])
    index.add(np.ascontiguousarray(reference, dtype=np.float32))
    return index.search(np.ascontiguousarray(queries, dtype=np.float32), min(k, len(reference)))


class TopicClusterer:
    """Reduce, cluster densely, and map vectors to 2-D.

    Vectors are L2-normalised, projected with PCA to ``n_components`` and
    re-normalised (so Euclidean distance tracks cosine), then clustered with
    HDBSCAN. Beyond ``max_hdbscan_samples`` points HDBSCAN runs on a random
    sample (its cost grows faster than linearly: ~11 s for 20k points and ~52 s
    for 40k at 50 dimensions on two cores) and every point takes the majority
    label of its nearest sample points.

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
    """

    def __init__(
        self,
        n_components: int = 50,
        min_cluster_size: int = 15,
        min_samples: int | None = None,
        cluster_selection_method: str = "eom",
        max_hdbscan_samples: int = 20000,
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
        V = normalize_rows(X)
        n, d = V.shape
        if n < 2:
            raise ValueError("TopicClusterer needs at least 2 vectors")
        rng = np.random.default_rng(self.random_state)

        n_components = max(2, min(self.n_components, d, n))
        pca_rows = self._sample(rng, n, self.pca_samples)
        self.pca_ = PCA(n_components=n_components, random_state=self.random_state)
        self.pca_.fit(V[pca_rows])
        self.n_components_ = n_components
        R = self._reduce(V)

        self.sample_indices_ = self._sample(rng, n, self.max_hdbscan_samples)
        rate = len(self.sample_indices_) / n
        min_cluster = max(2, self.min_cluster_size)
        if rate < 1.0:
            min_cluster = max(5, min(min_cluster, round(min_cluster * rate)))
        self.min_cluster_size_ = min_cluster
        self.hdbscan_ = HDBSCAN(
            min_cluster_size=min_cluster,
            min_samples=self.min_samples,
            cluster_selection_method=self.cluster_selection_method,
            copy=True,
        )
        sample_labels = self.hdbscan_.fit(R[self.sample_indices_]).labels_.astype(np.int64)
        self._reference = R[self.sample_indices_]
        self._reference_labels = sample_labels
        if rate < 1.0:
            labels = self._vote(R)
            labels[self.sample_indices_] = sample_labels
        else:
            labels = sample_labels
        self.labels_ = labels
        self.n_clusters_ = int(labels.max()) + 1 if labels.size and labels.max() >= 0 else 0
        self.centroids_ = np.zeros((self.n_clusters_, n_components), dtype=np.float32)
        for c in range(self.n_clusters_):
            self.centroids_[c] = R[labels == c].mean(axis=0)
        if self.n_clusters_:
            self.centroids_ = normalize_rows(self.centroids_)

        self._fit_projection(R, rng)
        self.projection_ = self._project(R)
        return self

    @staticmethod
    def _sample(rng: np.random.Generator, n: int, size: int) -> np.ndarray:
        if n <= size:
            return np.arange(n)
        return np.sort(rng.choice(n, size=size, replace=False))

    def _reduce(self, V: np.ndarray) -> np.ndarray:
        return normalize_rows(self.pca_.transform(V))

    def _vote(self, R: np.ndarray) -> np.ndarray:
        """Majority label of the nearest reference points (noise included)."""
        _, ids = _knn(self._reference, R, self.n_neighbors)
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

    def _check_fitted(self) -> None:
        if not hasattr(self, "labels_"):
            raise RuntimeError("TopicClusterer is not fitted; call fit() first.")

    def predict(self, Y: Any) -> np.ndarray:
        """Topic of new points (-1 for noise), by vote of the nearest fitted points.

        Parameters
        ----------
        Y : array-like of shape (n_queries, n_features)

        Returns
        -------
        labels : ndarray of shape (n_queries,)
        """
        self._check_fitted()
        return self._vote(self._reduce(normalize_rows(Y)))

    def transform_2d(self, Y: Any) -> np.ndarray:
        """2-D map coordinates of new points, consistent with ``projection_``.

        Parameters
        ----------
        Y : array-like of shape (n_queries, n_features)

        Returns
        -------
        coords : ndarray of shape (n_queries, 2)
        """
        self._check_fitted()
        return self._project(self._reduce(normalize_rows(Y)))

    def fit_predict(self, X: Any, y: Any = None) -> np.ndarray:
        """Fit and return ``labels_``."""
        return self.fit(X).labels_
