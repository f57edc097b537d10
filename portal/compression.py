"""Compressed, cached answers: the dashboard's first load is megabytes of JavaScript
(React, Dash's renderer, Plotly), which compresses to a fraction.

Static files (the portal's, Dash's component suites, the dashboard's assets) never
change while a process runs, so each is compressed once per encoding at a high
setting (brotli 9: within 12% of its best ratio at a twentieth of the time; the best
takes 15 s for Plotly's 2 MB MathJax chunk) and kept in a bounded cache shared by
every app of the process. Other answers (Dash's JSON,
pages) are compressed on the fly at a fast setting. Browsers say what they accept
in ``Accept-Encoding``; anything else gets the plain bytes.
"""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict

from flask import Flask, Response, request

try:  # brotli is a dependency; gzip alone still works if it is missing
    import brotli
except ImportError:  # pragma: no cover
    brotli = None

COMPRESSIBLE = (
    "application/javascript",
    "text/javascript",
    "text/css",
    "application/json",
    "image/svg+xml",
    "text/plain",
    "text/html",
    "image/x-icon",
    "image/vnd.microsoft.icon",
)
STATIC_PREFIXES = ("/static/", "/dashboard/_dash-component-suites/", "/dashboard/assets/")
MIN_BYTES = 1024
CACHE_ENTRIES = 128


class _Cache:
    """A small LRU of compressed static bodies: (path, query, encoding) -> bytes."""

    def __init__(self, entries: int) -> None:
        self.entries = entries
        self._data: OrderedDict[tuple[str, str, str], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str, str]) -> bytes | None:
        with self._lock:
            value = self._data.get(key)
            if value is not None:
                self._data.move_to_end(key)
            return value

    def put(self, key: tuple[str, str, str], value: bytes) -> None:
        with self._lock:
            self._data[key] = value
            self._data.move_to_end(key)
            while len(self._data) > self.entries:
                self._data.popitem(last=False)


def _accepted(header: str) -> str | None:
    """The best encoding the client accepts (q=0 means refused)."""
    offered: dict[str, float] = {}
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        q = 1.0
        params = params.strip()
        if params.startswith("q="):
            try:
                q = float(params[2:])
            except ValueError:
                q = 0.0
        offered[name.strip().lower()] = q
    for encoding in ("br", "gzip"):
        if encoding == "br" and brotli is None:
            continue
        if offered.get(encoding, offered.get("*", 0.0)) > 0:
            return encoding
    return None


def compress(data: bytes, encoding: str, *, best: bool) -> bytes:
    """``best`` for bodies compressed once and cached; fast settings otherwise."""
    if encoding == "br":
        assert brotli is not None
        return bytes(brotli.compress(data, quality=9 if best else 5))
    return gzip.compress(data, compresslevel=9 if best else 6, mtime=0)


# The same files for every app in the process (tests build many), so one cache.
_STATIC_CACHE = _Cache(CACHE_ENTRIES)


def install_compression(app: Flask) -> None:
    """Compress what ``app`` answers, for clients that accept it.

    ``app.config["COMPRESS_RESPONSES"] = False`` turns it off (the benchmark's
    baseline); caching headers stay.
    """
    cache = _STATIC_CACHE
    app.config.setdefault("COMPRESS_RESPONSES", True)

    @app.after_request
    def _compress(response: Response) -> Response:
        response.vary.add("Accept-Encoding")
        if (
            request.path.startswith(STATIC_PREFIXES)
            and response.status_code in (200, 304)
            and response.cache_control.max_age is None
        ):
            # Dash's unversioned chunks (Plotly, the graph and date-picker loaders)
            # come with an ETag only, so every page asked for them again; an hour
            # in the browser's cache, then a revalidation by that ETag.
            response.cache_control.public = True
            response.cache_control.max_age = 3600
        if (
            not app.config["COMPRESS_RESPONSES"]
            or response.status_code != 200
            or "Content-Encoding" in response.headers
            or "Content-Range" in response.headers
            or response.mimetype not in COMPRESSIBLE
            or request.method not in ("GET", "POST")
        ):
            return response
        encoding = _accepted(request.headers.get("Accept-Encoding", ""))
        if encoding is None:
            return response
        # Files are sent as a stream; read them so they can be compressed.
        response.direct_passthrough = False
        source = response.response
        data = response.get_data()
        # The file is read whole now; close it here rather than when (and if) the
        # server closes the response, which would leave it open on an early return.
        if hasattr(source, "close"):
            source.close()
        if len(data) < MIN_BYTES:
            return response
        static = request.method == "GET" and request.path.startswith(STATIC_PREFIXES)
        if static:
            key = (request.path, request.query_string.decode("latin-1"), encoding)
            body = cache.get(key)
            if body is None:
                body = compress(data, encoding, best=True)
                cache.put(key, body)
        else:
            body = compress(data, encoding, best=False)
        response.set_data(body)
        response.headers["Content-Encoding"] = encoding
        etag, weak = response.get_etag()
        if etag:
            # A different body: a different tag, so caches never mix the encodings.
            response.set_etag(f"{etag}-{encoding}", weak=bool(weak))
        return response
