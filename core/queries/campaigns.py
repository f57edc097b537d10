"""Campaigns: the list, one campaign with its timeline, accounts and sample items,
and the matrix of its accounts against the texts they posted."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from core.exceptions import NotFound
from core.models import (
    Campaign,
    CampaignAccount,
    CampaignItem,
    Deployer,
    LogRecord,
    NearDupGroup,
    Report,
    TextBlob,
    TextPlacement,
)
from core.queries.cases import cases_linking
from core.queries.choices import deployers
from core.queries.common import cut_at_word, iso, snippet_column, text_snippets, utc_day


def campaign_row(c: Campaign) -> dict[str, Any]:
    return {
        "id": c.id,
        "score": round(float(c.score), 3),
        "status": c.status,
        "status_reason": c.status_reason,
        "active": c.active,
        "category_guess": c.category_guess,
        "keywords": list(c.keywords or []),
        "explanation": c.explanation,
        "accounts": c.account_count,
        "deployers": c.deployer_count,
        "items": c.item_count,
        "reports": c.report_count,
        "first_seen": iso(c.first_seen),
        "last_seen": iso(c.last_seen),
    }


def campaigns_page(
    session: Session,
    *,
    status: str | None = None,
    include_inactive: bool = False,
    limit: int = 25,
    offset: int = 0,
) -> dict[str, Any]:
    where: list[Any] = []
    if status:
        where.append(Campaign.status == status)
    if not include_inactive:
        where.append(Campaign.active.is_(True))
    total = session.execute(select(func.count()).select_from(Campaign).where(*where)).scalar_one()
    rows = session.execute(
        select(Campaign)
        .where(*where)
        .order_by(Campaign.score.desc(), Campaign.id)
        .limit(limit)
        .offset(offset)
    ).scalars()
    return {"total": int(total), "rows": [campaign_row(c) for c in rows]}


def campaign_detail(
    session: Session, campaign_id: int, *, account_limit: int = 200, sample_limit: int = 20
) -> dict[str, Any]:
    """A campaign with its timeline, its largest accounts and a sample of its items."""
    campaign = session.get(Campaign, campaign_id)
    if campaign is None:
        raise NotFound(f"no campaign {campaign_id}")
    out = campaign_row(campaign)
    out["features"] = dict(campaign.features or {})

    log_items = (
        select(CampaignItem.item_id)
        .where(CampaignItem.campaign_id == campaign_id, CampaignItem.kind == "log")
        .scalar_subquery()
    )
    report_items = (
        select(CampaignItem.item_id)
        .where(CampaignItem.campaign_id == campaign_id, CampaignItem.kind == "report")
        .scalar_subquery()
    )
    log_day = utc_day(session, LogRecord.occurred_at)
    timeline = [
        {"day": d, "series": name, "count": int(n)}
        for d, name, n in session.execute(
            select(log_day, Deployer.name, func.count())
            .join(Deployer, Deployer.id == LogRecord.deployer_id)
            .where(LogRecord.id.in_(log_items))
            .group_by(log_day, Deployer.name)
            .order_by(log_day, Deployer.name)
        )
    ]
    report_day = utc_day(session, Report.created_at)
    timeline += [
        {"day": d, "series": "reports", "count": int(n)}
        for d, n in session.execute(
            select(report_day, func.count())
            .where(Report.id.in_(report_items))
            .group_by(report_day)
            .order_by(report_day)
        )
    ]
    out["timeline"] = sorted(timeline, key=lambda r: (r["day"], r["series"]))

    account_rows = session.execute(
        select(CampaignAccount.deployer_id, Deployer.name, CampaignAccount.account_id)
        .add_columns(CampaignAccount.item_count)
        .outerjoin(Deployer, Deployer.id == CampaignAccount.deployer_id)
        .where(CampaignAccount.campaign_id == campaign_id)
        .order_by(CampaignAccount.item_count.desc(), CampaignAccount.id)
        .limit(account_limit)
    ).all()
    out["account_rows"] = [
        {"deployer_id": d, "deployer": name, "account_id": a, "items": int(n)}
        for d, name, a, n in account_rows
    ]

    logs = session.execute(
        select(
            LogRecord.id,
            LogRecord.occurred_at,
            LogRecord.account_id,
            Deployer.name,
            snippet_column(TextBlob.masked_text).label("snippet"),
        )
        .join(TextBlob, TextBlob.id == LogRecord.response_text_id)
        .join(Deployer, Deployer.id == LogRecord.deployer_id)
        .where(LogRecord.id.in_(log_items))
        .order_by(LogRecord.occurred_at, LogRecord.id)
        .limit(sample_limit)
    ).all()
    reports = session.execute(
        select(
            Report.id,
            Report.created_at,
            Report.category,
            snippet_column(TextBlob.masked_text).label("snippet"),
        )
        .join(TextBlob, TextBlob.id == Report.output_text_id)
        .where(Report.id.in_(report_items))
        .order_by(Report.created_at, Report.id)
        .limit(sample_limit)
    ).all()
    out["sample_items"] = [
        {
            "kind": "log",
            "id": r.id,
            "seen": iso(r.occurred_at),
            "who": f"{r.name} · {r.account_id or 'no account'}",
            "deployer": r.name,
            "account_id": r.account_id,
            "snippet": cut_at_word(r.snippet),
        }
        for r in logs
    ] + [
        {
            "kind": "report",
            "id": r.id,
            "seen": iso(r.created_at),
            "who": r.category,
            "snippet": cut_at_word(r.snippet),
        }
        for r in reports
    ]
    out["cases"] = cases_linking(session, "campaign", campaign_id)
    return out


def campaign_matrix(
    session: Session, campaign_id: int, *, max_accounts: int = 60, max_groups: int = 30
) -> dict[str, Any]:
    """Who posted what: the campaign's accounts against the near-duplicate groups of
    their log samples, counting items per cell.

    A network of accounts linked by shared groups says nothing when one group
    links them all (20 accounts, 190 of 190 links); the matrix shows which
    accounts carry which texts, and how many. Bounded: the accounts and groups
    with most items. A text not grouped yet stands for itself (negative key).
    """
    group_key = func.coalesce(TextPlacement.group_id, -LogRecord.response_text_id)
    rows = session.execute(
        select(LogRecord.deployer_id, LogRecord.account_id, group_key, func.count())
        .join(
            CampaignItem,
            and_(
                CampaignItem.item_id == LogRecord.id,
                CampaignItem.kind == "log",
                CampaignItem.campaign_id == campaign_id,
            ),
        )
        .outerjoin(TextPlacement, TextPlacement.text_id == LogRecord.response_text_id)
        .group_by(LogRecord.deployer_id, LogRecord.account_id, group_key)
    ).all()
    per_account: dict[tuple[int, str], int] = {}
    per_group: dict[int, int] = {}
    accounts_of_group: dict[int, set[tuple[int, str]]] = {}
    cells: dict[tuple[tuple[int, str], int], int] = {}
    for d, a, g, n in rows:
        key = (int(d), a or "(no account)")
        per_account[key] = per_account.get(key, 0) + int(n)
        per_group[int(g)] = per_group.get(int(g), 0) + int(n)
        accounts_of_group.setdefault(int(g), set()).add(key)
        cells[(key, int(g))] = cells.get((key, int(g)), 0) + int(n)
    accounts = sorted(per_account, key=lambda k: (-per_account[k], k))[:max_accounts]
    groups = sorted(per_group, key=lambda g: (-per_group[g], g))[:max_groups]
    names = {d["id"]: d["name"] for d in deployers(session)}
    samples = {
        group_id: text
        for group_id, text in session.execute(
            select(NearDupGroup.id, NearDupGroup.sample_text).where(
                NearDupGroup.id.in_([g for g in groups if g > 0])
            )
        )
    }
    texts = text_snippets(session, [-g for g in groups if g < 0], 120)
    return {
        "accounts": [
            {"deployer": names.get(d, "?"), "account_id": a, "items": per_account[(d, a)]}
            for d, a in accounts
        ],
        "groups": [
            {
                "id": g if g > 0 else None,
                "label": f"group {g}" if g > 0 else f"text {-g}",
                "items": per_group[g],
                "accounts": len(accounts_of_group[g]),
                "sample": cut_at_word(samples.get(g) or "", 120) if g > 0 else texts.get(-g, ""),
            }
            for g in groups
        ],
        "z": [[cells.get((acc, g), 0) for g in groups] for acc in accounts],
        "accounts_total": len(per_account),
        "groups_total": len(per_group),
        "shared_groups": sum(1 for g in per_group if len(accounts_of_group[g]) > 1),
    }
