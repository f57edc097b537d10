"""Topic clustering and the 2-D map on planted synthetic topics."""

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.metrics import adjusted_rand_score
from sklearn.neighbors import KNeighborsClassifier

from analytics.clustering import TopicClusterer


def _unit(a):
    return (a / np.linalg.norm(a, axis=1, keepdims=True)).astype(np.float32)


def planted_topics(n=3000, n_topics=12, dim=96, noise_share=0.08, seed=0):
    rng = np.random.default_rng(seed)
    centres = _unit(rng.standard_normal((n_topics, dim)))
    y = rng.integers(0, n_topics, n)
    X = _unit(0.6 * centres[y] + 0.8 * _unit(rng.standard_normal((n, dim))))
    noise = rng.random(n) < noise_share
    X[noise] = _unit(rng.standard_normal((int(noise.sum()), dim)))
    return X, np.where(noise, -1, y)


@pytest.fixture(scope="module")
def fitted():
    X, y = planted_topics()
    return X, y, TopicClusterer(n_components=20, min_cluster_size=30).fit(X)


def test_planted_topics_are_found(fitted):
    _, y, model = fitted
    topical = y >= 0
    assert model.n_clusters_ == 12
    assert adjusted_rand_score(y[topical], model.labels_[topical]) >= 0.95
    # Scattered points are mostly called noise, not forced into a topic.
    assert np.mean(model.labels_[~topical] == -1) >= 0.8


def test_projection_separates_topics_visibly(fitted):
    X, y, model = fitted
    assert model.projection_.shape == (len(X), 2)
    topical = np.flatnonzero(y >= 0)
    train, test = topical[::2], topical[1::2]
    knn = KNeighborsClassifier(5).fit(model.projection_[train], y[train])
    assert knn.score(model.projection_[test], y[test]) >= 0.9


def test_new_points_are_predicted_and_mapped_like_fitted_ones(fitted):
    X, y, model = fitted
    rng = np.random.default_rng(5)
    topical = np.flatnonzero(y >= 0)[:300]
    jitter = _unit(X[topical] + 0.05 * rng.standard_normal(X[topical].shape))
    assert np.mean(model.predict(jitter) == model.labels_[topical]) >= 0.95
    np.testing.assert_allclose(model.transform_2d(X[:50]), model.projection_[:50], atol=1e-5)


def test_large_inputs_cluster_a_sample_and_assign_the_rest():
    X, y = planted_topics(n=6000, seed=1)
    model = TopicClusterer(n_components=20, min_cluster_size=60, max_hdbscan_samples=2000).fit(X)
    assert len(model.sample_indices_) == 2000
    assert model.min_cluster_size_ == 20
    topical = y >= 0
    assert adjusted_rand_score(y[topical], model.labels_[topical]) >= 0.95


def test_pca_projection_is_available():
    X, _ = planted_topics(n=500, n_topics=3)
    model = TopicClusterer(n_components=10, projection="pca").fit(X)
    assert model.projection_.shape == (500, 2)
    assert model.transform_2d(X[:3]).shape == (3, 2)


def test_unfitted_model_refuses_to_predict():
    with pytest.raises(NotFittedError):
        TopicClusterer().predict(np.eye(3))
