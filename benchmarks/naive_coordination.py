"""The naive coordination baseline the detect job must beat, in about sixty lines.

Plain all-MiniLM-L6-v2 vectors of the responses (as the embed job stored them), exact
neighbours at cosine >= 0.85, near-duplicate groups as connected components of those
links, a fixed one-hour window, account pairs that co-post (within the window) in at
least two groups, and connected components of at least five accounts.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components


def near_duplicate_groups(vectors: np.ndarray, threshold: float = 0.85) -> np.ndarray:
    """Connected components of the exact cosine >= threshold graph (unit vectors)."""
    import faiss

    x = np.ascontiguousarray(vectors, dtype=np.float32)
    index = faiss.IndexFlatIP(x.shape[1])
    index.add(x)
    lims, _, nbr = index.range_search(x, threshold)
    rows = np.repeat(np.arange(len(x)), np.diff(lims).astype(np.int64))
    graph = coo_matrix((np.ones(len(rows)), (rows, nbr)), shape=(len(x), len(x)))
    return connected_components(graph, directed=False)[1]


def naive_campaigns(
    account: np.ndarray,
    group: np.ndarray,
    time: np.ndarray,
    *,
    window: float = 3600.0,
    min_groups: int = 2,
    min_accounts: int = 5,
) -> list[np.ndarray]:
    """Communities (arrays of account codes) of the co-posting graph."""
    order = np.lexsort((time, group))
    a, g, t = account[order], group[order], time[order]
    pairs = []
    for d in range(1, len(a)):
        same = (g[d:] == g[:-d]) & (t[d:] - t[:-d] <= window)
        if not same.any():
            break  # sorted by time within groups: no pair further apart can qualify
        lo, hi = np.minimum(a[d:], a[:-d])[same], np.maximum(a[d:], a[:-d])[same]
        keep = lo != hi
        pairs.append(np.column_stack([lo[keep], hi[keep], g[d:][same][keep]]))
    if not pairs:
        return []
    p = np.unique(np.concatenate(pairs), axis=0)  # one row per (pair, group)
    pair, n_groups = np.unique(p[:, :2], axis=0, return_counts=True)
    strong = pair[n_groups >= min_groups]
    if not len(strong):
        return []
    n = int(account.max()) + 1
    graph = coo_matrix((np.ones(len(strong)), (strong[:, 0], strong[:, 1])), shape=(n, n))
    _, label = connected_components(graph, directed=False)
    linked = np.unique(strong)
    out = []
    for lab in np.unique(label[linked]):
        members = linked[label[linked] == lab]
        if len(members) >= min_accounts:
            out.append(members)
    return out
