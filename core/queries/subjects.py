"""Read-only queries behind the pages every lead opens on: a near-duplicate group, an
account at a deployer, a log sample, and what links alerts to them.

Like the rest of ``core.queries``: bounded answers (a LIMIT on every list, counts
grouped in SQL), so the pages stay fast with a million log samples and a group of
tens of thousands.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Integer, String, and_, func, literal, or_, select, union, union_all
from sqlalchemy.orm import Session

from core.exceptions import NotFound
from core.models import (
    Alert,
    Campaign,
    CampaignAccount,
    CampaignItem,
    Case,
    CaseItem,
    Deployer,
    LogRecord,
    NearDupGroup,
    Report,
    Sanction,
    TextBlob,
    TextPlacement,
)
from core.queries.alerts import alert_row
from core.queries.campaigns import campaign_row
from core.queries.common import cut_at_word, iso, text_snippets, utc_day
from core.queries.groups import group_dict, similar_items
from core.queries.sanctions import sanction_row

ITEM_SNIPPET = 240


# --- alerts: what each one is about, and the campaigns it feeds -----------------------


def parse_account_key(subject_id: str) -> tuple[int | None, str]:
    """An account alert's subject: '<deployer id>/<account>' or 'reports/<source>'."""
    head, _, account = subject_id.partition("/")
    return (int(head) if head.isdigit() else None), account


