"""Alerts: the list the analysts work through and one alert."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.exceptions import NotFound
from core.models import Alert
from core.queries.common import iso


def alert_row(a: Alert) -> dict[str, Any]:
    return {
        "id": a.id,
        "subject_type": a.subject_type,
        "subject_id": a.subject_id,
        "window_start": iso(a.window_start),
        "window_end": iso(a.window_end),
        "score": round(float(a.score), 3),
        "explanation": a.explanation,
        "features": dict(a.features or {}),
        "status": a.status,
        "status_reason": a.status_reason,
    }


def alerts_page(
    session: Session, *, status: str | None = None, limit: int = 25, offset: int = 0
) -> dict[str, Any]:
    where = [Alert.status == status] if status else []
    total = session.execute(select(func.count()).select_from(Alert).where(*where)).scalar_one()
    rows = session.execute(
        select(Alert)
        .where(*where)
        .order_by(Alert.score.desc(), Alert.id)
        .limit(limit)
        .offset(offset)
    ).scalars()
    return {"total": int(total), "rows": [alert_row(a) for a in rows]}


def alert_detail(session: Session, alert_id: int) -> dict[str, Any]:
    alert = session.get(Alert, alert_id)
    if alert is None:
        raise NotFound(f"no alert {alert_id}")
    return alert_row(alert)
