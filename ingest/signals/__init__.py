"""Cheap signals computed for every text at ingest, before it is stored.

``TextAnalyzer`` is the implementation of :class:`core.signals.TextAnalyzer`
that the portal, the CLI importers and the jobs pass to the core services.
It runs on the ingest hot path, so everything here is rules, hashing and one
batched call to a small linear model: no embedding, no network.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.signals import TextSignals
from ingest.signals.injection import RULESET_VERSION as INJECTION_RULESET_VERSION
from ingest.signals.injection import find_injection_markers
from ingest.signals.normalize import HASH_VERSION, content_hash, normalise
from ingest.signals.offensive import model_version as offensive_model_version
from ingest.signals.offensive import offensive_probabilities
from ingest.signals.pii import RULESET_VERSION as PII_RULESET_VERSION
from ingest.signals.pii import mask_pii

__all__ = [
    "TextAnalyzer",
    "content_hash",
    "find_injection_markers",
    "mask_pii",
    "normalise",
    "offensive_probabilities",
]


class TextAnalyzer:
    """Masks personal data and computes :class:`TextSignals` for batches of raw texts."""

    def provenance(self) -> dict[str, str]:
        """Signal name -> the rule set or model version that produced it."""
        return {
            "pii": PII_RULESET_VERSION,
            "hash": HASH_VERSION,
            "offensive": offensive_model_version(),
            "injection": INJECTION_RULESET_VERSION,
        }

    def analyze_many(self, texts: Sequence[str]) -> list[TextSignals]:
        """Signals for each text, in order; scores all offensive probabilities in one batch."""
        if not texts:
            return []
        # Log samples repeat themselves (system prompts, templated jailbreaks,
        # canned refusals), so each distinct text is analysed once.
        distinct = list(dict.fromkeys(texts))
        masked = [mask_pii(text) for text in distinct]
        # Scored on the masked text so the score stored beside it is the
        # score of what analysts see.
        probabilities = offensive_probabilities([masked_text for masked_text, _ in masked])
        # Markers on the raw text: they describe the attack, not a person, and
        # masking could hide an encoded payload behind a placeholder.
        by_text = {
            text: (masked_text, content_hash(masked_text), kinds, probability, markers)
            for text, (masked_text, kinds), probability, markers in zip(
                distinct,
                masked,
                probabilities,
                (find_injection_markers(text) for text in distinct),
                strict=True,
            )
        }
        provenance = self.provenance()
        signals = []
        for text in texts:
            masked_text, digest, kinds, probability, markers = by_text[text]
            signals.append(
                TextSignals(
                    masked_text=masked_text,
                    content_hash=digest,
                    pii_kinds=kinds,
                    offensive_prob=probability,
                    injection_markers=markers,
                    # One dict per signal: TextSignals is frozen but a shared
                    # dict would still let one caller's change leak into all.
                    provenance=dict(provenance),
                )
            )
        return signals
