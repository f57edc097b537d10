"""The vectorised paths of the group job give what the per-item code gave."""

import itertools

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from analytics.clustering import TopicClusterer, _knn_graph
from analytics.keywords import ClassTfidfKeywords
from analytics.lexical import ShingleLinker, _shingles, pair_intersections
from analytics.neighbors import NearDuplicateGrouper, _distinct_rows_exact, distinct_rows
from analytics.stable_ids import match_label_arrays, match_labels


def _unit(a):
    return (a / np.linalg.norm(a, axis=1, keepdims=True)).astype(np.float32)


@pytest.mark.parametrize("seed", range(40))
def test_array_matching_gives_the_ids_the_mapping_version_gives(seed):
    rng = np.random.default_rng(seed)
    old_keys = rng.choice(400, rng.integers(1, 150), replace=False)
    old_ids = 100 + 7 * rng.integers(0, rng.integers(1, 30), len(old_keys))
    new_keys = rng.choice(400, rng.integers(1, 150), replace=False)
    new_labels = rng.integers(0, rng.integers(1, 30), len(new_keys))
    min_jaccard = (0.5, 0.3, 0.75)[seed % 3]
    expected = match_labels(
        dict(zip(old_keys.tolist(), old_ids.tolist(), strict=True)),
        dict(zip(new_keys.tolist(), new_labels.tolist(), strict=True)),
        min_jaccard=min_jaccard,
    )
    labels, matched = match_label_arrays(old_keys, old_ids, new_keys, new_labels, min_jaccard)
    got = {int(k): (None if v < 0 else int(v)) for k, v in zip(labels, matched, strict=True)}
    assert got == expected


def test_array_matching_handles_an_empty_past():
    labels, matched = match_label_arrays([], [], [5, 6], [1, 1])
    assert labels.tolist() == [1] and matched.tolist() == [-1]


def test_distinct_rows_by_hash_equal_distinct_rows_by_sorting():
    rng = np.random.default_rng(0)
    X = _unit(rng.standard_normal((500, 48)))
    X = X[rng.integers(0, 500, 2000)]  # many exact repeats, in mixed order
    first, slot = distinct_rows(X)
    assert np.array_equal(first, _distinct_rows_exact(X)[0])
    assert np.array_equal(slot, _distinct_rows_exact(X)[1])
    assert np.array_equal(X[first][slot], X)


def test_fitted_neighbors_are_what_a_second_search_returns():
    rng = np.random.default_rng(1)
    X = _unit(rng.standard_normal((800, 32)))
    X = np.concatenate([X, X[:50]])  # duplicates are answered through their twin
    grouper = NearDuplicateGrouper(k=5).fit(X)
    scores, rows = grouper.fitted_neighbors()
    again_scores, again_rows = grouper.kneighbors(X, 6)
    assert np.array_equal(rows, again_rows)
    assert np.allclose(scores, again_scores)


def test_stored_unit_vectors_are_not_copied():
    X = _unit(np.random.default_rng(2).standard_normal((300, 16)))
    grouper = NearDuplicateGrouper().fit(X)
    assert grouper.index_.ntotal == 300
    from analytics.neighbors import _unit_rows

    assert _unit_rows(X) is X
    assert _unit_rows(X * 2) is not X


TEXTS = [
    "Officials confirm voting machines in Riverton were pre-loaded with votes. Spread it!",
    "Officials confirm voting machines in Riverton were pre-loaded with 40,000 votes. Spread!",
    "Your parcel is held at customs: pay the release fee now or it is returned to sender.",
    "Your parcel is held at customs, pay the release fee now or it will be returned.",
    "ok thanks",
    "Here is a recipe for a lemon drizzle cake with a crunchy sugar topping and tea.",
]


def test_vectorised_intersections_equal_set_intersections():
    grams, starts = _shingles(TEXTS, 5)
    pairs = np.array(list(itertools.product(range(len(TEXTS)), repeat=2)))
    got = pair_intersections(grams, starts, pairs[:, 0], pairs[:, 1])
    for (i, j), count in zip(pairs.tolist(), got.tolist(), strict=True):
        a = set(grams[starts[i] : starts[i + 1]].tolist())
        b = set(grams[starts[j] : starts[j + 1]].tolist())
        assert count == len(a & b)


