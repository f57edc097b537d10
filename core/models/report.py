"""Reports from the public and trusted flaggers, and their conversation."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.models.base import Base, JSONType, utcnow
from core.models.text import TextBlob


class Report(Base):
    __tablename__ = "report"
    __table_args__ = (
        # The triage queue: possible serious incidents first, then trusted flaggers,
        # then oldest first, per status.
        Index("ix_report_triage", "status", "serious_incident", "trusted_flagger", "created_at"),
        # A trusted flagger resending a bulk file must not create a report twice.
        UniqueConstraint("flagger_id", "external_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # HMAC-SHA256 of the receipt code under a server key; never the code itself.
    receipt_hash: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="received")
    reporter_type: Mapped[str] = mapped_column(String(20))
    trusted_flagger: Mapped[bool] = mapped_column(Boolean, default=False)
    # The reporter says the output caused or could cause a serious incident (EU AI Act;
    # the Code of Practice's Measure 9.1 wants third parties able to say so): first in triage.
    serious_incident: Mapped[bool] = mapped_column(Boolean, default=False)
    category: Mapped[str] = mapped_column(String(40), index=True)
    source: Mapped[str] = mapped_column(String(20))  # web | api | bulk | demo
    api_key_id: Mapped[int | None] = mapped_column(ForeignKey("api_key.id"), index=True)
    flagger_id: Mapped[int | None] = mapped_column(ForeignKey("trusted_flagger.id"))
    external_id: Mapped[str | None] = mapped_column(String(200))  # the flagger's reference

    provider: Mapped[str | None] = mapped_column(String(200))
    model_name: Mapped[str | None] = mapped_column(String(200))
    model_version: Mapped[str | None] = mapped_column(String(200))
    product_url: Mapped[str | None] = mapped_column(String(2000))

    output_text_id: Mapped[int] = mapped_column(ForeignKey("text_blob.id"), index=True)
    prompt_text_id: Mapped[int | None] = mapped_column(ForeignKey("text_blob.id"), index=True)
    explanation: Mapped[str] = mapped_column(Text)  # masked
    # Unmasked originals, only when settings.keep_unmasked_original is on.
    output_original: Mapped[str | None] = mapped_column(Text)
    prompt_original: Mapped[str | None] = mapped_column(Text)
    # Kinds of personal data masked anywhere in the report's free texts.
    pii_kinds: Mapped[list[str]] = mapped_column(JSONType, default=list)
    occurred_at: Mapped[datetime | None]
    published_url: Mapped[str | None] = mapped_column(String(2000))
    accuracy_confirmed: Mapped[bool] = mapped_column(Boolean)

    # Never set in whistleblower mode.
    contact_email: Mapped[str | None] = mapped_column(String(320))
    submitter_ip: Mapped[str | None] = mapped_column(String(45))
    user_agent: Mapped[str | None] = mapped_column(String(400))

    # Triage: who works on it, and when it was decided (for the transparency report's
    # median time from report to decision).
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    decided_at: Mapped[datetime | None]
    # What the reporter reads on the follow-up page about the decision (masked).
    decision_reason: Mapped[str | None] = mapped_column(Text)
    # A report an analyst marked as saying the same as an earlier one: it follows
    # that report's decision.
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("report.id"), index=True)

    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    output_text: Mapped[TextBlob] = relationship(foreign_keys=[output_text_id], lazy="joined")
    prompt_text: Mapped[TextBlob | None] = relationship(foreign_keys=[prompt_text_id])
    messages: Mapped[list[ReportMessage]] = relationship(
        back_populates="report", order_by="ReportMessage.id", cascade="all, delete-orphan"
    )


class ReportMessage(Base):
    """One message between analysts and the reporter, who reads it with the receipt."""

    __tablename__ = "report_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"), index=True)
    author: Mapped[str] = mapped_column(String(20))  # reporter | analyst
    author_name: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)  # masked like every free text
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    report: Mapped[Report] = relationship(back_populates="messages")
