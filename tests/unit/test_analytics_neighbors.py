"""Near-duplicate grouping on planted families of synthetic vectors."""

import itertools

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError
from sklearn.metrics import adjusted_rand_score

from analytics.neighbors import NearDuplicateGrouper


def _unit(a):
    return (a / np.linalg.norm(a, axis=1, keepdims=True)).astype(np.float32)


def planted(n_families=60, n_background=1500, dim=64, seed=0):
    """Families of near-duplicates (pairwise cosine ~0.96) among topical background.

    Some families are planted next to another family (cosine ~0.8): close
    topics that must not merge.
    """
    rng = np.random.default_rng(seed)
    topics = _unit(rng.standard_normal((10, dim)))
    background = _unit(
        0.6 * topics[rng.integers(0, 10, n_background)]
        + 0.8 * _unit(rng.standard_normal((n_background, dim)))
    )
    vectors, labels = [background], list(range(-n_background, 0))
    centres = []
    for f in range(n_families):
        if f % 5 == 1:
            centre = _unit(centres[-1][None] + 0.75 * _unit(rng.standard_normal((1, dim))))[0]
        else:
            centre = _unit(
                0.6 * topics[rng.integers(0, 10)][None] + 0.8 * _unit(rng.standard_normal((1, dim)))
            )[0]
        centres.append(centre)
        size = int(rng.integers(2, 40))
        vectors.append(_unit(centre + 0.2 * _unit(rng.standard_normal((size, dim)))))
        labels += [f] * size
    X = np.vstack(vectors)
    y = np.asarray(labels)
    order = rng.permutation(len(y))
    return X[order], y[order]


def pair_precision_recall(truth, predicted):
    def pairs(labels):
        groups = {}
        for i, g in enumerate(labels):
            groups.setdefault(g, []).append(i)
        return {p for m in groups.values() for p in itertools.combinations(m, 2)}

    t, p = pairs(truth), pairs(predicted)
    return len(t & p) / max(len(p), 1), len(t & p) / max(len(t), 1)


@pytest.mark.parametrize("index, exact_below", [("flat", 5000), ("hnsw", 100), ("ivf", 100)])
def test_planted_families_are_recovered(index, exact_below):
    X, y = planted()
    grouper = NearDuplicateGrouper(threshold=0.9, index=index, exact_below=exact_below).fit(X)
    precision, recall = pair_precision_recall(y, grouper.labels_)
    assert precision >= 0.99
    assert recall >= 0.97
    assert adjusted_rand_score(y, grouper.labels_) >= 0.97
    assert grouper.exact_ is (index == "flat")


def test_every_point_has_a_group_and_singletons_are_their_own():
    X, y = planted(n_families=5, n_background=200)
    grouper = NearDuplicateGrouper().fit(X)
    assert grouper.labels_.shape == (len(X),)
    background = np.flatnonzero(y < 0)
    assert len(set(grouper.labels_[background])) == len(background)
    assert grouper.n_groups_ == len(set(grouper.labels_))


def test_pairs_are_ordered_unique_and_above_threshold():
    X, _ = planted(n_families=10, n_background=300)
    grouper = NearDuplicateGrouper(threshold=0.9).fit(X)
    pairs = grouper.pairs_
    assert len(pairs) > 0
    assert np.all(pairs["i"] < pairs["j"])
    assert len(np.unique(pairs[["i", "j"]])) == len(pairs)
    cos = np.sum(X[pairs["i"]] * X[pairs["j"]], axis=1) / (
        np.linalg.norm(X[pairs["i"]], axis=1) * np.linalg.norm(X[pairs["j"]], axis=1)
    )
    np.testing.assert_allclose(cos, pairs["score"], atol=1e-4)
    assert np.all(pairs["score"] >= 0.9 - 1e-6)
    assert np.all(grouper.labels_[pairs["i"]] == grouper.labels_[pairs["j"]])


