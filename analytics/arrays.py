"""Array helpers shared by the estimators, where numpy's own is slow at scale."""

from __future__ import annotations

from typing import Any

import numpy as np

__all__ = ["codes", "distinct_per", "unique", "unique_inverse", "unique_rows"]


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


def unique_inverse(values: np.ndarray, *, counts: bool = False) -> tuple[np.ndarray, ...]:
    """``np.unique(values, return_inverse=True[, return_counts=True])`` for a 1-D
    array: the sorted distinct values, each value's index among them and, with
    ``counts``, how often each occurs.

    Integer values are numbered without numpy's general path, which sorts a copy
    and then gathers and scatters through it (1.6 s for 5 million keys where one
    argsort takes 0.7): values in a range not much wider than their number (account
    and group codes) by counting, others by one argsort.
    """
    values = np.ravel(values)
    n = len(values)
    if values.dtype.kind not in "iu" or n == 0:
        out = np.unique(values, return_inverse=True, return_counts=counts)
        return (out[0], np.ravel(out[1]).astype(np.intp), *out[2:])
    low, high = int(values.min()), int(values.max())
    if high - low <= 2 * n + 1024:
        offset = values - low if low else values
        seen = np.bincount(offset, minlength=high - low + 1)
        present = seen > 0
        uniques = (np.flatnonzero(present) + low).astype(values.dtype)
        inverse = (np.cumsum(present) - 1)[offset]
        return (uniques, inverse.astype(np.intp), *((seen[present],) if counts else ()))
    order = np.argsort(values)
    ordered = values[order]
    first = np.empty(n, dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    inverse = np.empty(n, dtype=np.intp)
    inverse[order] = np.cumsum(first) - 1
    uniques = ordered[first]
    if not counts:
        return uniques, inverse
    return uniques, inverse, np.diff(np.append(np.flatnonzero(first), n))


def codes(values: Any) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes 0..k-1 per value and the distinct values they stand for, sorted
    (numbered by first appearance when Python keys cannot be ordered)."""
    values = np.asarray(values)
    if values.dtype != object:
        uniques, inverse = unique_inverse(values)
        return inverse.astype(np.int64), uniques
    # Python keys (account names): a dict numbers them in one pass, and only the
    # distinct ones are sorted; np.unique would sort every item by Python
    # comparisons, ten times slower on a million items.
    seen: dict[Any, int] = {}
    numbered = np.fromiter((seen.setdefault(v, len(seen)) for v in values), np.int64, len(values))
    uniques = np.empty(len(seen), dtype=object)
    uniques[:] = list(seen)
    try:
        order = np.argsort(uniques, kind="stable")
    except TypeError:
        # Mixed, unorderable keys: numbered by first appearance instead.
        return numbered, uniques
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank[numbered], uniques[order]


def unique_rows(*cols: np.ndarray) -> tuple[np.ndarray, ...]:
    """Distinct rows of integer columns, sorted by the first column, then the next.

    The same as ``np.unique(np.stack(cols), axis=1)``, which sorts the rows as
    opaque bytes and is several times slower on a million rows.
    """
    order = np.lexsort(cols[::-1])
    cols = tuple(c[order] for c in cols)
    keep = np.ones(len(order), dtype=bool)
    if len(order):
        keep[1:] = np.logical_or.reduce([c[1:] != c[:-1] for c in cols])
    return tuple(c[keep] for c in cols)


def distinct_per(keys: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Number of distinct ``values`` per integer key 0..size-1."""
    stride = int(values.max(initial=0)) + 1
    if values.dtype.kind in "iu" and len(values) and values.min() >= 0 and size * stride < 2**62:
        # One int64 per pair, sorted: five times faster than sorting the pairs as
        # rows (lexsort) on millions of them.
        pairs = unique(keys.astype(np.int64) * stride + values)
        return np.bincount(pairs // stride, minlength=size)
    k, _ = unique_rows(keys, values)
    return np.bincount(k, minlength=size)


def span_per(keys: np.ndarray, values: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Smallest and largest ``values`` per integer key 0..size-1 (inf and -inf for a
    key with none)."""
    lo = np.full(size, np.inf)
    hi = np.full(size, -np.inf)
    np.minimum.at(lo, keys, values)
    np.maximum.at(hi, keys, values)
    return lo, hi
