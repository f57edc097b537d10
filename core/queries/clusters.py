"""The cluster explorer: topic clusters, the signs of misuse in each, the 2-D map
of texts and the items behind a selection of points."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from core.models import (
    Alert,
    Campaign,
    CampaignItem,
    Deployer,
    LogRecord,
    Report,
    TextBlob,
    TextPlacement,
    TopicCluster,
)
from core.queries.common import cut_at_word, iso, snippet_column


def cluster_flags(session: Session) -> dict[int, dict[str, int]]:
    """Per topic cluster, the signs of misuse in it: groups with alerts not dismissed,
    and active campaigns with items among its texts."""
    flags: dict[int, dict[str, int]] = {}
    group_alerts: dict[int, int] = {}
    for subject_id, n in session.execute(
        select(Alert.subject_id, func.count())
        .where(Alert.subject_type == "group", Alert.status != "dismissed")
        .group_by(Alert.subject_id)
    ):
        if str(subject_id).isdigit():
            group_alerts[int(subject_id)] = int(n)
    wanted = sorted(group_alerts)
    for start in range(0, len(wanted), 500):
        for cluster_id, group_id in session.execute(
            select(TextPlacement.cluster_id, TextPlacement.group_id)
            .where(
                TextPlacement.group_id.in_(wanted[start : start + 500]),
                TextPlacement.cluster_id.is_not(None),
            )
            .distinct()
        ):
            entry = flags.setdefault(int(cluster_id or 0), {"alerts": 0, "campaigns": 0})
            entry["alerts"] += group_alerts[int(group_id)]
    for cluster_id, n in session.execute(
        select(TextPlacement.cluster_id, func.count(func.distinct(CampaignItem.campaign_id)))
        .select_from(CampaignItem)
        .join(Campaign, Campaign.id == CampaignItem.campaign_id)
        .join(LogRecord, and_(CampaignItem.kind == "log", LogRecord.id == CampaignItem.item_id))
        .join(TextPlacement, TextPlacement.text_id == LogRecord.response_text_id)
        .where(Campaign.active.is_(True), TextPlacement.cluster_id.is_not(None))
        .group_by(TextPlacement.cluster_id)
    ):
        flags.setdefault(int(cluster_id or 0), {"alerts": 0, "campaigns": 0})["campaigns"] = int(n)
    return flags


def clusters(session: Session, *, limit: int = 50) -> list[dict[str, Any]]:
    """Topic clusters with their keywords, those with reports, alerts or campaigns
    first (most campaigns, then alerts, then reports), then the largest; clusters
    that hold no item any more are left out."""
    flags = cluster_flags(session)
    rows = session.execute(
        select(TopicCluster).where(
            TopicCluster.text_count > 0, TopicCluster.report_count + TopicCluster.log_count > 0
        )
    ).scalars()
    out: list[dict[str, Any]] = []
    for c in rows:
        f = flags.get(c.id, {"alerts": 0, "campaigns": 0})
        out.append(
            {
                "id": c.id,
                "keywords": list(c.keywords or []),
                "texts": c.text_count,
                "reports": c.report_count,
                "log_samples": c.log_count,
                "alerts": f["alerts"],
                "campaigns": f["campaigns"],
                "flagged": bool(c.report_count or f["alerts"] or f["campaigns"]),
                "first_seen": iso(c.first_seen),
                "last_seen": iso(c.last_seen),
            }
        )
    out.sort(
        key=lambda c: (
            not c["flagged"],
            -c["campaigns"],
            -c["alerts"],
            -c["reports"],
            -c["texts"],
            c["id"],
        )
    )
    return out[:limit]


def cluster_points(
    session: Session, *, cluster_id: int | None = None, cap: int = 5000
) -> dict[str, Any]:
    """The 2-D positions of at most ``cap`` texts, an even sample when there are more.

    The sample keeps every n-th text id, so the picture stays the same between
    refreshes and a cluster keeps its share of the points.
    """
    where: list[Any] = []
    if cluster_id is not None:
        where.append(TextPlacement.cluster_id == cluster_id)
    total = int(
        session.execute(select(func.count()).select_from(TextPlacement).where(*where)).scalar_one()
    )
    step = max(1, -(-total // cap)) if cap > 0 else 1
    if step > 1:
        where.append(TextPlacement.text_id % step == 0)
    points = (
        select(
            TextPlacement.text_id,
            TextPlacement.x,
            TextPlacement.y,
            TextPlacement.cluster_id,
            TextPlacement.group_id,
        )
        .where(*where)
        .order_by(TextPlacement.text_id)
        .limit(cap)
        .subquery()
    )
    # A text's category is that of a report carrying it; log samples have none.
    category = (
        select(func.min(Report.category))
        .where(Report.output_text_id == points.c.text_id)
        .scalar_subquery()
    )
    rows = session.execute(
        select(
            points.c.text_id,
            points.c.x,
            points.c.y,
            points.c.cluster_id,
            points.c.group_id,
            category.label("category"),
            snippet_column(TextBlob.masked_text, 120).label("snippet"),
        )
        .join(TextBlob, TextBlob.id == points.c.text_id)
        .order_by(points.c.text_id)
    ).all()
    return {
        "total": total,
        "shown": len(rows),
        "sampled": step > 1 or len(rows) < total,
        "points": [
            {
                "text_id": r.text_id,
                "x": float(r.x),
                "y": float(r.y),
                "cluster_id": r.cluster_id,
                "group_id": r.group_id,
                "category": r.category,
                "snippet": cut_at_word(r.snippet, 120),
            }
            for r in rows
        ],
    }


def items_for_texts(
    session: Session, text_ids: Sequence[int], *, limit: int = 50
) -> list[dict[str, Any]]:
    """Reports and log samples carrying these texts (the selection in the explorer)."""
    ids = sorted(set(text_ids))[:1000]
    if not ids:
        return []
    reports = session.execute(
        select(
            Report.id,
            Report.category,
            Report.status,
            Report.created_at,
            snippet_column(TextBlob.masked_text).label("snippet"),
        )
        .join(TextBlob, TextBlob.id == Report.output_text_id)
        .where(Report.output_text_id.in_(ids))
        .order_by(Report.id)
        .limit(limit)
    ).all()
    out: list[dict[str, Any]] = [
        {
            "kind": "report",
            "id": r.id,
            "label": f"{r.category} · {r.status}",
            "seen": iso(r.created_at),
            "snippet": cut_at_word(r.snippet),
        }
        for r in reports
    ]
    if len(out) < limit:
        logs = session.execute(
            select(
                LogRecord.id,
                Deployer.name,
                LogRecord.account_id,
                LogRecord.occurred_at,
                snippet_column(TextBlob.masked_text).label("snippet"),
            )
            .join(TextBlob, TextBlob.id == LogRecord.response_text_id)
            .join(Deployer, Deployer.id == LogRecord.deployer_id)
            .where(LogRecord.response_text_id.in_(ids))
            .order_by(LogRecord.id)
            .limit(limit - len(out))
        ).all()
        out.extend(
            {
                "kind": "log",
                "id": r.id,
                "label": f"{r.name} · {r.account_id or 'no account'}",
                "seen": iso(r.occurred_at),
                "snippet": cut_at_word(r.snippet),
            }
            for r in logs
        )
    return out
