"""Cases: the list and how many there are, one case with its items, timeline and
sanctions, the cases an item is linked to, and labels for a case's items."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from core.exceptions import NotFound
from core.models import (
    Alert,
    Campaign,
    Case,
    CaseItem,
    Deployer,
    LogRecord,
    Report,
    Sanction,
    TextBlob,
)
from core.queries.common import cut_at_word, iso, snippet_column, user_emails
from core.queries.incidents import incident_dict
from core.queries.sanctions import sanction_dicts, webhook_deliveries


def cases_linking(session: Session, kind: str, item_id: int) -> list[dict[str, Any]]:
    rows = session.execute(
        select(Case.id, Case.title, Case.status)
        .join(CaseItem, CaseItem.case_id == Case.id)
        .where(CaseItem.kind == kind, CaseItem.item_id == item_id)
        .order_by(Case.id)
    ).all()
    return [{"id": i, "title": t, "status": s} for i, t, s in rows]


def item_labels(session: Session, items: Sequence[tuple[str, int]]) -> dict[str, str]:
    """A short description of each linked item, keyed 'kind-id'."""
    out: dict[str, str] = {}
    by_kind: dict[str, list[int]] = {}
    for kind, item_id in items:
        by_kind.setdefault(kind, []).append(item_id)
    if by_kind.get("report"):
        for i, cat, snippet in session.execute(
            select(Report.id, Report.category, snippet_column(TextBlob.masked_text, 100))
            .join(TextBlob, TextBlob.id == Report.output_text_id)
            .where(Report.id.in_(by_kind["report"][:500]))
        ):
            out[f"report-{i}"] = f"{cat}: {cut_at_word(snippet, 100)}"
    if by_kind.get("log"):
        for i, name, acc, snippet in session.execute(
            select(
                LogRecord.id,
                Deployer.name,
                LogRecord.account_id,
                snippet_column(TextBlob.masked_text, 100),
            )
            .join(TextBlob, TextBlob.id == LogRecord.response_text_id)
            .join(Deployer, Deployer.id == LogRecord.deployer_id)
            .where(LogRecord.id.in_(by_kind["log"][:500]))
        ):
            out[f"log-{i}"] = f"{name} · {acc or 'no account'}: {cut_at_word(snippet, 100)}"
    if by_kind.get("campaign"):
        for c in session.execute(
            select(Campaign).where(Campaign.id.in_(by_kind["campaign"][:500]))
        ).scalars():
            out[f"campaign-{c.id}"] = (
                f"score {c.score:.2f}, {c.account_count} accounts: "
                + ", ".join((c.keywords or [])[:5])
            )
    if by_kind.get("alert"):
        for a in session.execute(
            select(Alert).where(Alert.id.in_(by_kind["alert"][:500]))
        ).scalars():
            out[f"alert-{a.id}"] = f"{a.subject_type} {a.subject_id}: {a.explanation[:100]}"
    return out


def cases_total(
    session: Session, *, status: str | None = None, assignee_id: int | None = None
) -> int:
    stmt = select(func.count()).select_from(Case)
    if status:
        stmt = stmt.where(Case.status == status)
    if assignee_id is not None:
        stmt = stmt.where(Case.assignee_id == assignee_id)
    return int(session.execute(stmt).scalar_one())


def case_summary(case: Case, emails: dict[int, str]) -> dict[str, Any]:
    return {
        "id": case.id,
        "title": case.title,
        "status": case.status,
        "origin_type": case.origin_type,
        "origin_id": case.origin_id,
        "assignee": emails.get(case.assignee_id) if case.assignee_id else None,
        "assignee_id": case.assignee_id,
        "opened_by": emails.get(case.opened_by_id) if case.opened_by_id else None,
        "created_at": iso(case.created_at),
        "updated_at": iso(case.updated_at),
        "decided_at": iso(case.decided_at),
    }


def list_cases(
    session: Session,
    *,
    status: str | None = None,
    assignee_id: int | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[dict[str, Any]]:
    stmt = select(Case).order_by(Case.updated_at.desc(), Case.id.desc()).limit(limit).offset(offset)
    if status:
        stmt = stmt.where(Case.status == status)
    if assignee_id is not None:
        stmt = stmt.where(Case.assignee_id == assignee_id)
    cases = session.execute(stmt).scalars().all()
    emails = user_emails(session, [c.assignee_id for c in cases] + [c.opened_by_id for c in cases])
    return [case_summary(c, emails) for c in cases]


def case_dict(session: Session, case_id: int) -> dict[str, Any]:
    """A case with its items, its timeline, its sanctions and its serious incident."""
    case = session.execute(
        select(Case)
        .options(selectinload(Case.items), selectinload(Case.events))
        .where(Case.id == case_id)
    ).scalar_one_or_none()
    if case is None:
        raise NotFound(f"no case {case_id}")
    emails = user_emails(session, [case.assignee_id, case.opened_by_id])
    out = case_summary(case, emails)
    out["items"] = [{"kind": i.kind, "id": i.item_id} for i in case.items]
    out["events"] = [
        {"at": iso(e.at), "actor": e.actor, "kind": e.kind, "body": e.body, "data": e.data}
        for e in case.events
    ]
    sanctions = (
        session.execute(select(Sanction).where(Sanction.case_id == case_id).order_by(Sanction.id))
        .scalars()
        .all()
    )
    pushes = webhook_deliveries(session, [s.id for s in sanctions])
    out["sanctions"] = [
        {**view, "webhook_deliveries": pushes[s.id]}
        for s, view in zip(sanctions, sanction_dicts(session, sanctions), strict=True)
    ]
    out["incident"] = incident_dict(session, case_id)
    return out
