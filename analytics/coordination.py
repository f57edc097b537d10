"""Coordinated-campaign detection on a co-posting network of accounts.

Two accounts are linked when they post into the same near-duplicate group
within a time window of each other. Organic users sometimes do that by
chance, once; campaigns do it again and again, across several groups, or in
separate bursts of one group whose traffic is nothing but such bursts. Links
that repeat independently are kept, and communities of such links are
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
_DAY = 86400.0
# Bursts for the window estimate: at most this long (longer stretches rise and fall
# with the day), this many times what their neighbourhood predicts, and at least
# this significant after correcting for the places they could have been found at.
_MAX_BURST = 6 * 3600.0
_BURST_CONTRAST = 5.0
_BURST_LOG_P = float(np.log(1e-6))
# A piece's neighbourhood: this many times its length on either side.
_FLANK = 2.0
_EDGE_DTYPE = np.dtype(
    [
        ("a", np.int64),
        ("b", np.int64),
        ("weight", np.int64),
        ("n_groups", np.int64),
        ("n_independent", np.int64),
    ]
)


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
    """Integer codes 0..k-1 and the distinct values they stand for, sorted."""
    values = np.asarray(values)
    if values.dtype != object:
        uniques, codes = np.unique(values, return_inverse=True)
        return codes.astype(np.int64).ravel(), uniques
    # Python keys (account names): a dict numbers them in one pass, and only the
    # distinct ones are sorted; np.unique would sort every item by Python
    # comparisons, ten times slower on a million items.
    seen: dict[Any, int] = {}
    codes = np.fromiter((seen.setdefault(v, len(seen)) for v in values), np.int64, len(values))
    uniques = np.empty(len(seen), dtype=object)
    uniques[:] = list(seen)
    try:
        order = np.argsort(uniques, kind="stable")
    except TypeError:
        # Mixed, unorderable keys: numbered by first appearance instead.
        return codes, uniques
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank[codes], uniques[order]


def _unique_rows(*cols: np.ndarray) -> tuple[np.ndarray, ...]:
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


def _segment_sums(values: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Sums of integer ``values`` over the segments beginning at ``starts`` (sorted,
    the first 0): ``np.add.reduceat`` through a cumulative sum, several times faster
    on millions of short segments."""
    total = np.cumsum(values)
    ends = np.append(starts[1:], len(values)) - 1
    return total[ends] - total[starts] + values[starts]