def alert_leads(session: Session, alerts: Sequence[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """For each alert (rows of ``alert_row``): its subject as a link target and the
    active campaigns it feeds (the group's texts, or the account, are in them)."""
    out: dict[int, dict[str, Any]] = {}
    groups: dict[int, list[int]] = {}
    accounts: dict[tuple[int, str], list[int]] = {}
    names = dict(session.execute(select(Deployer.id, Deployer.name)).all())
    for a in alerts:
        lead: dict[str, Any] = {"kind": None, "campaigns": []}
        if a["subject_type"] == "group" and str(a["subject_id"]).isdigit():
            group_id = int(a["subject_id"])
            lead.update(kind="group", group_id=group_id)
            groups.setdefault(group_id, []).append(a["id"])
        elif a["subject_type"] == "account":
            deployer_id, account = parse_account_key(str(a["subject_id"]))
            if deployer_id is not None and deployer_id in names:
                lead.update(kind="account", deployer=names[deployer_id], account_id=account)
                accounts.setdefault((deployer_id, account), []).append(a["id"])
            elif account.startswith("public:") and account[7:].isdigit():
                # A report from the public stands for its own "account".
                lead.update(kind="report", report_id=int(account[7:]))
        elif a["subject_type"] == "incident" and isinstance(
            (a.get("features") or {}).get("case_id"), int
        ):
            # A serious-incident deadline: the case where the report is written.
            lead.update(kind="case", case_id=a["features"]["case_id"])
        out[a["id"]] = lead
    if groups:
        for group_id, campaign_id in session.execute(
            select(TextPlacement.group_id, CampaignItem.campaign_id)
            .join(LogRecord, LogRecord.response_text_id == TextPlacement.text_id)
            .join(
                CampaignItem,
                and_(CampaignItem.kind == "log", CampaignItem.item_id == LogRecord.id),
            )
            .join(Campaign, Campaign.id == CampaignItem.campaign_id)
            .where(TextPlacement.group_id.in_(sorted(groups)), Campaign.active.is_(True))
            .distinct()
        ):
            for alert_id in groups[group_id]:
                out[alert_id]["campaigns"].append(campaign_id)
    if accounts:
        wanted = or_(
            *(
                and_(CampaignAccount.deployer_id == d, CampaignAccount.account_id == acc)
                for d, acc in accounts
            )
        )
        for d, acc, campaign_id in session.execute(
            select(CampaignAccount.deployer_id, CampaignAccount.account_id, Campaign.id)
            .join(Campaign, Campaign.id == CampaignAccount.campaign_id)
            .where(wanted, Campaign.active.is_(True))
        ):
            for alert_id in accounts.get((d or 0, acc), []):
                out[alert_id]["campaigns"].append(campaign_id)
    for lead in out.values():
        lead["campaigns"] = sorted(set(lead["campaigns"]))
    return out


# --- one near-duplicate group ---------------------------------------------------------


def _group_logs(group_id: int) -> Any:
    return (
        select(LogRecord.id)
        .join(TextPlacement, TextPlacement.text_id == LogRecord.response_text_id)
        .where(TextPlacement.group_id == group_id)
    )


def _group_reports(group_id: int) -> Any:
    return (
        select(Report.id)
        .join(TextPlacement, TextPlacement.text_id == Report.output_text_id)
        .where(TextPlacement.group_id == group_id)
    )


def group_detail(session: Session, group_id: int) -> dict[str, Any]:
    """A group's statistics, daily timeline, and the alerts, campaigns, cases and
    reports that involve it."""
    g = session.get(NearDupGroup, group_id)
    if g is None:
        raise NotFound(f"no group {group_id}")
    log_day = utc_day(session, LogRecord.occurred_at)
    timeline = [
        {"day": d, "series": name, "count": int(n)}
        for d, name, n in session.execute(
            select(log_day, Deployer.name, func.count())
            .join(TextPlacement, TextPlacement.text_id == LogRecord.response_text_id)
            .join(Deployer, Deployer.id == LogRecord.deployer_id)
            .where(TextPlacement.group_id == group_id)
            .group_by(log_day, Deployer.name)
        )
    ]
    report_day = utc_day(session, Report.created_at)
    timeline += [
        {"day": d, "series": "reports", "count": int(n)}
        for d, n in session.execute(
            select(report_day, func.count())
            .join(TextPlacement, TextPlacement.text_id == Report.output_text_id)
            .where(TextPlacement.group_id == group_id)
            .group_by(report_day)
        )
    ]
    alerts = [
        alert_row(a)
        for a in session.execute(
            select(Alert)
            .where(Alert.subject_type == "group", Alert.subject_id == str(group_id))
            .order_by(Alert.window_start.desc())
            .limit(50)
        ).scalars()
    ]
    logs, reports = _group_logs(group_id), _group_reports(group_id)
    campaign_ids = select(CampaignItem.campaign_id).where(
        or_(
            and_(CampaignItem.kind == "log", CampaignItem.item_id.in_(logs)),
            and_(CampaignItem.kind == "report", CampaignItem.item_id.in_(reports)),
        )
    )
    campaigns = [
        campaign_row(c)
        for c in session.execute(
            select(Campaign)
            .where(Campaign.id.in_(campaign_ids))
            .order_by(Campaign.active.desc(), Campaign.score.desc())
            .limit(50)
        ).scalars()
    ]
    linked = or_(
        and_(CaseItem.kind == "log", CaseItem.item_id.in_(logs)),
        and_(CaseItem.kind == "report", CaseItem.item_id.in_(reports)),
        and_(CaseItem.kind == "campaign", CaseItem.item_id.in_([c["id"] for c in campaigns])),
        and_(CaseItem.kind == "alert", CaseItem.item_id.in_([a["id"] for a in alerts])),
    )
    cases = _cases(session, select(CaseItem.case_id).where(linked))
    report_rows = session.execute(
        select(
            Report.id,
            Report.status,
            Report.category,
            Report.created_at,
            Report.duplicate_of_id,
        )
        .where(Report.id.in_(reports))
        .order_by(Report.created_at.desc(), Report.id.desc())
        .limit(50)
    ).all()
    return {
        **group_dict(g),
        "timeline": sorted(timeline, key=lambda r: (r["day"], r["series"])),
        "alerts": alerts,
        "campaigns": campaigns,
        "cases": cases,
        "report_rows": [
            {
                "id": r.id,
                "status": r.status,
                "category": r.category,
                "created_at": iso(r.created_at),
                "duplicate_of": r.duplicate_of_id,
            }
            for r in report_rows
        ],
    }


def _cases(session: Session, case_ids: Any, limit: int = 50) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Case.id, Case.title, Case.status)
        .where(Case.id.in_(case_ids))
        .order_by(Case.id.desc())
        .limit(limit)
    ).all()
    return [{"id": i, "title": t, "status": s} for i, t, s in rows]


def _signals(text: TextBlob | Any) -> dict[str, Any]:
    return {
        "offensive_prob": float(text.offensive_prob or 0.0),
        "pii_kinds": list(text.pii_kinds or []),
        "injection_markers": list(text.injection_markers or []),
    }


