"""Storing and reading campaign candidates and alerts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, selectinload

from core.exceptions import NotFound, ValidationFailed
from core.models import (
    ALERT_STATUSES,
    CAMPAIGN_STATUSES,
    Alert,
    Campaign,
    CampaignAccount,
    CampaignItem,
    Case,
    CaseItem,
    Deployer,
    EvidenceHold,
    LogRecord,
)
from core.models.base import utcnow
from core.records import text_errors
from core.services import audit, job_state
from core.services.cases import case_event


@dataclass
class CampaignCandidate:
    """One community found by the detector, ready to be stored."""

    score: float
    accounts: list[tuple[int | None, str, int]]  # (deployer id, account id, item count)
    log_ids: list[int]
    report_ids: list[int]
    first_seen: datetime
    last_seen: datetime
    explanation: str
    category_guess: str | None = None
    keywords: list[str] = field(default_factory=list)
    features: dict[str, Any] = field(default_factory=dict)

    @property
    def account_keys(self) -> set[tuple[int | None, str]]:
        return {(d, a) for d, a, _ in self.accounts}


Matcher = Callable[[dict[Any, Any], dict[Any, Any]], dict[Any, Any]]


def save_campaigns(
    session: Session,
    found: Sequence[CampaignCandidate],
    *,
    match: Matcher,
    actor: str = "job:detect",
) -> list[int]:
    """Store this run's campaigns in the caller's transaction.

    A campaign found again (by account overlap, via ``match``) keeps its id and
    the status analysts gave it; campaigns not found again become inactive.
    Their log samples are held as evidence against retention.
    """
    old: dict[Any, Any] = {}
    for cid, dep, acc in session.execute(
        select(CampaignAccount.campaign_id, CampaignAccount.deployer_id, CampaignAccount.account_id)
        .join(Campaign)
        .where(Campaign.active.is_(True))
    ):
        old[(dep, acc)] = cid
    new: dict[Any, Any] = {}
    for index, cand in enumerate(found):
        for key in cand.account_keys:
            new.setdefault(key, index)
    mapping = match(old, new)
    kept: list[int] = []
    now = utcnow()
    for index, cand in enumerate(found):
        campaign_id = mapping.get(index)
        row = session.get(Campaign, campaign_id) if campaign_id is not None else None
        values = {
            "score": float(cand.score),
            "category_guess": cand.category_guess,
            "keywords": cand.keywords,
            "explanation": cand.explanation,
            "features": cand.features,
            "account_count": len(cand.accounts),
            "deployer_count": len({d for d, _, _ in cand.accounts if d is not None}),
            "item_count": len(cand.log_ids) + len(cand.report_ids),
            "report_count": len(cand.report_ids),
            "first_seen": cand.first_seen,
            "last_seen": cand.last_seen,
            "active": True,
            "updated_at": now,
        }
        if row is None:
            row = Campaign(**values)
            session.add(row)
            session.flush()
            audit.record(
                session,
                actor=actor,
                action="campaign.found",
                subject_type="campaign",
                subject_id=row.id,
                after={"accounts": len(cand.accounts), "score": round(cand.score, 3)},
            )
        else:
            for k, v in values.items():
                setattr(row, k, v)
            session.execute(delete(CampaignAccount).where(CampaignAccount.campaign_id == row.id))
        session.add_all(
            CampaignAccount(campaign_id=row.id, deployer_id=d, account_id=a, item_count=n)
            for d, a, n in cand.accounts
        )
        _write_items(session, row.id, cand)
        _hold(session, row.id, cand.log_ids)
        kept.append(row.id)
    session.execute(
        update(Campaign)
        .where(Campaign.active.is_(True), Campaign.id.not_in(kept or [-1]))
        .values(active=False, updated_at=now)
    )
    return kept


def _write_items(session: Session, campaign_id: int, cand: CampaignCandidate) -> None:
    """Make the campaign's items these, writing only the difference: a campaign found
    again has most of its items already."""
    wanted = {("log", i) for i in cand.log_ids} | {("report", i) for i in cand.report_ids}
    have = {
        (kind, item)
        for kind, item in session.execute(
            select(CampaignItem.kind, CampaignItem.item_id).where(
                CampaignItem.campaign_id == campaign_id
            )
        )
    }
    for kind in ("log", "report"):
        gone = sorted(i for k, i in have - wanted if k == kind)
        for start in range(0, len(gone), 500):
            session.execute(
                delete(CampaignItem).where(
                    CampaignItem.campaign_id == campaign_id,
                    CampaignItem.kind == kind,
                    CampaignItem.item_id.in_(gone[start : start + 500]),
                )
            )
    added = [
        {"campaign_id": campaign_id, "kind": k, "item_id": i} for k, i in sorted(wanted - have)
    ]
    for start in range(0, len(added), 5000):
        session.execute(insert(CampaignItem), added[start : start + 5000])


def _hold(session: Session, campaign_id: int, log_ids: Sequence[int]) -> None:
    """Hold the campaign's log samples; most are held already by an earlier run."""
    held = set(
        session.execute(
            select(EvidenceHold.log_record_id).where(
                EvidenceHold.holder_type == "campaign", EvidenceHold.holder_id == campaign_id
            )
        ).scalars()
    )
    rows = [
        {"log_record_id": i, "holder_type": "campaign", "holder_id": campaign_id}
        for i in log_ids
        if i not in held
    ]
    if not rows:
        return
    upsert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    # Executemany of one short statement: a multi-row VALUES of thousands of rows
    # costs more to build and compile in Python than to run.
    session.execute(upsert(EvidenceHold).on_conflict_do_nothing(), rows)


