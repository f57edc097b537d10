"""Serious incidents under the EU AI Act: a case declared one, and its frozen reports."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.models.base import Base, JSONType, utcnow

# open: unresolved; resolved: over, reports may still be owed; closed: nothing owed.
INCIDENT_STATUSES = ("open", "resolved", "closed")


class Incident(Base):
    """A case declared a serious incident. The profile and category choose the deadlines
    (core.incident_rules); they are counted from ``aware_at``.

    Never deleted, by retention or otherwise: the records are kept at least five years.
    """

    __tablename__ = "incident"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), unique=True)
    profile: Mapped[str] = mapped_column(String(40))
    category: Mapped[str] = mapped_column(String(40))
    # When the provider became aware: the clock's start; changed only with a reason.
    aware_at: Mapped[datetime]
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    resolved_at: Mapped[datetime | None]
    declared_by: Mapped[str] = mapped_column(String(200))
    declared_at: Mapped[datetime] = mapped_column(default=utcnow)

    reports: Mapped[list[IncidentReport]] = relationship(order_by="IncidentReport.number")


class IncidentReport(Base):
    """One report as submitted: its content is frozen, its SHA-256 is in the audit chain."""

    __tablename__ = "incident_report"
    __table_args__ = (UniqueConstraint("incident_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    incident_id: Mapped[int] = mapped_column(ForeignKey("incident.id"), index=True)
    number: Mapped[int]  # 1, 2, ... within the incident
    kind: Mapped[str] = mapped_column(String(20))  # initial | intermediate | final | complete
    incomplete: Mapped[bool] = mapped_column(Boolean, default=False)
    # The deadline this report answered (None: the law set no date).
    due_at: Mapped[datetime | None]
    submitted_at: Mapped[datetime]
    submitted_by: Mapped[str] = mapped_column(String(200))
    content: Mapped[dict[str, Any]] = mapped_column(JSONType)
    content_sha256: Mapped[str] = mapped_column(String(64))
    # The audit entry that chains the hash: editing the content breaks the match,
    # editing the recorded hash breaks the chain.
    audit_event_id: Mapped[int] = mapped_column(ForeignKey("audit_event.id"))
