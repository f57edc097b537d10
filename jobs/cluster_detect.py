"""The detect job's co-posting counts on the Dask cluster.

The counting (which accounts shared which occasions: near-duplicate groups and
prompts, whole or cut into time windows, and the weight every pair of accounts
gets from them) is the one step of the detector whose cost grows with the pairs of
accounts in popular groups. It is split by account: each task counts the edges
``a < b`` of a range of accounts ``a`` (:func:`analytics.coordination.co_posting`),
from the occasions those accounts took. The pieces put together are, to the bit,
one count of every account, so the detector finds the same communities. A small
input is one task, sent with its arrays: cutting it would cost more round trips
than the counting it shares out.

The graph of edges comes back to the scheduler process, where the community step
(pruning, Louvain, members, the tests) runs on it as without the setting: after
the weak accounts are set aside it is small.

Imported only when ``MISUSE_DASK_SCHEDULER`` is set.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise
from typing import Any

import numpy as np
from distributed import Client

from analytics.arrays import unique
from analytics.coordination import co_posting
from jobs.cluster import rerun_if_lost, worker_count

# Ranges of accounts per worker: a few, so that a range whose accounts share large
# occasions does not hold the whole step up.
RANGES_PER_WORKER = 2
# Occasion rows per range below which the input is not cut. A task costs a few
# round trips through the scheduler (about 10 ms each on a quiet machine) while
# 50,000 rows take 0.05-0.2 s to count; and a range takes every row of the
# occasions its accounts took, so the halves of a small input each hold most of it.
# A million rows can still be cut into 20 ranges (two for each of 10 workers).
MIN_RANGE_ROWS = 50_000


def account_ranges(account: np.ndarray, n_acc: int, ranges: int) -> list[tuple[int, int]]:
    """Contiguous ranges of account codes with about the same number of occasion
    rows each (a task's work follows its accounts' occasions)."""
    rows = np.bincount(account, minlength=n_acc)
    cuts = np.searchsorted(np.cumsum(rows), np.linspace(0, rows.sum(), ranges + 1)[1:-1])
    edges = unique(np.concatenate([[0], cuts + 1, [n_acc]]).clip(0, n_acc))
    return [(int(lo), int(hi)) for lo, hi in pairwise(edges)]


def _range_input(
    occasion: np.ndarray, account: np.ndarray, weight: np.ndarray, lo: int, hi: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The occasions the accounts ``lo..hi`` took, renumbered in their order, with
    every account that took them: all a task needs to count those accounts' edges."""
    took = np.zeros(len(weight), dtype=bool)
    took[occasion[(account >= lo) & (account < hi)]] = True
    keep = took[occasion]
    renumber = np.cumsum(took) - 1
    return renumber[occasion[keep]], account[keep], weight[took]


def distributed_counter(
    client: Client, key: str, sizes: dict[str, Any] | None = None
) -> Callable[..., np.ndarray]:
    """A ``count_edges`` for ``CoordinationDetector.fit``: :func:`co_posting` split by
    account range over the cluster's workers. The occasion rows each task got go to
    ``sizes`` under ``count_task_rows``."""

    def count_edges(
        occasion: np.ndarray, account: np.ndarray, weight: np.ndarray, n_acc: int
    ) -> np.ndarray:
        def step(attempt: int) -> np.ndarray:
            most = len(occasion) // MIN_RANGE_ROWS
            if most < 2:
                # One task, sent with its arrays (3 MB at most, under Dask's 10 MB
                # warning for a large graph): a scatter first would be one more
                # round trip, and asking for the workers another. Counted whole,
                # exactly as in one process.
                if sizes is not None:
                    sizes["count_task_rows"] = [len(occasion)]
                whole = client.submit(
                    co_posting, occasion, account, weight, n_acc, key=f"{key}-{attempt}", retries=1
                )
                return np.asarray(whole.result())
            ranges = account_ranges(
                account, n_acc, min(most, RANGES_PER_WORKER * worker_count(client))
            )
            parts = [_range_input(occasion, account, weight, lo, hi) for lo, hi in ranges]
            if sizes is not None:
                sizes["count_task_rows"] = [len(part[0]) for part in parts]
            inputs = client.scatter(parts, hash=False)
            futures = [
                client.submit(
                    _count_range, part, n_acc, lo, hi, key=f"{key}-{attempt}-{n}", retries=1
                )
                for n, (part, (lo, hi)) in enumerate(zip(inputs, ranges, strict=True))
            ]
            # Ranges ascend, each sorted by (a, b): together, one count's order.
            return np.concatenate(client.gather(futures))

        return rerun_if_lost(client, step)

    return count_edges


def _count_range(part: tuple[np.ndarray, ...], n_acc: int, lo: int, hi: int) -> Any:
    occasion, account, weight = part
    return co_posting(occasion, account, weight, n_acc, lo, hi)
