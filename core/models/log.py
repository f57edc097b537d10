"""Samples of deployers' production traffic."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.models.base import Base, JSONType, utcnow
from core.models.client import Deployer
from core.models.text import TextBlob


class LogRecord(Base):
    __tablename__ = "log_record"
    __table_args__ = (
        # Resending a batch must never store a record twice.
        UniqueConstraint("deployer_id", "external_id"),
        Index("ix_log_record_deployer_occurred", "deployer_id", "occurred_at"),
        Index("ix_log_record_account", "deployer_id", "account_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    deployer_id: Mapped[int] = mapped_column(ForeignKey("deployer.id"))
    external_id: Mapped[str] = mapped_column(String(200))
    occurred_at: Mapped[datetime]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    model: Mapped[str | None] = mapped_column(String(200))
    account_id: Mapped[str | None] = mapped_column(String(200))
    prompt_text_id: Mapped[int | None] = mapped_column(ForeignKey("text_blob.id"), index=True)
    response_text_id: Mapped[int] = mapped_column(ForeignKey("text_blob.id"), index=True)
    # The chat turns with masked content; empty when the record had a plain prompt.
    messages: Mapped[list[dict[str, Any]]] = mapped_column(JSONType, default=list)
    extra: Mapped[dict[str, Any]] = mapped_column("metadata", JSONType, default=dict)
    moderation_flags: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    api_key_id: Mapped[int | None] = mapped_column(ForeignKey("api_key.id"))
    source: Mapped[str] = mapped_column(String(20), default="api")  # api | cli | demo

    deployer: Mapped[Deployer] = relationship()
    response_text: Mapped[TextBlob] = relationship(foreign_keys=[response_text_id])
    prompt_text: Mapped[TextBlob | None] = relationship(foreign_keys=[prompt_text_id])