def test_exact_duplicates_share_a_group_even_beyond_k():
    rng = np.random.default_rng(3)
    X = _unit(rng.standard_normal((300, 32)))
    X[100:250] = X[100]  # a template repeated 150 times: more than k
    grouper = NearDuplicateGrouper(k=5, index="hnsw", exact_below=10).fit(X)
    assert len(set(grouper.labels_[100:250])) == 1
    assert grouper.index_.ntotal == 151


def test_group_larger_than_k_stays_connected():
    rng = np.random.default_rng(4)
    centre = _unit(rng.standard_normal((1, 48)))
    family = _unit(centre + 0.15 * _unit(rng.standard_normal((200, 48))))
    other = _unit(rng.standard_normal((200, 48)))
    grouper = NearDuplicateGrouper(k=5).fit(np.vstack([family, other]))
    assert len(set(grouper.labels_[:200])) == 1


def test_kneighbors_returns_scores_best_first_with_self_first():
    X, _ = planted(n_families=5, n_background=200)
    grouper = NearDuplicateGrouper().fit(X)
    scores, idx = grouper.kneighbors(X[:10], k=4)
    assert scores.shape == idx.shape == (10, 4)
    assert np.all(idx[:, 0] == np.arange(10))
    assert np.all(np.diff(scores, axis=1) <= 1e-6)


def test_assign_attaches_to_existing_groups_and_groups_new_arrivals():
    X, y = planted(seed=1)
    held_out = np.flatnonzero(y >= 0)[:40]
    keep = np.setdiff1d(np.arange(len(y)), held_out)
    grouper = NearDuplicateGrouper().fit(X[keep])
    before = grouper.labels_.copy()

    rng = np.random.default_rng(9)
    fresh_centre = _unit(rng.standard_normal((1, X.shape[1])))
    newcomers = _unit(fresh_centre + 0.15 * _unit(rng.standard_normal((6, X.shape[1]))))
    Y = np.vstack([X[held_out], newcomers])
    labels = grouper.assign(Y)
    # Held-out members join the group their family already has.
    for row, label in zip(held_out, labels[: len(held_out)], strict=True):
        family_rows = np.flatnonzero(y[keep] == y[row])
        if len(family_rows):
            assert label == grouper.labels_[family_rows[0]]
    # A new campaign arriving together forms one new group.
    assert len(set(labels[len(held_out) :])) == 1
    assert labels[-1] >= grouper.n_groups_
    np.testing.assert_array_equal(grouper.labels_, before)  # assign changes nothing


def test_partial_fit_extends_the_index_and_keeps_old_labels():
    X, y = planted(seed=2)
    grouper = NearDuplicateGrouper().fit(X[:1200])
    old = grouper.labels_.copy()
    grouper.partial_fit(X[1200:])
    assert len(grouper.labels_) == len(X)
    np.testing.assert_array_equal(grouper.labels_[:1200], old)
    precision, recall = pair_precision_recall(y, grouper.labels_)
    assert precision >= 0.99 and recall >= 0.9
    # The new points are now findable.
    _, idx = grouper.kneighbors(X[-3:], k=1)
    np.testing.assert_array_equal(idx[:, 0], np.arange(len(X) - 3, len(X)))
    # Repeating a known vector attaches it and does not grow the index.
    ntotal = grouper.index_.ntotal
    grouper.partial_fit(X[:1])
    assert grouper.labels_[-1] == grouper.labels_[0]
    assert grouper.index_.ntotal == ntotal


def test_rejects_bad_parameters():
    with pytest.raises(ValueError):
        NearDuplicateGrouper(threshold=0).fit(np.eye(3))
    with pytest.raises(ValueError):
        NearDuplicateGrouper(index="lsh", exact_below=1).fit(np.eye(3))
    with pytest.raises(NotFittedError):
        NearDuplicateGrouper().assign(np.eye(3))


