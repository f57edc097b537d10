"""Analyst accounts: argon2id passwords, lock-out after repeated failures."""

from __future__ import annotations

import contextlib
import hmac
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.exceptions import Conflict, Unauthorized, ValidationFailed
from core.models import ROLES, User
from core.models.base import utcnow
from core.secrets import keyed_hash, new_receipt, normalise_receipt
from core.services import audit

MIN_PASSWORD_CHARS = 12
MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)
_hasher = PasswordHasher()
# Verified against when the e-mail is unknown, so a wrong address costs as long as a
# wrong password and response times do not reveal which accounts exist.
_DUMMY_HASH = _hasher.hash("not a real password, only for timing")


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise ValidationFailed({"password": f"Must be at least {MIN_PASSWORD_CHARS} characters."})


def create_user(session: Session, email: str, password: str, *, role: str, actor: str) -> User:
    email = email.strip().lower()
    if "@" not in email or len(email) > 320:
        raise ValidationFailed({"email": "Must be an e-mail address."})
    if role not in ROLES:
        raise ValidationFailed({"role": "Must be one of: " + ", ".join(ROLES)})
    _check_password(password)
    if session.execute(select(User.id).where(User.email == email)).first():
        raise Conflict(f"a user {email} exists already")
    user = User(email=email, password_hash=_hasher.hash(password), role=role)
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="user.create",
        subject_type="user",
        subject_id=user.id,
        after={"email": email, "role": role},
    )
    session.commit()
    return user


def count_users(session: Session) -> int:
    return int(session.execute(select(func.count()).select_from(User)).scalar_one())


def verify_login(
    session: Session, email: str, password: str, *, now: datetime | None = None
) -> User:
    """Return the user, or raise Unauthorized with a message that reveals nothing
    about which part was wrong. Locks the account after repeated failures."""
    now = now or utcnow()
    user = session.execute(
        select(User).where(User.email == email.strip().lower())
    ).scalar_one_or_none()
    generic = Unauthorized("Wrong e-mail address or password.")
    if user is None or not user.active:
        with contextlib.suppress(VerificationError):
            _hasher.verify(_DUMMY_HASH, password)
        raise generic
    if user.locked_until is not None and user.locked_until > now:
        raise Unauthorized(
            "Too many failed attempts: this account is locked for a few minutes. Try again later."
        )
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        user.failed_logins += 1
        if user.failed_logins >= MAX_FAILURES:
            user.locked_until = now + LOCK_FOR
            user.failed_logins = 0
            audit.record(
                session,
                actor="system",
                action="user.locked",
                subject_type="user",
                subject_id=user.id,
                after={"until": user.locked_until.isoformat()},
            )
        session.commit()
        raise generic from None
    user.failed_logins = 0
    user.locked_until = None
    user.last_login_at = now
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    session.commit()
    return user


# Argon2 verification rejects this prefix as malformed, so an invited user cannot
# log in with any password until they have set one.
_UNUSABLE_HASH = "!unset"
SETUP_CODE_LIFETIME = timedelta(hours=24)


def _setup_hash(secret_key: str, code: str) -> str:
    return keyed_hash(secret_key, "user-setup", normalise_receipt(code))


def invite_user(
    session: Session, email: str, *, role: str, secret_key: str, actor: str
) -> tuple[User, str]:
    """Create an account with no password and return a one-time setup code.

    The code is shown to whoever runs the command (the local admin), who passes it
    on; the person sets a password at /set-password with it within 24 hours.
    """
    email = email.strip().lower()
    if "@" not in email or len(email) > 320:
        raise ValidationFailed({"email": "Must be an e-mail address."})
    if role not in ROLES:
        raise ValidationFailed({"role": "Must be one of: " + ", ".join(ROLES)})
    if session.execute(select(User.id).where(User.email == email)).first():
        raise Conflict(f"a user {email} exists already")
    code = new_receipt()
    user = User(
        email=email,
        password_hash=_UNUSABLE_HASH,
        role=role,
        setup_code_hash=_setup_hash(secret_key, code),
        setup_code_expires_at=utcnow() + SETUP_CODE_LIFETIME,
    )
    session.add(user)
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="user.invite",
        subject_type="user",
        subject_id=user.id,
        after={"email": email, "role": role},
    )
    session.commit()
    return user, code


def reset_code(session: Session, email: str, *, secret_key: str, actor: str) -> str:
    """A new one-time code for an existing user (a forgotten password)."""
    user = session.execute(
        select(User).where(User.email == email.strip().lower())
    ).scalar_one_or_none()
    if user is None:
        raise ValidationFailed({"email": "No user has that e-mail address."})
    code = new_receipt()
    user.setup_code_hash = _setup_hash(secret_key, code)
    user.setup_code_expires_at = utcnow() + SETUP_CODE_LIFETIME
    audit.record(
        session, actor=actor, action="user.reset_code", subject_type="user", subject_id=user.id
    )
    session.commit()
    return code


def set_password_with_code(
    session: Session,
    email: str,
    code: str,
    password: str,
    *,
    secret_key: str,
    now: datetime | None = None,
) -> User:
    now = now or utcnow()
    user = session.execute(
        select(User).where(User.email == email.strip().lower())
    ).scalar_one_or_none()
    wrong = Unauthorized("Wrong e-mail address or code, or the code has expired.")
    if (
        user is None
        or not user.active
        or user.setup_code_hash is None
        or user.setup_code_expires_at is None
        or user.setup_code_expires_at < now
        or not hmac.compare_digest(user.setup_code_hash, _setup_hash(secret_key, code))
    ):
        raise wrong
    _check_password(password)
    user.password_hash = _hasher.hash(password)
    user.setup_code_hash = None
    user.setup_code_expires_at = None
    user.failed_logins = 0
    user.locked_until = None
    audit.record(
        session,
        actor=f"user:{user.email}",
        action="user.set_password",
        subject_type="user",
        subject_id=user.id,
    )
    session.commit()
    return user
