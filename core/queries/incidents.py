"""Serious incidents: one case's clock and reports, and every incident still open with
its next deadline, the least time left first."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from core import incident_rules as rules
from core.models import Case, Incident
from core.models.base import utcnow
from core.queries.common import iso


def _obligation(o: rules.Obligation, now: datetime) -> dict[str, Any]:
    left = (o.due_at - now).total_seconds() if o.due_at is not None else None
    return {
        "report": o.report,
        "label": rules.REPORT_KIND_LABELS[o.report],
        "due_at": iso(o.due_at),
        "source": o.source,
        "seconds_left": left,
        "overdue": left is not None and left < 0,
    }


def _owed(incident: Incident, now: datetime) -> list[dict[str, Any]]:
    return [_obligation(o, now) for o in rules.owed(incident)]


def incident_dict(
    session: Session, case_id: int, *, now: datetime | None = None
) -> dict[str, Any] | None:
    """A case's incident: its clock, what is owed and every report submitted; None when
    the case is not declared one."""
    now = now or utcnow()
    incident = session.execute(
        select(Incident).options(selectinload(Incident.reports)).where(Incident.case_id == case_id)
    ).scalar_one_or_none()
    if incident is None:
        return None
    owed = _owed(incident, now)
    return {
        "id": incident.id,
        "case_id": case_id,
        "profile": incident.profile,
        "profile_label": rules.PROFILE_LABELS[incident.profile],
        "category": incident.category,
        "category_label": rules.CATEGORY_LABELS[incident.category],
        "aware_at": iso(incident.aware_at),
        "status": incident.status,
        "resolved_at": iso(incident.resolved_at),
        "declared_by": incident.declared_by,
        "declared_at": iso(incident.declared_at),
        "allows_incomplete": rules.allows_incomplete(incident.profile),
        "owed": owed,
        "next": owed[0] if owed else None,
        "reports": [
            {
                "number": r.number,
                "kind": r.kind,
                "label": rules.REPORT_KIND_LABELS[r.kind],
                "incomplete": r.incomplete,
                "due_at": iso(r.due_at),
                "late": r.due_at is not None and r.submitted_at > r.due_at,
                "submitted_at": iso(r.submitted_at),
                "submitted_by": r.submitted_by,
                "sha256": r.content_sha256,
                "missing": [
                    item["label"] for item in r.content["items"].values() if "missing" in item
                ],
            }
            for r in incident.reports
        ],
    }


def open_incidents(session: Session, *, now: datetime | None = None) -> list[dict[str, Any]]:
    """Every incident not closed, with its next deadline: overdue first, then the least
    time left; those owing nothing dated last."""
    now = now or utcnow()
    rows = session.execute(
        select(Incident, Case.title)
        .join(Case, Case.id == Incident.case_id)
        .options(selectinload(Incident.reports))
        .where(Incident.status != "closed")
    ).all()
    out = []
    for incident, title in rows:
        owed = _owed(incident, now)
        nxt = owed[0] if owed else None
        out.append(
            {
                "case_id": incident.case_id,
                "title": title,
                "profile": incident.profile,
                "category": incident.category,
                "category_label": rules.CATEGORY_LABELS[incident.category],
                "status": incident.status,
                "aware_at": iso(incident.aware_at),
                "reports": len(incident.reports),
                "next": nxt,
            }
        )
    out.sort(key=_time_left)
    return out


def _time_left(row: dict[str, Any]) -> tuple[bool, float, int]:
    nxt = row["next"]
    left = nxt["seconds_left"] if nxt is not None else None
    return left is None, left if left is not None else 0.0, int(row["case_id"])
