"""Array helpers shared by the estimators, where numpy's own is slow at scale."""

from __future__ import annotations

import numpy as np

__all__ = ["unique"]


def unique(values: np.ndarray) -> np.ndarray:
    """The sorted distinct values of an integer array, as ``np.unique(values)``.

    numpy 2.3 and later answer a plain ``np.unique`` (no inverse, index or counts
    asked) from a hash table, then sort the distinct values. With millions of
    distinct int64 keys, as the detector's (account, source) pairs are, that was
    24 times slower than sorting the whole array (7.8 s against 0.33 s for 5
    million keys, AMD EPYC): the table's random accesses miss the cache.
    """
    values = np.sort(np.ravel(values))
    if len(values) < 2:
        return values
    keep = np.empty(len(values), dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]
