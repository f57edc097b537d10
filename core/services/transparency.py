"""Statements of reasons in the shape of the EU DSA Transparency Database, and the
transparency report (counts, time to decision, appeals).

The mapping from our vocabulary to the database's enumerations lives here and
only here. Field names and values follow the database's API documentation
(https://transparency.dsa.ec.europa.eu/page/api-documentation), version 2 of
the category list.
"""

from __future__ import annotations

import csv
import io
import statistics
from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.models import Appeal, Deployer, Report, Sanction
from core.models.base import utcnow

# Our harm categories -> STATEMENT_CATEGORY_* (v2).
DSA_CATEGORY = {
    "disinformation": "STATEMENT_CATEGORY_NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
    "hate_speech": "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
    "harassment": "STATEMENT_CATEGORY_CYBER_VIOLENCE",
    "violent_extremism": "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY",
    "cybercrime": "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY",
    "fraud": "STATEMENT_CATEGORY_SCAMS_AND_FRAUD",
    "privacy_leak": "STATEMENT_CATEGORY_DATA_PROTECTION_AND_PRIVACY_VIOLATIONS",
    "self_harm": "STATEMENT_CATEGORY_SELF_HARM",
    "sexual_content": "STATEMENT_CATEGORY_OTHER_VIOLATION_TC",
    "child_safety": "STATEMENT_CATEGORY_PROTECTION_OF_MINORS",
    "weapons_cbrn": "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY",
    "bias_discrimination": "STATEMENT_CATEGORY_ILLEGAL_OR_HARMFUL_SPEECH",
    "other": "STATEMENT_CATEGORY_OTHER_VIOLATION_TC",
}
DSA_SOURCE = {
    "notice": "SOURCE_ARTICLE_16",
    "trusted_flagger": "SOURCE_TRUSTED_FLAGGER",
    "other_notification": "SOURCE_TYPE_OTHER_NOTIFICATION",
    "voluntary": "SOURCE_VOLUNTARY",
}
DSA_AUTOMATED_DECISION = {
    "fully": "AUTOMATED_DECISION_FULLY",
    "partially": "AUTOMATED_DECISION_PARTIALLY",
    "not": "AUTOMATED_DECISION_NOT_AUTOMATED",
}
# Column order of the CSV export: the database's own field names.
SOR_FIELDS = (
    "puid",
    "decision_visibility",
    "decision_visibility_other",
    "decision_monetary",
    "decision_monetary_other",
    "decision_provision",
    "decision_account",
    "account_type",
    "decision_ground",
    "decision_ground_reference_url",
    "illegal_content_legal_ground",
    "illegal_content_explanation",
    "incompatible_content_ground",
    "incompatible_content_explanation",
    "incompatible_content_illegal",
    "category",
    "content_type",
    "content_date",
    "application_date",
    "end_date_visibility_restriction",
    "end_date_monetary_restriction",
    "end_date_service_restriction",
    "end_date_account_restriction",
    "territorial_scope",
    "source_type",
    "source_identity",
    "decision_facts",
    "automated_detection",
    "automated_decision",
)


def _date(value: datetime | None) -> str | None:
    return value.date().isoformat() if value else None


def _restriction(s: Sanction) -> dict[str, Any]:
    """Which of the four decision kinds a measure is, and its end date field."""
    account_subject = s.subject_type in ("account", "api_key", "deployer")
    end = _date(s.ends_at)
    out: dict[str, Any] = {
        "decision_visibility": None,
        "decision_visibility_other": None,
        "decision_monetary": None,
        "decision_monetary_other": None,
        "decision_provision": None,
        "decision_account": None,
        "end_date_visibility_restriction": None,
        "end_date_monetary_restriction": None,
        "end_date_service_restriction": None,
        "end_date_account_restriction": None,
    }
    if s.measure == "warning":
        # A warning restricts nothing; the database still wants one decision kind.
        out["decision_visibility"] = ["DECISION_VISIBILITY_OTHER"]
        out["decision_visibility_other"] = "Formal warning to the recipient; no restriction."
    elif s.measure == "rate_limit":
        out["decision_provision"] = "DECISION_PROVISION_PARTIAL_SUSPENSION"
        out["end_date_service_restriction"] = end
    elif s.measure == "suspension":
        out["decision_provision"] = "DECISION_PROVISION_TOTAL_SUSPENSION"
        out["end_date_service_restriction"] = end
        if account_subject:
            out["decision_account"] = "DECISION_ACCOUNT_SUSPENDED"
            out["end_date_account_restriction"] = end
    elif s.measure == "termination":
        out["decision_provision"] = "DECISION_PROVISION_TOTAL_TERMINATION"
        if account_subject:
            out["decision_account"] = "DECISION_ACCOUNT_TERMINATED"
    else:  # model_withdrawal: the model, not the account, leaves the service
        out["decision_provision"] = "DECISION_PROVISION_PARTIAL_TERMINATION"
        out["end_date_service_restriction"] = end
    return out