def _narrative_input(scores_ab: float, scores_bc: float):
    """Three texts, each the others' neighbour: a-b at ``scores_ab``, b-c at
    ``scores_bc``, a-c far apart (not kept)."""
    keys = np.array([10, 11, 12])
    neighbors = np.array([[0, 1, -1], [1, 0, 2], [2, 1, -1]])
    scores = np.array(
        [[1.0, scores_ab, 0.0], [1.0, scores_ab, scores_bc], [1.0, scores_bc, 0.0]],
        dtype=np.float32,
    )
    return keys, scores, neighbors, np.array([0, 1, 2])


def test_narratives_link_looser_neighbours_only_within_a_burst():
    from analytics.neighbors import narratives

    hour = 3600.0
    keys, scores, neighbors, groups = _narrative_input(0.64, 0.64)
    # One burst: a, b and c first seen within the window of each other.
    burst = dict(burst_threshold=0.6, burst_window=6 * hour)
    together = narratives(
        keys, scores, neighbors, groups, 0.7, seen=np.array([0, hour, 2 * hour]), **burst
    )
    assert together.tolist() == [10, 10, 10]
    # The same wordings at their own times (days apart) are three narratives: people
    # who write about one theme.
    apart = narratives(
        keys, scores, neighbors, groups, 0.7, seen=np.array([0, 3 * 86400, 9 * 86400]), **burst
    )
    assert apart.tolist() == [10, 11, 12]
    # Within the window, links are per pair: c, two days after b, stays apart.
    some = narratives(
        keys, scores, neighbors, groups, 0.7, seen=np.array([0, hour, 2 * 86400]), **burst
    )
    assert some.tolist() == [10, 10, 12]
    # A text never seen as an item's text (inf), or below the burst threshold: no link.
    never = narratives(
        keys, scores, neighbors, groups, 0.7, seen=np.array([0, np.inf, hour]), **burst
    )
    assert never.tolist() == [10, 11, 12]
    keys, scores, neighbors, groups = _narrative_input(0.55, 0.64)
    loose = narratives(
        keys, scores, neighbors, groups, 0.7, seen=np.array([0, hour, 2 * hour]), **burst
    )
    assert loose.tolist() == [10, 11, 11]
    # Without the times, or with the burst threshold off: only the narrative threshold.
    for kwargs in ({"seen": None, **burst}, {"seen": np.zeros(3), "burst_threshold": 0.0}):
        assert narratives(keys, scores, neighbors, groups, 0.7, **kwargs).tolist() == [10, 11, 12]
    # Above the narrative threshold, time does not matter.
    keys, scores, neighbors, groups = _narrative_input(0.75, 0.64)
    far = narratives(
        keys, scores, neighbors, groups, 0.7, seen=np.array([0, 30 * 86400, 60 * 86400]), **burst
    )
    assert far.tolist() == [10, 10, 12]


