"""Offensive-language probability from the offline model shipped in alt-profanity-check.

The model is a linear SVM over a bag of words, trained on labelled toxic
comments: cheap enough for the ingest hot path and needs no network. Loading
it takes about a second, so it is imported on first use rather than when the
web app starts.
"""

from __future__ import annotations

import functools
import importlib.metadata
from collections.abc import Callable, Sequence
from typing import Any

_DISTRIBUTION = "alt-profanity-check"


@functools.cache
def model_version() -> str:
    """Provenance of the scores, e.g. ``alt-profanity-check@1.9.1``."""
    return f"{_DISTRIBUTION}@{importlib.metadata.version(_DISTRIBUTION)}"


@functools.cache
def _predict_prob() -> Callable[[Sequence[str]], Any]:
    from profanity_check import predict_prob

    return predict_prob


def offensive_probabilities(texts: Sequence[str]) -> list[float]:
    """Probability in [0, 1] that each text is offensive, in order, scored in one batch."""
    if not texts:
        return []
    # The vectoriser iterates its input; a list avoids surprises with other sequences.
    probabilities = _predict_prob()(list(texts))
    return [float(prob) for prob in probabilities.tolist()]
