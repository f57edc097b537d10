"""Near-duplicate groups, topic clusters and nearest neighbours, as pages and the API
read them (the group job writes them through core.services.grouping)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.exceptions import NotFound, ValidationFailed
from core.models import LogRecord, NearDupGroup, Report, TextNeighbor, TextPlacement, TopicCluster
from core.models.base import MAX_ID
from core.queries.common import iso


def parse_item_id(item_id: str) -> tuple[str, int]:
    kind, _, number = item_id.partition("-")
    # isdigit() alone takes "²", which int() refuses.
    if kind not in ("report", "log") or not (number.isascii() and number.isdigit()):
        raise ValidationFailed({"id": "Must be report-<number> or log-<number>."})
    if int(number) > MAX_ID:
        raise NotFound(f"no {kind} {number}")
    return kind, int(number)


def _text_of(session: Session, kind: str, number: int) -> int:
    column = Report.output_text_id if kind == "report" else LogRecord.response_text_id
    model = Report if kind == "report" else LogRecord
    text_id = session.execute(select(column).where(model.id == number)).scalar_one_or_none()
    if text_id is None:
        raise NotFound(f"no {kind} {number}")
    return int(text_id)


def similar_items(session: Session, item_id: str, *, k: int = 10) -> list[dict[str, Any]]:
    """The k nearest items (other texts, then the items carrying them), best first."""
    if not 1 <= k <= 100:
        raise ValidationFailed({"k": "Must be between 1 and 100."})
    kind, number = parse_item_id(item_id)
    text_id = _text_of(session, kind, number)
    out: list[dict[str, Any]] = []
    # Exact duplicates first: other items with the very same text.
    candidates = [(text_id, 1.0)] + [
        (n, s)
        for n, s in session.execute(
            select(TextNeighbor.neighbor_id, TextNeighbor.score)
            .where(TextNeighbor.text_id == text_id)
            .order_by(TextNeighbor.score.desc())
        )
    ]
    sources = (
        ("report", Report.id, Report.created_at, Report.output_text_id),
        ("log", LogRecord.id, LogRecord.occurred_at, LogRecord.response_text_id),
    )
    for neighbor_text, score in candidates:
        for source, id_col, seen_col, text_col in sources:
            rows = session.execute(
                select(id_col, seen_col).where(text_col == neighbor_text).order_by(id_col).limit(k)
            )
            out.extend(
                {
                    "id": f"{source}-{item}",
                    "score": round(score, 4),
                    "seen": seen.isoformat(),
                    "text_id": neighbor_text,
                }
                for item, seen in rows
                if not (kind == source and item == number)
            )
        if len(out) >= k:
            break
    return out[:k]


def group_dict(g: NearDupGroup) -> dict[str, Any]:
    """A near-duplicate group's figures as every page and API shows them."""
    return {
        "id": g.id,
        "texts": g.text_count,
        "size": g.report_count + g.log_count,
        "reports": g.report_count,
        "log_samples": g.log_count,
        "deployers": g.deployer_count,
        "accounts": g.account_count,
        "first_seen": iso(g.first_seen),
        "last_seen": iso(g.last_seen),
        "sample": g.sample_text,
    }


def list_groups(
    session: Session, *, min_size: int = 2, limit: int = 50, offset: int = 0
) -> list[dict[str, Any]]:
    size = NearDupGroup.report_count + NearDupGroup.log_count
    rows = session.execute(
        select(NearDupGroup)
        .where(size >= min_size)
        .order_by(size.desc(), NearDupGroup.id)
        .limit(limit)
        .offset(offset)
    ).scalars()
    return [group_dict(g) for g in rows]


def cluster_detail(session: Session, cluster_id: int) -> dict[str, Any]:
    c = session.get(TopicCluster, cluster_id)
    if c is None:
        raise NotFound(f"no cluster {cluster_id}")
    groups = session.execute(
        select(NearDupGroup)
        .where(
            NearDupGroup.id.in_(
                select(TextPlacement.group_id).where(TextPlacement.cluster_id == cluster_id)
            )
        )
        .order_by((NearDupGroup.report_count + NearDupGroup.log_count).desc())
        .limit(20)
    ).scalars()
    return {
        "id": c.id,
        "keywords": c.keywords,
        "texts": c.text_count,
        "size": c.report_count + c.log_count,
        "reports": c.report_count,
        "log_samples": c.log_count,
        "first_seen": iso(c.first_seen),
        "last_seen": iso(c.last_seen),
        "top_groups": [group_dict(g) for g in groups],
    }


def similar_counts(session: Session, text_id: int) -> dict[str, int]:
    """How many *other* reports and log samples are in this text's near-duplicate group."""
    group_id = session.execute(
        select(TextPlacement.group_id).where(TextPlacement.text_id == text_id)
    ).scalar_one_or_none()
    if group_id is None:
        return {"similar_reports": 0, "similar_log_samples": 0, "group_id": 0}
    g = session.get(NearDupGroup, group_id)
    assert g is not None
    return {
        "similar_reports": max(g.report_count - 1, 0),
        "similar_log_samples": g.log_count,
        "group_id": g.id,
    }
