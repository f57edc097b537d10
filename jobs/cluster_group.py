"""The group job's full run with its heavy steps on the Dask cluster.

Two steps go to the workers; everything else (reading, clustering topics, the map,
the stable ids, writing) stays in the scheduler process, as without the setting:

- **the nearest-neighbour search**: the index built as in-process is cut into one
  shard per worker (:func:`analytics.neighbors.shard_index`); each worker searches
  every query against its shard, and the shards' answers are merged into what one
  search of the whole index returns (:func:`analytics.neighbors.merge_shard_results`);
- **the lexical links**: each worker signs a block of texts (shingles, MinHash); the
  band keys are shuffled, each shuffle partition holding whole buckets, which yield
  the candidate pairs; the exact containment of each candidate is then computed by a
  task holding the two blocks its texts are in.

The union of both kinds of link, and the groups, are computed once, in the
scheduler process. A step whose data a lost worker held is run again on the workers
left (:func:`jobs.cluster.rerun_if_lost`); nothing is written before the run's single
transaction, so a step run twice writes nothing twice.

Imported only when ``MISUSE_DASK_SCHEDULER`` is set.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Callable
from typing import Any

import numpy as np
from distributed import Client

from analytics.lexical import ShingleLinker, distinct_pairs, signature_rank
from analytics.neighbors import (
    PAIR_DTYPE,
    coarse_probes,
    merge_shard_results,
    search_shard,
    shard_index,
)
from jobs.cluster import rerun_if_lost, worker_count

# Texts signed per lexical task, at most: a block's shingles take about eight bytes
# per byte of text on its worker, and its link tasks hold two blocks at once.
LEXICAL_BLOCK_TEXTS = 50_000


def sharded_search(
    client: Client, key: str, sizes: dict[str, Any] | None = None
) -> Callable[[Any, np.ndarray, int], Any]:
    """A ``search(index, queries, k)`` for ``NearDuplicateGrouper.fit`` that searches
    one shard of the index per worker. The shards' sizes (vectors) go to ``sizes``
    under ``search_shards``."""

    # The shards of the index being searched, sent to the workers once for all its
    # blocks of queries (and again when a worker holding one was lost).
    held: dict[str, Any] = {"index": None, "shards": []}
    blocks = itertools.count()

    def search(index: Any, queries: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        block = next(blocks)

        def step(attempt: int) -> tuple[np.ndarray, np.ndarray]:
            if held["index"] is not index or attempt:
                shards = shard_index(index, worker_count(client))
                if sizes is not None:
                    sizes["search_shards"] = [shard.size for shard in shards]
                held["index"], held["shards"] = index, client.scatter(shards, hash=False)
            # The lists each query visits, as the whole index's search picks them.
            probes = coarse_probes(index, queries)
            q, p = client.scatter([queries, probes], hash=False)
            futures = [
                client.submit(
                    search_shard,
                    shard,
                    q,
                    k,
                    p,
                    key=f"{key}-search-{block}-{attempt}-{n}",
                    retries=1,
                )
                for n, shard in enumerate(held["shards"])
            ]
            return merge_shard_results(client.gather(futures), k)

        return rerun_if_lost(client, step)

    return search


# -- the lexical links -------------------------------------------------------------


def _sign(linker: ShingleLinker, texts: list[str], first: int) -> dict[str, Any]:
    grams, starts, sig = linker.signatures(texts)
    return {"grams": grams, "starts": starts, "sig": sig, "first": first}


def _band_split(linker: ShingleLinker, block: dict[str, Any], parts: int) -> list[np.ndarray]:
    """The map side of the shuffle: ``(band, key, row)`` of the block's eligible
    texts, one array per shuffle partition (by band and key, so buckets stay whole)."""
    eligible = np.flatnonzero(np.diff(block["starts"]) >= linker.min_shingles)
    keys = linker.band_keys(block["sig"][eligible])
    band = np.repeat(np.arange(linker.bands, dtype=np.uint64)[None, :], len(eligible), axis=0)
    rows = np.repeat((eligible + block["first"])[:, None], linker.bands, axis=1)
    entries = np.empty(keys.size, dtype=_ENTRY)
    entries["band"], entries["key"], entries["row"] = band.ravel(), keys.ravel(), rows.ravel()
    with np.errstate(over="ignore"):
        home = (entries["key"] ^ (entries["band"] * np.uint64(0x9E3779B97F4A7C15))) % np.uint64(
            parts
        )
    return [entries[home == p] for p in range(parts)]


_ENTRY = np.dtype([("band", np.uint64), ("key", np.uint64), ("row", np.int64)])


def _band_reduce(linker: ShingleLinker, *pieces: np.ndarray) -> tuple[np.ndarray, list[np.ndarray]]:
    """The reduce side: one shuffle partition's buckets, band by band. Candidate pairs
    of the small buckets, and the members of the large ones (ranked by the caller)."""
    entries = np.concatenate(pieces) if pieces else np.zeros(0, dtype=_ENTRY)
    found, big = [], []
    for band in np.unique(entries["band"]):
        mine = entries[entries["band"] == band]
        pairs, large = linker.bucket_pairs(mine["key"], mine["row"], None)
        found.append(pairs)
        big.extend(large)
    return distinct_pairs(found), big


def _signature_rows(block: dict[str, Any], rows: np.ndarray) -> np.ndarray:
    return np.asarray(block["sig"][rows - block["first"]])


def _link_blocks(
    linker: ShingleLinker, a: dict[str, Any], b: dict[str, Any], pairs: np.ndarray
) -> np.ndarray:
    """The near-copies among candidate ``pairs`` whose first text is in block ``a`` and
    second in ``b``: the two blocks side by side, the pairs in rows of both."""
    if a["first"] == b["first"]:
        grams, starts, sig = a["grams"], a["starts"], a["sig"]
        local = pairs - a["first"]
    else:
        grams = np.concatenate([a["grams"], b["grams"]])
        starts = np.concatenate([a["starts"], a["starts"][-1] + b["starts"][1:]])
        sig = np.concatenate([a["sig"], b["sig"]])
        local = np.column_stack(
            [pairs[:, 0] - a["first"], pairs[:, 1] - b["first"] + len(a["sig"])]
        )
    linked = linker.link(grams, starts, sig, local)
    out = np.empty(len(linked), dtype=PAIR_DTYPE)
    out["i"] = linked["i"] + a["first"]
    out["j"] = linked["j"] + b["first"] - (0 if a["first"] == b["first"] else len(a["sig"]))
    out["score"] = linked["score"]
    return out


def lexical_pairs(
    client: Client,
    linker: ShingleLinker,
    texts: list[str],
    key: str,
    sizes: dict[str, Any] | None = None,
) -> np.ndarray:
    """``linker.fit(texts).pairs_``, worked out on the cluster. The texts per block
    and the candidate pairs per link task go to ``sizes``."""

    def step(attempt: int) -> np.ndarray:
        return _lexical_pairs(client, linker, texts, f"{key}-{attempt}", sizes)

    return rerun_if_lost(client, step)


def _lexical_pairs(
    client: Client,
    linker: ShingleLinker,
    texts: list[str],
    key: str,
    sizes: dict[str, Any] | None,
) -> np.ndarray:
    n = len(texts)
    if n < 2:
        return np.zeros(0, dtype=PAIR_DTYPE)
    workers = worker_count(client)
    size = min(LEXICAL_BLOCK_TEXTS, -(-n // (2 * workers)))
    firsts = list(range(0, n, size))
    if sizes is not None:
        sizes["lexical_block_texts"] = size
        sizes["lexical_blocks"] = len(firsts)
    scattered = client.scatter([texts[f : f + size] for f in firsts], hash=False)
    blocks = [
        client.submit(_sign, linker, part, f, key=f"{key}-sign-{b}", retries=1)
        for b, (part, f) in enumerate(zip(scattered, firsts, strict=True))
    ]
    parts = len(blocks)
    split = [
        client.submit(_band_split, linker, blk, parts, key=f"{key}-split-{b}", retries=1)
        for b, blk in enumerate(blocks)
    ]
    reduced = [
        client.submit(
            _band_reduce,
            linker,
            *[
                client.submit(operator.getitem, s, p, key=f"{key}-piece-{b}-{p}")
                for b, s in enumerate(split)
            ],
            key=f"{key}-reduce-{p}",
            retries=1,
        )
        for p in range(parts)
    ]
    found, big = [], []
    for pairs, large in client.gather(reduced):
        found.append(pairs)
        big.extend(large)
    if big:
        # A large bucket is chained in the order of whole signatures, which only
        # its members' signatures decide: fetch those from the blocks holding them.
        members = np.unique(np.concatenate(big))
        at = np.searchsorted(firsts, members, side="right") - 1
        fetched = client.gather(
            [
                client.submit(_signature_rows, blocks[b], members[at == b], key=f"{key}-sig-{b}")
                for b in np.unique(at).tolist()
            ]
        )
        rank = np.empty(int(members.max()) + 1, dtype=np.int64)
        rank[members] = signature_rank(np.concatenate(fetched))
        for bucket in big:
            found.append(linker.chain_pairs(bucket[np.argsort(rank[bucket], kind="stable")]))
    candidates = distinct_pairs(found)
    if not len(candidates):
        return np.zeros(0, dtype=PAIR_DTYPE)
    # Each candidate to the task holding both its texts' blocks.
    ba = np.searchsorted(firsts, candidates[:, 0], side="right") - 1
    bb = np.searchsorted(firsts, candidates[:, 1], side="right") - 1
    cell = ba * len(firsts) + bb
    cells = np.unique(cell).tolist()
    if sizes is not None:
        sizes["lexical_link_tasks"] = len(cells)
        sizes["lexical_candidates"] = len(candidates)
    # Scattered, not put in the tasks: the scheduler would hold them otherwise.
    mine = client.scatter([candidates[cell == c] for c in cells], hash=False)
    linked = [
        client.submit(
            _link_blocks,
            linker,
            blocks[c // len(firsts)],
            blocks[c % len(firsts)],
            pairs,
            key=f"{key}-link-{c}",
            retries=1,
        )
        for c, pairs in zip(cells, mine, strict=True)
    ]
    pairs = np.concatenate(client.gather(linked))
    # In the in-process order: by first row, then second.
    return pairs[np.lexsort((pairs["j"], pairs["i"]))]
