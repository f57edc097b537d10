"""The analyst dashboard: a Dash app mounted on the portal's Flask server under /dashboard/.

``dashboards`` imports nothing of ours but ``core``; what it needs from the web
app (who is logged in, the request's database session, the text analyzer that
masks analysts' messages, the CSRF exemption) is handed in by the portal.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask
    from sqlalchemy.orm import Session

    from core.models import User
    from core.signals import TextAnalyzer


def init_dashboards(
    server: Flask,
    *,
    current_user: Callable[[], User | None],
    db_session: Callable[[], Session],
    analyzer: TextAnalyzer,
    csrf_exempt: Callable[[Any], Any],
) -> list[str]:
    """Mount the dashboard on ``server``, behind the login and role checks.

    Returns the Content-Security-Policy sources (hashes) of the inline scripts
    Dash writes into its pages, which the portal's policy must allow.

    Dash is imported here, not when the portal is imported, so that commands
    which never serve a page do not pay for it.
    """
    from dashboards.app import build_dash
    from dashboards.bridge import Portal

    app = build_dash(
        server,
        Portal(current_user=current_user, db_session=db_session, analyzer=analyzer),
        csrf_exempt=csrf_exempt,
    )
    return list(app.csp_hashes())
