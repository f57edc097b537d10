"""Cases: how many there are, the cases an item is linked to, and labels for the
items linked to a case."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.models import Alert, Campaign, Case, CaseItem, Deployer, LogRecord, Report, TextBlob
from core.queries.common import cut_at_word, snippet_column


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
