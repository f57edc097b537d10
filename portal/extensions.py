"""Per-process extensions and the request-scoped database session."""

from __future__ import annotations

from typing import cast

from flask import current_app, g, request
from flask_limiter import Limiter
from flask_wtf import CSRFProtect
from sqlalchemy.orm import Session

from core.db import Database
from core.services.reports import ClientInfo
from core.settings import Settings
from core.signals import TextAnalyzer


def _client_address() -> str:
    # Used only as an in-memory rate-limit key; never logged or stored here.
    from flask import request

    return request.remote_addr or "unknown"


csrf = CSRFProtect()
limiter = Limiter(key_func=_client_address)


def settings() -> Settings:
    return cast(Settings, current_app.extensions["misuse.settings"])


def database() -> Database:
    return cast(Database, current_app.extensions["misuse.db"])


def analyzer() -> TextAnalyzer:
    return cast(TextAnalyzer, current_app.extensions["misuse.analyzer"])


def client_info() -> ClientInfo:
    """What this request says of its sender, as a report keeps it (unless the reporter
    is a whistleblower)."""
    return ClientInfo(ip=request.remote_addr, user_agent=request.headers.get("User-Agent"))


def db_session() -> Session:
    """The session of this request, closed at teardown."""
    if "db_session" not in g:
        g.db_session = database().sessions()
    return cast(Session, g.db_session)


def close_db_session(_exc: BaseException | None = None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()