def _distinct_per(keys: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
    """Number of distinct ``values`` per integer key 0..size-1."""
    k, _ = _unique_rows(keys, values)
    return np.bincount(k, minlength=size)


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


def _poisson_tail_log(k: np.ndarray, mu: np.ndarray) -> np.ndarray:
    """Chernoff bound on log P(X >= k) for X ~ Poisson(mu): 0 when k <= mu."""
    mu = np.maximum(mu, 1e-300)
    k = np.asarray(k, dtype=np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        bound = -(k * np.log(k / mu) - k + mu)
    return np.where(k > mu, bound, 0.0)


def estimate_window(
    group: Any,
    account: Any,
    time: Any,
    *,
    quantile: float = 0.9,
    fallback: float = 3600.0,
    max_duration: float = _MAX_BURST,
    min_contrast: float = _BURST_CONTRAST,
    max_log_p: float = _BURST_LOG_P,
) -> float:
    """Estimate the coordination window (seconds): how long the data's bursts last.

    A burst is a stretch of one near-duplicate group's timeline, isolated by quiet
    gaps, holding many times more items than the group's neighbourhood predicts.
    Campaigns post that way: nothing, then tens of accounts within minutes or tens
    of minutes, then nothing. Organic traffic does not: it rises and falls smoothly,
    with the day or as a topic catches on and fades.

    1. *Pieces.* Each group's timeline (groups with at least three accounts) is
       cut wherever consecutive items are more than ``c`` apart, for ``c`` on a
       log grid from 1 minute to ``max_duration``: fragments at small ``c``,
       whole bursts once ``c`` exceeds the gaps inside them.
    2. *Neighbourhood.* A piece of ``k`` items is compared with the group's items
       within twice its length on either side. Of two predictions from them, a
       flat rate and a rate following the rest of the store's activity (the
       daily rhythm), the larger is ``expected``: a group that follows the day is
       not bursting in the evening, one that does not is not bursting at night.
    3. *Bursts.* A piece is a candidate when it lasts at most ``max_duration``,
       ``k >= min_contrast * expected``, and ``log P(Poisson(expected) >= k)``
       (a Chernoff bound) plus the log of the number of places and levels it
       could have been found at (a Bonferroni correction) is below
       ``max_log_p``. Each item takes the piece found at the smallest ``c``:
       larger ``c`` can only join a burst to the campaign's next one. Candidates
       with at least three accounts are bursts.
    4. The window is the ``quantile`` of the bursts' durations, each burst
       weighted by its number of accounts (chance clumps of three accounts weigh
       little beside a campaign of fifty), clipped to [1 minute, 1 day]. Without
       any burst, ``fallback`` is returned.

    The window is then as long as the bursts, which the synchrony features need
    (pairs of one burst are within a window of each other), however short the
    gaps inside the bursts.

    Parameters
    ----------
    group, account, time : array-like of shape (n_items,)
        Near-duplicate group codes, account codes and times in seconds.
    quantile : float, default=0.9
    fallback : float, default=3600.0
    max_duration : float, default=21600.0
        Longest burst, seconds.
    min_contrast : float, default=5.0
        Least ratio of a burst's items to what its neighbourhood predicts.
    max_log_p : float, default=log(1e-6)
        Significance a burst needs (natural log, after the correction).

    Returns
    -------
    window : float
    """
    group = np.asarray(group)
    account = np.asarray(account)
    time = np.asarray(time, dtype=np.float64)
    gcodes, _ = _codes(group)
    acodes, _ = _codes(account)
    n_accounts = _distinct_per(gcodes, acodes, gcodes.max(initial=-1) + 1)
    keep = n_accounts[gcodes] >= 3
    g, a, t = gcodes[keep], acodes[keep], time[keep]
    if len(g) < 3:
        return float(fallback)
    order = np.lexsort((t, g))
    g, a, t = g[order], a[order], t[order]
    n = len(g)
    new_group = np.ones(n, dtype=bool)
    new_group[1:] = g[1:] != g[:-1]
    gap = np.diff(t, prepend=t[0])
    g_start = np.flatnonzero(new_group)
    g_len = np.diff(np.append(g_start, n))
    g_span = t[np.append(g_start[1:], n) - 1] - t[g_start]
    span = np.repeat(np.maximum(g_span, _DAY), g_len)
    levels = _AUTO_GRID[max_duration >= _AUTO_GRID][::3]
    if len(levels) == 0:
        return float(fallback)
    # Every group on one axis, far enough apart that no neighbourhood reaches the
    # next group.
    rel = t - t.min()
    stride = rel.max() + 2 * _FLANK * (max_duration + levels[-1]) + 1.0
    axis = (np.cumsum(new_group) - 1) * stride + rel
    store = np.sort(time)
    chosen = np.zeros(n, dtype=bool)
    burst_start = np.zeros(n, dtype=np.int64)
    burst_end = np.zeros(n, dtype=np.int64)
    for c in levels:
        cut = new_group | (gap > c)
        starts = np.flatnonzero(cut)
        ends = np.append(starts[1:], n) - 1
        k = ends - starts + 1
        d = t[ends] - t[starts]
        cand = np.flatnonzero((k >= 3) & (d <= max_duration))
        s, e, kc, dc = starts[cand], ends[cand], k[cand], d[cand]
        reach = _FLANK * (dc + c)
        lo, hi = axis[s] - c / 2, axis[e] + c / 2
        around = np.searchsorted(axis, hi + reach, "right") - np.searchsorted(axis, lo - reach) - kc
        t_lo, t_hi = t[s] - c / 2, t[e] + c / 2
        others_in = np.searchsorted(store, t_hi, "right") - np.searchsorted(store, t_lo) - kc
        others_around = (
            np.searchsorted(store, t_hi + reach, "right")
            - np.searchsorted(store, t_lo - reach)
            - others_in
            - kc
            - around
        )
        # One more item in every count, so that an empty neighbourhood still
        # predicts something.
        expected = (around + 1) * np.maximum(
            1 / (2 * _FLANK), (others_in + 1) / (others_around + 1)
        )
        log_p = _poisson_tail_log(kc, expected) + np.log(len(levels) * span[s] / (dc + c))
        burst = (kc >= min_contrast * expected) & (log_p < max_log_p)
        is_burst = np.zeros(len(starts), dtype=bool)
        is_burst[cand[burst]] = True
        piece = np.cumsum(cut) - 1
        take = is_burst[piece] & ~chosen
        chosen |= take
        burst_start[take] = starts[piece[take]]
        burst_end[take] = ends[piece[take]]
    if not chosen.any():
        return float(fallback)
    pieces, inverse = np.unique(burst_start[chosen] * n + burst_end[chosen], return_inverse=True)
    n_acc = _distinct_per(inverse.ravel(), a[chosen], len(pieces))
    p_start, p_end = np.divmod(pieces, n)
    bursts = n_acc >= 3
    if not bursts.any():
        return float(fallback)
    durations, weights = (t[p_end] - t[p_start])[bursts], n_acc[bursts]
    order = np.argsort(durations, kind="stable")
    share = np.cumsum(weights[order]) / weights.sum()
    window = float(durations[order][min(np.searchsorted(share, quantile), len(share) - 1)])
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
       is kept when its weight reaches ``min_weight`` and it holds at least
       ``min_groups`` independent co-occurrences: one viral topic, however
       busy, cannot link two strangers on its own. Each group a pair met in
       counts once, except a *synchronised* group, where each separate
       episode the pair met in counts: a campaign may post every burst into
       one group. A group is synchronised when its own traffic would pass the
       community test below (its ``sync_excess`` over all its accounts is at
       least ``min_sync_excess``): organic virality spread over days is not.
       Its episodes are its runs of occupied buckets, apart by at least a
       bucket of quiet, so a story that keeps a group busy all day is one
       episode however often two of its posters meet in it.
    3. *Core.* Only the ``min_degree``-core of the graph is kept. A single
       heavy user who posts into every popular topic becomes the hub of a
       star whose leaves are not linked to each other; the core removes it.
    4. *Communities.* Louvain (fixed seed) on the weighted core, rather than
       connected components, so that two campaigns joined by a few chance
       edges stay apart. Communities with fewer than ``min_accounts``
       accounts are dropped; then accounts linked to at least
       ``attach_share`` of a community join it (members who took part in
       only one burst). Last, communities whose cross edges are at least half
       as dense as the sparser of them inside are merged: modularity splits a
       clique that is (nearly) alone in the graph at random.
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
        Least independent co-occurrences an edge must hold: distinct
        near-duplicate groups, a synchronised group counting once per
        separate episode (see Method).
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
        Seed of Louvain.

    Attributes
    ----------
    window_ : float
        Window in seconds actually used.
    accounts_ : ndarray
        Distinct account keys; graph nodes are indices into it.
    graph_ : networkx.Graph
        Kept core graph over account indices, edge attributes ``weight`` and
        ``n_groups``.
    edges_ : structured ndarray
        Every candidate edge (pairs co-occurring at least once), before the
        thresholds. Fields ``a``, ``b`` (account indices, ``a < b``),
        ``weight``, ``n_groups`` (distinct groups) and ``n_independent``
        (independent co-occurrences, see ``min_groups``).
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

    A fitted detector keeps the items it has seen (codes, times and deployers,
    about 32 bytes an item) for :meth:`partial_fit`, which adds new items at a
    fraction of the cost of fitting everything again.
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
        self,
        g: np.ndarray,
        a: np.ndarray,
        t: np.ndarray,
        offset: float,
        n_acc: int,
        allowed: np.ndarray | None,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
        """(pair key, group, distinct co-occurring buckets, distinct episodes of the
        group co-occurred in, skipped buckets) for one grid.

        A group's episodes are its runs of occupied buckets: two of them are apart by
        at least a whole bucket of quiet, so one burst is one episode however many
        buckets it spans. They depend on every item of the group, so ``g``, ``a``,
        ``t`` must hold all of them. ``allowed`` (sorted ``group * n_acc + account``
        keys) limits the pairs to accounts listed for their group; buckets are
        still skipped by their full number of accounts.
        """
        empty = np.zeros(0, np.int64)
        if len(g) == 0:
            return empty, empty, empty, empty, 0
        bucket = np.floor((t - offset) / self.window_).astype(np.int64)
        # (group, bucket) as one number; the spare code keeps the last bucket of a
        # group from following on to the first of the next.
        b0 = bucket.min()
        n_codes = int(bucket.max() - b0) + 2
        cell = g * n_codes + (bucket - b0)
        occupied = np.unique(cell)
        starts_episode = np.ones(len(occupied), dtype=bool)
        starts_episode[1:] = np.diff(occupied) != 1
        episode_of = np.cumsum(starts_episode) - 1
        episode_group = occupied[starts_episode] // n_codes
        if allowed is not None:
            # Only buckets holding a listed account can hold a listed pair. Every
            # bucket that gained items is one (its accounts are listed), so counting
            # skipped buckets among these alone still gives the right difference.
            listed = np.isin(g * n_acc + a, allowed)
            near = np.isin(cell, cell[listed])
            g, a, bucket = g[near], a[near], bucket[near]
        pg, pb, pa = _unique_rows(g, bucket, a)
        starts, sizes = _runs(pg, pb)
        big = sizes > self.max_bucket_accounts
        skipped = int(big.sum())
        if allowed is not None:
            keep = ~np.repeat(big, sizes) & np.isin(pg * n_acc + pa, allowed)
            pg, pb, pa = pg[keep], pb[keep], pa[keep]
            starts, sizes = _runs(pg, pb)
            big = np.zeros(len(starts), dtype=bool)
        pair_keys, pair_episodes = [], []
        for m in np.unique(sizes[(sizes >= 2) & ~big]):
            s = starts[sizes == m]
            iu, ju = np.triu_indices(int(m), 1)
            idx = s[:, None] + np.arange(m)[None, :]
            # Accounts are sorted within a bucket, so the first is the smaller.
            lo, hi = pa[idx[:, iu]].ravel(), pa[idx[:, ju]].ravel()
            pair_keys.append(lo * n_acc + hi)
            ep = episode_of[np.searchsorted(occupied, pg[s] * n_codes + (pb[s] - b0))]
            pair_episodes.append(np.repeat(ep, len(iu)))
        if not pair_keys:
            return empty, empty, empty, empty, skipped
        keys, episodes = np.concatenate(pair_keys), np.concatenate(pair_episodes)
        # Presence rows are distinct, so each (pair, group, bucket) appears once.
        order = np.lexsort((episodes, keys))
        keys, episodes = keys[order], episodes[order]
        groups = episode_group[episodes]
        rs, rn = _runs(keys, groups)
        fresh = np.ones(len(keys), dtype=np.int64)
        fresh[1:] = (keys[1:] != keys[:-1]) | (episodes[1:] != episodes[:-1])
        return keys[rs], groups[rs], rn, _segment_sums(fresh, rs), skipped

    def _pair_group_counts(
        self, g: np.ndarray, a: np.ndarray, t: np.ndarray, n_acc: int, allowed: Any = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
        """Per (pair, group): pair keys, co-occurring buckets (the larger of the two
        grids' counts), independent co-occurrences (1, or the pair's separate
        bursts in a synchronised group), and the number of skipped buckets.

        ``g``, ``a``, ``t`` must hold every item of the groups they touch: whether a
        group is synchronised depends on all of them.
        """
        parts = [self._grid_counts(g, a, t, off, n_acc, allowed) for off in (0.0, self.window_ / 2)]
        keys = np.concatenate([p[0] for p in parts])
        groups = np.concatenate([p[1] for p in parts])
        counts = np.concatenate([p[2] for p in parts])
        episodes = np.concatenate([p[3] for p in parts])
        skipped = sum(p[4] for p in parts)
        if len(keys) == 0:
            return keys, counts, counts, skipped
        order = np.lexsort((groups, keys))
        keys, groups = keys[order], groups[order]
        rs, rn = _runs(keys, groups)
        # A run holds one row per grid at most: its first and last are all of it.
        last = rs + rn - 1
        counts = np.maximum(counts[order][rs], counts[order][last])
        episodes = np.maximum(episodes[order][rs], episodes[order][last])
        keys, groups = keys[rs], groups[rs]
        # Only pairs back in one group for a second burst can gain from it, so only
        # those groups are tested.
        independent = np.ones_like(counts)
        again = episodes > 1
        if again.any():
            candidates = np.unique(groups[again])
            in_candidates = np.isin(g, candidates)
            synced = self._synchronised_groups(g[in_candidates], a[in_candidates], t[in_candidates])
            use = again & np.isin(groups, synced)
            independent[use] = episodes[use]
        return keys, counts, independent, skipped

    def _synchronised_groups(self, g: np.ndarray, a: np.ndarray, t: np.ndarray) -> np.ndarray:
        """Group codes (sorted) whose own traffic is synchronised: the share of their
        cross-account pairs within ``window`` of each other exceeds what a uniform
        spread over the group's span predicts, as ``sync_excess`` measures it for a
        community, by ``min_sync_excess`` at least."""
        w = self.window_
        if len(g) == 0:
            return np.zeros(0, np.int64)
        order = np.lexsort((t, g))
        gs, as_, ts = g[order], a[order], t[order]
        s_start, s_len = _runs(gs)
        seg = np.repeat(np.arange(len(s_start)), s_len)
        rel = ts - ts[s_start][seg]
        stride = rel.max() + 2 * w + 1.0
        axis = seg * stride + rel
        close = np.searchsorted(axis, axis + w, side="right") - np.arange(len(axis)) - 1
        own_order = np.lexsort((ts, as_, gs))
        o_start, o_len = _runs(gs[own_order], as_[own_order])
        own_seg = np.repeat(np.arange(len(o_start)), o_len)
        own_axis = own_seg * stride + rel[own_order]
        own_close = np.searchsorted(own_axis, own_axis + w, side="right") - np.arange(len(axis)) - 1
        o_seg = seg[own_order[o_start]]
        own_pairs = np.bincount(o_seg, weights=o_len * (o_len - 1) / 2, minlength=len(s_start))
        cross = s_len * (s_len - 1) / 2 - own_pairs
        close_cross = np.bincount(seg, weights=close, minlength=len(s_start)) - np.bincount(
            seg[own_order], weights=own_close, minlength=len(s_start)
        )
        span = np.maximum(ts[np.append(s_start[1:], len(ts)) - 1] - ts[s_start], 2 * w)
        expected = np.minimum(1.0, 2 * w / span)
        with np.errstate(divide="ignore", invalid="ignore"):
            observed = np.where(cross > 0, close_cross / cross, 0.0)
            excess = np.where(expected < 1, (observed - expected) / (1 - expected), 0.0)
        return gs[s_start][(cross > 0) & (excess >= self.min_sync_excess)]

    @staticmethod
    def _edge_table(
        keys: np.ndarray,
        weight: np.ndarray,
        n_groups: np.ndarray,
        n_independent: np.ndarray,
        n_acc: int,
    ) -> np.ndarray:
        """Sum weights, group and independent co-occurrence counts per pair key;
        pairs left at weight 0 go."""
        if len(keys) == 0:
            return np.zeros(0, dtype=_EDGE_DTYPE)
        order = np.argsort(keys, kind="stable")
        keys = keys[order]
        ps, _ = _runs(keys)
        w = _segment_sums(weight[order], ps)
        ng = _segment_sums(n_groups[order], ps)
        ni = _segment_sums(n_independent[order], ps)
        live = w > 0
        edges = np.zeros(int(live.sum()), dtype=_EDGE_DTYPE)
        edges["a"], edges["b"] = np.divmod(keys[ps][live], n_acc)
        edges["weight"], edges["n_groups"], edges["n_independent"] = w[live], ng[live], ni[live]
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
        pair, links = np.unique(outside * len(members) + comm, return_counts=True)
        acc, c = np.divmod(pair, len(members))
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
        seg = _unique_rows(c_, g_, a_)
        ss, sn = _runs(seg[0], seg[1])
        shared = _unique_rows(seg[0][ss[sn >= 2]], seg[1][ss[sn >= 2]])
        seg_key = c_ * (g.max() + 1) + g_
        shared_key = shared[0] * (g.max() + 1) + shared[1]
        keep = np.isin(seg_key, shared_key)
        rows, c_, g_, a_, t_ = rows[keep], c_[keep], g_[keep], a_[keep], t_[keep]
        labels = np.full(n, -1, dtype=np.int64)
        labels[rows] = c_

        # Spans of the groups members posted into (over all their items), and each
        # community's activity span.
        g_lo = np.full(g.max() + 1, np.inf)
        g_hi = np.full(g.max() + 1, -np.inf)
        wanted = np.zeros(g.max() + 1, dtype=bool)
        wanted[g_] = True
        in_wanted = wanted[g]
        np.minimum.at(g_lo, g[in_wanted], t[in_wanted])
        np.maximum.at(g_hi, g[in_wanted], t[in_wanted])
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

    @staticmethod
    def _check_input(X: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]:
        account = _column(X, "account")
        group = _column(X, "group")
        time = np.asarray(_column(X, "time"), dtype=np.float64)
        deployer = _column(X, "deployer", required=False)
        n = len(time)
        assert account is not None and group is not None
        if not (len(account) == len(group) == n) or (deployer is not None and len(deployer) != n):
            raise ValueError("account, group, time (and deployer) must have the same length")
        if not np.all(np.isfinite(time)):
            raise ValueError("time must be finite")
        return account, group, time, deployer

    def _kept_groups(self, g: np.ndarray, a: np.ndarray, n_groups: int) -> np.ndarray:
        """Per group code: True when it has enough accounts to link anyone."""
        return _distinct_per(g, a, n_groups) >= max(2, self.min_group_accounts)

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
        account, group, time, deployer = self._check_input(X)
        a, self.accounts_ = _codes(account)
        g, self._group_values = _codes(group)

        if isinstance(self.window, str):
            if self.window != "auto":
                raise ValueError(
                    f"window must be a number of seconds or 'auto', got {self.window!r}"
                )
            self.window_ = estimate_window(g, a, time)
        else:
            if not self.window > 0:
                raise ValueError("window must be positive")
            self.window_ = float(self.window)

        # Ignore groups with too few accounts: they cannot link anyone.
        keep = self._kept_groups(g, a, len(self._group_values))[g]
        n_acc = max(len(self.accounts_), 1)
        keys, counts, independent, self.n_skipped_buckets_ = self._pair_group_counts(
            g[keep], a[keep], time[keep], n_acc
        )
        self.edges_ = self._edge_table(keys, counts, np.ones_like(counts), independent, n_acc)
        self._items = (a, g, time, deployer)
        self._find_communities()
        return self

    def partial_fit(self, X: Any, y: Any = None) -> CoordinationDetector:
        """Add items to a fitted detector and find the communities again.

        The result is the same as :meth:`fit` on every item seen so far with
        ``window=self.window_``: an ``"auto"`` window is estimated by the first
        :meth:`fit` only, so call :meth:`fit` again now and then to re-estimate
        it. Only the co-occurrences the new items can change are recounted:
        those of accounts present in the time buckets the new items fall in,
        within the groups they fall in (every account of a group that has
        just reached ``min_group_accounts``). The graph, its communities and
        their features are then built again from all items, which costs little
        beside the counting.

        Parameters
        ----------
        X : mapping, DataFrame or structured array
            New items, with the columns given to :meth:`fit`.
        y : ignored

        Returns
        -------
        self : CoordinationDetector
        """
        if not hasattr(self, "edges_"):
            return self.fit(X)
        account, group, time, deployer = self._check_input(X)
        a_old, g_old, t_old, dep_old = self._items
        if (deployer is None) != (dep_old is None):
            raise ValueError("give a deployer column to partial_fit exactly when fit had one")
        if len(time) == 0:
            return self
        # Codes of the union, as fit on everything would number them; the old codes
        # keep their order, so old edges stay sorted once renumbered.
        n_old_acc, n_old_groups = len(self.accounts_), len(self._group_values)
        acc_codes, accounts = _codes(_concat(self.accounts_, account))
        grp_codes, groups = _codes(_concat(self._group_values, group))
        a_new, g_new = acc_codes[n_old_acc:], grp_codes[n_old_groups:]
        a_old, g_old = acc_codes[:n_old_acc][a_old], grp_codes[:n_old_groups][g_old]
        n_acc = max(len(accounts), 1)
        old_edge_keys = (
            acc_codes[self.edges_["a"]] * n_acc + acc_codes[self.edges_["b"]]
            if len(self.edges_)
            else np.zeros(0, np.int64)
        )

        # Items of the groups the new items fall in, old ones first.
        touched = np.unique(g_new)
        in_touched = np.isin(g_old, touched)
        g = np.concatenate([g_old[in_touched], g_new])
        a = np.concatenate([a_old[in_touched], a_new])
        t = np.concatenate([t_old[in_touched], time])
        is_old = np.arange(len(g)) < int(in_touched.sum())
        n_groups = len(groups)
        kept_before = self._kept_groups(g[is_old], a[is_old], n_groups)
        kept_after = self._kept_groups(g, a, n_groups)
        # A pair's count can only change in a bucket that gains items, and both
        # accounts are present there; a group that has just become large enough
        # changes all of its pairs.
        recount = np.zeros(len(g), dtype=bool)
        for offset in (0.0, self.window_ / 2):
            bucket = np.floor((t - offset) / self.window_).astype(np.int64)
            cell = g * (bucket.max() - bucket.min() + 1) + (bucket - bucket.min())
            recount |= np.isin(cell, cell[~is_old])
        recount |= (kept_after & ~kept_before)[g]
        # A group that turns synchronised (or stops being so) changes how much its
        # repeated bursts count for every pair in it.
        was = self._synchronised_groups(g[is_old], a[is_old], t[is_old])
        now = self._synchronised_groups(g, a, t)
        recount |= np.isin(g, np.setxor1d(was, now))
        # In a synchronised group an item can join two of the group's episodes (see
        # _grid_counts) and change the count of every pair in them.
        synced = np.isin(g, np.union1d(was, now))
        if synced.any():
            gs, ts, is_new = g[synced], t[synced], ~is_old[synced]
            for offset in (0.0, self.window_ / 2):
                bucket = np.floor((ts - offset) / self.window_).astype(np.int64)
                cell = gs * (int(bucket.max() - bucket.min()) + 2) + (bucket - bucket.min())
                occupied, at = np.unique(cell, return_inverse=True)
                starts_episode = np.ones(len(occupied), dtype=bool)
                starts_episode[1:] = np.diff(occupied) != 1
                episode = (np.cumsum(starts_episode) - 1)[at.ravel()]
                recount[np.flatnonzero(synced)[np.isin(episode, episode[is_new])]] = True
        allowed = np.unique(g[recount] * n_acc + a[recount])
        before = is_old & kept_before[g]
        after = kept_after[g]
        k0, c0, i0, s0 = self._pair_group_counts(g[before], a[before], t[before], n_acc, allowed)
        k1, c1, i1, s1 = self._pair_group_counts(g[after], a[after], t[after], n_acc, allowed)
        self.edges_ = _merge_edges(
            self.edges_,
            old_edge_keys,
            np.concatenate([k0, k1]),
            np.concatenate([-c0, c1]),
            np.concatenate([-np.ones_like(c0), np.ones_like(c1)]),
            np.concatenate([-i0, i1]),
            n_acc,
        )
        self.n_skipped_buckets_ += s1 - s0
        self.accounts_, self._group_values = accounts, groups
        self._items = (
            np.concatenate([a_old, a_new]),
            np.concatenate([g_old, g_new]),
            np.concatenate([t_old, time]),
            _concat(dep_old, deployer) if deployer is not None else None,
        )
        self._find_communities()
        return self

    def _find_communities(self) -> None:
        """Graph, core, Louvain, attachment and description from ``edges_``."""
        a, g, time, deployer = self._items
        n = len(a)
        strong = self.edges_[
            (self.edges_["weight"] >= self.min_weight)
            & (self.edges_["n_independent"] >= self.min_groups)
        ]
        graph = _core_graph(strong, self.min_degree)
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
        members, n_attached = self._attach(members)
        members, self._n_attached = _merge_dense(graph, members, n_attached, len(self.accounts_))
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

    def fit_predict(self, X: Any, y: Any = None) -> np.ndarray:
        """Fit and return ``labels_``."""
        return self.fit(X).labels_


def _merge_dense(
    graph: nx.Graph, members: list[np.ndarray], n_attached: list[int], n_nodes: int
) -> tuple[list[np.ndarray], list[int]]:
    """Merge communities linked to each other about as densely as within.

    Modularity scores a component that is one dense clique at 0 when it is all of
    the graph, so Louvain splits a campaign that is alone, or nearly, into
    arbitrary parts. Two communities are one when the share of their possible
    cross pairs (among their accounts in ``graph``) that are edges is at least
    half the lower of their own densities; two campaigns joined by a few chance
    edges are far below that.
    """
    if len(members) < 2:
        return members, n_attached
    k = len(members)
    label = np.full(n_nodes, -1, dtype=np.int64)
    for c, m in enumerate(members):
        label[m] = c
    # Attached members have no edge in the core graph: density is over the others.
    in_graph = np.zeros(n_nodes, dtype=bool)
    in_graph[list(graph.nodes)] = True
    size = np.bincount(label[in_graph & (label >= 0)], minlength=k).astype(np.float64)
    ends = np.array(list(graph.edges()), dtype=np.int64).reshape(-1, 2)
    pairs = label[ends]
    pairs = pairs[(pairs >= 0).all(axis=1)]
    same = pairs[:, 0] == pairs[:, 1]
    density = np.bincount(pairs[same, 0], minlength=k) / np.maximum(size * (size - 1) / 2, 1)
    cross = pairs[~same]
    if not len(cross):
        return members, n_attached
    key, n_edges = np.unique(cross.min(axis=1) * k + cross.max(axis=1), return_counts=True)
    c1, c2 = np.divmod(key, k)
    dense = n_edges / (size[c1] * size[c2]) >= 0.5 * np.minimum(density[c1], density[c2])
    parent = list(range(k))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for x, y in zip(c1[dense].tolist(), c2[dense].tolist(), strict=True):
        rx, ry = root(x), root(y)
        if rx != ry:
            parent[max(rx, ry)] = min(rx, ry)
    roots = sorted({root(c) for c in range(k)})
    merged = [
        np.unique(np.concatenate([members[c] for c in range(k) if root(c) == r])) for r in roots
    ]
    attached = [sum(n_attached[c] for c in range(k) if root(c) == r) for r in roots]
    return merged, attached


def _core_graph(edges: np.ndarray, k: int) -> nx.Graph:
    """The ``k``-core of the graph of these edges (sorted by ``a, b``).

    Louvain's result depends on the order of nodes and of each node's neighbours,
    so both are fixed here: nodes in order of first appearance in the edge list,
    neighbours in the order ``Graph.copy()`` of the core gives them. That is the
    order ``nx.k_core`` gives whenever the core keeps at least half of the nodes
    (below that it follows a set's hash order). Pruning in numpy first, rather than
    building the whole graph and copying its core out, saves half a second a run
    at a million items.
    """
    a, b = edges["a"], edges["b"]
    graph = nx.Graph()
    if k <= 1:
        graph.add_edges_from(
            (x, y, {"weight": w, "n_groups": n})
            for x, y, w, n in zip(
                a.tolist(),
                b.tolist(),
                edges["weight"].tolist(),
                edges["n_groups"].tolist(),
                strict=True,
            )
        )
        return graph
    n_nodes = int(max(a.max(initial=-1), b.max(initial=-1))) + 1
    alive = np.ones(len(edges), dtype=bool)
    while True:
        degree = np.bincount(a[alive], minlength=n_nodes) + np.bincount(b[alive], minlength=n_nodes)
        low = degree < k
        drop = alive & (low[a] | low[b])
        if not drop.any():
            break
        alive &= ~drop
    # Nodes in order of first appearance in the edge list, as the graph adds them.
    ends = np.column_stack([a, b]).ravel()
    nodes, first = np.unique(ends, return_index=True)
    node_order = nodes[np.argsort(first, kind="stable")]
    rank = np.full(n_nodes, -1, dtype=np.int64)
    rank[node_order] = np.arange(len(node_order))
    in_core = np.zeros(n_nodes, dtype=bool)
    in_core[a[alive]] = in_core[b[alive]] = True
    # The core is copied out walking nodes in that order and each node's neighbours
    # in the order their edges were added; an edge goes in when first met.
    idx = np.flatnonzero(alive)
    u = np.concatenate([a[idx], b[idx]])
    v = np.concatenate([b[idx], a[idx]])
    e = np.concatenate([idx, idx])
    met = rank[v] > rank[u]
    u, v, e = u[met], v[met], e[met]
    order = np.lexsort((e, rank[u]))
    u, v, e = u[order], v[order], e[order]
    graph.add_nodes_from(node_order[in_core[node_order]].tolist())
    graph.add_edges_from(
        (x, y, {"weight": w, "n_groups": n})
        for x, y, w, n in zip(
            u.tolist(),
            v.tolist(),
            edges["weight"][e].tolist(),
            edges["n_groups"][e].tolist(),
            strict=True,
        )
    )
    return graph


def _merge_edges(
    edges: np.ndarray,
    keys: np.ndarray,
    delta_keys: np.ndarray,
    delta_weight: np.ndarray,
    delta_groups: np.ndarray,
    delta_independent: np.ndarray,
    n_acc: int,
) -> np.ndarray:
    """Add changes per pair key to an edge table sorted by ``keys``, keeping it sorted
    and dropping pairs left at weight 0: a merge, not a sort of a million edges."""
    if len(delta_keys) == 0:
        return edges
    order = np.argsort(delta_keys, kind="stable")
    delta_keys = delta_keys[order]
    starts, _ = _runs(delta_keys)
    dk = delta_keys[starts]
    dw = np.add.reduceat(delta_weight[order], starts)
    dn = np.add.reduceat(delta_groups[order], starts)
    di = np.add.reduceat(delta_independent[order], starts)
    pos = np.searchsorted(keys, dk)
    hit = np.zeros(len(dk), dtype=bool)
    inside = pos < len(keys)
    hit[inside] = keys[pos[inside]] == dk[inside]
    weight, n_groups = edges["weight"].copy(), edges["n_groups"].copy()
    independent = edges["n_independent"].copy()
    weight[pos[hit]] += dw[hit]
    n_groups[pos[hit]] += dn[hit]
    independent[pos[hit]] += di[hit]
    fresh = ~hit
    keys = np.insert(keys, pos[fresh], dk[fresh])
    weight = np.insert(weight, pos[fresh], dw[fresh])
    n_groups = np.insert(n_groups, pos[fresh], dn[fresh])
    independent = np.insert(independent, pos[fresh], di[fresh])
    live = weight > 0
    out = np.zeros(int(live.sum()), dtype=edges.dtype)
    out["a"], out["b"] = np.divmod(keys[live], n_acc)
    out["weight"], out["n_groups"] = weight[live], n_groups[live]
    out["n_independent"] = independent[live]
    return out


def _concat(old: np.ndarray, new: np.ndarray) -> np.ndarray:
    """Old values then new ones, as one array (object when the kinds differ)."""
    new = np.asarray(new)
    if old.dtype == object or new.dtype == object or old.dtype.kind != new.dtype.kind:
        out = np.empty(len(old) + len(new), dtype=object)
        out[: len(old)], out[len(old) :] = old, new
        return out
    return np.concatenate([old, new])
