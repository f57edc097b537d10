"""Persisting near-duplicate groups, topic clusters and neighbours, and reading them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, delete, func, insert, literal, select, union_all, update
from sqlalchemy.orm import Session

from core.exceptions import NotFound, ValidationFailed
from core.models import (
    LogRecord,
    NearDupGroup,
    Report,
    TextBlob,
    TextNeighbor,
    TextPlacement,
    TopicCluster,
)
from core.models.base import MAX_ID, utcnow

_CHUNK = 500


def placements(session: Session) -> dict[int, tuple[int, int | None]]:
    """text id -> (group id, cluster id) as the last run left them."""
    return {
        t: (g, c)
        for t, g, c in session.execute(
            select(TextPlacement.text_id, TextPlacement.group_id, TextPlacement.cluster_id)
        )
    }


def new_group_ids(session: Session, count: int) -> list[int]:
    rows = [NearDupGroup() for _ in range(count)]
    session.add_all(rows)
    session.flush()
    return [r.id for r in rows]


def new_cluster_ids(session: Session, count: int) -> list[int]:
    rows = [TopicCluster() for _ in range(count)]
    session.add_all(rows)
    session.flush()
    return [r.id for r in rows]


@dataclass(frozen=True)
class PlacementRow:
    text_id: int
    group_id: int
    cluster_id: int | None
    x: float
    y: float


def write_placements(
    session: Session,
    rows: Sequence[PlacementRow],
    *,
    run_id: int,
    replace_all: bool,
    neighbors: Sequence[tuple[int, int, float]] = (),
    cluster_keywords: Mapping[int, list[str]] | None = None,
) -> None:
    """Write a run's placements (and neighbours) in the caller's transaction.

    ``replace_all`` (a full run) replaces every placement and neighbour, and
    deletes the groups and clusters nothing points to any more.
    """
    text_ids = [r.text_id for r in rows]
    if replace_all:
        session.execute(delete(TextPlacement))
        session.execute(delete(TextNeighbor))
    else:
        for start in range(0, len(text_ids), _CHUNK):
            chunk = text_ids[start : start + _CHUNK]
            session.execute(delete(TextPlacement).where(TextPlacement.text_id.in_(chunk)))
            session.execute(delete(TextNeighbor).where(TextNeighbor.text_id.in_(chunk)))
    payload = [
        {
            "text_id": r.text_id,
            "group_id": r.group_id,
            "cluster_id": r.cluster_id,
            "x": float(r.x),
            "y": float(r.y),
            "run_id": run_id,
        }
        for r in rows
    ]
    for start in range(0, len(payload), 5000):
        session.execute(insert(TextPlacement), payload[start : start + 5000])
    nb = [{"text_id": a, "neighbor_id": b, "score": float(s)} for a, b, s in neighbors if a != b]
    for start in range(0, len(nb), 5000):
        session.execute(insert(TextNeighbor), nb[start : start + 5000])
    for cluster_id, words in (cluster_keywords or {}).items():
        session.execute(
            update(TopicCluster).where(TopicCluster.id == cluster_id).values(keywords=words)
        )
    if replace_all:
        session.execute(
            delete(NearDupGroup).where(NearDupGroup.id.not_in(select(TextPlacement.group_id)))
        )
        session.execute(
            delete(TopicCluster).where(
                TopicCluster.id.not_in(
                    select(TextPlacement.cluster_id).where(TextPlacement.cluster_id.is_not(None))
                )
            )
        )


def _items() -> Any:
    """Every item (report output or log response) with its text, time, deployer and account."""
    reports = select(
        Report.output_text_id.label("text_id"),
        literal("report").label("kind"),
        Report.created_at.label("seen"),
        literal(None, Integer).label("deployer_id"),
        literal(None).label("account_id"),
    )
    logs = select(
        LogRecord.response_text_id.label("text_id"),
        literal("log").label("kind"),
        LogRecord.occurred_at.label("seen"),
        LogRecord.deployer_id.label("deployer_id"),
        LogRecord.account_id.label("account_id"),
    )
    return union_all(reports, logs).subquery("item")


def refresh_stats(session: Session) -> None:
    """Recompute the precomputed counts and time spans of every group and cluster."""
    item = _items()
    now = utcnow()
    stats: dict[int, dict[str, Any]] = {}
    rows = session.execute(
        select(
            TextPlacement.group_id,
            item.c.kind,
            item.c.deployer_id,
            item.c.account_id,
            item.c.seen,
            TextPlacement.cluster_id,
        ).join(item, item.c.text_id == TextPlacement.text_id)
    )
    cluster_stats: dict[int, dict[str, Any]] = {}
    for group_id, kind, deployer_id, account_id, seen, cluster_id in rows:
        for table, key in ((stats, group_id), (cluster_stats, cluster_id)):
            if key is None:
                continue
            s = table.setdefault(
                key,
                {
                    "report_count": 0,
                    "log_count": 0,
                    "deployers": set(),
                    "accounts": set(),
                    "first": seen,
                    "last": seen,
                },
            )
            s[f"{kind}_count"] += 1
            if deployer_id is not None:
                s["deployers"].add(deployer_id)
                s["accounts"].add((deployer_id, account_id))
            if seen is not None:
                s["first"] = min(s["first"], seen) if s["first"] else seen
                s["last"] = max(s["last"], seen) if s["last"] else seen
    text_counts = dict(
        (g, n)
        for g, n in session.execute(
            select(TextPlacement.group_id, func.count()).group_by(TextPlacement.group_id)
        )
    )
    cluster_text_counts = dict(
        (c, n)
        for c, n in session.execute(
            select(TextPlacement.cluster_id, func.count()).group_by(TextPlacement.cluster_id)
        )
        if c is not None
    )
    samples = dict(
        (g, t)
        for g, t in session.execute(
            select(TextPlacement.group_id, func.min(TextBlob.masked_text))
            .join(TextBlob, TextBlob.id == TextPlacement.text_id)
            .group_by(TextPlacement.group_id)
        )
    )
    for group_id, s in stats.items():
        session.execute(
            update(NearDupGroup)
            .where(NearDupGroup.id == group_id)
            .values(
                text_count=text_counts.get(group_id, 0),
                report_count=s["report_count"],
                log_count=s["log_count"],
                deployer_count=len(s["deployers"]),
                account_count=len(s["accounts"]),
                first_seen=s["first"],
                last_seen=s["last"],
                sample_text=(samples.get(group_id) or "")[:500],
                updated_at=now,
            )
        )
    for cluster_id, s in cluster_stats.items():
        session.execute(
            update(TopicCluster)
            .where(TopicCluster.id == cluster_id)
            .values(
                text_count=cluster_text_counts.get(cluster_id, 0),
                report_count=s["report_count"],
                log_count=s["log_count"],
                first_seen=s["first"],
                last_seen=s["last"],
                updated_at=now,
            )
        )


# --- reading -------------------------------------------------------------------


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


def _group_dict(g: NearDupGroup) -> dict[str, Any]:
    return {
        "id": g.id,
        "texts": g.text_count,
        "size": g.report_count + g.log_count,
        "reports": g.report_count,
        "log_samples": g.log_count,
        "deployers": g.deployer_count,
        "accounts": g.account_count,
        "first_seen": _iso(g.first_seen),
        "last_seen": _iso(g.last_seen),
        "sample": g.sample_text,
    }


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


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
    return [_group_dict(g) for g in rows]


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
        "first_seen": _iso(c.first_seen),
        "last_seen": _iso(c.last_seen),
        "top_groups": [_group_dict(g) for g in groups],
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