def test_containment_by_position_equals_pairwise_containment():
    linker = ShingleLinker(threshold=0.5)
    a = np.array([0, 2, 4, 5, 1])
    b = np.array([1, 3, 5, 0, 1])
    by_position = linker.containment(TEXTS, a, b)
    pairwise = linker.pair_containment([TEXTS[i] for i in a], [TEXTS[j] for j in b])
    assert np.array_equal(by_position, pairwise)
    assert by_position[2] == 0.0  # too few shingles in "ok thanks"
    assert by_position[4] == 1.0


def test_sparse_keywords_equal_a_dense_computation():
    texts = [f"{w} {v} market report" for w in ("bank", "vote", "cake") for v in "abcdef"]
    labels = [i // 6 for i in range(len(texts))]
    model = ClassTfidfKeywords(top_n=3, stop_words=None).fit(texts, labels)
    from sklearn.feature_extraction.text import CountVectorizer

    vec = CountVectorizer()
    counts = vec.fit_transform(texts).toarray().astype(float)
    terms = vec.get_feature_names_out()
    per_class = np.array([counts[np.array(labels) == c].sum(axis=0) for c in range(3)])
    tf = per_class / per_class.sum(axis=1, keepdims=True)
    weights = tf * np.log1p(per_class.sum(axis=1).mean() / per_class.sum(axis=0))
    for c in range(3):
        top = np.argsort(-weights[c], kind="stable")[:3]
        assert model.keywords_[c] == [str(terms[t]) for t in top if weights[c, t] > 0]
        assert np.allclose(model.scores_[c], [weights[c, t] for t in top if weights[c, t] > 0])


def _blobs(n_per=200, n_blobs=6, dim=24, seed=0):
    rng = np.random.default_rng(seed)
    centres = _unit(rng.standard_normal((n_blobs, dim)))
    y = np.repeat(np.arange(n_blobs), n_per)
    return _unit(centres[y] + 0.25 * _unit(rng.standard_normal((len(y), dim)))), y


def test_knn_graph_clustering_agrees_with_the_complete_graph():
    X, y = _blobs()
    knn = TopicClusterer(n_components=16, min_cluster_size=20).fit(X)
    complete = TopicClusterer(n_components=16, min_cluster_size=20, graph="complete").fit(X)
    assert adjusted_rand_score(y, knn.labels_) >= 0.95
    assert adjusted_rand_score(complete.labels_, knn.labels_) >= 0.95
    assert set(knn.seconds_) == {"cluster", "project"}


def test_knn_graph_is_symmetric_connected_and_counts_each_point_itself():
    from scipy.sparse.csgraph import connected_components

    X, _ = _blobs(n_per=60, dim=16)  # far-apart blobs: their 5-NN graphs do not touch
    graph = _knn_graph(X, 5)
    assert (abs(graph - graph.T) > 0).nnz == 0
    assert connected_components(graph, directed=False)[0] == 1
    assert np.all(graph.diagonal() == 0) and graph.getnnz(axis=1).min() >= 6


def test_bad_graph_is_named():
    with pytest.raises(ValueError, match="graph"):
        TopicClusterer(graph="dense").fit(_blobs()[0])


def test_presized_inverted_lists_equal_faiss_own_add():
    import faiss

    from analytics.neighbors import _fill_lists

    rng = np.random.default_rng(3)
    V = _unit(rng.standard_normal((6000, 24)))
    rows = rng.permutation(6000)[:4000]
    built = []
    for _ in range(2):
        index = faiss.IndexIVFFlat(faiss.IndexFlatIP(24), 24, 40, faiss.METRIC_INNER_PRODUCT)
        index.train(V[:2000])
        index.nprobe = 4
        built.append(index)
    built[0].add(V[rows])
    _fill_lists(built[1], V, rows)
    assert built[0].ntotal == built[1].ntotal == 4000
    for lst in range(40):
        size = built[0].invlists.list_size(lst)
        assert size == built[1].invlists.list_size(lst)
        ids = [faiss.rev_swig_ptr(b.invlists.get_ids(lst), size).copy() for b in built]
        assert np.array_equal(*ids)
    first, second = (b.search(V[:300], 6) for b in built)
    assert np.array_equal(first[1], second[1]) and np.array_equal(first[0], second[0])
