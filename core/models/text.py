"""Distinct texts: stored once per normalised content hash, with their cheap signals."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, JSONType, utcnow


class TextBlob(Base):
    """A distinct masked text. Reports and log samples point here, so a text
    repeated ten thousand times is signalled, embedded and grouped once."""

    __tablename__ = "text_blob"

    id: Mapped[int] = mapped_column(primary_key=True)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    masked_text: Mapped[str] = mapped_column(Text)
    offensive_prob: Mapped[float] = mapped_column(Float, default=0.0)
    pii_kinds: Mapped[list[str]] = mapped_column(JSONType, default=list)
    injection_markers: Mapped[list[str]] = mapped_column(JSONType, default=list)
    # signal -> "model-or-ruleset@version": which extractor produced each value.
    provenance: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
