"""Builders of valid input, so each test states only what it cares about."""

from __future__ import annotations

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
