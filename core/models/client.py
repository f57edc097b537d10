"""API clients: deployers who send log samples, trusted flaggers, and their keys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.models.base import Base, JSONType, utcnow


class Deployer(Base):
    __tablename__ = "deployer"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    # Log samples older than this are deleted by the retention job (unless evidence).
    retention_days: Mapped[int] = mapped_column(Integer, default=90)
    status: Mapped[str] = mapped_column(String(20), default="active")  # active | suspended
    status_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    keys: Mapped[list[ApiKey]] = relationship(back_populates="deployer")


class TrustedFlagger(Base):
    """An organisation (NGO, fact-checker) whose notices are handled with priority."""

    __tablename__ = "trusted_flagger"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    status: Mapped[str] = mapped_column(String(20), default="active")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    keys: Mapped[list[ApiKey]] = relationship(back_populates="flagger")


class ApiKey(Base):
    """A bearer key. Only its HMAC is stored; ``prefix`` lets people tell keys apart."""

    __tablename__ = "api_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    prefix: Mapped[str] = mapped_column(String(16), index=True)
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(100))
    scopes: Mapped[list[str]] = mapped_column(JSONType, default=list)
    deployer_id: Mapped[int | None] = mapped_column(ForeignKey("deployer.id"), index=True)
    flagger_id: Mapped[int | None] = mapped_column(ForeignKey("trusted_flagger.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    revoked_reason: Mapped[str | None] = mapped_column(Text)

    deployer: Mapped[Deployer | None] = relationship(back_populates="keys")
    flagger: Mapped[TrustedFlagger | None] = relationship(back_populates="keys")

    @property
    def owner_name(self) -> str:
        if self.deployer is not None:
            return self.deployer.name
        if self.flagger is not None:
            return self.flagger.name
        return "?"
