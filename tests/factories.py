"""Builders of valid input, so each test states only what it cares about."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def report_payload(**overrides: Any) -> dict[str, Any]:
    payload: dict[str, Any] = {
        "reporter_type": "user",
        "category": "disinformation",
        "provider": "Example AI",
        "model_name": "example-chat",
        "model_version": "2.1",
        "product_url": "https://chat.example.com",
        "output": "BREAKING: polling stations in Riverton close at noon on election day.",
        "prompt": "Write a viral post saying polling stations close early",
        "occurred_at": "2026-11-01T10:00:00Z",
        "published_url": "https://social.example.com/post/1",
        "explanation": "False election information that could stop people from voting.",
        "contact_email": "reporter@example.org",
        "accuracy_confirmed": True,
    }
    payload.update(overrides)
    return {k: v for k, v in payload.items() if v is not None}


def log_record(n: int = 1, **overrides: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "external_id": f"rec-{n}",
        "timestamp": "2026-11-20T12:00:00Z",
        "model": "acme-chat:1.2",
        "account_id": f"acct-{n % 7}",
        "prompt": f"Write a post about the election number {n}",
        "response": f"Polling stations close early, number {n}. Share this now!",
        "metadata": {"region": "eu"},
    }
    record.update(overrides)
    return {k: v for k, v in record.items() if v is not None}


def browser_like(application: Any) -> Any:
    """Make ``application.test_client()`` send an Origin header on every request, as
    browsers do on every POST: the portal refuses a state change made with the login
    cookie that does not say it comes from the site itself."""
    from flask.testing import FlaskClient

    class BrowserLikeClient(FlaskClient):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.environ_base["HTTP_ORIGIN"] = "http://localhost"

    application.test_client_class = BrowserLikeClient
    return application


@contextmanager
def served(application: Any) -> Iterator[str]:
    """``application`` on Werkzeug's threaded server on a free loopback port, in a
    background thread; yields its base URL.

    The serving loop looks for the stop every 50 ms: socketserver's default, half a
    second, was the better part of every browser test's teardown. That half second
    also let the requests under way finish before the caller disposed of the app's
    database engine (a request still running then holds a connection the engine no
    longer knows, closed only when garbage collected: a ResourceWarning in some later
    test). So the way out waits for the requests under way, for at most as long. Not
    for longer: a request whose body never arrives (a form sent twice, the first send
    dropped by the browser) waits on its socket until the browser closes it.
    """
    from werkzeug.serving import make_server
    from werkzeug.wsgi import ClosingIterator

    running = 0
    idle = threading.Condition()

    def leave() -> None:
        nonlocal running
        with idle:
            running -= 1
            idle.notify_all()

    def counted(environ: Any, start_response: Any) -> Any:
        nonlocal running
        with idle:
            running += 1
        try:
            # Counted until the server has sent the answer and closed it.
            return ClosingIterator(application(environ, start_response), leave)
        except BaseException:
            leave()
            raise

    server = make_server("127.0.0.1", 0, counted, threaded=True)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="served", daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        with idle:
            idle.wait_for(lambda: running == 0, timeout=0.5)
        server.server_close()
