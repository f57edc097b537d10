"""Analyst accounts: argon2id passwords, throttled logins, sessions that can be ended."""

from __future__ import annotations

import functools
import hmac
from datetime import datetime, timedelta

from argon2 import Parameters, PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import case, delete, func, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from core.exceptions import Conflict, Unauthorized, ValidationFailed
from core.models import ROLES, LoginThrottle, User
from core.models.base import utcnow
from core.records import text_problem
from core.secrets import keyed_hash, new_receipt, normalise_receipt
from core.services import audit
from core.services.access import actor_of

MIN_PASSWORD_CHARS = 12
# Settings.argon2_profile names one of these (core.settings.ARGON2_PROFILES).
_PROFILES: dict[str, Parameters] = {
    "rfc9106-low-memory": profiles.RFC_9106_LOW_MEMORY,
    "rfc9106-high-memory": profiles.RFC_9106_HIGH_MEMORY,
    "cheapest": profiles.CHEAPEST,
}


@functools.cache
def _hasher_and_dummy(profile: str) -> tuple[PasswordHasher, str]:
    hasher = PasswordHasher.from_parameters(_PROFILES[profile])
    # Verified against when the e-mail is unknown, so a wrong address costs as long as
    # a wrong password and response times do not reveal which accounts exist.
    return hasher, hasher.hash("not a real password, only for timing")


def password_hasher(session: Session) -> PasswordHasher:
    """The argon2 hasher of the settings the session's factory was made with."""
    return _hasher_and_dummy(session.info.get("argon2_profile", "rfc9106-low-memory"))[0]


def _dummy_hash(session: Session) -> str:
    return _hasher_and_dummy(session.info.get("argon2_profile", "rfc9106-low-memory"))[1]


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
    user = User(email=email, password_hash=password_hasher(session).hash(password), role=role)
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


# Lock-out is per (typed e-mail, client address): five failures from one address
# bar that address for that e-mail for a while, and nobody else. Failures from
# every address together only slow an e-mail down (one attempt per interval), so
# an attacker cannot lock an analyst out, and a spread-out guesser gets a
# handful of tries a minute against argon2 and a 12-character minimum.
MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)
SLOW_DOWN_AFTER = 20
SLOW_DOWN_INTERVAL = timedelta(seconds=5)
WRONG_LOGIN = "Wrong e-mail address or password."
LOCKED_OUT = (
    "Too many failed attempts from here: logging in with this e-mail address is "
    "paused for 15 minutes. Try again later."
)
SLOWED_DOWN = (
    "Too many failed attempts with this e-mail address just now. Wait a few seconds and try again."
)


def _throttle_keys(secret_key: str, email: str, address: str | None) -> tuple[str, str]:
    account = keyed_hash(secret_key, "login-account", email.strip().lower())
    return account, keyed_hash(secret_key, "login-address", address or "unknown")


def _throttle_row(session: Session, account: str, address: str) -> LoginThrottle | None:
    return session.execute(
        select(LoginThrottle).where(
            LoginThrottle.account_hash == account, LoginThrottle.address_hash == address
        )
    ).scalar_one_or_none()


def _count_failure(session: Session, account: str, address: str, now: datetime) -> int:
    """Add a failure to the (account, address) row, in a new window when the last
    one is over; returns the failures in the window. One statement each, so
    failures arriving together all count."""
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    session.execute(
        insert(LoginThrottle)
        .values(
            account_hash=account,
            address_hash=address,
            failures=0,
            window_started_at=now,
            last_failure_at=now,
        )
        .on_conflict_do_nothing(index_elements=["account_hash", "address_hash"])
    )
    window_over = LoginThrottle.window_started_at < now - LOCK_FOR
    where = (LoginThrottle.account_hash == account, LoginThrottle.address_hash == address)
    session.execute(
        update(LoginThrottle)
        .where(*where)
        .values(
            failures=case((window_over, 1), else_=LoginThrottle.failures + 1),
            window_started_at=case((window_over, now), else_=LoginThrottle.window_started_at),
            last_failure_at=now,
        )
    )
    return int(session.execute(select(LoginThrottle.failures).where(*where)).scalar_one())


