"""Log in and out; guards for analyst pages and APIs."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit

from flask import Blueprint, g, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue

from core.exceptions import Unauthorized, ValidationFailed
from core.models import User
from core.services import access
from core.services import users as user_service
from portal.extensions import db_session, limiter, settings

auth = Blueprint("auth", __name__)

# A session ends after this long even if it is used all the time.
ABSOLUTE_LIFETIME_S = 12 * 3600
F = TypeVar("F", bound=Callable[..., Any])


def current_user() -> User | None:
    if "current_user" in g:
        return cast(User | None, g.current_user)
    user = None
    user_id = session.get("user_id")
    if user_id is not None and time.time() - session.get("auth_at", 0) < ABSOLUTE_LIFETIME_S:
        user = db_session().get(User, user_id)
        # A session issued before the user's last logout, password change, lock or
        # role change carries an older generation: it is over.
        if user is not None and (
            not user.active or session.get("generation") != user.session_generation
        ):
            user = None
    g.current_user = user
    return user


def require_role(role: str) -> Callable[[F], F]:
    """Anonymous: 401 (API) or a redirect to the login page; wrong role: 403."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            user = current_user()
            if user is None:
                if request.path.startswith("/api/"):
                    raise Unauthorized("Log in first (analyst session required).")
                return redirect(url_for("auth.login", next=request.path))
            access.require_role(user, role)
            return view(*args, **kwargs)

        # Lets a test walk the routes and know which role each one needs.
        wrapped.required_role = role  # type: ignore[attr-defined]
        return cast(F, wrapped)

    return decorator


def _safe_next(target: str | None) -> str:
    # Only same-site paths: an open redirect would make a fine phishing link.
    if (
        target
        and target.startswith("/")
        and not target.startswith("//")
        and not urlsplit(target).netloc
    ):
        return target
    # Everyone who logs in is staff: they land where they work.
    return "/dashboard/"


@auth.get("/login")
def login() -> ResponseReturnValue:
    return render_template("login.html", errors={}, email="", next=request.args.get("next"))


@auth.post("/login")
@limiter.limit("10 per minute;100 per hour", methods=["POST"])
def login_submit() -> ResponseReturnValue:
    email = request.form.get("email", "")
    try:
        user = user_service.verify_login(
            db_session(),
            email,
            request.form.get("password", ""),
            secret_key=settings().secret_key,
            address=request.remote_addr,
        )
    except Unauthorized as exc:
        return render_template(
            "login.html", errors={"password": str(exc)}, email=email, next=request.form.get("next")
        ), 401
    session.clear()  # a fresh session: no fixation
    session.permanent = True
    session["user_id"] = user.id
    session["generation"] = user.session_generation
    session["auth_at"] = time.time()
    return redirect(_safe_next(request.form.get("next")), code=303)


@auth.post("/logout")
def logout() -> ResponseReturnValue:
    """Log out here and everywhere else: a copied or forgotten session cookie of the
    same user stops working too."""
    user = current_user()
    if user is not None:
        user_service.log_out_everywhere(db_session(), user.id, actor=access.actor_of(user))
    session.clear()
    return redirect(url_for("auth.login"), code=303)


@auth.get("/set-password")
def set_password() -> ResponseReturnValue:
    return render_template("set_password.html", errors={}, email="")


@auth.post("/set-password")
@limiter.limit("10 per minute;50 per hour", methods=["POST"])
def set_password_submit() -> ResponseReturnValue:
    """Redeem the one-time code from `misuse users create --invite` (or reset-code)."""
    email = request.form.get("email", "")
    password = request.form.get("password", "")
    if password != request.form.get("confirm", ""):
        return render_template(
            "set_password.html", errors={"confirm": "The two passwords differ."}, email=email
        ), 400
    try:
        user_service.set_password_with_code(
            db_session(),
            email,
            request.form.get("code", ""),
            password,
            secret_key=settings().secret_key,
        )
    except Unauthorized as exc:
        return render_template("set_password.html", errors={"code": str(exc)}, email=email), 401
    except ValidationFailed as exc:
        return render_template("set_password.html", errors=exc.errors, email=email), 400
    return redirect(url_for("auth.login"), code=303)
