"""One-time tokens of the public forms, so that a reload or a second click never
stores the same submission twice."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, utcnow


class FormSubmission(Base):
    """A form's one-time token (its keyed hash only) and what its first use created.

    Written in the same transaction as the report, appeal or message it made; the
    primary key makes a second use of the token fail even when two arrive at once.
    """

    __tablename__ = "form_submission"

    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))  # report | appeal | message
    subject_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
