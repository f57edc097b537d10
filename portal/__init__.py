"""The Flask portal: public reporting pages, the JSON API, and (later) the analyst workspace."""

from __future__ import annotations

from portal.app import create_app

__all__ = ["create_app"]
