"""People who log in: analysts, supervisors, admins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.models.base import Base, utcnow

# Each role can do everything the roles before it can.
ROLES = ("analyst", "supervisor", "admin")


class User(Base):
    __tablename__ = "app_user"  # "user" is reserved in PostgreSQL

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))  # argon2id
    role: Mapped[str] = mapped_column(String(20))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    # A one-time code to set the password (an invitation or a reset): its keyed hash
    # only, and until when it works. The code travels out of band, never in a URL.
    setup_code_hash: Mapped[str | None] = mapped_column(String(64))
    setup_code_expires_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def has_role(self, role: str) -> bool:
        return self.active and ROLES.index(self.role) >= ROLES.index(role)
