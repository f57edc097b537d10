"""Group ids survive a re-clustering when the groups did not really change."""

import numpy as np
import pytest
from sklearn.metrics import adjusted_rand_score

from analytics.neighbors import NearDuplicateGrouper
from analytics.stable_ids import match_labels


def test_unchanged_and_grown_groups_keep_their_ids():
    old = {"a": "G1", "b": "G1", "c": "G1", "d": "G2", "e": "G2"}
    new = {"a": 5, "b": 5, "c": 5, "x": 5, "d": 9, "e": 9}
    assert match_labels(old, new) == {5: "G1", 9: "G2"}


def test_new_groups_get_none_and_old_ids_are_used_once():
    old = {m: "G1" for m in "abcd"}
    # The old group split in two halves: the tie is broken deterministically,
    # and only one half may keep the id.
    new = {"a": 0, "b": 0, "c": 1, "d": 1, "z": 2}
    result = match_labels(old, new, min_jaccard=0.5)
    assert sorted(v for v in result.values() if v) == ["G1"]
    assert result[2] is None
    assert result == match_labels(old, dict(reversed(list(new.items()))), min_jaccard=0.5)


def test_groups_that_changed_too_much_get_a_fresh_id():
    old = {m: "G1" for m in "abcdef"}
    new = {"a": 0, "b": 0, "x": 0, "y": 0, "z": 0}
    assert match_labels(old, new) == {0: None}


def test_greedy_prefers_the_best_overlap():
    old = {**{m: "A" for m in "abcd"}, **{m: "B" for m in "efgh"}}
    new = {**{m: 1 for m in "abcdefg"}, "h": 2}
    # Group 1 overlaps A (4/7) better than B (3/8): it takes A, and 2 gets nothing.
    assert match_labels(old, new, min_jaccard=0.3) == {1: "A", 2: None}


def test_rejects_bad_threshold():
    with pytest.raises(ValueError):
        match_labels({}, {}, min_jaccard=0)


def test_regrouping_synthetic_vectors_keeps_ids_of_stable_families():
    rng = np.random.default_rng(0)

    def unit(a):
        return (a / np.linalg.norm(a, axis=1, keepdims=True)).astype(np.float32)

    centres = unit(rng.standard_normal((30, 64)))
    y = np.repeat(np.arange(30), 10)
    X = unit(centres[y] + 0.2 * unit(rng.standard_normal((300, 64))))
    first = NearDuplicateGrouper().fit(X).labels_
    old = {f"item{i}": f"G{label}" for i, label in enumerate(first)}
    # Next run: the same items in another order plus 50 members of new families.
    extra = unit(rng.standard_normal((5, 64)))[np.repeat(np.arange(5), 10)]
    extra = unit(extra + 0.2 * unit(rng.standard_normal((50, 64))))
    order = rng.permutation(300)
    second = NearDuplicateGrouper().fit(np.vstack([X[order], extra])).labels_
    keys = [f"item{i}" for i in order] + [f"new{i}" for i in range(50)]
    mapping = match_labels(old, dict(zip(keys, second, strict=True)))
    assert adjusted_rand_score(y, first) >= 0.99
    kept = {second[k] for k in range(300)}
    assert all(mapping[label] is not None for label in kept)
    assert len({mapping[label] for label in kept}) == len(kept)
    assert all(mapping[second[300 + k]] is None for k in range(50))
    # Same item, same id across runs.
    for position, item in enumerate(order[:50]):
        assert mapping[second[position]] == old[f"item{item}"]
