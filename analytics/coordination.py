"""Coordinated-campaign detection on a co-posting network of accounts.

Two accounts are linked when they post into the same near-duplicate group
within a time window of each other. Organic users sometimes do that by
chance, once; campaigns do it again and again, across several groups. Links
that repeat across groups are kept, and communities of such links are
candidate campaigns, scored by how synchronised, dense, diverse and large
they are (higher = more coordinated).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import networkx as nx
import numpy as np

__all__ = ["CoordinationDetector", "estimate_window"]

_MIN_AUTO_WINDOW = 60.0
_MAX_AUTO_WINDOW = 86400.0
_AUTO_GRID = np.logspace(np.log10(_MIN_AUTO_WINDOW), np.log10(_MAX_AUTO_WINDOW), 61)
# Below this CDF surplus the within-group gaps look like the null: nothing to
# calibrate on, so the fallback window is used.
_MIN_GAP_SURPLUS = 0.02


def _column(X: Any, name: str, required: bool = True) -> np.ndarray | None:
    """One input column from a mapping, a DataFrame or a structured array."""
    if isinstance(X, np.ndarray) and X.dtype.names is not None:
        present = name in X.dtype.names
    elif isinstance(X, Mapping) or hasattr(X, "columns"):
        present = name in X
    else:
        raise TypeError(
            "X must be a mapping of arrays, a DataFrame or a structured array "
            f"with fields account, group, time; got {type(X).__name__}"
        )
    if not present:
        if required:
            raise ValueError(f"X has no {name!r} column")
        return None
    return np.asarray(X[name])


def _codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Integer codes 0..k-1 and the distinct values they stand for."""
    try:
        uniques, codes = np.unique(values, return_inverse=True)
    except TypeError:
        # Mixed, unorderable keys: number them by first appearance instead.
        seen: dict[Any, int] = {}
        codes = np.fromiter((seen.setdefault(v, len(seen)) for v in values), np.int64, len(values))
        uniques = np.empty(len(seen), dtype=object)
        uniques[:] = list(seen)
    return codes.astype(np.int64).ravel(), uniques


