"""Application factory: wires settings, extensions, blueprints and error handlers."""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from typing import Any
from urllib.parse import quote

from flask import Flask, Response, g, request, send_from_directory

from core.db import Database
from core.settings import Settings, load_settings
from core.signals import TextAnalyzer
from portal import security
from portal.compression import install_compression
from portal.errors import register_error_handlers
from portal.extensions import close_db_session, csrf, limiter

access_log = logging.getLogger("misuse.access")


def create_app(settings: Settings | None = None, *, analyzer: TextAnalyzer | None = None) -> Flask:
    """Build the portal. No migrations, no network, no prompts: only wiring."""
    settings = settings or load_settings()
    app = Flask(__name__, instance_path=str(settings.instance_dir.resolve()))
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.https,
        PERMANENT_SESSION_LIFETIME=timedelta(minutes=30),
        # Every body is held to the report limit from the first read on (the CSRF
        # check parses forms before any view runs); the bulk endpoints and the
        # dashboard's callbacks raise it for themselves.
        MAX_CONTENT_LENGTH=settings.max_report_bytes,
        WTF_CSRF_TIME_LIMIT=3600,
        # The portal's own static files are not fingerprinted: cached for an hour,
        # then revalidated by their ETag.
        SEND_FILE_MAX_AGE_DEFAULT=timedelta(hours=1),
        RATELIMIT_ENABLED=settings.rate_limits_enabled,
        RATELIMIT_STORAGE_URI=settings.rate_limit_storage,
        RATELIMIT_HEADERS_ENABLED=True,
        JSON_SORT_KEYS=False,
    )
    if analyzer is None:
        from ingest.signals import TextAnalyzer as DefaultAnalyzer

        analyzer = DefaultAnalyzer()
    app.extensions["misuse.settings"] = settings
    app.extensions["misuse.db"] = Database(settings)
    app.extensions["misuse.analyzer"] = analyzer

    security.install(app, settings)
    csrf.init_app(app)
    limiter.init_app(app)
    # Flask-Limiter logs the client address of every breach; addresses stay out of our logs.
    logging.getLogger("flask-limiter").setLevel(logging.ERROR)

    from portal.api import api_v1
    from portal.auth import auth
    from portal.public import public

    app.register_blueprint(public)
    app.register_blueprint(auth)
    app.register_blueprint(api_v1)
    # The JSON API's session routes take JSON instead of a CSRF token; API-key routes
    # take no cookie at all.
    security.json_only(api_v1)

    register_error_handlers(app)
    app.teardown_appcontext(close_db_session)
    _install_access_log(app)
    install_compression(app)
    # Browsers ask for /favicon.ico on every site, whatever the page links to.
    app.add_url_rule(
        "/favicon.ico",
        "favicon",
        lambda: send_from_directory(
            app.static_folder or "static", "favicon.ico", max_age=86400, mimetype="image/x-icon"
        ),
    )

    from dashboards import init_dashboards
    from portal.auth import current_user
    from portal.extensions import db_session

    app.extensions["misuse.dashboard_script_hashes"] = init_dashboards(
        app,
        current_user=current_user,
        db_session=db_session,
        analyzer=analyzer,
        csrf_exempt=security.json_only,
    )
    return app


def _install_access_log(app: Flask) -> None:
    """One line per request: method, path, status, time. Never the client address,
    the query string, headers or bodies, so no receipt, key or whistleblower's
    address can end up in a log. The path is written %-escaped as it came, so an
    encoded line break (%0a) cannot start a forged line."""

    @app.before_request
    def _start_timer() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def _log(response: Response) -> Response:
        started: Any = g.get("request_started")
        ms = (time.perf_counter() - started) * 1000 if started else 0.0
        path = quote(request.path, safe="/:@!$&'()*+,;=-._~")
        access_log.info("%s %s %s %.1fms", request.method, path, response.status_code, ms)
        return response
