"""Login sessions end when they should, and failed logins neither reveal which
accounts exist nor let a stranger lock an analyst out."""

from datetime import timedelta

import pytest

from core.exceptions import Unauthorized
from core.models.base import utcnow
from core.services import users as user_service
from security_support import PASSWORD, csrf_token, login, make_user


def _copy_cookie(source, target):
    """Another browser holding the same session cookie (a stolen or forgotten one)."""
    cookie = source.get_cookie("session")
    target.set_cookie("session", cookie.value)


@pytest.fixture
def two_browsers(app, client, db):
    make_user(db, "ana@example.org", "analyst")
    assert login(client, "ana@example.org").status_code == 303
    other = app.test_client()
    _copy_cookie(client, other)
    assert other.get("/api/v1/cases").status_code == 200
    return client, other


def test_logout_ends_every_session_of_the_user(two_browsers):
    here, elsewhere = two_browsers
    kept = here.get_cookie("session").value
    assert here.post("/logout", data={"csrf_token": csrf_token(here)}).status_code == 303
    assert elsewhere.get("/api/v1/cases").status_code == 401
    # Replaying the cookie from before the logout does not bring the session back.
    here.set_cookie("session", kept)
    assert here.get("/api/v1/cases").status_code == 401


def test_a_new_password_ends_every_session(two_browsers, db):
    here, elsewhere = two_browsers
    with db.session_scope() as s:
        code = user_service.reset_code(
            s, "ana@example.org", secret_key=db.settings.secret_key, actor="cli"
        )
    # Issuing the code ends the sessions already (the password may be known to someone).
    assert elsewhere.get("/api/v1/cases").status_code == 401
    assert login(here, "ana@example.org").status_code == 303
    with db.session_scope() as s:
        user_service.set_password_with_code(
            s,
            "ana@example.org",
            code,
            "a brand new passphrase",
            secret_key=db.settings.secret_key,
        )
    assert here.get("/api/v1/cases").status_code == 401


def test_a_lock_and_a_role_change_end_every_session(two_browsers, db, runner):
    here, elsewhere = two_browsers
    result = runner.invoke("users", "set-role", "ana@example.org", "supervisor")
    assert result.exit_code == 0, result.output
    assert elsewhere.get("/api/v1/cases").status_code == 401
    assert login(here, "ana@example.org").status_code == 303
    assert here.get("/dashboard/audit").status_code == 200  # the new role, at once
    result = runner.invoke("users", "lock", "ana@example.org")
    assert result.exit_code == 0, result.output
    assert here.get("/api/v1/cases").status_code == 401
    assert login(here, "ana@example.org").status_code == 401
    runner.invoke("users", "unlock", "ana@example.org")
    assert login(here, "ana@example.org").status_code == 303


def _attempt(db, email, password, address, now):
    with db.session_scope() as s:
        try:
            user_service.verify_login(
                s, email, password, secret_key=db.settings.secret_key, address=address, now=now
            )
        except Unauthorized as exc:
            return str(exc)
    return "ok"


def test_unknown_and_known_accounts_get_the_same_answers(db):
    make_user(db, "ana@example.org")
    now = utcnow()
    for email in ("ana@example.org", "nobody@example.org"):
        answers = [_attempt(db, email, "wrong password!!", "198.51.100.7", now) for _ in range(6)]
        assert answers[:5] == [user_service.WRONG_LOGIN] * 5, email
        assert answers[5] == user_service.LOCKED_OUT, email


def test_a_stranger_cannot_lock_an_analyst_out(db):
    make_user(db, "ana@example.org")
    now = utcnow()
    for _ in range(5):
        _attempt(db, "ana@example.org", "wrong password!!", "203.0.113.9", now)
    assert _attempt(db, "ana@example.org", PASSWORD, "203.0.113.9", now) == (
        user_service.LOCKED_OUT
    )
    # The analyst, from her own address, is not affected.
    assert _attempt(db, "ana@example.org", PASSWORD, "198.51.100.7", now) == "ok"
    # The pause ends by itself.
    later = now + user_service.LOCK_FOR + timedelta(seconds=1)
    assert _attempt(db, "ana@example.org", PASSWORD, "203.0.113.9", later) == "ok"


def test_guessing_from_many_addresses_is_slowed_down_not_locked(db):
    make_user(db, "ana@example.org")
    now = utcnow()
    for n in range(user_service.SLOW_DOWN_AFTER):
        _attempt(db, "ana@example.org", "wrong password!!", f"203.0.113.{n}", now)
    # Right after a burst of failures, any address waits a few seconds...
    assert _attempt(db, "ana@example.org", PASSWORD, "198.51.100.7", now) == (
        user_service.SLOWED_DOWN
    )
    # ...and then gets in: no 15-minute lock for anybody.
    soon = now + user_service.SLOW_DOWN_INTERVAL
    assert _attempt(db, "ana@example.org", PASSWORD, "198.51.100.7", soon) == "ok"


def test_failed_logins_store_no_address_and_no_email(db):
    from sqlalchemy import select

    from core.models import LoginThrottle

    _attempt(db, "nobody@example.org", "wrong password!!", "203.0.113.9", utcnow())
    with db.session_scope() as s:
        rows = s.execute(select(LoginThrottle)).scalars().all()
        stored = " ".join(f"{r.account_hash} {r.address_hash}" for r in rows)
    assert len(rows) == 2
    assert "nobody" not in stored and "203.0.113.9" not in stored
    with db.session_scope() as s:
        later = utcnow() + user_service.LOCK_FOR * 2
        assert user_service.prune_login_throttle(s, now=later) == 2


def test_a_nul_in_the_email_is_just_a_wrong_login(client, db):
    make_user(db, "ana@example.org")
    resp = login(client, "ana\x00@example.org")
    assert resp.status_code == 401
    assert "Wrong e-mail address or password." in resp.get_data(as_text=True)


def test_unknown_and_known_accounts_cost_the_same_work(db, monkeypatch):
    """The time an answer takes is the argon2 verifications behind it: one for a
    wrong password whether the account exists or not, none once paused."""
    make_user(db, "ana@example.org")
    calls = []

    class CountingHasher:
        def __init__(self, hasher):
            self.hasher = hasher

        def verify(self, *args):
            calls.append(1)
            return self.hasher.verify(*args)

        def __getattr__(self, name):
            return getattr(self.hasher, name)

    counting = CountingHasher(user_service.password_hasher(db.sessions()))
    monkeypatch.setattr(user_service, "password_hasher", lambda session: counting)
    now = utcnow()
    for email in ("ana@example.org", "nobody@example.org"):
        work = []
        for _ in range(6):
            calls.clear()
            _attempt(db, email, "wrong password!!", "198.51.100.7", now)
            work.append(len(calls))
        assert work == [1, 1, 1, 1, 1, 0], (email, work)