def verify_login(
    session: Session,
    email: str,
    password: str,
    *,
    secret_key: str,
    address: str | None = None,
    now: datetime | None = None,
) -> User:
    """Return the user, or raise Unauthorized.

    The answers, and the work done before each, depend only on what was typed
    and from where, never on whether the account exists: an unknown e-mail
    address is verified against a dummy hash and throttled like a known one.
    ``address`` is the client's address (as the trusted proxies report it).
    """
    now = now or utcnow()
    account_key, address_key = _throttle_keys(secret_key, email, address)
    pair = _throttle_row(session, account_key, address_key)
    if pair is not None and pair.locked_until is not None and pair.locked_until > now:
        raise Unauthorized(LOCKED_OUT)
    overall = _throttle_row(session, account_key, "")
    if (
        overall is not None
        and now - overall.window_started_at <= LOCK_FOR
        and overall.failures >= SLOW_DOWN_AFTER
        and now - overall.last_failure_at < SLOW_DOWN_INTERVAL
    ):
        raise Unauthorized(SLOWED_DOWN)
    user = _find(session, email)
    hasher = password_hasher(session)
    try:
        if user is None or not user.active:
            hasher.verify(_dummy_hash(session), password)
            raise VerificationError("unknown or inactive account")
        hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        user_id = user.id if user is not None else None
        # Count in a transaction of its own, begun after the reads above.
        session.rollback()
        failures = _count_failure(session, account_key, address_key, now)
        _count_failure(session, account_key, "", now)
        if failures >= MAX_FAILURES:
            until = now + LOCK_FOR
            session.execute(
                update(LoginThrottle)
                .where(
                    LoginThrottle.account_hash == account_key,
                    LoginThrottle.address_hash == address_key,
                )
                .values(locked_until=until, failures=0)
            )
            if user_id is not None:
                audit.record(
                    session,
                    actor="system",
                    action="user.login_paused",
                    subject_type="user",
                    subject_id=user_id,
                    after={"until": until.isoformat()},
                )
        session.commit()
        raise Unauthorized(WRONG_LOGIN) from None
    if pair is not None:
        session.delete(pair)
    user.last_login_at = now
    if hasher.check_needs_rehash(user.password_hash):
        user.password_hash = hasher.hash(password)
    session.commit()
    return user


def prune_login_throttle(session: Session, *, now: datetime | None = None) -> int:
    """Forget failures whose window and lock are both over; returns how many rows went."""
    cutoff = (now or utcnow()) - LOCK_FOR
    result = session.execute(
        delete(LoginThrottle).where(
            LoginThrottle.last_failure_at < cutoff,
            or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until < cutoff),
        )
    )
    session.commit()
    return int(getattr(result, "rowcount", 0) or 0)


def end_sessions(session: Session, user: User, *, actor: str, reason: str) -> None:
    """End every login session of ``user`` (the caller commits)."""
    user.session_generation += 1
    audit.record(
        session,
        actor=actor,
        action="user.sessions_ended",
        subject_type="user",
        subject_id=user.id,
        after={"reason": reason},
    )


def _find(session: Session, email: str) -> User | None:
    typed = email.strip().lower()
    if text_problem(typed):
        # No stored address holds a NUL, and PostgreSQL refuses one in a query.
        return None
    return session.execute(select(User).where(User.email == typed)).scalar_one_or_none()


def _by_email(session: Session, email: str) -> User:
    user = _find(session, email)
    if user is None:
        raise ValidationFailed({"email": "No user has that e-mail address."})
    return user


def log_out_everywhere(session: Session, user_id: int, *, actor: str) -> None:
    """Logout: ends this session and every other one of the same user."""
    user = session.get(User, user_id)
    if user is not None:
        end_sessions(session, user, actor=actor, reason="logout")
        session.commit()


def set_role(session: Session, email: str, role: str, *, actor: str) -> User:
    """Change a user's role; their sessions end, so the new role applies at once."""
    if role not in ROLES:
        raise ValidationFailed({"role": "Must be one of: " + ", ".join(ROLES)})
    user = _by_email(session, email)
    before = user.role
    user.role = role
    audit.record(
        session,
        actor=actor,
        action="user.role",
        subject_type="user",
        subject_id=user.id,
        before={"role": before},
        after={"role": role},
    )
    end_sessions(session, user, actor=actor, reason="role change")
    session.commit()
    return user


def set_active(session: Session, email: str, active: bool, *, actor: str) -> User:
    """Lock (``active=False``) or unlock an account; a lock ends its sessions."""
    user = _by_email(session, email)
    user.active = active
    audit.record(
        session,
        actor=actor,
        action="user.unlock" if active else "user.lock",
        subject_type="user",
        subject_id=user.id,
    )
    if not active:
        end_sessions(session, user, actor=actor, reason="lock")
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
    """A new one-time code for an existing user (a forgotten password, or a
    password that may be known to someone else: every session of the user ends)."""
    user = _by_email(session, email)
    code = new_receipt()
    user.setup_code_hash = _setup_hash(secret_key, code)
    user.setup_code_expires_at = utcnow() + SETUP_CODE_LIFETIME
    audit.record(
        session, actor=actor, action="user.reset_code", subject_type="user", subject_id=user.id
    )
    end_sessions(session, user, actor=actor, reason="password reset")
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
    user = _find(session, email)
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
    user.password_hash = password_hasher(session).hash(password)
    user.setup_code_hash = None
    user.setup_code_expires_at = None
    audit.record(
        session,
        actor=actor_of(user),
        action="user.set_password",
        subject_type="user",
        subject_id=user.id,
    )
    # Whoever held a session under the old password loses it.
    end_sessions(session, user, actor=actor_of(user), reason="password set")
    session.commit()
    return user