def statement_of_reasons(s: Sanction) -> dict[str, Any]:
    """One sanction as a DSA Transparency Database statement of reasons."""
    illegal = s.ground_type == "illegal"
    sor: dict[str, Any] = {"puid": s.reference}
    sor.update(_restriction(s))
    sor.update(
        {
            # End users of an AI product are private persons; deployers are businesses.
            "account_type": "ACCOUNT_TYPE_PRIVATE"
            if s.subject_type == "account"
            else "ACCOUNT_TYPE_BUSINESS",
            "decision_ground": "DECISION_GROUND_ILLEGAL_CONTENT"
            if illegal
            else "DECISION_GROUND_INCOMPATIBLE_CONTENT",
            "decision_ground_reference_url": None,
            "illegal_content_legal_ground": s.ground_reference if illegal else None,
            "illegal_content_explanation": s.ground_explanation if illegal else None,
            "incompatible_content_ground": None if illegal else s.ground_reference,
            "incompatible_content_explanation": None if illegal else s.ground_explanation,
            "incompatible_content_illegal": None if illegal else "No",
            "category": DSA_CATEGORY.get(s.category, "STATEMENT_CATEGORY_OTHER_VIOLATION_TC"),
            # What the platform acts on is text an AI model generated.
            "content_type": ["CONTENT_TYPE_SYNTHETIC_MEDIA", "CONTENT_TYPE_TEXT"],
            "content_date": _date(s.content_date or s.created_at),
            "application_date": _date(s.starts_at or s.created_at),
            "territorial_scope": list(s.territorial_scope or []) or ["EEA"],
            "source_type": DSA_SOURCE[s.source_type],
            # Notifiers stay anonymous in the export (whistleblowers among them).
            "source_identity": None,
            "decision_facts": s.facts,
            "automated_detection": "Yes" if s.automated_detection else "No",
            "automated_decision": DSA_AUTOMATED_DECISION[s.automated_decision],
        }
    )
    return sor


def _exportable(session: Session, since: datetime | None, until: datetime | None) -> Any:
    # Proposals never in force and rejected proposals are not decisions.
    stmt = (
        select(Sanction)
        .where(Sanction.status.in_(("active", "expired", "revoked", "reversed")))
        .where(Sanction.starts_at.is_not(None))
        .order_by(Sanction.starts_at, Sanction.id)
    )
    if since is not None:
        stmt = stmt.where(Sanction.starts_at >= since)
    if until is not None:
        stmt = stmt.where(Sanction.starts_at < until)
    return session.execute(stmt.execution_options(yield_per=1000)).scalars()


def export_statements(
    session: Session, *, since: datetime | None = None, until: datetime | None = None
) -> list[dict[str, Any]]:
    return [statement_of_reasons(s) for s in _exportable(session, since, until)]


