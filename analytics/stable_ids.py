"""Keep group ids stable across full re-clusterings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Mapping

__all__ = ["match_labels"]


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
