"""Class-based TF-IDF keywords: the words that set one topic apart from the rest."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from scipy.sparse import csr_matrix
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

__all__ = ["FILLER_WORDS", "ClassTfidfKeywords", "contrast_keywords"]

# Words of chat and posting that say nothing about a topic, beyond the usual English
# stop words.
FILLER_WORDS = frozenset(
    """
    just like really got get gets getting know think thing things lot lots ok okay yes
    yeah sure hey hi hello thanks thank please sorry anyone someone somebody everyone
    actually basically literally maybe probably pretty quite bit kind sort stuff way
    today tomorrow yesterday week weeks day days time times year years ll ve don didn
    doesn isn aren wasn wouldn shouldn couldn im ive id youre dont cant wont let lets
    want wants need needs make makes made use used using said says say tell told ask
    asked asking question answer answers new good great best better
    """.split()  # noqa: SIM905 (a word list reads better as text)
)
# The placeholders masking puts in place of personal data: "[CARD]" is not about cards.
_PLACEHOLDER = re.compile(r"\[[A-Z_]+\]")


class ClassTfidfKeywords(BaseEstimator):
    """Top words per cluster by class-based TF-IDF (as in BERTopic).

    All texts of a class are treated as one document. A term's weight in
    class ``c`` is ``tf(t, c) * log(1 + A / f(t))`` where ``tf`` is the term's
    frequency in the class normalised by the class's word count, ``A`` the
    mean number of words per class and ``f(t)`` the term's frequency across
    all classes.

    Parameters
    ----------
    top_n : int, default=8
        Keywords kept per class.
    stop_words : str, list of str or None, default="english"
        Passed to :class:`~sklearn.feature_extraction.text.CountVectorizer`.
    ngram_range : tuple of int, default=(1, 1)
    min_df : int, default=1
        Ignore terms found in fewer texts.
    max_class_share : float, default=0.5
        With four classes or more, a term found in more than this share of the
        classes is filler for this corpus (a template's fixed words), not a topic.

    Masking placeholders such as ``[CARD]`` are removed first, and "english" stop
    words include :data:`FILLER_WORDS`.

    Attributes
    ----------
    keywords_ : dict of int to list of str
        Keywords of each class, best first; the noise label -1 is skipped.
    scores_ : dict of int to list of float
        Their weights, aligned with ``keywords_``.
    vocabulary_ : ndarray of str
        Terms considered.
    """

    def __init__(
        self,
        *,
        top_n: int = 8,
        stop_words: str | list[str] | None = "english",
        ngram_range: tuple[int, int] = (1, 1),
        min_df: int = 1,
        max_class_share: float = 0.5,
    ) -> None:
        self.top_n = top_n
        self.stop_words = stop_words
        self.ngram_range = ngram_range
        self.min_df = min_df
        self.max_class_share = max_class_share

    def fit(self, texts: Iterable[str], labels: Sequence[Any]) -> ClassTfidfKeywords:
        """Compute the keywords of every class.

        Parameters
        ----------
        texts : iterable of str
        labels : sequence of int, same length as ``texts``
            Class of each text; -1 (noise) is ignored.

        Returns
        -------
        self : ClassTfidfKeywords
        """
        texts = [_PLACEHOLDER.sub(" ", t) for t in texts]
        labels_arr = np.asarray(labels)
        if len(texts) != len(labels_arr):
            raise ValueError("texts and labels must have the same length")
        keep = labels_arr != -1
        texts = [t for t, k in zip(texts, keep, strict=True) if k]
        labels_arr = labels_arr[keep]
        self.keywords_: dict[int, list[str]] = {}
        self.scores_: dict[int, list[float]] = {}
        if not texts:
            self.vocabulary_ = np.array([], dtype=str)
            return self

        classes = np.unique(labels_arr)
        stop_words: Any = self.stop_words
        if stop_words == "english":
            stop_words = sorted(ENGLISH_STOP_WORDS | FILLER_WORDS)
        vectorizer = CountVectorizer(
            stop_words=stop_words,
            ngram_range=self.ngram_range,
            min_df=self.min_df,
            # Words of two letters or more, no numbers: "500" names no topic.
            token_pattern=r"(?u)\b[^\W\d_][^\W\d_]+\b",  # noqa: S106
        )
        try:
            counts = vectorizer.fit_transform(texts)
        except ValueError:
            # Only stop words (or nothing) left: no class has keywords.
            self.vocabulary_ = np.array([], dtype=str)
            self.keywords_ = {int(c): [] for c in classes}
            self.scores_ = {int(c): [] for c in classes}
            return self
        self.vocabulary_ = vectorizer.get_feature_names_out()

        # One row per class: the summed counts of its texts. Sparse throughout: a
        # dense classes x terms matrix is gigabytes for a thousand topics over a
        # million texts.
        codes = np.searchsorted(classes, labels_arr)
        membership = csr_matrix(
            (np.ones(len(codes)), (codes, np.arange(len(codes)))),
            shape=(len(classes), len(codes)),
        )
        class_counts = csr_matrix(membership @ counts, dtype=np.float64)
        class_counts.sum_duplicates()
        class_counts.eliminate_zeros()
        words_per_class = np.asarray(class_counts.sum(axis=1)).ravel()
        term_freq = np.asarray(class_counts.sum(axis=0)).ravel()
        idf = np.log1p(words_per_class.mean() / np.clip(term_freq, 1, None))
        rows = np.repeat(np.arange(len(classes)), np.diff(class_counts.indptr))
        terms = class_counts.indices
        weights = class_counts.data / np.clip(words_per_class, 1, None)[rows] * idf[terms]
        if len(classes) >= 4:
            in_classes = np.bincount(terms, minlength=len(self.vocabulary_))
            weights[in_classes[terms] > self.max_class_share * len(classes)] = 0.0

        # Best first, ties to the earlier term (a stable sort of a dense row did that).
        order = np.lexsort((terms, -weights, rows))
        rows, terms, weights = rows[order], terms[order], weights[order]
        rank = np.arange(len(rows)) - np.searchsorted(rows, rows)
        top = (rank < self.top_n) & (weights > 0)
        rows, terms, weights = rows[top], terms[top], weights[top]
        bounds = np.searchsorted(rows, np.arange(len(classes) + 1))
        for row, label in enumerate(classes):
            lo, hi = bounds[row], bounds[row + 1]
            self.keywords_[int(label)] = [str(t) for t in self.vocabulary_[terms[lo:hi]]]
            self.scores_[int(label)] = [float(x) for x in weights[lo:hi]]
        return self


def contrast_keywords(
    groups: Sequence[Sequence[str]], background: Sequence[str], top_n: int = 8
) -> list[list[str]]:
    """Keywords of each group of texts against a background of other texts: the words
    that set that group apart (class-based TF-IDF, the background one more class)."""
    texts = [t for group in groups for t in group] + list(background)
    labels = [i for i, group in enumerate(groups) for _ in group] + [len(groups)] * len(background)
    if not texts:
        return [[] for _ in groups]
    model = ClassTfidfKeywords(top_n=top_n).fit(texts, labels)
    return [model.keywords_.get(i, []) for i in range(len(groups))]
