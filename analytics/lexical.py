"""Lexical near-copy links: texts that mostly contain one another.

Sentence vectors miss one kind of near-duplicate the platform sees often: a
long fixed template (a jailbreak wrapper, a copy-pasta) around a short
payload that changes. Two such texts share almost every character, yet their
vectors drift apart because the payload moves the mean. The reverse also
happens: a short message wrapped in "URGENT!!" or "pls share" moves its
vector more than its words. This module links texts by the share of their
character 5-grams ("shingles") they have in common, which is blind to
meaning and sees exactly those copies.

Two texts are linked when the *containment* of the smaller shingle set in
the larger, ``|A & B| / min(|A|, |B|)``, reaches a threshold, the smaller set
has enough shingles to mean something, and the sets are of comparable size
(a short phrase quoted inside a long essay is not a copy of it).

Candidates come from MinHash signatures with locality-sensitive banding, so
the cost grows with the number of texts, not pairs; a candidate is accepted
on its exact containment, computed from the sorted shingle sets, whenever
the signature estimate is anywhere near the threshold.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Any

import numpy as np
from sklearn.base import BaseEstimator

from analytics.neighbors import PAIR_DTYPE, components

__all__ = ["ShingleLinker", "distinct_pairs", "shingle_text", "signature_rank"]

_MASK64 = np.uint64(0xFFFFFFFFFFFFFFFF)
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)
# Mersenne prime for the universal hash family of the MinHash permutations.
_PRIME = np.uint64((1 << 61) - 1)


def shingle_text(text: str) -> str:
    """The text shingles are taken from: compatibility-normalised, case-folded,
    punctuation and runs of spaces reduced to one space.

    Punctuation is dropped because campaigns vary it ("!!", "?", ":)") for free,
    and case because copy-pasted text often changes it.
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    return _NON_WORD.sub(" ", folded).strip()