# A spreadsheet reads a cell that starts with one of these as a formula (OWASP,
# "CSV Injection"); facts and grounds are typed by analysts, and a formula in an
# export would run on whoever opens it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value: Any) -> Any:
    """A CSV cell that no spreadsheet runs: text starting like a formula gets a
    leading apostrophe, which spreadsheets show as plain text. Numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return csv_safe(",".join(str(v) for v in value))
    return str(csv_safe(str(value)))


def statements_csv(statements: Iterable[dict[str, Any]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(SOR_FIELDS)
    for sor in statements:
        writer.writerow([_cell(sor.get(f)) for f in SOR_FIELDS])
    return buf.getvalue()


def transparency_report(
    session: Session, *, since: datetime | None = None, until: datetime | None = None
) -> dict[str, Any]:
    """Counts by category, measure and source; median time from report to decision;
    appeals and reversals. Over sanctions that took effect in [since, until)."""
    until = until or utcnow()

    def window(col: Any) -> list[Any]:
        clauses = [col < until]
        if since is not None:
            clauses.append(col >= since)
        return clauses

    in_force = ("active", "expired", "revoked", "reversed")
    rows = session.execute(
        select(Sanction.category, Sanction.measure, Sanction.source_type, func.count())
        .where(Sanction.status.in_(in_force), *window(Sanction.starts_at))
        .group_by(Sanction.category, Sanction.measure, Sanction.source_type)
    ).all()
    by_category: Counter[str] = Counter()
    by_measure: Counter[str] = Counter()
    by_source: Counter[str] = Counter()
    for category, measure, source, n in rows:
        by_category[category] += n
        by_measure[measure] += n
        by_source[source] += n
    automated = dict(
        session.execute(
            select(Sanction.automated_decision, func.count())
            .where(Sanction.status.in_(in_force), *window(Sanction.starts_at))
            .group_by(Sanction.automated_decision)
        ).all()
    )
    reports_received = session.execute(
        select(Report.category, func.count())
        .where(*window(Report.created_at))
        .group_by(Report.category)
    ).all()
    # Time to decision is computed in Python on the decided reports only: SQLite and
    # PostgreSQL disagree on date arithmetic, and decided reports are few.
    decided = session.execute(
        select(Report.created_at, Report.decided_at).where(
            Report.decided_at.is_not(None), *window(Report.decided_at)
        )
    ).all()
    hours = [(d - c).total_seconds() / 3600 for c, d in decided if d is not None]
    appeals = dict(
        session.execute(
            select(Appeal.status, func.count())
            .where(*window(Appeal.created_at))
            .group_by(Appeal.status)
        ).all()
    )
    sanctions_appealed = (
        session.execute(
            select(func.count(func.distinct(Appeal.sanction_id))).where(
                Appeal.sanction_id.is_not(None), *window(Appeal.created_at)
            )
        ).scalar_one()
        or 0
    )
    per_deployer = session.execute(
        select(Deployer.name, func.count())
        .join(Sanction, Sanction.deployer_id == Deployer.id)
        .where(Sanction.status.in_(in_force), *window(Sanction.starts_at))
        .group_by(Deployer.name)
    ).all()
    return {
        "period": {
            "since": since.isoformat() if since else None,
            "until": until.isoformat(),
        },
        "sanctions_total": sum(by_measure.values()),
        "sanctions_by_category": dict(sorted(by_category.items())),
        "sanctions_by_measure": dict(sorted(by_measure.items())),
        "sanctions_by_source": dict(sorted(by_source.items())),
        "sanctions_by_automation": dict(sorted(automated.items())),
        "sanctions_by_deployer": dict(sorted((n, c) for n, c in per_deployer)),
        "reports_by_category": dict(sorted((c, n) for c, n in reports_received)),
        "reports_received": sum(n for _, n in reports_received),
        "reports_decided": len(hours),
        "median_hours_report_to_decision": round(statistics.median(hours), 2) if hours else None,
        "appeals_total": sum(appeals.values()),
        "appeals_pending": appeals.get("pending", 0),
        "appeals_upheld": appeals.get("upheld", 0),
        "appeals_reversed": appeals.get("reversed", 0),
        "sanctions_appealed": int(sanctions_appealed),
    }


def transparency_csv(report: dict[str, Any]) -> str:
    """The report as long-format CSV: section, key, value (one table, any spreadsheet)."""
    buf = io.StringIO()
    writer = csv.writer(buf)
    writer.writerow(("section", "key", "value"))
    for section, value in report.items():
        if isinstance(value, dict):
            for key, v in value.items():
                writer.writerow((section, csv_safe(key), "" if v is None else csv_safe(v)))
        else:
            writer.writerow((section, "", "" if value is None else csv_safe(value)))
    return buf.getvalue()
