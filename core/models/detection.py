"""What the detect job finds: coordinated-campaign candidates and anomaly alerts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.models.base import Base, JSONType, utcnow

CAMPAIGN_STATUSES = ("candidate", "acknowledged", "dismissed", "escalated")
ALERT_STATUSES = ("open", "acknowledged", "dismissed", "escalated")


class Campaign(Base):
    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    score: Mapped[float] = mapped_column(Float)
    status: Mapped[str] = mapped_column(String(20), default="candidate", index=True)
    status_reason: Mapped[str | None] = mapped_column(Text)
    category_guess: Mapped[str | None] = mapped_column(String(40))
    keywords: Mapped[list[str]] = mapped_column(JSONType, default=list)
    explanation: Mapped[str] = mapped_column(Text)
    features: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    account_count: Mapped[int] = mapped_column(Integer)
    deployer_count: Mapped[int] = mapped_column(Integer)
    item_count: Mapped[int] = mapped_column(Integer)
    report_count: Mapped[int] = mapped_column(Integer, default=0)
    first_seen: Mapped[datetime]
    last_seen: Mapped[datetime]
    # False once a later run no longer finds it; kept for the record, not shown as active.
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    accounts: Mapped[list[CampaignAccount]] = relationship(
        cascade="all, delete-orphan", order_by="CampaignAccount.item_count.desc()"
    )


class CampaignAccount(Base):
    __tablename__ = "campaign_account"
    __table_args__ = (UniqueConstraint("campaign_id", "deployer_id", "account_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaign.id", ondelete="CASCADE"), index=True
    )
    # Null deployer: a report's submitting key or source stands in for the account.
    deployer_id: Mapped[int | None] = mapped_column(ForeignKey("deployer.id"))
    account_id: Mapped[str] = mapped_column(String(200))
    item_count: Mapped[int] = mapped_column(Integer)


class CampaignItem(Base):
    __tablename__ = "campaign_item"
    __table_args__ = (Index("ix_campaign_item_item", "kind", "item_id"),)

    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaign.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(10), primary_key=True)  # log | report
    item_id: Mapped[int] = mapped_column(primary_key=True)


class Alert(Base):
    __tablename__ = "alert"
    __table_args__ = (UniqueConstraint("subject_type", "subject_id", "window_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    subject_type: Mapped[str] = mapped_column(String(20))  # group | account
    subject_id: Mapped[str] = mapped_column(String(250))
    window_start: Mapped[datetime]
    window_end: Mapped[datetime]
    score: Mapped[float] = mapped_column(Float)
    features: Mapped[dict[str, Any]] = mapped_column(JSONType, default=dict)
    explanation: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="open", index=True)
    status_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)


# Frameworks whose technique ids an analyst can tag a campaign with.
TECHNIQUE_FRAMEWORKS = ("disarm", "atlas")


class CampaignTechnique(Base):
    """A technique an analyst recognised in a campaign: DISARM (T0019) or MITRE ATLAS
    (AML.T0051). Exported as STIX attack-patterns."""

    __tablename__ = "campaign_technique"
    __table_args__ = (UniqueConstraint("campaign_id", "framework", "technique_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("campaign.id", ondelete="CASCADE"), index=True
    )
    framework: Mapped[str] = mapped_column(String(20))
    technique_id: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    tagged_by: Mapped[str] = mapped_column(String(200))
    tagged_at: Mapped[datetime] = mapped_column(default=utcnow)
