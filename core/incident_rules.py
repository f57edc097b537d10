"""Serious-incident reporting under the EU AI Act: the profiles, their kinds of
incident, and the deadline of every report, as one table.

Guidance changes (the Code of Practice is revised, the Commission publishes
guidelines on Art. 73): a change of deadline is one row here. The services, the
scheduler's alerts, the dashboard and the docs all read this table; no deadline is
written anywhere else.

A deadline is counted from a moment in whole days (24 hours each): from the moment of
awareness recorded on the case, from the previous report, or from the resolution of
the incident. A row with ``days=None`` is a report the law asks for without a date.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

GPAI = "gpai_systemic_risk"
HIGH_RISK = "high_risk"

PROFILE_LABELS: dict[str, str] = {
    GPAI: "General-purpose AI model with systemic risk (AI Act Art. 55(1)(c), Code of Practice)",
    HIGH_RISK: "High-risk AI system (AI Act Art. 73)",
}

CATEGORY_LABELS: dict[str, str] = {
    "critical_infrastructure": (
        "Serious and irreversible disruption of the management or operation of critical "
        "infrastructure"
    ),
    "cybersecurity_breach": (
        "Serious cybersecurity breach (including exfiltration of model weights)"
    ),
    "death": "Death of a person",
    "serious_harm": (
        "Serious harm to health, infringement of fundamental rights, or serious harm to "
        "property or the environment"
    ),
    "widespread_infringement": "Widespread infringement (AI Act Art. 3(61))",
}

REPORT_KIND_LABELS: dict[str, str] = {
    "initial": "Initial report",
    "intermediate": "Intermediate report",
    "final": "Final report",
    "complete": "Complete report (after an incomplete initial one)",
}

# What a deadline is counted from.
FROM_AWARENESS = "awareness"
FROM_PREVIOUS_REPORT = "previous_report"  # repeats while the incident is unresolved
FROM_RESOLUTION = "resolution"
AFTER_INCOMPLETE_INITIAL = "incomplete_initial"  # owed once an initial report was incomplete

_COP = "GPAI Code of Practice, Safety and Security chapter, Commitment 9, Measure 9.3"


@dataclass(frozen=True)
class DeadlineRule:
    profile: str
    # The kind of incident this deadline applies to; None: every kind of the profile.
    category: str | None
    report: str
    days: int | None
    counted_from: str
    source: str


DEADLINES: tuple[DeadlineRule, ...] = (
    # General-purpose AI model with systemic risk.
    DeadlineRule(GPAI, "critical_infrastructure", "initial", 2, FROM_AWARENESS, f"{_COP}(1)"),
    DeadlineRule(GPAI, "cybersecurity_breach", "initial", 5, FROM_AWARENESS, f"{_COP}(2)"),
    DeadlineRule(GPAI, "death", "initial", 10, FROM_AWARENESS, f"{_COP}(3)"),
    DeadlineRule(GPAI, "serious_harm", "initial", 15, FROM_AWARENESS, f"{_COP}(4)"),
    DeadlineRule(GPAI, None, "intermediate", 28, FROM_PREVIOUS_REPORT, _COP),
    DeadlineRule(GPAI, None, "final", 60, FROM_RESOLUTION, _COP),
    # High-risk AI system.
    DeadlineRule(HIGH_RISK, "serious_harm", "initial", 15, FROM_AWARENESS, "AI Act Art. 73(2)"),
    DeadlineRule(
        HIGH_RISK, "widespread_infringement", "initial", 2, FROM_AWARENESS, "AI Act Art. 73(3)"
    ),
    DeadlineRule(
        HIGH_RISK, "critical_infrastructure", "initial", 2, FROM_AWARENESS, "AI Act Art. 73(3)"
    ),
    DeadlineRule(HIGH_RISK, "death", "initial", 10, FROM_AWARENESS, "AI Act Art. 73(4)"),
    DeadlineRule(HIGH_RISK, None, "complete", None, AFTER_INCOMPLETE_INITIAL, "AI Act Art. 73(5)"),
)

# How long the incident's records are kept, at the least; retention never deletes them.
KEEP_YEARS = 5
KEEP_SOURCE = "GPAI Code of Practice, Safety and Security chapter, Measure 9.4"

# What a report carries (Measure 9.2), in the order a reader expects them. Each is
# given, or recorded as missing with the reason; never silently blank.
REPORT_ITEMS: dict[str, str] = {
    "dates": "Start and end dates of the incident (or that it is ongoing)",
    "harm": "Resulting harm and the affected persons or groups",
    "chain_of_events": "The chain of events that led to it",
    "model": "The model involved (name and version)",
    "model_involvement": "Material on the model's involvement (besides the case's evidence)",
    "actions": "What the provider has done or intends to do",
    "recommendations": "What the provider recommends the authorities do",
    "root_cause": (
        "Root-cause analysis: the outputs, the inputs, and the safeguards that failed or "
        "were circumvented"
    ),
    "connected_patterns": (
        "Connected patterns from monitoring, including near misses (besides the case's "
        "alerts and campaigns)"
    ),
}


def profiles() -> list[str]:
    return list(dict.fromkeys(rule.profile for rule in DEADLINES))


def categories(profile: str) -> list[str]:
    """The kinds of incident a profile knows: those with an initial deadline."""
    return [
        r.category
        for r in DEADLINES
        if r.profile == profile and r.report == "initial" and r.category is not None
    ]


def rules(profile: str, category: str) -> list[DeadlineRule]:
    """The rows that apply to one incident."""
    return [r for r in DEADLINES if r.profile == profile and r.category in (None, category)]


def allows_incomplete(profile: str) -> bool:
    """Whether an initial report may be incomplete (then a complete one is owed)."""
    return any(
        r.profile == profile and r.counted_from == AFTER_INCOMPLETE_INITIAL for r in DEADLINES
    )


@dataclass(frozen=True)
class FiledReport:
    kind: str
    submitted_at: datetime
    incomplete: bool = False


@dataclass(frozen=True)
class Obligation:
    """A report still owed, when it is due (None: no date set), and why."""

    report: str
    due_at: datetime | None
    source: str


def obligations(
    profile: str,
    category: str,
    *,
    aware_at: datetime,
    filed: list[FiledReport],
    resolved_at: datetime | None,
) -> list[Obligation]:
    """Every report still owed for an incident, the soonest first (undated ones last)."""
    kinds = {f.kind for f in filed}
    owed: list[Obligation] = []
    for rule in rules(profile, category):
        start: datetime | None = None
        if rule.counted_from == FROM_AWARENESS:
            if rule.report in kinds:
                continue
            start = aware_at
        elif rule.counted_from == FROM_PREVIOUS_REPORT:
            # Owed while the incident is unresolved, once the first report is in.
            if resolved_at is not None or not filed or "final" in kinds:
                continue
            start = max(f.submitted_at for f in filed)
        elif rule.counted_from == FROM_RESOLUTION:
            if resolved_at is None or rule.report in kinds:
                continue
            start = resolved_at
        elif rule.counted_from == AFTER_INCOMPLETE_INITIAL:
            if rule.report in kinds or not any(f.incomplete for f in filed):
                continue
        else:  # a row of the table with a typo: fail loudly, not silently skip it
            raise ValueError(f"unknown counted_from {rule.counted_from!r}")
        due = None if start is None or rule.days is None else start + timedelta(days=rule.days)
        owed.append(Obligation(report=rule.report, due_at=due, source=rule.source))
    return sorted(owed, key=lambda o: (o.due_at is None, o.due_at or aware_at))


class _Filed(Protocol):
    kind: str
    submitted_at: datetime
    incomplete: bool


class _Incident(Protocol):
    profile: str
    category: str
    aware_at: datetime
    resolved_at: datetime | None

    @property
    def reports(self) -> Sequence[_Filed]: ...


def owed(incident: _Incident) -> list[Obligation]:
    """``obligations`` of a stored incident (``core.models.Incident``)."""
    return obligations(
        incident.profile,
        incident.category,
        aware_at=incident.aware_at,
        filed=[FiledReport(r.kind, r.submitted_at, r.incomplete) for r in incident.reports],
        resolved_at=incident.resolved_at,
    )
