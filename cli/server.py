"""Run the portal under gunicorn from inside the ``misuse`` process."""

from __future__ import annotations

import gc
from typing import Any

from gunicorn.app.base import BaseApplication

from core.settings import Settings


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
