"""HTTP-level protections, in one place: what every request and response goes through.

- Proxies: ``MISUSE_TRUSTED_PROXIES`` hops of ``X-Forwarded-For`` / ``-Proto`` /
  ``-Host`` are believed (Werkzeug's ProxyFix), so rate limits and stored
  addresses see the client, not the proxy. With 0 (the default) those headers
  are ignored: a client could write anything in them.
- Bodies: a chunked body (no ``Content-Length``) is read up to the largest limit
  and handed on with a length, so the per-endpoint limits answer 413 for it as
  for any other body, instead of cutting it short.
- Cross-site requests: a state-changing request that carries the login cookie
  must come from a page of this site (``Origin``, else ``Referer``) and, on the
  routes without a CSRF token, must be JSON, which no cross-site form can send.
- Input every route shares: ids beyond the database's integer range do not
  match an integer route (404); a NUL in the path or query string is a 400;
  JSON nested past Python's recursion limit is a 400.
- Headers on every response: Content-Security-Policy, X-Frame-Options,
  X-Content-Type-Options, Referrer-Policy, and HSTS with ``MISUSE_HTTPS``.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit

from flask import Blueprint, Flask, Response, current_app, request
from flask.json.provider import DefaultJSONProvider
from werkzeug.exceptions import BadRequest, Forbidden, RequestEntityTooLarge
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from core.exceptions import ValidationFailed
from core.models.base import MAX_ID
from core.settings import Settings
from portal.extensions import csrf

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})
# Types a cross-site HTML form cannot send (it can send text/plain, urlencoded and
# multipart only); a page that tries with fetch() needs a CORS preflight first,
# which this app never grants.
JSON_TYPES = frozenset(
    {"application/json", "application/x-ndjson", "application/jsonl", "application/ndjson"}
)
DASHBOARD_PREFIX = "/dashboard"

# The site's own pages: no inline script or style at all.
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)
# The Dash dashboard: scripts only from this site plus Dash's own inline renderer
# (allowed by its hash, not by 'unsafe-inline'). Plotly writes <style> elements
# and style attributes as it draws, so styles may be inline; a style cannot run
# code. Plotly's WebGL traces (the cluster map) compile their drawing code with
# new Function, hence 'unsafe-eval', which lets no script in from anywhere else;
# blob: images are Plotly's "download as PNG". Each was found necessary, and the
# rest refused, in tests/browser/test_security_in_browser.py.
DASHBOARD_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-eval' {hashes}; "
    "style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; "
    "connect-src 'self'; form-action 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)
HSTS = "max-age=31536000"

_json_only_blueprints: set[str] = set()
_json_only_views: set[str] = set()


def json_only(target: Any) -> Any:
    """Exempt a blueprint or view from the CSRF form token, on the condition that a
    caller with the login cookie sends JSON: the one way a route may go without
    the token, so no route can drop it without taking the other protection."""
    csrf.exempt(target)
    if isinstance(target, Blueprint):
        _json_only_blueprints.add(target.name)
    else:
        _json_only_views.add(f"{target.__module__}.{target.__name__}")
    return target


def is_json_only(app: Flask, endpoint: str | None) -> bool:
    """Whether ``endpoint`` takes JSON instead of a CSRF token (see ``json_only``)."""
    if endpoint is None:
        return False
    blueprint = endpoint.rpartition(".")[0]
    if blueprint and blueprint in _json_only_blueprints:
        return True
    view = app.view_functions.get(endpoint)
    return view is not None and f"{view.__module__}.{view.__name__}" in _json_only_views


class BoundedIdConverter(IntegerConverter):
    """``<int:...>`` that matches only ids the database can hold (1 to 2**31 - 1,
    PostgreSQL's integer): a larger one is a 404, not a database error."""

    def __init__(self, map: Any, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


class _JSONProvider(DefaultJSONProvider):
    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            return super().loads(s, **kwargs)
        except RecursionError:
            # Flask turns a ValueError into a 400; a RecursionError would be a 500.
            raise ValueError("nested too deeply") from None


class _BufferChunkedBodies:
    """WSGI middleware: read a chunked request body (no ``Content-Length``) up to
    ``limit`` bytes and pass it on with its length.

    Werkzeug enforces a limit on a chunked stream by cutting it off at the limit,
    so a body one byte too large arrives truncated and fails to parse ("not valid
    JSON") instead of answering 413. With a length, the per-endpoint limits treat
    it like any other body.
    """

    def __init__(self, app: Callable[..., Iterable[bytes]], limit: int):
        self.app = app
        self.limit = limit

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if environ.get("CONTENT_LENGTH") in (None, "") and environ.get("wsgi.input_terminated"):
            body = _read_at_most(environ["wsgi.input"], self.limit + 1)
            if len(body) > self.limit:
                environ["misuse.body_too_large"] = self.limit
                body = b""
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            # Werkzeug ignores a length beside "Transfer-Encoding: chunked"; the body
            # is no longer chunked anyway.
            environ.pop("HTTP_TRANSFER_ENCODING", None)
        return self.app(environ, start_response)


def _read_at_most(stream: Any, size: int) -> bytes:
    chunks = []
    while size > 0:
        chunk = stream.read(min(size, 1 << 16))
        if not chunk:
            break
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)


def install(app: Flask, settings: Settings) -> None:
    """Wire everything above into ``app``. Call before the CSRF extension and the
    blueprints: hooks run in the order they were registered, and routes take
    their converters when they are added."""
    app.json = _JSONProvider(app)
    app.url_map.converters["int"] = BoundedIdConverter
    app.wsgi_app = _BufferChunkedBodies(  # type: ignore[method-assign]
        app.wsgi_app, max(settings.max_bulk_bytes, settings.max_report_bytes)
    )
    if settings.trusted_proxies > 0:
        hops = settings.trusted_proxies
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )
    app.before_request(_refuse_oversized_chunked)
    app.before_request(_refuse_nul)
    app.before_request(_same_origin_only)
    app.after_request(_security_headers)


