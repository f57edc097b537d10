"""Keep group ids stable across full re-clusterings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping

import numpy as np

__all__ = ["match_label_arrays", "match_labels"]


def match_labels(
    old: Mapping[Hashable, Hashable],
    new_labels: Mapping[Hashable, Hashable],
    min_jaccard: float = 0.5,
) -> dict[Hashable, Hashable | None]:
    """Map each new group to the old id it continues, if any.

    Pairs of (new group, old group) are ranked by the Jaccard overlap of their
    members and accepted greedily, best first, each old id and each new group
    used at most once. A new group whose best remaining overlap is below
    ``min_jaccard`` gets None: it is new (or changed too much) and needs a
    fresh id.

    Parameters
    ----------
    old : mapping of member key to old group id
        Membership from the previous run (members that have since gone may
        stay; they count against the overlap, as they should).
    new_labels : mapping of member key to new label
        Membership from this run.
    min_jaccard : float, default=0.5
        Smallest overlap for a group to keep an old id. Above 0.5 an old id can
        only ever fit one new group, so the result does not depend on order.

    Returns
    -------
    dict of new label to old id or None
        Every new label appears once.

    Examples
    --------
    >>> match_labels({"a": 7, "b": 7, "c": 8}, {"a": 0, "b": 0, "c": 1, "d": 1})
    {0: 7, 1: 8}
    """
    if not 0.0 < min_jaccard <= 1.0:
        raise ValueError("min_jaccard must be in (0, 1]")
    old_sizes: dict[Hashable, int] = defaultdict(int)
    for old_id in old.values():
        old_sizes[old_id] += 1
    new_sizes: dict[Hashable, int] = defaultdict(int)
    overlap: dict[tuple[Hashable, Hashable], int] = defaultdict(int)
    for member, label in new_labels.items():
        new_sizes[label] += 1
        if member in old:
            overlap[(label, old[member])] += 1

    candidates = []
    for (label, old_id), shared in overlap.items():
        jaccard = shared / (new_sizes[label] + old_sizes[old_id] - shared)
        if jaccard >= min_jaccard:
            candidates.append((jaccard, shared, label, old_id))
    # Best overlap first; ties by larger shared count, then by a stable key so
    # that the same inputs always give the same ids.
    candidates.sort(key=lambda c: (-c[0], -c[1], repr(c[2]), repr(c[3])))

    result: dict[Hashable, Hashable | None] = {label: None for label in new_sizes}
    used_old: set[Hashable] = set()
    for _, _, label, old_id in candidates:
        if result[label] is None and old_id not in used_old:
            result[label] = old_id
            used_old.add(old_id)
    return result


def match_label_arrays(
    old_keys: np.ndarray,
    old_ids: np.ndarray,
    new_keys: np.ndarray,
    new_labels: np.ndarray,
    min_jaccard: float = 0.5,
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`match_labels` on integer arrays, without a Python loop over members or groups.

    Parameters
    ----------
    old_keys, old_ids : ndarray of int
        Members of the previous run and their old group ids (keys distinct).
    new_keys, new_labels : ndarray of int
        Members of this run and their new labels (keys distinct).
    min_jaccard : float, default=0.5

    Returns
    -------
    labels : ndarray of int
        The distinct new labels, ascending.
    matched : ndarray of int
        The old id each continues, -1 for none.

    Notes
    -----
    The same greedy rule: best overlap first, then the larger shared count; exact
    ties (possible only at a Jaccard of exactly ``min_jaccard``) go to the smaller
    label and old id, where :func:`match_labels` compares their ``repr``. The greedy
    pass runs in rounds: a candidate that comes first for both its label and its old
    id among those left is one the sequential pass would take, and every candidate
    that shares a label or an old id with it is one it would skip.
    """
    if not 0.0 < min_jaccard <= 1.0:
        raise ValueError("min_jaccard must be in (0, 1]")
    old_keys = np.asarray(old_keys, dtype=np.int64)
    old_ids = np.asarray(old_ids, dtype=np.int64)
    new_keys = np.asarray(new_keys, dtype=np.int64)
    new_labels = np.asarray(new_labels, dtype=np.int64)
    labels, label_code = np.unique(new_labels, return_inverse=True)
    matched = np.full(len(labels), -1, dtype=np.int64)
    if len(old_keys) == 0 or len(labels) == 0:
        return labels, matched
    olds, old_code = np.unique(old_ids, return_inverse=True)
    new_size = np.bincount(label_code, minlength=len(labels))
    old_size = np.bincount(old_code, minlength=len(olds))
    order = np.argsort(old_keys, kind="stable")
    at = np.minimum(np.searchsorted(old_keys[order], new_keys), len(old_keys) - 1)
    hit = old_keys[order][at] == new_keys
    pair = label_code[hit].astype(np.int64) * len(olds) + old_code[order][at][hit]
    pairs, shared = np.unique(pair, return_counts=True)
    lab, old = pairs // len(olds), pairs % len(olds)
    jaccard = shared / (new_size[lab] + old_size[old] - shared)
    keep = jaccard >= min_jaccard
    lab, old, jaccard, shared = lab[keep], old[keep], jaccard[keep], shared[keep]
    rank = np.lexsort((old, lab, -shared, -jaccard))
    lab, old = lab[rank], old[rank]
    while len(lab):
        _, first_of_label = np.unique(lab, return_index=True)
        _, first_of_old = np.unique(old, return_index=True)
        take = np.intersect1d(first_of_label, first_of_old)
        matched[lab[take]] = olds[old[take]]
        left = ~np.isin(lab, lab[take]) & ~np.isin(old, old[take])
        lab, old = lab[left], old[left]
    return labels, matched
