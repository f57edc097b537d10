"""Reports: the triage queue and one report as an analyst reads it."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.exceptions import NotFound
from core.models import LogRecord, NearDupGroup, Report, TextBlob, TextPlacement, TrustedFlagger
from core.queries.cases import cases_linking
from core.queries.common import cut_at_word, iso, snippet_column, text_snippets, user_emails
from core.queries.groups import similar_counts, similar_items

# Statuses of reports still waiting for a decision.
OPEN_REPORT_STATUSES = ("received", "in_review")
TRIAGE_SORTS: dict[str, str] = {
    "priority": "Possible serious incidents first, then trusted flaggers, then oldest",
    "oldest": "Oldest first",
    "newest": "Newest first",
    "group": "Largest similarity group first",
    "category": "Category, then oldest",
}


def triage_page(
    session: Session,
    *,
    statuses: Sequence[str] = (),
    categories: Sequence[str] = (),
    assignee_id: int | None = None,
    unassigned: bool = False,
    trusted_only: bool = False,
    sort: str = "priority",
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    """One page of the triage queue and the number of reports matching the filters."""
    where: list[Any] = []
    if statuses:
        where.append(Report.status.in_(list(statuses)))
    if categories:
        where.append(Report.category.in_(list(categories)))
    if unassigned:
        where.append(Report.assignee_id.is_(None))
    elif assignee_id is not None:
        where.append(Report.assignee_id == assignee_id)
    if trusted_only:
        where.append(Report.trusted_flagger.is_(True))
    total = session.execute(select(func.count()).select_from(Report).where(*where)).scalar_one()

    group_size = (NearDupGroup.report_count + NearDupGroup.log_count).label("group_size")
    order: list[Any]
    if sort == "oldest":
        order = [Report.created_at, Report.id]
    elif sort == "newest":
        order = [Report.created_at.desc(), Report.id.desc()]
    elif sort == "group":
        order = [func.coalesce(group_size, 0).desc(), Report.created_at, Report.id]
    elif sort == "category":
        order = [Report.category, Report.created_at, Report.id]
    else:
        order = [
            Report.serious_incident.desc(),
            Report.trusted_flagger.desc(),
            Report.created_at,
            Report.id,
        ]
    page = (
        select(
            Report.id,
            Report.created_at,
            Report.category,
            Report.status,
            Report.trusted_flagger,
            Report.serious_incident,
            Report.reporter_type,
            Report.assignee_id,
            Report.source,
            Report.output_text_id,
            Report.duplicate_of_id,
            TrustedFlagger.name.label("flagger"),
            TextPlacement.group_id,
            group_size,
            snippet_column(TextBlob.masked_text).label("snippet"),
        )
        .join(TextBlob, TextBlob.id == Report.output_text_id)
        .outerjoin(TrustedFlagger, TrustedFlagger.id == Report.flagger_id)
        .outerjoin(TextPlacement, TextPlacement.text_id == Report.output_text_id)
        .outerjoin(NearDupGroup, NearDupGroup.id == TextPlacement.group_id)
        .where(*where)
        .order_by(*order)
        .limit(limit)
        .offset(offset)
    )
    rows = session.execute(page).all()
    emails = user_emails(session, (r.assignee_id for r in rows))
    exact = exact_duplicates(session, (r.output_text_id for r in rows))
    return {
        "total": int(total),
        "rows": [
            {
                "id": r.id,
                "created_at": iso(r.created_at),
                "category": r.category,
                "status": r.status,
                "trusted_flagger": bool(r.trusted_flagger),
                "serious_incident": bool(r.serious_incident),
                "reporter_type": r.reporter_type,
                "assignee_id": r.assignee_id,
                "assignee": emails.get(r.assignee_id) if r.assignee_id else None,
                "group_size": int(r.group_size) if r.group_size is not None else None,
                "group_id": r.group_id,
                "exact_duplicate": r.output_text_id in exact,
                "duplicate_of": r.duplicate_of_id,
                "source": r.source,
                "flagger": r.flagger,
                "snippet": cut_at_word(r.snippet),
            }
            for r in rows
        ],
    }


def report_detail(session: Session, report_id: int, *, similar_k: int = 10) -> dict[str, Any]:
    """A report as an analyst reads it: masked texts, signals, similar items, messages."""
    report = session.get(Report, report_id)
    if report is None:
        raise NotFound(f"no report {report_id}")
    output = report.output_text
    prompt = report.prompt_text
    similar = similar_items(session, f"report-{report_id}", k=similar_k)
    snippets = text_snippets(session, (s["text_id"] for s in similar))
    for item in similar:
        item["snippet"] = snippets.get(item["text_id"], "")
    emails = user_emails(session, [report.assignee_id])
    return {
        "id": report.id,
        "status": report.status,
        "category": report.category,
        "reporter_type": report.reporter_type,
        "trusted_flagger": report.trusted_flagger,
        "serious_incident": report.serious_incident,
        "source": report.source,
        "provider": report.provider,
        "model_name": report.model_name,
        "model_version": report.model_version,
        "product_url": report.product_url,
        "published_url": report.published_url,
        "occurred_at": iso(report.occurred_at),
        "created_at": iso(report.created_at),
        "decided_at": iso(report.decided_at),
        "assignee_id": report.assignee_id,
        "assignee": emails.get(report.assignee_id) if report.assignee_id else None,
        "output": output.masked_text,
        "prompt": prompt.masked_text if prompt else None,
        "explanation": report.explanation,
        "signals": {
            "offensive_prob": float(output.offensive_prob),
            "pii_kinds": sorted(set(report.pii_kinds or []) | set(output.pii_kinds or [])),
            # A prompt injection usually sits in the prompt, not in the output.
            "injection_markers": sorted(
                set(output.injection_markers or [])
                | set(prompt.injection_markers if prompt else [])
            ),
            "provenance": dict(output.provenance or {}),
        },
        "similar": similar,
        **similar_counts(session, report.output_text_id),
        "messages": [
            {
                "author": m.author,
                "author_name": m.author_name,
                "body": m.body,
                "created_at": iso(m.created_at),
            }
            for m in report.messages
        ],
        "cases": cases_linking(session, "report", report_id),
        "decision_reason": report.decision_reason,
        "duplicate_of": report.duplicate_of_id,
        "duplicates": list(
            session.execute(
                select(Report.id).where(Report.duplicate_of_id == report_id).order_by(Report.id)
            ).scalars()
        ),
    }


def exact_duplicates(session: Session, text_ids: Iterable[int]) -> set[int]:
    """Which of these texts more than one item carries (reports and log samples)."""
    wanted = sorted(set(text_ids))
    if not wanted:
        return set()
    reports = (
        select(Report.output_text_id.label("text_id"))
        .where(Report.output_text_id.in_(wanted))
        .group_by(Report.output_text_id)
        .having(func.count() > 1)
    )
    in_logs = select(LogRecord.response_text_id).where(LogRecord.response_text_id.in_(wanted))
    shared = set(session.execute(reports).scalars()) | set(
        session.execute(in_logs.distinct()).scalars()
    )
    return shared
