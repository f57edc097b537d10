"""Cases, the sanctions decided in them, and appeals against those decisions."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.models.base import Base, JSONType, utcnow

CASE_STATUSES = ("open", "investigating", "decided", "closed")
# What a case can point at; a case_item row links one of them.
CASE_ITEM_KINDS = ("report", "log", "campaign", "alert")
SANCTION_SUBJECTS = ("account", "api_key", "deployer", "model")
# Ordered by severity. Suspension and stronger need a second person's approval.
SANCTION_MEASURES = ("warning", "rate_limit", "suspension", "termination", "model_withdrawal")
SEVERE_MEASURES = ("suspension", "termination", "model_withdrawal")
# Measures that make the ingest API refuse a sanctioned key or deployer.
BLOCKING_MEASURES = ("suspension", "termination")
SANCTION_STATUSES = ("proposed", "active", "rejected", "expired", "revoked", "reversed")
APPEAL_STATUSES = ("pending", "upheld", "reversed")


class Case(Base):
    """An investigation: the items it is about, who works on it, and every step taken."""

    __tablename__ = "case_file"  # "case" is an SQL keyword

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    # Where it came from: alert, campaign, reports or manual.
    origin_type: Mapped[str] = mapped_column(String(20))
    origin_id: Mapped[int | None]
    assignee_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]

    items: Mapped[list[CaseItem]] = relationship(cascade="all, delete-orphan")
    events: Mapped[list[CaseEvent]] = relationship(
        cascade="all, delete-orphan", order_by="CaseEvent.id"
    )


class CaseItem(Base):
    __tablename__ = "case_item"
    __table_args__ = (Index("ix_case_item_item", "kind", "item_id"),)

    case_id: Mapped[int] = mapped_column(
        ForeignKey("case_file.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    item_id: Mapped[int] = mapped_column(primary_key=True)


class CaseEvent(Base):
    """One line of a case's timeline, written by the same service call as the change."""

    __tablename__ = "case_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(40))  # opened, note, status, assign, link, sanction…
    body: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)


class Sanction(Base):
    """A measure against a subject, with the content of a DSA Art. 17 statement of reasons."""

    __tablename__ = "sanction"
    __table_args__ = (
        # The ingest API's check and the deployers' sanctions feed.
        Index("ix_sanction_subject", "status", "deployer_id", "subject_type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Public, unguessable: the sanctioned party quotes it to appeal.
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    subject_type: Mapped[str] = mapped_column(String(20))
    deployer_id: Mapped[int | None] = mapped_column(ForeignKey("deployer.id"))
    account_id: Mapped[str | None] = mapped_column(String(200))
    api_key_id: Mapped[int | None] = mapped_column(ForeignKey("api_key.id"))
    model_name: Mapped[str | None] = mapped_column(String(200))
    measure: Mapped[str] = mapped_column(String(30))
    # rate_limit only: the most requests per minute the subject may make.
    rate_limit_per_minute: Mapped[int | None]
    category: Mapped[str] = mapped_column(String(40))  # a HARM_CATEGORIES key
    ground_type: Mapped[str] = mapped_column(String(20))  # illegal | terms
    ground_reference: Mapped[str] = mapped_column(Text)  # the law or the clause of the terms
    ground_explanation: Mapped[str] = mapped_column(Text)
    facts: Mapped[str] = mapped_column(Text)
    automated_detection: Mapped[bool] = mapped_column(Boolean)
    automated_decision: Mapped[str] = mapped_column(String(20))  # fully | partially | not
    # DSA source_type: notice (Art. 16), trusted_flagger, other_notification, voluntary.
    source_type: Mapped[str] = mapped_column(String(30))
    territorial_scope: Mapped[list[str]] = mapped_column(JSONType, default=list)
    content_date: Mapped[datetime | None]
    status: Mapped[str] = mapped_column(String(20), default="proposed", index=True)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # When it took effect (the DSA application_date) and when it is due to end.
    starts_at: Mapped[datetime | None]
    ends_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    end_reason: Mapped[str | None] = mapped_column(Text)

    appeals: Mapped[list[Appeal]] = relationship(
        back_populates="sanction", order_by="Appeal.id", foreign_keys="Appeal.sanction_id"
    )


class Appeal(Base):
    """A request to review a sanction, or a decision on a report, by someone else."""

    __tablename__ = "appeal"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Exactly one of the two: a sanction's reference, or the appellant's report receipt.
    sanction_id: Mapped[int | None] = mapped_column(ForeignKey("sanction.id"), index=True)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("report.id"), index=True)
    appellant_type: Mapped[str] = mapped_column(String(20))  # sanctioned_party | reporter
    statement: Mapped[str] = mapped_column(Text)  # masked like every free text
    # HMAC of the appellant's follow-up code, as for reports.
    receipt_hash: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="pending", index=True)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    outcome_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None]

    sanction: Mapped[Sanction | None] = relationship(
        back_populates="appeals", foreign_keys=[sanction_id]
    )