def _distinct_sorted(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values. Sort-and-compare, not np.unique: its hash path
    was ten times slower on these integer arrays."""
    values = np.sort(values)
    if len(values) < 2:
        return values
    return values[np.concatenate([[True], values[1:] != values[:-1]])]


def _shingles(texts: Sequence[str], k: int) -> tuple[np.ndarray, np.ndarray]:
    """Distinct k-byte shingles of every text, as one sorted array.

    Returns ``(grams, starts)``: ``grams[starts[i]:starts[i + 1]]`` are the
    sorted distinct shingles of text ``i`` (UTF-8 bytes packed into an
    integer, so equal shingles are equal numbers). A text shorter than ``k``
    bytes is one shingle of itself.

    Texts are shingled a block at a time: the working arrays take eight bytes
    per byte of text each, gigabytes for a million texts at once.
    """
    if len(texts) >= 1 << 24 or k > 5:
        raise ValueError("at most 16M texts and 5-byte shingles")
    grams: list[np.ndarray] = []
    counts: list[np.ndarray] = []
    for start in range(0, len(texts), _SHINGLE_BLOCK):
        block_grams, block_starts = _shingle_block(texts[start : start + _SHINGLE_BLOCK], k)
        grams.append(block_grams)
        counts.append(np.diff(block_starts))
    if not grams:
        return np.zeros(0, dtype=np.uint64), np.zeros(1, dtype=np.int64)
    starts = np.concatenate([[0], np.cumsum(np.concatenate(counts))]).astype(np.int64)
    return np.concatenate(grams), starts


# Texts shingled at once: ~2 MB of tweets, tens of MB of working arrays.
_SHINGLE_BLOCK = 20_000


def _shingle_block(texts: Sequence[str], k: int) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_shingles` of one block of texts."""
    encoded = [shingle_text(t).encode("utf-8") for t in texts]
    lengths = np.fromiter((len(b) for b in encoded), np.int64, len(encoded))
    n_grams = np.maximum(lengths - k + 1, np.minimum(lengths, 1))
    buf = np.frombuffer(b"".join(encoded), dtype=np.uint8).astype(np.uint64)
    offsets = np.concatenate([[0], np.cumsum(lengths)])
    owner = np.repeat(np.arange(len(encoded), dtype=np.int64), n_grams)
    # Position of each shingle's first byte in buf.
    first = np.repeat(offsets[:-1] - np.cumsum(np.concatenate([[0], n_grams[:-1]])), n_grams)
    pos = first + np.arange(int(n_grams.sum()), dtype=np.int64)
    # Pack the k bytes starting at every buffer position once, then pick the
    # positions that start a shingle inside its own text.
    padded = np.concatenate([buf, np.zeros(k, dtype=np.uint64)])
    packed = np.zeros(len(buf), dtype=np.uint64)
    for j in range(k):
        packed |= padded[j : j + len(buf)] << np.uint64(8 * j)
    gram = packed[pos] if len(buf) else np.zeros(0, dtype=np.uint64)
    short = np.flatnonzero((lengths < k) & (lengths > 0))
    if len(short):  # a text shorter than k is one shingle of its own bytes only
        at = np.searchsorted(owner, short)
        keep = (np.uint64(1) << (np.uint64(8) * lengths[short].astype(np.uint64))) - np.uint64(1)
        gram[at] &= keep
    # k <= 7 leaves the top byte free: tag the text id there to sort once.
    keyed = _distinct_sorted((owner.astype(np.uint64) << np.uint64(40)) | gram)
    owners = (keyed >> np.uint64(40)).astype(np.int64)
    starts = np.searchsorted(owners, np.arange(len(encoded) + 1))
    return keyed & np.uint64((1 << 40) - 1), starts


def _minhash(grams: np.ndarray, starts: np.ndarray, n_hashes: int, seed: int) -> np.ndarray:
    """MinHash signatures, one row per text, from the sorted shingle array."""
    rng = np.random.default_rng(seed)
    a = rng.integers(1, int(_PRIME), n_hashes, dtype=np.uint64)
    b = rng.integers(0, int(_PRIME), n_hashes, dtype=np.uint64)
    n = len(starts) - 1
    sig = np.full((n, n_hashes), np.iinfo(np.uint32).max, dtype=np.uint32)
    nonempty = np.flatnonzero(starts[1:] > starts[:-1])
    if len(grams) == 0:
        return sig
    # A block of texts at a time, so the hashed copy of the shingles stays small.
    for lo in range(0, len(nonempty), _SHINGLE_BLOCK):
        rows = nonempty[lo : lo + _SHINGLE_BLOCK]
        first, last = int(starts[rows[0]]), int(starts[rows[-1] + 1])
        part = grams[first:last]
        at = starts[rows] - first
        with np.errstate(over="ignore"):
            for h in range(n_hashes):
                # (a x + b) mod 2^64, top 32 bits: multiply-shift hashing, good
                # enough for MinHash and one vector pass per permutation.
                hashed = ((a[h] * part + b[h]) & _MASK64) >> np.uint64(32)
                sig[rows, h] = np.minimum.reduceat(hashed, at).astype(np.uint32)
    return sig


def _ragged_positions(starts: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """Concatenated ``range(s, s + n)`` for every ``(s, n)``."""
    total = int(lengths.sum())
    shift = np.repeat(starts - np.concatenate([[0], np.cumsum(lengths)[:-1]]), lengths)
    return shift + np.arange(total, dtype=np.int64)


def pair_intersections(
    grams: np.ndarray, starts: np.ndarray, a: np.ndarray, b: np.ndarray
) -> np.ndarray:
    """``|A & B|`` of the shingle sets of texts ``a[p]`` and ``b[p]``, for every pair ``p``.

    The shingles of both texts of each pair are tagged with the pair's number and
    sorted together; each text's set holds distinct shingles, so a value seen
    twice in a row is a shared shingle. No Python loop over pairs.
    """
    a = np.asarray(a, dtype=np.int64)
    b = np.asarray(b, dtype=np.int64)
    sizes = np.diff(starts)
    out = np.zeros(len(a), dtype=np.int64)
    # Pairs per sort: the tag takes the 24 bits above a 40-bit shingle, and
    # a block of ~8M shingles keeps the sort's copies near 200 MB.
    budget = 8_000_000
    cost = np.cumsum(sizes[a] + sizes[b])
    lo = 0
    while lo < len(a):
        spent = cost[lo - 1] if lo else 0
        hi = int(np.searchsorted(cost, spent + budget, side="right"))
        hi = min(max(hi, lo + 1), lo + (1 << 24) - 1, len(a))
        pa, pb = a[lo:hi], b[lo:hi]
        tags = np.arange(hi - lo, dtype=np.uint64) << np.uint64(40)
        keys = np.concatenate(
            [
                np.repeat(tags, sizes[pa]) | grams[_ragged_positions(starts[pa], sizes[pa])],
                np.repeat(tags, sizes[pb]) | grams[_ragged_positions(starts[pb], sizes[pb])],
            ]
        )
        keys.sort()
        shared = keys[1:][keys[1:] == keys[:-1]] >> np.uint64(40)
        out[lo:hi] = np.bincount(shared.astype(np.int64), minlength=hi - lo)
        lo = hi
    return out


def _containment(grams: np.ndarray, starts: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Exact containment of the texts of every pair ``(a[p], b[p])``, as float32."""
    sizes = np.diff(starts)
    smaller = np.maximum(1, np.minimum(sizes[a], sizes[b]))
    return (pair_intersections(grams, starts, a, b) / smaller).astype(np.float32)


def signature_rank(sig: np.ndarray) -> np.ndarray:
    """Each row's place in the order of whole signatures (ties by row): within a
    large bucket, neighbours in this order are the most alike, so a chain through
    them follows the family."""
    key = np.ascontiguousarray(sig).view(np.dtype((np.void, sig.dtype.itemsize * sig.shape[1])))
    rank = np.empty(len(sig), dtype=np.int64)
    rank[np.argsort(key.ravel(), kind="stable")] = np.arange(len(sig))
    return rank


def distinct_pairs(found: Sequence[np.ndarray]) -> np.ndarray:
    """Distinct pairs ``(lo, hi)`` of row numbers below 2^32, sorted, from any number
    of ``(n, 2)`` arrays of pairs in either order."""
    found = [f for f in found if len(f)]
    if not found:
        return np.zeros((0, 2), dtype=np.int64)
    pairs = np.sort(np.concatenate(found), axis=1)
    packed = _distinct_sorted((pairs[:, 0] << 32) | pairs[:, 1])
    return np.column_stack([packed >> 32, packed & 0xFFFFFFFF])


class ShingleLinker(BaseEstimator):
    """Link texts whose character shingles mostly contain one another.

    Parameters
    ----------
    threshold : float, default=0.92
        Containment ``|A & B| / min(|A|, |B|)`` at or above which two texts are
        near-copies.
    shingle : int, default=5
        Shingle length in bytes of the normalised text (at most 5).
    n_hashes : int, default=64
        MinHash signature length.
    bands : int, default=16
        LSH bands (``n_hashes`` must divide into them). 16 bands of 4 rows
        find a pair of Jaccard 0.6 with probability 0.93 and of 0.8 with
        probability > 0.9999; transitivity over a family covers the rest.
    min_shingles : int, default=20
        Smallest shingle set that is linked at all: a few words are contained
        in too many texts to say anything.
    min_size_ratio : float, default=0.5
        Smallest ratio of the smaller to the larger set.
    max_bucket : int, default=50
        A band bucket with more texts than this (a big family) is linked as a
        chain of neighbours in signature order instead of every pair, which
        keeps the cost linear and, through transitivity, the same groups.
    margin : float, default=0.15
        Candidates whose estimated containment is below ``threshold -
        margin`` are rejected without the exact check.
    random_state : int, default=0
        Seed of the MinHash permutations.

    Attributes
    ----------
    pairs_ : structured ndarray with fields ``i``, ``j``, ``score``
        Linked pairs (``i < j``, row numbers in fit order) with their exact
        containment.
    labels_ : ndarray of shape (n_samples,)
        Connected components of the links, numbered by first appearance.
    n_candidates_ : int
        Distinct candidate pairs the bands proposed.
    n_exact_ : int
        Candidates that needed the exact containment.
    """

    def __init__(
        self,
        *,
        threshold: float = 0.92,
        shingle: int = 5,
        n_hashes: int = 64,
        bands: int = 16,
        min_shingles: int = 20,
        min_size_ratio: float = 0.5,
        max_bucket: int = 50,
        margin: float = 0.15,
        random_state: int = 0,
    ) -> None:
        self.threshold = threshold
        self.shingle = shingle
        self.n_hashes = n_hashes
        self.bands = bands
        self.min_shingles = min_shingles
        self.min_size_ratio = min_size_ratio
        self.max_bucket = max_bucket
        self.margin = margin
        self.random_state = random_state

    def _check_params(self) -> None:
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], got {self.threshold}")
        if not 1 <= self.shingle <= 5:
            raise ValueError(f"shingle must be 1 to 5 bytes, got {self.shingle}")
        if self.bands < 1 or self.n_hashes % self.bands:
            raise ValueError(f"n_hashes ({self.n_hashes}) must be a multiple of bands")
        if self.max_bucket < 2:
            raise ValueError("max_bucket must be >= 2")

    def _candidates(self, sig: np.ndarray, eligible: np.ndarray) -> np.ndarray:
        """Distinct candidate pairs ``(lo, hi)`` from the LSH bands."""
        idx = np.flatnonzero(eligible)
        if len(idx) < 2:
            return np.zeros((0, 2), dtype=np.int64)
        keys = self.band_keys(sig[idx])
        rank = signature_rank(sig[idx])
        found = []
        for band in range(self.bands):
            pairs, big = self.bucket_pairs(keys[:, band], idx, rank)
            found.append(pairs)
            found.extend(self.chain_pairs(members) for members in big)
        return distinct_pairs(found)

    def band_keys(self, sig: np.ndarray) -> np.ndarray:
        """One 64-bit key per band of each signature row, shape ``(rows, bands)``.

        A row's keys depend on its signature only, so rows can be keyed anywhere
        (a worker keys its own texts) and two rows share a bucket of a band when
        they share that band's key."""
        self._check_params()
        rows = self.n_hashes // self.bands
        mix = np.random.default_rng(self.random_state + 1).integers(
            1, 1 << 63, rows, dtype=np.uint64
        ) | np.uint64(1)
        keys = np.empty((len(sig), self.bands), dtype=np.uint64)
        for band in range(self.bands):
            part = sig[:, band * rows : (band + 1) * rows].astype(np.uint64)
            # One 64-bit key per band row: a chance collision only adds a
            # candidate, which the exact check then rejects.
            with np.errstate(over="ignore"):
                keys[:, band] = (part * mix).sum(axis=1, dtype=np.uint64) ^ (
                    part[:, 0] << np.uint64(32)
                )
        return keys

    def bucket_pairs(
        self, key: np.ndarray, row: np.ndarray, rank: np.ndarray | None
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Candidate pairs of the buckets of one band: every pair of a bucket of at most
        ``max_bucket`` texts, and the members of each larger bucket.

        ``key[m]`` is the band key of text ``row[m]``; entries may come in any order,
        but each bucket must be whole. The large buckets' members come back ordered
        by ``rank`` (:func:`signature_rank`), for :meth:`chain_pairs`; with
        ``rank=None`` they come back by row, for the caller to rank.
        """
        rank = row if rank is None else rank
        order = np.lexsort((rank, key))
        k_sorted = key[order]
        boundary = np.flatnonzero(k_sorted[1:] != k_sorted[:-1]) + 1
        starts = np.concatenate([[0], boundary])
        ends = np.concatenate([boundary, [len(order)]])
        sizes = ends - starts
        two = starts[sizes == 2]
        found = [np.column_stack([row[order[two]], row[order[two + 1]]])]
        big: list[np.ndarray] = []
        many = sizes > 2
        for s, e, m in zip(starts[many], ends[many], sizes[many], strict=True):
            members = row[order[s:e]]
            if m <= self.max_bucket:
                a, b = np.triu_indices(int(m), 1)
                found.append(np.column_stack([members[a], members[b]]))
            else:
                big.append(members)
        return np.concatenate(found).astype(np.int64).reshape(-1, 2), big

    def chain_pairs(self, members: np.ndarray) -> np.ndarray:
        """A bucket larger than ``max_bucket``, its members in signature order, linked
        as a chain of neighbours (each to the next three) instead of every pair."""
        steps = [members[:-d] for d in (1, 2, 3)]
        return np.concatenate(
            [np.column_stack([head, members[d:]]) for d, head in zip((1, 2, 3), steps, strict=True)]
        ).reshape(-1, 2)

    def _link(
        self,
        grams: np.ndarray,
        starts: np.ndarray,
        sig: np.ndarray,
        candidates: np.ndarray,
    ) -> np.ndarray:
        """Candidates that pass the size rules and the exact containment."""
        size = np.diff(starts)
        a, b = candidates[:, 0], candidates[:, 1]
        small = np.minimum(size[a], size[b])
        large = np.maximum(size[a], size[b])
        ok = (small >= self.min_shingles) & (small >= self.min_size_ratio * large)
        a, b, small, large = a[ok], b[ok], small[ok], large[ok]
        jaccard = (sig[a] == sig[b]).mean(axis=1)
        # |A & B| = J (|A| + |B|) / (1 + J); divided by the smaller set.
        estimate = jaccard * (small + large) / ((1.0 + jaccard) * small)
        near = estimate >= self.threshold - self.margin
        a, b = a[near], b[near]
        self.n_exact_ = len(a)
        scores = _containment(grams, starts, a, b)
        keep = scores >= self.threshold
        out = np.empty(int(keep.sum()), dtype=PAIR_DTYPE)
        out["i"], out["j"], out["score"] = a[keep], b[keep], scores[keep]
        return out

    def signatures(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Shingles and MinHash signatures of ``texts``: ``(grams, starts, sig)``, where
        ``grams[starts[i]:starts[i + 1]]`` are the sorted shingles of text ``i`` and
        ``sig[i]`` its signature. Each text's depend on that text only, so blocks of
        texts can be signed apart (on different machines) and put together."""
        self._check_params()
        grams, starts = _shingles(list(texts), self.shingle)
        return grams, starts, _minhash(grams, starts, self.n_hashes, self.random_state)

    def link(
        self, grams: np.ndarray, starts: np.ndarray, sig: np.ndarray, candidates: np.ndarray
    ) -> np.ndarray:
        """The candidate pairs (rows of ``(grams, starts, sig)``, as from
        :meth:`signatures`) that are near-copies, in the candidates' order, as
        ``PAIR_DTYPE`` records with their exact containment."""
        self._check_params()
        if not len(candidates):
            return np.zeros(0, dtype=PAIR_DTYPE)
        return self._link(grams, starts, sig, np.asarray(candidates, dtype=np.int64))

    def fit(self, X: Sequence[str], y: Any = None) -> ShingleLinker:
        """Find the near-copy links among ``X``.

        Parameters
        ----------
        X : sequence of str
        y : ignored

        Returns
        -------
        self : ShingleLinker
        """
        texts = list(X)
        grams, starts, sig = self.signatures(texts)
        eligible = np.diff(starts) >= self.min_shingles
        candidates = self._candidates(sig, eligible)
        self.n_candidates_ = len(candidates)
        self.n_exact_ = 0
        pairs = self._link(grams, starts, sig, candidates) if len(candidates) else None
        self.pairs_ = pairs if pairs is not None else np.zeros(0, dtype=PAIR_DTYPE)
        self.labels_ = components(len(texts), self.pairs_["i"], self.pairs_["j"])
        self.n_samples_ = len(texts)
        return self

    def pair_containment(self, X: Sequence[str], Y: Sequence[str]) -> np.ndarray:
        """Exact containment of each ``X[n]`` with ``Y[n]``, for a few given pairs.

        The size rules apply: a pair whose smaller set has fewer than
        ``min_shingles`` shingles, or is under ``min_size_ratio`` of the
        larger, scores 0. Used between full runs, where the candidates are
        a new text's nearest neighbours and no signatures are needed.

        Parameters
        ----------
        X, Y : sequences of str of equal length

        Returns
        -------
        scores : ndarray of shape (len(X),)
        """
        if len(X) != len(Y):
            raise ValueError(f"X and Y differ in length: {len(X)} and {len(Y)}")
        n = len(X)
        return self.containment([*X, *Y], np.arange(n), n + np.arange(n))

    def containment(self, texts: Sequence[str], a: Any, b: Any) -> np.ndarray:
        """Exact containment of ``texts[a[p]]`` with ``texts[b[p]]`` for every pair ``p``.

        As :meth:`pair_containment`, with the texts given once however many
        pairs share them: each is shingled once.

        Parameters
        ----------
        texts : sequence of str
        a, b : array-like of int of equal length
            Positions in ``texts``.

        Returns
        -------
        scores : ndarray of shape (len(a),)
        """
        self._check_params()
        a = np.asarray(a, dtype=np.int64)
        b = np.asarray(b, dtype=np.int64)
        if a.shape != b.shape:
            raise ValueError(f"a and b differ in length: {len(a)} and {len(b)}")
        grams, starts = _shingles(texts, self.shingle)
        size = np.diff(starts)
        small = np.minimum(size[a], size[b])
        large = np.maximum(size[a], size[b])
        ok = np.flatnonzero((small >= self.min_shingles) & (small >= self.min_size_ratio * large))
        out = np.zeros(len(a), dtype=np.float32)
        out[ok] = _containment(grams, starts, a[ok], b[ok])
        return out

    def fit_predict(self, X: Sequence[str], y: Any = None) -> np.ndarray:
        """Fit and return ``labels_``."""
        return self.fit(X).labels_
