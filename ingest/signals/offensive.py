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
    from profanity_check import profanity_check as fitted

    return _direct_predictor(fitted) or predict_prob


def _direct_predictor(pc: Any) -> Callable[[Sequence[str]], Any] | None:
    """The model's own arithmetic without scikit-learn's per-call input checks.

    The model is a sigmoid-calibrated linear SVM averaged over five folds;
    ``predict_prob`` spends most of its ~2 ms per call validating input and
    refitting label encoders, while the arithmetic takes under 0.1 ms. The same
    formula is applied here to the same fitted weights (a unit test checks it
    against ``predict_prob``). Any other model layout falls back to the library.
    """
    import numpy as np

    model = getattr(pc, "model", None)
    try:
        calibrated = model.calibrated_classifiers_  # type: ignore[union-attr]
        if model.method != "sigmoid" or len(model.classes_) != 2:  # type: ignore[union-attr]
            return None
        weights = np.vstack([c.estimator.coef_.ravel() for c in calibrated]).T
        bias = np.array([c.estimator.intercept_[0] for c in calibrated])
        slope = np.array([c.calibrators[0].a_ for c in calibrated])
        offset = np.array([c.calibrators[0].b_ for c in calibrated])
    except (AttributeError, IndexError, TypeError):
        return None
    vectorizer = pc.vectorizer

    def predict(texts: Sequence[str]) -> Any:
        decision = vectorizer.transform(texts) @ weights + bias
        return (1.0 / (1.0 + np.exp(decision * slope + offset))).mean(axis=1)

    return predict


def offensive_probabilities(texts: Sequence[str]) -> list[float]:
    """Probability in [0, 1] that each text is offensive, in order, scored in one batch."""
    if not texts:
        return []
    # The vectoriser iterates its input; a list avoids surprises with other sequences.
    probabilities = _predict_prob()(list(texts))
    return [float(prob) for prob in probabilities.tolist()]
