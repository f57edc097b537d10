"""Run the portal under gunicorn from inside the ``misuse`` process."""

from __future__ import annotations

import gc
import ipaddress
import logging
import re
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.glogging import Logger

from core.settings import Settings

# Runs of characters an IPv4 or IPv6 address (with or without a port) is made of;
# each run is checked with ipaddress, so times and version numbers stay.
_ADDRESS_LIKE = re.compile(r"[0-9A-Fa-f:.]{2,}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _hide_address(match: re.Match[str]) -> str:
    token = match.group()
    for candidate in (token, token.rstrip(":."), token.rsplit(":", 1)[0]):
        try:
            ipaddress.ip_address(candidate)
        except ValueError:
            continue
        return token.replace(candidate, "[address]", 1)
    return token


def scrub(message: str) -> str:
    """A log message without client addresses, and with control characters written
    as escapes, so a request line cannot forge or split log lines."""
    message = _ADDRESS_LIKE.sub(_hide_address, message)
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", message)


class _Scrub(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = scrub(record.getMessage())
        record.args = ()
        return True


class PrivateLogger(Logger):
    """gunicorn's logger, minus what the privacy promise rules out: gunicorn writes
    "Invalid request from ip=..." for malformed requests, with the raw request
    line. Our own access log (portal.app) replaces gunicorn's."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        self.error_log.addFilter(_Scrub())


class _Server(BaseApplication):
    def __init__(self, settings: Settings, options: dict[str, Any]):
        self.settings = settings
        self.options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self) -> Any:
        from portal import create_app

        return create_app(self.settings)


def run_server(settings: Settings, *, host: str, port: int, workers: int) -> None:
    if workers > 1 and settings.rate_limit_storage.startswith("memory"):
        # Each worker would count on its own, multiplying every limit.
        raise SystemExit(
            "several workers need shared rate-limit storage: set "
            "MISUSE_RATE_LIMIT_STORAGE=redis://127.0.0.1:6379"
        )
    print(f"MisuseWatch serving at http://{host}:{port}/  (Ctrl-C stops)", flush=True)
    _Server(
        settings,
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": settings.web_threads,
            "worker_class": "gthread",
            # Our own access log never records client addresses; gunicorn's would.
            "accesslog": None,
            "errorlog": "-",
            "logger_class": PrivateLogger,
            # Forwarded headers are believed in one place only, the portal's ProxyFix,
            # for MISUSE_TRUSTED_PROXIES hops; gunicorn would take X-Forwarded-Proto
            # from any local client.
            "secure_scheme_headers": {},
            "loglevel": "warning",
            "graceful_timeout": 5,
            "timeout": 120,
            "post_worker_init": _warm_up,
        },
    ).run()


def _warm_up(worker: Any) -> None:
    # The offensive-language model loads on first use (about a second); pay that in
    # each worker before it takes requests, not in the first reporter's request.
    worker.wsgi.extensions["misuse.analyzer"].analyze_many(["warm up"])
    # Everything loaded so far (the model, the libraries) lives as long as the
    # worker: keep the garbage collector from rescanning it on every collection.
    gc.freeze()
    # The address actually bound (port 0 picks a free one), once a worker takes
    # requests: what scripts and tests wait for instead of polling.
    host, port = worker.sockets[0].getsockname()[:2]
    print(f"MisuseWatch ready at http://{host}:{port}/ (worker {worker.pid})", flush=True)