def test_narratives_link_mutual_nearest_texts_of_a_sparse_theme_within_a_burst():
    from analytics.neighbors import narratives, neighbor_reach

    hour = 3600.0
    # Rows: a, b (an operation's two messages on its own theme: nothing else near,
    # each other's nearest at 0.5); c, e, f (a dense topic, 0.7-0.8 alike); d (a text
    # whose nearest is c at 0.5, while c's nearest are e and f).
    keys = np.array([10, 11, 12, 13, 14, 15])
    neighbors = np.array([[0, 1, 3], [1, 0, 2], [2, 4, 5], [3, 2, 0], [4, 2, 5], [5, 2, 4]])
    scores = np.array(
        [
            [1.0, 0.5, 0.2],
            [1.0, 0.5, 0.25],
            [1.0, 0.8, 0.7],
            [1.0, 0.5, 0.2],
            [1.0, 0.8, 0.75],
            [1.0, 0.7, 0.75],
        ],
        dtype=np.float32,
    )
    groups = np.arange(6)
    assert neighbor_reach(scores, neighbors).tolist() == pytest.approx(
        [0.2, 0.25, 0.7, 0.2, 0.75, 0.7]
    )
    burst = dict(burst_threshold=0.6, burst_window=6 * hour)
    seen = np.array([0, hour, 0, hour, 0, 0])
    # The dense topic is one narrative at 0.7 whatever the rule; a-b only by mutual links.
    plain = narratives(keys, scores, neighbors, groups, 0.7, seen=seen, **burst)
    assert plain.tolist() == [10, 11, 12, 13, 12, 12]
    mutual = narratives(
        keys, scores, neighbors, groups, 0.7, seen=seen, mutual_threshold=0.45, **burst
    )
    # a and b are each other's nearest: linked. d lists c at 0.5, but c has closer
    # texts (its last kept neighbour is 0.7): not linked, so a dense topic gains nothing.
    assert mutual.tolist() == [10, 10, 12, 13, 12, 12]
    # Days apart, or under the mutual threshold: no link.
    apart = np.array([0, 3 * 86400, 0, hour, 0, 0])
    assert narratives(
        keys, scores, neighbors, groups, 0.7, seen=apart, mutual_threshold=0.45, **burst
    ).tolist() == [10, 11, 12, 13, 12, 12]
    assert narratives(
        keys, scores, neighbors, groups, 0.7, seen=seen, mutual_threshold=0.55, **burst
    ).tolist() == [10, 11, 12, 13, 12, 12]
    # A row keeping fewer neighbours than it has room for reaches everything (-inf).
    short = neighbors.copy()
    short[0, 2] = -1
    assert neighbor_reach(scores, short)[0] == -np.inf


def test_narrative_links_of_texts_the_model_cannot_read_need_their_words_to_agree():
    from analytics.language import content_words
    from analytics.neighbors import narratives

    hour = 3600.0
    texts = [
        "Eléctrica Solmar cortará la luz en Puerto Lirio el lunes, cuatro días sin luz.",
        "El lunes Eléctrica Solmar deja Puerto Lirio sin luz durante cuatro días.",
        "Mi abuela hace la tortilla de patatas con cebolla y pimiento verde.",
        "The weather in Lisbon is lovely this week, we walked for hours.",
    ]
    keys = np.array([10, 11, 12, 13])
    # As the English model sees them: every Spanish text 0.8 like every other.
    neighbors = np.array([[0, 1, 2], [1, 0, 2], [2, 0, 1], [3, 0, 1]])
    scores = np.array([[1, 0.8, 0.8], [1, 0.8, 0.8], [1, 0.8, 0.8], [1, 0.72, 0.71]])
    groups = np.arange(4)
    foreign = np.array([True, True, True, False])
    words = content_words(texts)
    seen = np.array([0, hour, 2 * hour, 0])
    plain = narratives(keys, scores, neighbors, groups, 0.7, seen=seen)
    assert plain.tolist() == [10, 10, 10, 10]
    checked = dict(foreign=foreign, words=words, min_word_overlap=0.25)
    # The claim's two wordings share most of their words: linked; the recipe shares
    # none with them, nor the English text (whose link to a Spanish one is checked too).
    assert narratives(keys, scores, neighbors, groups, 0.7, seen=seen, **checked).tolist() == [
        10,
        10,
        12,
        13,
    ]
    # Days apart, the words must agree more (0.9 here: 9 of the shorter text's 10).
    apart = np.array([0, 3 * 86400, 2 * hour, 0])
    assert narratives(
        keys, scores, neighbors, groups, 0.7, seen=apart, min_word_overlap_apart=0.95, **checked
    ).tolist() == [10, 11, 12, 13]
    assert narratives(
        keys, scores, neighbors, groups, 0.7, seen=apart, min_word_overlap_apart=0.5, **checked
    ).tolist() == [10, 10, 12, 13]
    # A shared near-duplicate group still links, whatever the words.
    assert narratives(
        keys, scores, neighbors, np.array([0, 1, 0, 3]), 0.7, seen=seen, **checked
    ).tolist() == [10, 10, 10, 13]
