"""Which texts the embedding model can read.

The embedding model (all-MiniLM-L6-v2) was trained on English. Texts in another
language still get vectors, but those vectors say more about the language than
about the claim: Spanish texts of unrelated subjects sit 0.46-0.58 apart and organic
Spanish chat 0.63-0.91 among the neighbours each text keeps (measured on tuning
seeds of benchmarks/detection_eval.py), as close as one English claim reworded or
closer, so their narrative links
chain every Spanish text of a store into one topic of hundreds of accounts
(docs/detection.md, *Texts the model cannot read*). No multilingual model ships
in a package that installs offline, so the group job has to know which texts
those are and give them a check the vectors cannot: the words they share.

The guess here is deliberately modest. It counts function words (articles,
pronouns, prepositions, conjunctions: the words every sentence of a language
uses, whatever its subject) of English against those of the other languages
the platform sees most, and flags a text as *foreign* when the others clearly
win, or when most of its letters are outside the Latin script. A text with too
few function words to tell (a hashtag, a name, a number) stays readable: the
vectors are then all there is, as before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

__all__ = ["content_words", "foreign_texts", "word_overlap"]


def _listed(*lists: str) -> frozenset[str]:
    return frozenset(word for words in lists for word in words.split())


# High-frequency function words, lower case. Only words that mean nothing in
# English belong to the other lists ("a", "o", "me", "die", "son", "war", "per",
# "in", "on" are left out), so a count of them is evidence against English.
_ENGLISH = _listed(
    """the and of to is are was were be been being that this these those with for
    you your it its not have has had but what which who they them their we our
    will would could should there here from about just than then when where why
    how all any some can does did do don't isn't it's i'm you're if or my by at
    very more most also because"""
)
_OTHER = (
    _listed(
        # Spanish
        """el la de en y los las del que por para con una uno unos unas es está están esta este
        esto estos estas pero más muy también hay porque sus su al se lo nos sobre
        cuando donde qué cómo yo tú mi mis ser fue hace puede todo todos nuestro
        nuestra ustedes usted ellos ella eso así sí""",
        # German
        """der das und ist nicht ein eine einen einem einer mit auf für sich den dem
        des auch es wir ihr sie ich du wie wenn oder aber noch nur schon hier mehr
        sehr kann können wird werden sind bei nach zum zur vom über unser""",
        # French
        """le les des une est et pas pour dans sur avec qui sont mais ou nous vous
        ils elle je tu ce cette ces aux du au été être avoir fait plus très tout
        leur notre""",
        # Portuguese and Italian (what the lists above do not already hold)
        """não uma os ao das dos nas são foi você também muito ele ela eles il
        della delle degli che sono anche gli nel nella questo questa molto""",
    )
    - _ENGLISH
)
_FUNCTION_WORDS = _ENGLISH | _OTHER
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?", re.UNICODE)
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")
_CONTENT = re.compile(r"[^\W_]+", re.UNICODE)
# Letters outside the Latin script (letters that are not digits, "_" or Latin).
_NON_LATIN = re.compile(r"[^\W\d_A-Za-z\u00c0-\u024f]", re.UNICODE)
_SAMPLE = 300

# A text is foreign when it holds at least this many function words of the other
# languages and more than twice as many as English ones.
MIN_FUNCTION_WORDS = 2


def foreign_texts(texts: Sequence[str] | np.ndarray) -> np.ndarray:
    """Per text, True when it is most likely not English (see the module notes):
    the vectors of such a text do not say what it claims.

    Only the first ``_SAMPLE`` characters are read: a language shows in its first
    sentences, and a long model response would otherwise cost most of the time.
    The group job calls it on every text of a full run: 100,000 texts of an
    evaluation store in about 2 s on a 2-core EPYC.
    """
    out = np.zeros(len(texts), dtype=bool)
    is_english, is_other = _ENGLISH.__contains__, _OTHER.__contains__
    for i, text in enumerate(texts):
        head = text[:_SAMPLE].lower()
        # Mostly Cyrillic, Arabic, CJK... (an ASCII text is Latin throughout).
        if not head.isascii() and len(_NON_LATIN.findall(head)) > len(_LATIN.findall(head)):
            out[i] = True
            continue
        words = _WORD.findall(head)
        other = sum(map(is_other, words))
        out[i] = other >= MIN_FUNCTION_WORDS and other > 2 * sum(map(is_english, words))
    return out


# Words shorter than this are mostly inflections and particles the function-word
# lists miss; a link between two texts needs at least MIN_SHARED_WORDS of the rest.
_MIN_WORD = 3
MIN_SHARED_WORDS = 2


def content_words(texts: Sequence[str] | np.ndarray) -> list[frozenset[str]]:
    """Per text, its distinct words (and numbers) of three characters or more that
    are no function word of any language listed here, lower case."""
    return [
        frozenset(
            w
            for w in _CONTENT.findall(text.lower())
            if len(w) >= _MIN_WORD and w not in _FUNCTION_WORDS
        )
        for text in texts
    ]


def word_overlap(
    words: Sequence[frozenset[str]],
    i: np.ndarray,
    j: np.ndarray,
    other: Sequence[frozenset[str]] | None = None,
) -> np.ndarray:
    """Per pair (``words[i]``, ``other[j]``; ``other`` defaults to ``words``), the share
    of the smaller text's content words that the other holds too; 0 when they share
    fewer than ``MIN_SHARED_WORDS`` (two one-word texts are no evidence)."""
    other = words if other is None else other
    out = np.zeros(len(i), dtype=np.float64)
    for n, (a, b) in enumerate(zip(np.asarray(i).tolist(), np.asarray(j).tolist(), strict=True)):
        wa, wb = words[a], other[b]
        shared = len(wa & wb)
        if shared >= MIN_SHARED_WORDS:
            out[n] = shared / min(len(wa), len(wb))
    return out
