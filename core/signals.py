"""Types shared between the ingest signal extractors and the core services.

``core`` may import nothing of ours, yet every service that stores a text needs
its cheap signals (masked copy, content hash, offensive-language probability,
personal-data kinds, injection markers). The services therefore take a
``TextAnalyzer``; ``ingest.signals.TextAnalyzer`` is the implementation the
portal, the CLI and the jobs pass in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True, slots=True)
class TextSignals:
    """What ingest learns about one text without embedding it.

    ``masked_text`` is the copy analysts and analytics see: personal data is
    replaced by placeholders such as ``[EMAIL]``. ``content_hash`` is the hex
    SHA-256 of the *normalised masked* text, so the same content arriving from a
    report and from a log sample (or with different e-mail addresses in it)
    shares one hash, one stored text and one embedding.
    """

    masked_text: str
    content_hash: str
    pii_kinds: tuple[str, ...] = ()
    offensive_prob: float = 0.0
    injection_markers: tuple[str, ...] = ()
    # signal name -> "model-or-ruleset@version", recorded with the stored text.
    provenance: dict[str, str] = field(default_factory=dict)


class TextAnalyzer(Protocol):
    """Computes :class:`TextSignals` for a batch of raw texts, in order."""

    def analyze_many(self, texts: Sequence[str]) -> list[TextSignals]: ...
