"""People who log in: analysts, supervisors, admins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String, UniqueConstraint
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
    # Every login session carries the generation it was issued under; raising it
    # ends them all (logout, a new password, a lock, a role change).
    session_generation: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_login_at: Mapped[datetime | None]
    # A one-time code to set the password (an invitation or a reset): its keyed hash
    # only, and until when it works. The code travels out of band, never in a URL.
    setup_code_hash: Mapped[str | None] = mapped_column(String(64))
    setup_code_expires_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    def has_role(self, role: str) -> bool:
        return self.active and ROLES.index(self.role) >= ROLES.index(role)


class LoginThrottle(Base):
    """Failed logins per (typed e-mail, client address), and per typed e-mail alone
    (``address_hash`` empty), over a sliding window.

    Keyed by what was typed, not by the account, so an address that exists and
    one that does not are throttled alike and answers reveal nothing. Both keys
    are keyed hashes: neither the e-mail typed nor the caller's address is stored.
    """

    __tablename__ = "login_throttle"
    __table_args__ = (UniqueConstraint("account_hash", "address_hash"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_hash: Mapped[str] = mapped_column(String(64))
    address_hash: Mapped[str] = mapped_column(String(64))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_started_at: Mapped[datetime]
    last_failure_at: Mapped[datetime]
    locked_until: Mapped[datetime | None]
