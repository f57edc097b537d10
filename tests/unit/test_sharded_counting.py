"""The pieces the cluster path splits a job into give, put together, what one
process computes: the nearest-neighbour search over shards of the index, and the
detector's co-posting counts over ranges of accounts. Bit for bit, since the
stored groups, neighbours and campaigns must not depend on where a job ran."""

from __future__ import annotations

import faiss
import numpy as np
import pytest

from analytics.coordination import CoordinationDetector, co_posting
from analytics.neighbors import (
    NearDuplicateGrouper,
    coarse_probes,
    merge_shard_results,
    normalize_rows,
    search_shard,
    shard_index,
)


def _vectors(n: int, d: int = 48, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(max(n // 25, 2), d)).astype(np.float32)
    X = centres[rng.integers(0, len(centres), n)] + 0.45 * rng.normal(size=(n, d))
    X = normalize_rows(X.astype(np.float32))
    X[::9] = X[4]  # exact duplicates, indexed once
    return X


def _sharded(n_shards: int):
    def search(index, queries, k):
        probes = coarse_probes(index, queries)
        parts = [search_shard(s, queries, k, probes) for s in shard_index(index, n_shards)]
        return merge_shard_results(parts, k)

    return search


@pytest.mark.parametrize(
    ("n", "index", "n_shards"),
    [(800, "ivf", 2), (3000, "flat", 3), (12000, "ivf", 2), (12000, "ivf", 4), (9000, "flat", 4)],
)
def test_a_search_over_shards_finds_what_one_search_finds(n, index, n_shards):
    X = _vectors(n)
    whole = NearDuplicateGrouper(threshold=0.8, k=6, index=index).fit(X)
    shards = NearDuplicateGrouper(threshold=0.8, k=6, index=index).fit(X, search=_sharded(n_shards))
    assert whole.exact_ == (index == "flat" or n < 5000)
    if not whole.exact_:
        assert len(shard_index(whole.index_, n_shards)) == n_shards
    for got, want in zip(shards.fitted_neighbors(), whole.fitted_neighbors(), strict=True):
        np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(shards.labels_, whole.labels_)
    np.testing.assert_array_equal(shards.pairs_, whole.pairs_)
    assert whole.n_groups_ < n  # there were links to find


def test_only_exact_and_inverted_file_indexes_are_sharded():
    with pytest.raises(ValueError, match="cannot shard a IndexHNSWFlat"):
        shard_index(faiss.IndexHNSWFlat(8, 16), 2)
    with pytest.raises(ValueError, match="n_shards"):
        shard_index(faiss.IndexFlatIP(8), 0)


def _split_count(ranges: int):
    from jobs.cluster_detect import _range_input, account_ranges

    def count(occasion, account, weight, n_acc):
        pieces = [
            co_posting(*_range_input(occasion, account, weight, lo, hi), n_acc, lo, hi)
            for lo, hi in account_ranges(account, n_acc, ranges)
        ]
        return np.concatenate(pieces)

    return count


def test_co_posting_counted_by_account_ranges_is_one_count():
    rng = np.random.default_rng(3)
    n_acc, n_occ = 400, 3000
    sizes = rng.integers(2, 40, n_occ)
    occasion = np.repeat(np.arange(n_occ), sizes)
    account = np.concatenate([np.sort(rng.choice(n_acc, s, replace=False)) for s in sizes])
    weight = rng.random(n_occ) / rng.integers(1, 30, n_occ)
    whole = co_posting(occasion, account, weight, n_acc)
    for ranges in (1, 3, 7):
        np.testing.assert_array_equal(_split_count(ranges)(occasion, account, weight, n_acc), whole)


def test_a_detector_counting_by_ranges_finds_the_same_communities():
    from demo.scenario import build_scenario

    sc = build_scenario(seed=3, organic_accounts=300, organic_posts=1500, campaigns=2)
    rows = [r for recs in sc.records.values() for r in recs]
    rng = np.random.default_rng(0)
    X = {
        "account": np.array([f"{r['account_id']}" for r in rows]),
        # Near-duplicate groups stand in as the first words of each response.
        "group": np.array([hash(" ".join(r["response"].split()[:6])) % 10_000 for r in rows]),
        "time": np.array([1.7e9 + 60.0 * rng.integers(0, 5000) for _ in rows]),
    }
    whole = CoordinationDetector(window=3600.0).fit(X)
    split = CoordinationDetector(window=3600.0).fit(X, count_edges=_split_count(4))
    assert len(whole.edges_) > 100
    np.testing.assert_array_equal(split.edges_, whole.edges_)
    np.testing.assert_array_equal(split.labels_, whole.labels_)
    assert [c["score"] for c in split.communities_] == [c["score"] for c in whole.communities_]