def group_items(
    session: Session, group_id: int, *, limit: int = 25, offset: int = 0
) -> dict[str, Any]:
    """One page of a group's items (log samples and reports), newest first, each with
    its time, account, deployer, signals and text."""
    logs = select(
        literal("log", String).label("kind"),
        LogRecord.id.label("id"),
        LogRecord.occurred_at.label("seen"),
        LogRecord.deployer_id.label("deployer_id"),
        LogRecord.account_id.label("account_id"),
        LogRecord.response_text_id.label("text_id"),
    ).join(TextPlacement, TextPlacement.text_id == LogRecord.response_text_id)
    logs = logs.where(TextPlacement.group_id == group_id)
    reports = (
        select(
            literal("report", String).label("kind"),
            Report.id.label("id"),
            Report.created_at.label("seen"),
            literal(None, Integer).label("deployer_id"),
            literal(None, String).label("account_id"),
            Report.output_text_id.label("text_id"),
        )
        .join(TextPlacement, TextPlacement.text_id == Report.output_text_id)
        .where(TextPlacement.group_id == group_id)
    )
    items = union_all(logs, reports).subquery("item")
    total = session.execute(select(func.count()).select_from(items)).scalar_one()
    rows = session.execute(
        select(items)
        .order_by(items.c.seen.desc(), items.c.kind, items.c.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    names = dict(session.execute(select(Deployer.id, Deployer.name)).all())
    texts = {
        t.id: t
        for t in session.execute(
            select(TextBlob).where(TextBlob.id.in_({r.text_id for r in rows}))
        ).scalars()
    }
    out = []
    for r in rows:
        text = texts[r.text_id]
        out.append(
            {
                "kind": r.kind,
                "id": r.id,
                "seen": iso(r.seen),
                "deployer": names.get(r.deployer_id) if r.deployer_id else None,
                "account_id": r.account_id,
                "text_id": r.text_id,
                "snippet": cut_at_word(text.masked_text, ITEM_SNIPPET),
                **_signals(text),
            }
        )
    return {"total": int(total), "rows": out}


# --- one account at a deployer ----------------------------------------------------------


def deployer_by_name(session: Session, name: str) -> Deployer:
    deployer = session.execute(select(Deployer).where(Deployer.name == name)).scalar_one_or_none()
    if deployer is None:
        raise NotFound(f"no deployer named {name!r}")
    return deployer


def account_detail(session: Session, deployer_name: str, account_id: str) -> dict[str, Any]:
    """An account's history (daily volume, first and last sample), its groups,
    campaigns, alerts, sanctions and cases."""
    deployer = deployer_by_name(session, deployer_name)
    mine = and_(LogRecord.deployer_id == deployer.id, LogRecord.account_id == account_id)
    count, first, last = session.execute(
        select(func.count(), func.min(LogRecord.occurred_at), func.max(LogRecord.occurred_at))
        .select_from(LogRecord)
        .where(mine)
    ).one()
    day = utc_day(session, LogRecord.occurred_at)
    timeline = [
        {"day": d, "series": "log samples", "count": int(n)}
        for d, n in session.execute(
            select(day, func.count()).where(mine).group_by(day).order_by(day)
        )
    ]
    groups = session.execute(
        select(
            TextPlacement.group_id,
            func.count().label("items"),
            NearDupGroup.report_count + NearDupGroup.log_count,
            NearDupGroup.account_count,
            NearDupGroup.sample_text,
        )
        .select_from(LogRecord)
        .join(TextPlacement, TextPlacement.text_id == LogRecord.response_text_id)
        .join(NearDupGroup, NearDupGroup.id == TextPlacement.group_id)
        .where(mine)
        .group_by(
            TextPlacement.group_id,
            NearDupGroup.report_count,
            NearDupGroup.log_count,
            NearDupGroup.account_count,
            NearDupGroup.sample_text,
        )
        .order_by(func.count().desc(), TextPlacement.group_id)
        .limit(50)
    ).all()
    campaigns = session.execute(
        select(Campaign, CampaignAccount.item_count)
        .join(CampaignAccount, CampaignAccount.campaign_id == Campaign.id)
        .where(CampaignAccount.deployer_id == deployer.id, CampaignAccount.account_id == account_id)
        .order_by(Campaign.active.desc(), Campaign.score.desc())
    ).all()
    alerts = [
        alert_row(a)
        for a in session.execute(
            select(Alert)
            .where(
                Alert.subject_type == "account",
                Alert.subject_id == f"{deployer.id}/{account_id}"[:250],
            )
            .order_by(Alert.window_start.desc())
            .limit(50)
        ).scalars()
    ]
    sanctions = session.execute(
        select(Sanction)
        .where(
            Sanction.subject_type == "account",
            Sanction.deployer_id == deployer.id,
            Sanction.account_id == account_id,
        )
        .order_by(Sanction.id.desc())
    ).scalars()
    sanction_rows = [sanction_row(s, deployer.name) for s in sanctions]
    log_ids = select(LogRecord.id).where(mine)
    case_ids = union(
        select(CaseItem.case_id).where(CaseItem.kind == "log", CaseItem.item_id.in_(log_ids)),
        select(Sanction.case_id).where(Sanction.id.in_([s["id"] for s in sanction_rows])),
    )
    if count == 0 and not campaigns and not sanction_rows:
        raise NotFound(f"no account {account_id!r} at {deployer.name}")
    return {
        "deployer": deployer.name,
        "deployer_id": deployer.id,
        "deployer_status": deployer.status,
        "account_id": account_id,
        "log_samples": int(count),
        "first_seen": iso(first),
        "last_seen": iso(last),
        "timeline": timeline,
        "groups": [
            {
                "id": g,
                "items": int(n),
                "size": int(size),
                "accounts": int(accounts),
                "sample": cut_at_word(sample or "", 120),
            }
            for g, n, size, accounts, sample in groups
        ],
        "campaigns": [campaign_row(c) | {"account_items": int(n)} for c, n in campaigns],
        "alerts": alerts,
        "sanctions": sanction_rows,
        "cases": _cases(session, case_ids),
    }


def account_logs(
    session: Session, deployer_id: int, account_id: str, *, limit: int = 25, offset: int = 0
) -> dict[str, Any]:
    """One page of an account's log samples, newest first."""
    mine = and_(LogRecord.deployer_id == deployer_id, LogRecord.account_id == account_id)
    total = session.execute(select(func.count()).select_from(LogRecord).where(mine)).scalar_one()
    rows = session.execute(
        select(
            LogRecord.id,
            LogRecord.occurred_at,
            LogRecord.model,
            TextPlacement.group_id,
            TextBlob.masked_text,
            TextBlob.offensive_prob,
        )
        .join(TextBlob, TextBlob.id == LogRecord.response_text_id)
        .outerjoin(TextPlacement, TextPlacement.text_id == LogRecord.response_text_id)
        .where(mine)
        .order_by(LogRecord.occurred_at.desc(), LogRecord.id.desc())
        .limit(limit)
        .offset(offset)
    ).all()
    return {
        "total": int(total),
        "rows": [
            {
                "id": r.id,
                "seen": iso(r.occurred_at),
                "model": r.model,
                "group_id": r.group_id,
                "offensive_prob": float(r.offensive_prob or 0.0),
                "snippet": cut_at_word(r.masked_text, ITEM_SNIPPET),
            }
            for r in rows
        ],
    }


# --- one log sample -----------------------------------------------------------------


def log_detail(session: Session, log_id: int, *, similar_k: int = 10) -> dict[str, Any]:
    """A log sample as an analyst reads it: masked prompt, response and turns, its
    signals, group, similar items, and the campaigns and cases it is in."""
    rec = session.get(LogRecord, log_id)
    if rec is None:
        raise NotFound(f"no log sample {log_id}")
    response = rec.response_text
    prompt = rec.prompt_text
    group_id = session.execute(
        select(TextPlacement.group_id).where(TextPlacement.text_id == rec.response_text_id)
    ).scalar_one_or_none()
    group = session.get(NearDupGroup, group_id) if group_id is not None else None
    similar = similar_items(session, f"log-{log_id}", k=similar_k)
    snippets = text_snippets(session, (s["text_id"] for s in similar))
    for item in similar:
        item["snippet"] = snippets.get(item["text_id"], "")
    campaigns = [
        campaign_row(c)
        for c in session.execute(
            select(Campaign)
            .join(CampaignItem, CampaignItem.campaign_id == Campaign.id)
            .where(CampaignItem.kind == "log", CampaignItem.item_id == log_id)
            .order_by(Campaign.id)
        ).scalars()
    ]
    cases = _cases(
        session,
        union(
            select(CaseItem.case_id).where(CaseItem.kind == "log", CaseItem.item_id == log_id),
            select(CaseItem.case_id).where(
                CaseItem.kind == "campaign", CaseItem.item_id.in_([c["id"] for c in campaigns])
            ),
        ),
    )
    return {
        "id": rec.id,
        "deployer": rec.deployer.name,
        "deployer_id": rec.deployer_id,
        "account_id": rec.account_id,
        "external_id": rec.external_id,
        "model": rec.model,
        "occurred_at": iso(rec.occurred_at),
        "received_at": iso(rec.received_at),
        "source": rec.source,
        "prompt": prompt.masked_text if prompt else None,
        "response": response.masked_text,
        "messages": list(rec.messages or []),
        "metadata": dict(rec.extra or {}),
        "moderation_flags": dict(rec.moderation_flags or {}),
        "signals": {
            **_signals(response),
            "injection_markers": sorted(
                set(response.injection_markers or [])
                | set(prompt.injection_markers if prompt else [])
            ),
            "pii_kinds": sorted(
                set(response.pii_kinds or []) | set(prompt.pii_kinds if prompt else [])
            ),
        },
        "group": (
            {
                "id": group.id,
                "size": group.report_count + group.log_count,
                "accounts": group.account_count,
            }
            if group is not None
            else None
        ),
        "exact_copies": int(
            session.execute(
                select(func.count())
                .select_from(LogRecord)
                .where(LogRecord.response_text_id == rec.response_text_id)
            ).scalar_one()
        )
        - 1,
        "similar": similar,
        "campaigns": campaigns,
        "cases": cases,
    }
