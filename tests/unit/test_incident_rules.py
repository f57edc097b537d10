"""The one table of serious-incident deadlines: what the sources say, and that it is whole."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from core import incident_rules as rules
from core.incident_rules import FiledReport, obligations

AWARE = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)

# Read from the texts themselves, not from the table: AI Act Art. 73(2)-(5); the GPAI
# Code of Practice, Safety and Security chapter, Measure 9.3.
FROM_THE_SOURCES = {
    ("gpai_systemic_risk", "critical_infrastructure", "initial"): 2,
    ("gpai_systemic_risk", "cybersecurity_breach", "initial"): 5,
    ("gpai_systemic_risk", "death", "initial"): 10,
    ("gpai_systemic_risk", "serious_harm", "initial"): 15,
    ("gpai_systemic_risk", None, "intermediate"): 28,
    ("gpai_systemic_risk", None, "final"): 60,
    ("high_risk", "serious_harm", "initial"): 15,
    ("high_risk", "widespread_infringement", "initial"): 2,
    ("high_risk", "critical_infrastructure", "initial"): 2,
    ("high_risk", "death", "initial"): 10,
    ("high_risk", None, "complete"): None,
}


def test_the_table_says_what_the_sources_say():
    table = {(r.profile, r.category, r.report): r.days for r in rules.DEADLINES}
    assert table == FROM_THE_SOURCES


def test_every_row_is_labelled_sourced_and_unique():
    seen = set()
    for rule in rules.DEADLINES:
        key = (rule.profile, rule.category, rule.report)
        assert key not in seen, key
        seen.add(key)
        assert rule.profile in rules.PROFILE_LABELS
        assert rule.category is None or rule.category in rules.CATEGORY_LABELS
        assert rule.report in rules.REPORT_KIND_LABELS
        assert rule.source.startswith(("AI Act Art. 73", "GPAI Code of Practice")), rule
        assert rule.counted_from in (
            rules.FROM_AWARENESS,
            rules.FROM_PREVIOUS_REPORT,
            rules.FROM_RESOLUTION,
            rules.AFTER_INCOMPLETE_INITIAL,
        )
    for profile in rules.profiles():
        for category in rules.categories(profile):
            initial = [r for r in rules.rules(profile, category) if r.report == "initial"]
            assert len(initial) == 1, (profile, category)


def test_a_new_row_is_all_it_takes_to_change_a_deadline(monkeypatch):
    changed = tuple(
        rules.DeadlineRule(r.profile, r.category, r.report, 3, r.counted_from, r.source)
        if (r.profile, r.category, r.report) == ("high_risk", "death", "initial")
        else r
        for r in rules.DEADLINES
    )
    monkeypatch.setattr(rules, "DEADLINES", changed)
    [owed] = obligations("high_risk", "death", aware_at=AWARE, filed=[], resolved_at=None)
    assert owed.due_at == AWARE + timedelta(days=3)


def test_gpai_initial_intermediate_final():
    [initial] = obligations(
        "gpai_systemic_risk", "death", aware_at=AWARE, filed=[], resolved_at=None
    )
    assert (initial.report, initial.due_at) == ("initial", AWARE + timedelta(days=10))
    sent = AWARE + timedelta(days=4)
    filed = [FiledReport("initial", sent)]
    [nxt] = obligations(
        "gpai_systemic_risk", "death", aware_at=AWARE, filed=filed, resolved_at=None
    )
    assert (nxt.report, nxt.due_at) == ("intermediate", sent + timedelta(weeks=4))
    resolved = sent + timedelta(days=9)
    [final] = obligations(
        "gpai_systemic_risk", "death", aware_at=AWARE, filed=filed, resolved_at=resolved
    )
    assert (final.report, final.due_at) == ("final", resolved + timedelta(days=60))
    filed.append(FiledReport("final", resolved))
    assert (
        obligations(
            "gpai_systemic_risk", "death", aware_at=AWARE, filed=filed, resolved_at=resolved
        )
        == []
    )


def test_resolved_before_the_initial_report_owes_both_soonest_first():
    owed = obligations(
        "gpai_systemic_risk",
        "serious_harm",
        aware_at=AWARE,
        filed=[],
        resolved_at=AWARE + timedelta(days=1),
    )
    assert [o.report for o in owed] == ["initial", "final"]


def test_high_risk_incomplete_initial_then_complete_without_a_date():
    assert rules.allows_incomplete("high_risk")
    assert not rules.allows_incomplete("gpai_systemic_risk")
    filed = [FiledReport("initial", AWARE, incomplete=True)]
    [owed] = obligations("high_risk", "serious_harm", aware_at=AWARE, filed=filed, resolved_at=None)
    assert (owed.report, owed.due_at, owed.source) == ("complete", None, "AI Act Art. 73(5)")
    complete = [FiledReport("initial", AWARE)]
    assert (
        obligations("high_risk", "serious_harm", aware_at=AWARE, filed=complete, resolved_at=None)
        == []
    )


def test_a_typo_in_the_table_fails_loudly(monkeypatch):
    broken = (rules.DeadlineRule("high_risk", "death", "initial", 10, "awarness", "AI Act"),)
    monkeypatch.setattr(rules, "DEADLINES", broken)
    with pytest.raises(ValueError, match="awarness"):
        obligations("high_risk", "death", aware_at=AWARE, filed=[], resolved_at=None)


def test_every_report_item_of_measure_9_2_is_there():
    assert list(rules.REPORT_ITEMS) == [
        "dates",
        "harm",
        "chain_of_events",
        "model",
        "model_involvement",
        "actions",
        "recommendations",
        "root_cause",
        "connected_patterns",
    ]