def _refuse_oversized_chunked() -> None:
    if limit := request.environ.get("misuse.body_too_large"):
        raise RequestEntityTooLarge(f"the body is larger than {limit:,} bytes")


def _refuse_nul() -> None:
    # Werkzeug decodes %-escapes with "replace", so the path and query cannot carry
    # a surrogate; a NUL gets through, and PostgreSQL refuses it in any query.
    if "\x00" in request.path:
        raise BadRequest("The address must not contain NUL characters (%00).")
    for key, value in request.args.items(multi=True):
        if "\x00" in key or "\x00" in value:
            raise ValidationFailed({key.replace("\x00", "") or "query": "Must not contain NUL."})


def expected_origin(settings: Settings) -> str:
    """This site's origin as a browser names it: behind the TLS proxy that
    ``MISUSE_HTTPS`` implies, https whatever scheme reached us."""
    scheme = "https" if settings.https else request.scheme
    return f"{scheme}://{request.host}".lower()


def origin_problem(settings: Settings) -> str | None:
    """Why this request cannot be shown to come from a page of this site, or None."""
    expected = expected_origin(settings)
    origin = request.headers.get("Origin")
    if origin is not None:
        if origin.strip().lower() == expected:
            return None
        return "Refused: the request came from another site (Origin does not match)."
    referer = request.headers.get("Referer")
    if referer:
        parts = urlsplit(referer)
        if f"{parts.scheme}://{parts.netloc}".lower() == expected:
            return None
        return "Refused: the request came from another site (Referer does not match)."
    return (
        "Refused: a request made with a login session must say where it comes from "
        "(browsers send an Origin header; scripts must send one too)."
    )


def _same_origin_only() -> None:
    if request.method in SAFE_METHODS:
        return
    if current_app.config["SESSION_COOKIE_NAME"] not in request.cookies:
        # Without the cookie the request acts for nobody: there is nothing to forge.
        return
    settings: Settings = current_app.extensions["misuse.settings"]
    if problem := origin_problem(settings):
        raise Forbidden(problem)
    if is_json_only(current_app, request.endpoint) and request.mimetype not in JSON_TYPES:
        raise ValidationFailed({"body": "Send a JSON body with Content-Type: application/json."})


def _security_headers(response: Response) -> Response:
    settings: Settings = current_app.extensions["misuse.settings"]
    headers = response.headers
    if request.path == DASHBOARD_PREFIX or request.path.startswith(DASHBOARD_PREFIX + "/"):
        hashes = " ".join(current_app.extensions.get("misuse.dashboard_script_hashes", ()))
        headers.setdefault("Content-Security-Policy", DASHBOARD_CSP.format(hashes=hashes))
    else:
        headers.setdefault("Content-Security-Policy", PAGE_CSP)
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    # Same-origin requests keep their Referer (and a real Origin on form posts, which
    # no-referrer would turn into "null"); nothing goes to other sites.
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if settings.https:
        headers.setdefault("Strict-Transport-Security", HSTS)
    return response
