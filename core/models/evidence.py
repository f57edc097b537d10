"""Holds that keep log samples past their deployer's retention period."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, utcnow


class EvidenceHold(Base):
    """A log sample is evidence in a case or a campaign: retention must not delete it."""

    __tablename__ = "evidence_hold"
    __table_args__ = (UniqueConstraint("log_record_id", "holder_type", "holder_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    log_record_id: Mapped[int] = mapped_column(
        ForeignKey("log_record.id", ondelete="CASCADE"), index=True
    )
    holder_type: Mapped[str] = mapped_column(String(20))  # case | campaign
    holder_id: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
