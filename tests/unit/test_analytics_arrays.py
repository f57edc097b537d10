"""The array helpers the estimators use in place of slow numpy paths give numpy's
answers."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from analytics.arrays import codes, distinct_per, unique, unique_inverse, unique_rows


@given(hnp.arrays(np.int64, st.integers(0, 200), elements=st.integers(-(2**62), 2**62)))
def test_unique_is_numpys_unique(values: np.ndarray) -> None:
    out = unique(values)
    assert out.dtype == values.dtype
    assert np.array_equal(out, np.unique(values))


def test_unique_of_a_matrix_is_of_its_entries() -> None:
    values = np.array([[3, 1], [1, 2]])
    assert unique(values).tolist() == [1, 2, 3]


@given(
    st.integers(1, 30).flatmap(
        lambda size: st.tuples(
            st.just(size),
            hnp.arrays(np.int64, st.integers(0, 100), elements=st.integers(0, size - 1)),
        )
    ),
    st.integers(0, 10**6),
)
def test_distinct_per_counts_distinct_values_per_key(case: tuple, spread: int) -> None:
    size, keys = case
    values = (keys * 7 + spread) % (spread + 3)
    expected = np.zeros(size, dtype=np.int64)
    for k in range(size):
        expected[k] = len(set(values[keys == k].tolist()))
    assert np.array_equal(distinct_per(keys, values, size), expected)


@pytest.mark.parametrize(
    ("values", "size"),
    [
        (np.array([5, -1, 5, 2]), 2),  # negative values: the packed key would be wrong
        (np.array([0.5, 0.5, 1.5]), 2),  # not integers
        (np.array([2**41, 1, 2**41]), 2**22),  # size x stride past int64
    ],
)
def test_distinct_per_falls_back_to_rows_where_packing_cannot_hold(
    values: np.ndarray, size: int
) -> None:
    keys = np.array([0, 1, 0, 1][: len(values)])
    k, _ = unique_rows(keys, values)
    assert np.array_equal(distinct_per(keys, values, size), np.bincount(k, minlength=size))
    assert distinct_per(keys, values, size)[:2].tolist() == [
        len(set(values[keys == 0].tolist())),
        len(set(values[keys == 1].tolist())),
    ]


@given(
    hnp.arrays(
        np.int64,
        st.integers(0, 300),
        elements=st.one_of(st.integers(-50, 50), st.integers(-(2**62), 2**62)),
    )
)
def test_unique_inverse_is_numpys(values: np.ndarray) -> None:
    want = np.unique(values, return_inverse=True, return_counts=True)
    got = unique_inverse(values, counts=True)
    assert got[0].dtype == values.dtype
    for w, g in zip(want, got, strict=True):
        assert np.array_equal(np.ravel(w), g)
    assert len(unique_inverse(values)) == 2


def test_louvain_on_a_symmetric_matrix_labels_as_scikit_networks_own() -> None:
    # The community step skips scikit-network's second symmetrisation and runs its
    # own compiled optimisation pass; the labels must stay those of scikit-network's
    # Louvain (a new scikit-network release that changes either fails here).
    from scipy.sparse import coo_matrix
    from sknetwork.clustering import Louvain

    from analytics.louvain import SymmetricLouvain

    rng = np.random.default_rng(3)
    n = 400
    a, b = rng.integers(0, n, 6000), rng.integers(0, n, 6000)
    # Eight planted blocks, denser inside.
    a = np.concatenate([a, np.repeat(np.arange(n), 12)])
    b = np.concatenate([b, (np.repeat(np.arange(n), 12) // 50) * 50 + rng.integers(0, 50, 12 * n)])
    keep = a < b
    upper = coo_matrix((rng.random(int(keep.sum())), (a[keep], b[keep])), shape=(n, n)).tocsr()
    both = (upper + upper.T).tocsr()
    both.sort_indices()
    kwargs = {"random_state": 0, "tol_optimization": 0.01, "return_probs": False}
    kwargs["return_aggregate"] = False
    want = Louvain(**kwargs).fit_predict(both)
    got = SymmetricLouvain(**kwargs).fit_predict(both)
    assert len(set(want.tolist())) >= 4
    assert np.array_equal(want, got)


@pytest.mark.parametrize("seed", range(6))
def test_louvain_breaks_ties_as_scikit_networks_own(seed: int) -> None:
    # Few distinct weights make equal modularity gains common: the compiled pass
    # must pick the same cluster as scikit-network's (the smallest label among the
    # best), at the default tolerance and at the community step's 0.01.
    from scipy.sparse import coo_matrix
    from sknetwork.clustering import Louvain

    from analytics.louvain import SymmetricLouvain

    rng = np.random.default_rng(seed)
    n = int(rng.integers(20, 300))
    a, b = rng.integers(0, n, 6 * n), rng.integers(0, n, 6 * n)
    pairs = np.unique(np.stack([np.minimum(a, b), np.maximum(a, b)], axis=1), axis=0)
    pairs = pairs[pairs[:, 0] < pairs[:, 1]]
    weight = rng.choice([0.5, 1.0, 2.0], len(pairs))
    upper = coo_matrix((weight, (pairs[:, 0], pairs[:, 1])), shape=(n, n)).tocsr()
    both = (upper + upper.T).tocsr()
    both.sort_indices()
    for tol in (0.001, 0.01):
        kwargs = {"random_state": 0, "tol_optimization": tol, "return_probs": False}
        kwargs["return_aggregate"] = False
        want = Louvain(**kwargs).fit_predict(both)
        assert len(set(want.tolist())) >= 2
        assert np.array_equal(want, SymmetricLouvain(**kwargs).fit_predict(both))


def test_codes_number_values_in_sorted_order() -> None:
    numbered, values = codes(np.array(["b", "a", "b", "c"], dtype=object))
    assert values.tolist() == ["a", "b", "c"]
    assert numbered.tolist() == [1, 0, 1, 2]
    numbered, values = codes(np.array([30, 10, 30]))
    assert values.tolist() == [10, 30]
    assert numbered.tolist() == [1, 0, 1]
    # Keys Python cannot order: numbered by first appearance.
    numbered, values = codes(np.array(["x", 1, "x"], dtype=object))
    assert numbered.tolist() == [0, 1, 0]
    assert values.tolist() == ["x", 1]
