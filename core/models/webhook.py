"""Webhooks: where a deployer wants sanctions pushed, and every delivery and attempt."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.models.base import Base, utcnow

# pending: waiting for its next attempt; delivered: the receiver answered 2xx;
# failed: every attempt failed, the deployer's queue waits for an operator to retry.
WEBHOOK_DELIVERY_STATUSES = ("pending", "delivered", "failed")


class DeployerWebhook(Base):
    """One URL per deployer. The signing secret is encrypted, not hashed: the server
    has to sign with it, so it must be able to read it back."""

    __tablename__ = "deployer_webhook"

    id: Mapped[int] = mapped_column(primary_key=True)
    deployer_id: Mapped[int] = mapped_column(ForeignKey("deployer.id"), unique=True)
    url: Mapped[str] = mapped_column(String(2000))
    secret_encrypted: Mapped[str] = mapped_column(Text)
    # The secret's first characters, so people can tell which one a receiver holds.
    secret_prefix: Mapped[str] = mapped_column(String(16))
    # The last sequence number handed out; deliveries are numbered per deployer.
    last_sequence: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


class WebhookDelivery(Base):
    """One event for one deployer, its body frozen when the event happened."""

    __tablename__ = "webhook_delivery"
    __table_args__ = (
        UniqueConstraint("deployer_id", "sequence"),
        # The delivery job's question: each deployer's oldest undelivered event.
        Index("ix_webhook_delivery_queue", "status", "deployer_id", "sequence"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Public: receivers use it to ignore a repeated delivery.
    event_id: Mapped[str] = mapped_column(String(40), unique=True)
    deployer_id: Mapped[int] = mapped_column(ForeignKey("deployer.id"))
    sequence: Mapped[int] = mapped_column(Integer)
    sanction_id: Mapped[int | None] = mapped_column(ForeignKey("sanction.id"), index=True)
    event: Mapped[str] = mapped_column(String(40))
    body: Mapped[str] = mapped_column(Text)  # the exact bytes signed and sent (UTF-8 JSON)
    status: Mapped[str] = mapped_column(String(20), default="pending")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    delivered_at: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(Text)

    attempt_log: Mapped[list[WebhookAttempt]] = relationship(
        cascade="all, delete-orphan", order_by="WebhookAttempt.id"
    )


class WebhookAttempt(Base):
    __tablename__ = "webhook_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(
        ForeignKey("webhook_delivery.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    url: Mapped[str] = mapped_column(String(2000))
    status_code: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[int] = mapped_column(Integer)