def _iso(v: datetime | None) -> str | None:
    return v.isoformat() if v else None


def campaign_dict(session: Session, c: Campaign, *, with_items: bool = True) -> dict[str, Any]:
    names = dict((i, n) for i, n in session.execute(select(Deployer.id, Deployer.name)))
    out: dict[str, Any] = {
        "id": c.id,
        "score": round(c.score, 4),
        "status": c.status,
        "active": c.active,
        "category_guess": c.category_guess,
        "keywords": c.keywords,
        "explanation": c.explanation,
        "accounts_count": c.account_count,
        "deployers_count": c.deployer_count,
        "items_count": c.item_count,
        "reports_count": c.report_count,
        "first_seen": _iso(c.first_seen),
        "last_seen": _iso(c.last_seen),
        "features": c.features,
        "accounts": [
            {
                "deployer": names.get(a.deployer_id) if a.deployer_id else None,
                "account_id": a.account_id,
                "items": a.item_count,
            }
            for a in c.accounts
        ],
    }
    if with_items:
        logs = session.execute(
            select(LogRecord.id, LogRecord.external_id, Deployer.name)
            .join(Deployer, Deployer.id == LogRecord.deployer_id)
            .join(
                CampaignItem, (CampaignItem.item_id == LogRecord.id) & (CampaignItem.kind == "log")
            )
            .where(CampaignItem.campaign_id == c.id)
            .order_by(LogRecord.occurred_at)
        ).all()
        reports = (
            session.execute(
                select(CampaignItem.item_id).where(
                    CampaignItem.campaign_id == c.id, CampaignItem.kind == "report"
                )
            )
            .scalars()
            .all()
        )
        out["items"] = [
            {"kind": "log", "id": i, "deployer": d, "external_id": e} for i, e, d in logs
        ] + [{"kind": "report", "id": r} for r in reports]
    return out


def list_campaigns(
    session: Session, *, include_inactive: bool = False, with_items: bool = True
) -> list[dict[str, Any]]:
    stmt = select(Campaign).options(selectinload(Campaign.accounts)).order_by(Campaign.score.desc())
    if not include_inactive:
        stmt = stmt.where(Campaign.active.is_(True))
    return [
        campaign_dict(session, c, with_items=with_items) for c in session.execute(stmt).scalars()
    ]


def get_campaign(session: Session, campaign_id: int) -> dict[str, Any]:
    c = session.get(Campaign, campaign_id)
    if c is None:
        raise NotFound(f"no campaign {campaign_id}")
    return campaign_dict(session, c)


