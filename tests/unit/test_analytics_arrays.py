"""The array helpers the estimators use in place of slow numpy paths give numpy's
answers."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from analytics.arrays import unique
from analytics.coordination import _distinct_per, _unique_rows


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
    assert np.array_equal(_distinct_per(keys, values, size), expected)


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
    k, _ = _unique_rows(keys, values)
    assert np.array_equal(_distinct_per(keys, values, size), np.bincount(k, minlength=size))
    assert _distinct_per(keys, values, size)[:2].tolist() == [
        len(set(values[keys == 0].tolist())),
        len(set(values[keys == 1].tolist())),
    ]