def _runs(*keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Starts and lengths of runs of equal rows in already-sorted key columns."""
    n = len(keys[0])
    if n == 0:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    change = np.zeros(n, dtype=bool)
    change[0] = True
    for k in keys:
        change[1:] |= k[1:] != k[:-1]
    starts = np.flatnonzero(change)
    return starts, np.diff(np.append(starts, n))


def _cross_account_gaps(group: np.ndarray, account: np.ndarray, time: np.ndarray) -> np.ndarray:
    """Gaps between consecutive posts of different accounts in the same group."""
    order = np.lexsort((time, group))
    g, a, t = group[order], account[order], time[order]
    same = (g[1:] == g[:-1]) & (a[1:] != a[:-1])
    return np.diff(t)[same]


def estimate_window(
    group: Any,
    account: Any,
    time: Any,
    *,
    quantile: float = 0.9,
    fallback: float = 3600.0,
    random_state: int = 0,
) -> float:
    """Estimate the coordination window (seconds) from the data.

    1. Observed gaps: between consecutive posts of *different* accounts in the
       same near-duplicate group.
    2. Null gaps: the same, after each group's times are redrawn uniformly over
       the group's own time span (accounts kept). Organic spread looks like
       the null; coordinated bursts leave a surplus of short gaps.
    3. The burst gap ``g*`` is where the surplus of the observed gap CDF over
       the null CDF peaks (searched on a log grid from 1 minute to 1 day).
    4. Each group's timeline is cut wherever consecutive posts are more than
       ``g*`` apart; pieces with at least three accounts are bursts, and the
       window is the ``quantile`` of their durations (but at least ``g*``),
       clipped to [1 minute, 1 day].

    When the surplus stays under 0.02 (no burst structure) ``fallback`` is
    returned.

    Parameters
    ----------
    group, account, time : array-like of shape (n_items,)
        Near-duplicate group codes, account codes and times in seconds.
    quantile : float, default=0.9
    fallback : float, default=3600.0
    random_state : int, default=0

    Returns
    -------
    window : float
    """
    group = np.asarray(group)
    account = np.asarray(account)
    time = np.asarray(time, dtype=np.float64)
    # Only groups with several accounts carry co-posting timing.
    gcodes, _ = _codes(group)
    acodes, _ = _codes(account)
    pair = np.unique(np.stack([gcodes, acodes]), axis=1)
    n_accounts = np.bincount(pair[0], minlength=gcodes.max(initial=-1) + 1)
    keep = n_accounts[gcodes] >= 2
    g, a, t = gcodes[keep], acodes[keep], time[keep]
    if len(g) < 3:
        return float(fallback)

    observed = _cross_account_gaps(g, a, t)
    rng = np.random.default_rng(random_state)
    lo = np.full(g.max() + 1, np.inf)
    hi = np.full(g.max() + 1, -np.inf)
    np.minimum.at(lo, g, t)
    np.maximum.at(hi, g, t)
    null_t = lo[g] + rng.random(len(g)) * (hi[g] - lo[g])
    null = _cross_account_gaps(g, a, null_t)
    if len(observed) == 0 or len(null) == 0:
        return float(fallback)

    f_obs = np.searchsorted(np.sort(observed), _AUTO_GRID, side="right") / len(observed)
    f_null = np.searchsorted(np.sort(null), _AUTO_GRID, side="right") / len(null)
    surplus = f_obs - f_null
    if surplus.max() < _MIN_GAP_SURPLUS:
        return float(fallback)
    burst_gap = float(_AUTO_GRID[int(np.argmax(surplus))])

    order = np.lexsort((t, g))
    gs, as_, ts = g[order], a[order], t[order]
    cut = np.ones(len(gs), dtype=bool)
    cut[1:] = (gs[1:] != gs[:-1]) | (np.diff(ts) > burst_gap)
    piece = np.cumsum(cut) - 1
    starts = np.flatnonzero(cut)
    ends = np.append(starts[1:], len(gs)) - 1
    durations = ts[ends] - ts[starts]
    pa = np.unique(np.stack([piece, as_]), axis=1)
    piece_accounts = np.bincount(pa[0], minlength=len(starts))
    bursts = durations[piece_accounts >= 3]
    if len(bursts) == 0:
        return float(np.clip(burst_gap, _MIN_AUTO_WINDOW, _MAX_AUTO_WINDOW))
    window = max(float(np.quantile(bursts, quantile)), burst_gap)
    return float(np.clip(window, _MIN_AUTO_WINDOW, _MAX_AUTO_WINDOW))


class CoordinationDetector:
    """Find communities of accounts that repeatedly co-post near-duplicates.

    Method
    ------
    1. *Co-occurrence.* Time is cut into buckets of length ``window`` on two
       grids offset by half a window. Two accounts co-occur in a group when
       they post into it within one bucket of either grid: gaps under half a
       window always count, gaps over a window never. Per pair and group the
       count is the number of distinct buckets (the larger of the two grids'
       counts), so a burst counts once or twice however many posts it holds,
       never quadratically. Buckets with more than ``max_bucket_accounts``
       accounts are skipped (mass events, and the only quadratic cost), and
       counted in ``n_skipped_buckets_``.
    2. *Edges.* Edge weight is the sum of these counts over groups. An edge
       is kept when its weight reaches ``min_weight`` and it spans at least
       ``min_groups`` distinct groups: one viral topic, however busy, cannot
       link two strangers on its own.
    3. *Core.* Only the ``min_degree``-core of the graph is kept. A single
       heavy user who posts into every popular topic becomes the hub of a
       star whose leaves are not linked to each other; the core removes it.
    4. *Communities.* Louvain (fixed seed) on the weighted core, rather than
       connected components, so that two campaigns joined by a few chance
       edges stay apart. Communities with fewer than ``min_accounts``
       accounts are dropped; then accounts linked to at least
       ``attach_share`` of a community join it (members who took part in
       only one burst).
    5. *Score* (higher = more coordinated)::

           score = log2(n_accounts) * (0.4 sync_excess + 0.2 synchronised_share
                                       + 0.2 density + 0.2 group_diversity)

       - ``synchronised_share``: share of the community's items (in groups
         where at least two members posted) within ``window`` of another
         member's item in the same group.
       - ``sync_excess``: share of cross-account member pairs in a group that
         are within ``window`` of each other, compared with the share a
         uniform spread over ``S`` predicts (``2 window / S``), as
         ``(observed - expected) / (1 - expected)`` clipped to [0, 1]. ``S``
         is the longer of the group's overall span and the members' overall
         activity span, so organic topics spread over days score near 0 and
         accounts active all week that all hit a topic in the same hour score
         near 1.
       - ``density``: edges present / possible among members (core graph).
       - ``group_diversity``: ``1 - 1 / n_groups`` over groups where at least
         two members posted.

    Parameters
    ----------
    window : float or "auto", default=3600.0
        Seconds. ``"auto"`` uses :func:`estimate_window`.
    min_weight : int, default=3
        Least co-occurrences for an edge.
    min_groups : int, default=2
        Least distinct near-duplicate groups an edge must span.
    min_degree : int, default=2
        Core order; 0 or 1 keeps every linked account.
    min_accounts : int, default=5
        Smallest community reported.
    min_group_accounts : int, default=2
        Groups with fewer distinct accounts are ignored.
    max_bucket_accounts : int, default=500
        Largest number of accounts in one (group, bucket) that is expanded
        into pairs.
    attach_share : float or None, default=0.5
        After Louvain, an account outside every community joins one when it
        co-occurred at least once (any edge, before thresholds) with this
        share of the community's members, and with at least ``min_accounts``
        of them. None disables it.
    min_sync_excess : float, default=0.1
        Communities whose ``sync_excess`` is below are dropped: their
        co-posting is what the spread of their topics predicts (organic
        virality, heavy users of popular topics).
    min_score : float, default=0.0
        Communities scoring below are dropped.
    resolution : float, default=1.0
        Louvain resolution; larger gives smaller communities.
    random_state : int, default=0
        Seed of Louvain and of the null in ``window="auto"``.

    Attributes
    ----------
    window_ : float
        Window in seconds actually used.
    accounts_ : ndarray
        Distinct account keys; graph nodes are indices into it.
    graph_ : networkx.Graph
        Kept core graph over account indices, edge attributes ``weight`` and
        ``n_groups``.
    edges_ : structured ndarray with fields ``a``, ``b``, ``weight``, ``n_groups``
        Every candidate edge (pairs co-occurring at least once), before the
        thresholds, account indices ``a < b``.
    communities_ : list of dict
        Sorted by score, best first. Keys: ``accounts`` (keys), ``items``
        (input row indices of members' items in groups at least two members
        posted into), ``groups`` (group ids), ``first_time``, ``last_time``,
        ``score``, ``features`` (dict of the score's parts plus
        ``pair_sync`` and ``expected_pair_sync``) and ``summary`` (dict
        ``n_accounts``, ``n_deployers`` (None without a deployer column),
        ``n_items``, ``n_groups``, ``n_attached`` (members added by
        ``attach_share``), ``span_seconds``).
    labels_ : ndarray of shape (n_items,)
        Index into ``communities_`` of each item, or -1.
    n_skipped_buckets_ : int

    Notes
    -----
    Input to :meth:`fit`: a mapping (dict, DataFrame) or structured array
    with columns ``account`` (hashable keys such as ``"deployer/account"``),
    ``group`` (near-duplicate group ids), ``time`` (seconds since the epoch)
    and optionally ``deployer``. Every column has one entry per item.
    """

    def __init__(
        self,
        window: float | str = 3600.0,
        min_weight: int = 3,
        min_groups: int = 2,
        min_degree: int = 2,
        min_accounts: int = 5,
        min_group_accounts: int = 2,
        max_bucket_accounts: int = 500,
        attach_share: float | None = 0.5,
        min_sync_excess: float = 0.1,
        min_score: float = 0.0,
        resolution: float = 1.0,
        random_state: int = 0,
    ) -> None:
        self.window = window
        self.min_weight = min_weight
        self.min_groups = min_groups
        self.min_degree = min_degree
        self.min_accounts = min_accounts
        self.min_group_accounts = min_group_accounts
        self.max_bucket_accounts = max_bucket_accounts
        self.attach_share = attach_share
        self.min_sync_excess = min_sync_excess
        self.min_score = min_score
        self.resolution = resolution
        self.random_state = random_state

    # -- edges -----------------------------------------------------------------

    def _grid_counts(
        self, g: np.ndarray, a: np.ndarray, t: np.ndarray, offset: float, n_acc: int
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(pair key, group, distinct co-occurring buckets) for one grid."""
        bucket = np.floor((t - offset) / self.window_).astype(np.int64)
        presence = np.unique(np.stack([g, bucket, a]), axis=1)
        pg, pb, pa = presence
        starts, sizes = _runs(pg, pb)
        big = sizes > self.max_bucket_accounts
        self.n_skipped_buckets_ += int(big.sum())
        pair_keys, pair_groups = [], []
        for m in np.unique(sizes[(sizes >= 2) & ~big]):
            s = starts[sizes == m]
            iu, ju = np.triu_indices(int(m), 1)
            idx = s[:, None] + np.arange(m)[None, :]
            # Accounts are sorted within a bucket, so the first is the smaller.
            lo, hi = pa[idx[:, iu]].ravel(), pa[idx[:, ju]].ravel()
            pair_keys.append(lo * n_acc + hi)
            pair_groups.append(np.repeat(pg[s], len(iu)))
        if not pair_keys:
            empty = np.zeros(0, np.int64)
            return empty, empty, empty
        keys, groups = np.concatenate(pair_keys), np.concatenate(pair_groups)
        # Presence rows are distinct, so each (pair, group, bucket) appears once.
        order = np.lexsort((groups, keys))
        keys, groups = keys[order], groups[order]
        rs, rn = _runs(keys, groups)
        return keys[rs], groups[rs], rn

    def _edges(self, g: np.ndarray, a: np.ndarray, t: np.ndarray, n_acc: int) -> np.ndarray:
        parts = [self._grid_counts(g, a, t, off, n_acc) for off in (0.0, self.window_ / 2)]
        keys = np.concatenate([p[0] for p in parts])
        groups = np.concatenate([p[1] for p in parts])
        counts = np.concatenate([p[2] for p in parts])
        dtype = np.dtype(
            [("a", np.int64), ("b", np.int64), ("weight", np.int64), ("n_groups", np.int64)]
        )
        if len(keys) == 0:
            return np.zeros(0, dtype=dtype)
        order = np.lexsort((groups, keys))
        keys, groups, counts = keys[order], groups[order], counts[order]
        rs, _ = _runs(keys, groups)
        per_group = np.maximum.reduceat(counts, rs)
        pair_keys = keys[rs]
        ps, pn = _runs(pair_keys)
        edges = np.zeros(len(ps), dtype=dtype)
        edges["a"], edges["b"] = np.divmod(pair_keys[ps], n_acc)
        edges["weight"] = np.add.reduceat(per_group, ps)
        edges["n_groups"] = pn
        return edges

    def _attach(self, members: list[np.ndarray]) -> tuple[list[np.ndarray], list[int]]:
        """Add accounts that co-occurred with a large share of one community.

        Members who joined only one or two of a campaign's bursts have weak
        edges one by one (weight 1 or 2), but co-occurring with half of a
        community is no accident.
        """
        if self.attach_share is None or not members:
            return members, [0] * len(members)
        comm_of = np.full(len(self.accounts_), -1, dtype=np.int64)
        for c, m in enumerate(members):
            comm_of[m] = c
        ca, cb = comm_of[self.edges_["a"]], comm_of[self.edges_["b"]]
        a_in, b_in = (ca >= 0) & (cb < 0), (cb >= 0) & (ca < 0)
        outside = np.concatenate([self.edges_["b"][a_in], self.edges_["a"][b_in]])
        comm = np.concatenate([ca[a_in], cb[b_in]])
        if not len(outside):
            return members, [0] * len(members)
        (acc, c), links = np.unique(np.stack([outside, comm]), axis=1, return_counts=True)
        sizes = np.array([len(m) for m in members])
        need = np.maximum(self.min_accounts, np.ceil(self.attach_share * sizes[c]))
        ok = links >= need
        acc, c, links = acc[ok], c[ok], links[ok]
        # An account qualifying for two communities joins the one it links to most.
        order = np.lexsort((-links, acc))
        first = np.ones(len(order), dtype=bool)
        first[1:] = acc[order][1:] != acc[order][:-1]
        acc, c = acc[order][first], c[order][first]
        out = [np.union1d(m, acc[c == i]) for i, m in enumerate(members)]
        return out, [int((c == i).sum()) for i in range(len(members))]

    # -- community features ------------------------------------------------------

    def _describe(
        self,
        members: list[np.ndarray],
        g: np.ndarray,
        a: np.ndarray,
        t: np.ndarray,
        deployer: np.ndarray | None,
    ) -> tuple[list[dict[str, Any]], np.ndarray]:
        n = len(g)
        w = self.window_
        comm_of = np.full(len(self.accounts_), -1, dtype=np.int64)
        for c, m in enumerate(members):
            comm_of[m] = c
        item_comm = comm_of[a]
        rows = np.flatnonzero(item_comm >= 0)
        c_, g_, a_, t_ = item_comm[rows], g[rows], a[rows], t[rows]

        # Keep (community, group) segments where at least two members posted.
        seg = np.unique(np.stack([c_, g_, a_]), axis=1)
        ss, sn = _runs(seg[0], seg[1])
        shared = np.unique(np.stack([seg[0][ss[sn >= 2]], seg[1][ss[sn >= 2]]]), axis=1)
        seg_key = c_ * (g.max() + 1) + g_
        shared_key = shared[0] * (g.max() + 1) + shared[1]
        keep = np.isin(seg_key, shared_key)
        rows, c_, g_, a_, t_ = rows[keep], c_[keep], g_[keep], a_[keep], t_[keep]
        labels = np.full(n, -1, dtype=np.int64)
        labels[rows] = c_

        # Group spans over all items, and each community's activity span.
        g_lo = np.full(g.max() + 1, np.inf)
        g_hi = np.full(g.max() + 1, -np.inf)
        np.minimum.at(g_lo, g, t)
        np.maximum.at(g_hi, g, t)
        all_member = item_comm >= 0
        c_lo = np.full(len(members), np.inf)
        c_hi = np.full(len(members), -np.inf)
        np.minimum.at(c_lo, item_comm[all_member], t[all_member])
        np.maximum.at(c_hi, item_comm[all_member], t[all_member])

        # Sort by (segment, time) and count neighbours within the window with
        # searchsorted on a per-segment offset time axis.
        order = np.lexsort((t_, g_, c_))
        rows, c_, g_, a_, t_ = rows[order], c_[order], g_[order], a_[order], t_[order]
        s_start, s_len = _runs(c_, g_)
        seg_id = np.repeat(np.arange(len(s_start)), s_len)
        rel = t_ - t_[s_start][seg_id]
        stride = (rel.max(initial=0.0) + 2 * w + 1.0) if len(rel) else 1.0
        axis = seg_id * stride + rel
        lo = np.searchsorted(axis, axis - w, side="left")
        hi = np.searchsorted(axis, axis + w, side="right")
        fwd = hi - np.arange(len(axis)) - 1
        # The same counts restricted to the item's own account.
        own_order = np.lexsort((t_, a_, g_, c_))
        oa = a_[own_order]
        o_start, o_len = _runs(c_[own_order], g_[own_order], oa)
        own_seg = np.repeat(np.arange(len(o_start)), o_len)
        own_axis_sorted = own_seg * stride + rel[own_order]
        olo = np.searchsorted(own_axis_sorted, own_axis_sorted - w, side="left")
        ohi = np.searchsorted(own_axis_sorted, own_axis_sorted + w, side="right")
        own_count = np.empty(len(axis), dtype=np.int64)
        own_count[own_order] = ohi - olo
        own_fwd = np.empty(len(axis), dtype=np.int64)
        own_fwd[own_order] = ohi - np.arange(len(own_axis_sorted)) - 1
        synced = (hi - lo) - own_count > 0
        close_pairs = fwd - own_fwd  # cross-account pairs within w, counted once

        # Possible cross-account pairs per segment: all pairs minus same-account
        # pairs. Both sorts put segments in the same (community, group) order.
        run_seg = seg_id[own_order[o_start]]
        own_pairs_seg = np.bincount(
            run_seg, weights=o_len * (o_len - 1) / 2, minlength=len(s_start)
        )
        all_pairs_seg = s_len * (s_len - 1) / 2
        cross_pairs_seg = all_pairs_seg - own_pairs_seg
        close_seg = np.bincount(seg_id, weights=close_pairs, minlength=len(s_start))
        seg_comm, seg_group = c_[s_start], g_[s_start]
        span = np.maximum.reduce(
            [
                g_hi[seg_group] - g_lo[seg_group],
                c_hi[seg_comm] - c_lo[seg_comm],
                np.full(len(s_start), 2 * w),
            ]
        )
        expected_seg = cross_pairs_seg * np.minimum(1.0, 2 * w / span)

        adjacency = self.graph_
        communities = []
        for c, m in enumerate(members):
            sel = slice(*np.searchsorted(c_, [c, c + 1]))
            segs = seg_comm == c
            n_items = sel.stop - sel.start
            cross = cross_pairs_seg[segs].sum()
            obs = close_seg[segs].sum() / cross if cross else 0.0
            exp = expected_seg[segs].sum() / cross if cross else 1.0
            excess = float(np.clip((obs - exp) / (1 - exp), 0, 1)) if exp < 1 else 0.0
            sync_share = float(synced[sel].mean()) if n_items else 0.0
            k = len(m)
            sub = adjacency.subgraph(m.tolist())
            density = 2 * sub.number_of_edges() / (k * (k - 1)) if k > 1 else 0.0
            n_groups = int(segs.sum())
            diversity = 1 - 1 / n_groups if n_groups else 0.0
            score = float(
                np.log2(k) * (0.4 * excess + 0.2 * sync_share + 0.2 * density + 0.2 * diversity)
            )
            items = rows[sel]
            first, last = (
                (float(t_[sel].min()), float(t_[sel].max())) if n_items else (np.nan, np.nan)
            )
            n_deployers = (
                len(np.unique(deployer[items])) if deployer is not None and n_items else None
            )
            communities.append(
                {
                    "accounts": self.accounts_[m].tolist(),
                    "items": np.sort(items),
                    "groups": self._group_values[seg_group[segs]].tolist(),
                    "first_time": first,
                    "last_time": last,
                    "score": score,
                    "features": {
                        "sync_excess": excess,
                        "synchronised_share": sync_share,
                        "density": float(density),
                        "group_diversity": float(diversity),
                        "pair_sync": float(obs),
                        "expected_pair_sync": float(exp),
                    },
                    "summary": {
                        "n_accounts": k,
                        "n_deployers": n_deployers,
                        "n_items": int(n_items),
                        "n_groups": n_groups,
                        "n_attached": self._n_attached[c],
                        "span_seconds": float(last - first) if n_items else 0.0,
                    },
                }
            )
        return communities, labels

    # -- fitting ---------------------------------------------------------------

    def fit(self, X: Any, y: Any = None) -> CoordinationDetector:
        """Build the co-posting graph and find coordinated communities.

        Parameters
        ----------
        X : mapping, DataFrame or structured array
            Columns ``account``, ``group``, ``time`` and optionally
            ``deployer``, one entry per item (see Notes of the class).
        y : ignored

        Returns
        -------
        self : CoordinationDetector
        """
        account = _column(X, "account")
        group = _column(X, "group")
        time = np.asarray(_column(X, "time"), dtype=np.float64)
        deployer = _column(X, "deployer", required=False)
        n = len(time)
        if not (len(account) == len(group) == n) or (deployer is not None and len(deployer) != n):
            raise ValueError("account, group, time (and deployer) must have the same length")
        if not np.all(np.isfinite(time)):
            raise ValueError("time must be finite")
        a, self.accounts_ = _codes(account)
        g, self._group_values = _codes(group)

        if isinstance(self.window, str):
            if self.window != "auto":
                raise ValueError(
                    f"window must be a number of seconds or 'auto', got {self.window!r}"
                )
            self.window_ = estimate_window(g, a, time, random_state=self.random_state)
        else:
            if not self.window > 0:
                raise ValueError("window must be positive")
            self.window_ = float(self.window)
        self.n_skipped_buckets_ = 0

        # Ignore groups with too few accounts: they cannot link anyone.
        if n:
            ga = np.unique(np.stack([g, a]), axis=1)
            group_accounts = np.bincount(ga[0], minlength=g.max() + 1)
            keep = group_accounts[g] >= max(2, self.min_group_accounts)
        else:
            keep = np.zeros(0, dtype=bool)
        n_acc = max(len(self.accounts_), 1)
        self.edges_ = self._edges(g[keep], a[keep], time[keep], n_acc)

        strong = self.edges_[
            (self.edges_["weight"] >= self.min_weight)
            & (self.edges_["n_groups"] >= self.min_groups)
        ]
        graph = nx.Graph()
        graph.add_weighted_edges_from(
            zip(strong["a"].tolist(), strong["b"].tolist(), strong["weight"].tolist(), strict=True)
        )
        nx.set_edge_attributes(
            graph,
            {(int(e["a"]), int(e["b"])): int(e["n_groups"]) for e in strong},
            "n_groups",
        )
        if self.min_degree > 1:
            graph = nx.k_core(graph, k=self.min_degree)
        self.graph_ = graph

        found = (
            nx.community.louvain_communities(
                graph, weight="weight", resolution=self.resolution, seed=self.random_state
            )
            if graph.number_of_edges()
            else []
        )
        members = [
            np.array(sorted(c), dtype=np.int64) for c in found if len(c) >= self.min_accounts
        ]
        members, self._n_attached = self._attach(members)
        if members and n:
            described, labels = self._describe(members, g, a, time, deployer)
        else:
            described, labels = [], np.full(n, -1, dtype=np.int64)

        kept = [
            i
            for i, c in enumerate(described)
            if c["score"] >= self.min_score and c["features"]["sync_excess"] >= self.min_sync_excess
        ]
        kept.sort(key=lambda i: -described[i]["score"])
        remap = np.full(len(described) + 1, -1, dtype=np.int64)
        remap[kept] = np.arange(len(kept))
        self.labels_ = remap[labels]  # -1 maps to the last slot, which stays -1
        self.communities_ = [described[i] for i in kept]
        return self

    def fit_predict(self, X: Any, y: Any = None) -> np.ndarray:
        """Fit and return ``labels_``."""
        return self.fit(X).labels_