def new_alerts(session: Session, alerts: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The alerts not raised before for the same subject and window.

    Each run proposes every standing anomaly of the latest windows again; keeping only
    those not raised yet spares the database hundreds of conflicting rows, and lets a
    cap on new alerts per run count new ones only."""
    rows = list(alerts)
    if not rows:
        return []
    since = min(a["window_start"] for a in rows)
    raised_before = {
        tuple(r)
        for r in session.execute(
            select(Alert.subject_type, Alert.subject_id, Alert.window_start).where(
                Alert.window_start >= since
            )
        )
    }
    return [
        a
        for a in rows
        if (a["subject_type"], a["subject_id"], a["window_start"]) not in raised_before
    ]


def save_alerts(session: Session, alerts: Sequence[dict[str, Any]]) -> int:
    """Insert these alerts (best the new ones, see :func:`new_alerts`); one raised
    before for the same subject and window is left as it is. Returns how many were
    new."""
    upsert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    rows = list(alerts)
    raised = 0
    # A few hundred rows per statement: one multi-row VALUES binds every cell, and
    # SQLite refuses more than 32,766 parameters (about 4,600 alerts) in one.
    for start in range(0, len(rows), 500):
        # RETURNING counts what was new: rowcount of a multi-row insert is -1 on psycopg.
        stmt = (
            upsert(Alert)
            .values(rows[start : start + 500])
            .on_conflict_do_nothing(index_elements=["subject_type", "subject_id", "window_start"])
            .returning(Alert.id)
        )
        raised += len(session.execute(stmt).all())
    return raised


@dataclass
class RunOutcome:
    """What one detect run wrote."""

    campaign_ids: list[int]
    alerts_raised: int
    state_bytes: int


def record_run(
    session: Session,
    campaigns: Sequence[CampaignCandidate] | None,
    alerts: Sequence[dict[str, Any]],
    *,
    state: Any,
    state_job: str,
    secret_key: str,
    run_id: int | None,
    match: Matcher,
) -> RunOutcome:
    """Write a detect run's campaigns, alerts and incremental state, and commit them
    together: a state ahead of the database would make the next run skip items whose
    campaigns were never written, one behind it would count items twice.

    ``campaigns=None``: the run read nothing new, and the campaigns and alerts stay as
    the last run wrote them (their ids are not returned)."""
    kept = [] if campaigns is None else save_campaigns(session, campaigns, match=match)
    raised = 0 if campaigns is None else save_alerts(session, alerts)
    state_bytes = job_state.save(session, state_job, state, secret_key=secret_key, run_id=run_id)
    session.commit()
    return RunOutcome(kept, raised, state_bytes)


def alert_dict(a: Alert) -> dict[str, Any]:
    return {
        "id": a.id,
        "subject_type": a.subject_type,
        "subject_id": a.subject_id,
        "window_start": _iso(a.window_start),
        "window_end": _iso(a.window_end),
        "score": round(a.score, 4),
        "features": a.features,
        "explanation": a.explanation,
        "status": a.status,
        "status_reason": a.status_reason,
        "created_at": _iso(a.created_at),
    }


def list_alerts(
    session: Session, *, status: str | None = None, limit: int = 200
) -> list[dict[str, Any]]:
    stmt = select(Alert).order_by(Alert.score.desc(), Alert.id).limit(limit)
    if status:
        stmt = stmt.where(Alert.status == status)
    return [alert_dict(a) for a in session.execute(stmt).scalars()]


def _set_status(
    session: Session,
    model: type[Alert] | type[Campaign],
    row_id: int,
    status: str,
    *,
    allowed: tuple[str, ...],
    actor: str,
    reason: str,
) -> None:
    kind = model.__tablename__
    if status not in allowed:
        raise ValidationFailed({"status": "Must be one of: " + ", ".join(allowed)})
    if status == "dismissed" and not reason.strip():
        raise ValidationFailed({"reason": f"Say why the {kind} is dismissed."})
    if errors := text_errors({"reason": reason}):
        raise ValidationFailed(errors)
    row: Alert | Campaign | None = (
        session.get(Alert, row_id) if model is Alert else session.get(Campaign, row_id)
    )
    if row is None:
        raise NotFound(f"no {kind} {row_id}")
    before = row.status
    cases: list[int] = []
    if before == "escalated" and status != "escalated":
        # Stepping back from an escalation is a decision of its own: never silent.
        cases = list(
            session.execute(
                select(CaseItem.case_id)
                .join(Case, Case.id == CaseItem.case_id)
                .where(CaseItem.kind == kind, CaseItem.item_id == row_id)
                .order_by(CaseItem.case_id)
            ).scalars()
        )
        if not reason.strip():
            where = f" to case {', '.join(map(str, cases))}" if cases else ""
            raise ValidationFailed(
                {
                    "reason": f"This {kind} is escalated{where}. "
                    f"Say why it should be {status} instead."
                }
            )
    row.status = status
    row.status_reason = reason.strip() or None
    row.updated_at = utcnow()
    for case_id in cases:
        case_event(
            session,
            case_id,
            actor,
            "status",
            f"{kind} {row_id} changed from escalated to {status}: {reason.strip()}",
            **{f"{kind}_id": row_id},
        )
    audit.record(
        session,
        actor=actor,
        action=f"{kind}.status",
        subject_type=kind,
        subject_id=row_id,
        before={"status": before},
        after={"status": status, "reason": row.status_reason},
    )
    session.commit()


def set_alert_status(
    session: Session, alert_id: int, status: str, *, actor: str, reason: str = ""
) -> None:
    """Acknowledge, dismiss (with a reason) or escalate an alert."""
    _set_status(
        session, Alert, alert_id, status, allowed=ALERT_STATUSES, actor=actor, reason=reason
    )


def set_campaign_status(
    session: Session, campaign_id: int, status: str, *, actor: str, reason: str = ""
) -> None:
    """Acknowledge, dismiss (with a reason) or escalate a campaign candidate."""
    _set_status(
        session,
        Campaign,
        campaign_id,
        status,
        allowed=CAMPAIGN_STATUSES,
        actor=actor,
        reason=reason,
    )
