"""Serious incidents (EU AI Act): the clock, frozen reports, deadline alerts, retention,
the report form's flag and the exports, through the services, the API and the job."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, text

from core.exceptions import Conflict, Forbidden, ValidationFailed
from core.models import (
    Alert,
    AuditEvent,
    CaseEvent,
    EvidenceHold,
    Incident,
    IncidentReport,
    LogRecord,
    User,
)
from core.queries.incidents import incident_dict, open_incidents
from core.services import cases, clients, retention
from core.services import incidents as service
from core.services.incidents import ItemIn
from core.services.logs import ingest_log_batch
from factories import log_record, report_payload
from ingest.validation import parse_log_record
from jobs.scheduler import run_job
from jobs.specs import get_job
from security_support import login, make_user

AWARE = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


def _user(s, email="ana@example.org") -> User:
    return s.execute(select(User).where(User.email == email)).scalar_one()


def _all_items(**overrides: ItemIn) -> dict[str, ItemIn]:
    items = {
        "dates": ItemIn("Started 2026-11-01, ongoing"),
        "harm": ItemIn("Model weights of a partner copied by an intruder"),
        "chain_of_events": ItemIn(missing_reason="Forensics still running"),
        "model": ItemIn("example-chat 2.1"),
        "model_involvement": ItemIn("The model wrote the exfiltration script"),
        "actions": ItemIn("Keys rotated, accounts suspended"),
        "recommendations": ItemIn(missing_reason="Not known before the forensic report"),
        "root_cause": ItemIn(missing_reason="Under analysis"),
        "connected_patterns": ItemIn("Two near misses last month, see the alerts"),
    }
    items.update(overrides)
    return items


@pytest.fixture
def case_id(db) -> int:
    make_user(db, "ana@example.org", "analyst")
    with db.session_scope() as s:
        case = cases.open_case(s, title="Weights leak", origin_type="manual", user=_user(s))
        return case.id


def _declare(db, case_id, category="cybersecurity_breach", profile="gpai_systemic_risk"):
    with db.session_scope() as s:
        service.declare_incident(
            s,
            case_id,
            user=_user(s),
            profile=profile,
            category=category,
            aware_at=AWARE,
            now=AWARE + timedelta(hours=1),
        )


def test_gpai_clock_initial_then_every_four_weeks_then_final(db, case_id):
    _declare(db, case_id)
    with db.session_scope() as s:
        view = incident_dict(s, case_id, now=AWARE + timedelta(hours=1))
        assert view["next"]["report"] == "initial"
        assert view["next"]["due_at"] == (AWARE + timedelta(days=5)).isoformat()
        assert "Measure 9.3(2)" in view["next"]["source"]

        sent = AWARE + timedelta(days=3)
        report = service.submit_report(
            s, case_id, user=_user(s), kind="initial", items=_all_items(), now=sent
        )
        assert report.number == 1
        view = incident_dict(s, case_id, now=sent)
        assert [o["report"] for o in view["owed"]] == ["intermediate"]
        assert view["next"]["due_at"] == (sent + timedelta(days=28)).isoformat()
        assert view["reports"][0]["missing"] == [
            "The chain of events that led to it",
            "What the provider recommends the authorities do",
            "Root-cause analysis: the outputs, the inputs, and the safeguards that failed or "
            "were circumvented",
        ]
        # An intermediate report restarts the four weeks.
        later = sent + timedelta(days=20)
        service.submit_report(
            s, case_id, user=_user(s), kind="intermediate", items=_all_items(), now=later
        )
        assert (
            incident_dict(s, case_id, now=later)["next"]["due_at"]
            == (later + timedelta(days=28)).isoformat()
        )

        resolved = later + timedelta(days=2)
        service.resolve_incident(s, case_id, user=_user(s), resolved_at=resolved, now=resolved)
        view = incident_dict(s, case_id, now=resolved)
        assert view["status"] == "resolved"
        assert [o["report"] for o in view["owed"]] == ["final"]
        assert view["next"]["due_at"] == (resolved + timedelta(days=60)).isoformat()
        with pytest.raises(ValidationFailed, match="Not owed now"):
            service.submit_report(
                s, case_id, user=_user(s), kind="intermediate", items=_all_items(), now=resolved
            )
        service.submit_report(
            s, case_id, user=_user(s), kind="final", items=_all_items(), now=resolved
        )
        assert s.execute(select(Incident.status)).scalar_one() == "closed"
        assert open_incidents(s, now=resolved) == []
        events = list(
            s.execute(
                select(CaseEvent.body).where(CaseEvent.kind == "incident").order_by(CaseEvent.id)
            ).scalars()
        )
    assert "declared a serious incident" in events[0] and "initial report due" in events[0]
    assert "Initial report submitted, 3 item(s) missing" in events[1]
    assert events[-1].endswith("nothing more is owed")


def test_high_risk_incomplete_initial_owes_a_complete_report(db, case_id):
    _declare(db, case_id, category="death", profile="high_risk")
    with db.session_scope() as s:
        view = incident_dict(s, case_id, now=AWARE)
        assert view["next"]["due_at"] == (AWARE + timedelta(days=10)).isoformat()
        assert view["next"]["source"] == "AI Act Art. 73(4)"
        service.submit_report(
            s,
            case_id,
            user=_user(s),
            kind="initial",
            items=_all_items(),
            incomplete=True,
            now=AWARE + timedelta(days=1),
        )
        view = incident_dict(s, case_id, now=AWARE + timedelta(days=1))
        assert view["next"] == {**view["next"], "report": "complete", "due_at": None}


def test_bad_input_is_refused_field_by_field_and_nothing_is_stored(db, case_id):
    with db.session_scope() as s:
        user = _user(s)
        with pytest.raises(ValidationFailed) as err:
            service.declare_incident(
                s, case_id, user=user, profile="gpai_systemic_risk", category="death",
                aware_at=datetime.now(UTC) + timedelta(days=2),
            )  # fmt: skip
        assert err.value.errors == {"aware_at": "The moment of awareness cannot be in the future."}
        with pytest.raises(ValidationFailed) as err:
            service.declare_incident(
                s, case_id, user=user, profile="gpai_systemic_risk",
                category="widespread_infringement", aware_at=AWARE,
            )  # fmt: skip
        assert "category" in err.value.errors
        assert s.execute(select(func.count()).select_from(Incident)).scalar_one() == 0
    _declare(db, case_id)
    with db.session_scope() as s:
        with pytest.raises(Conflict, match="already declared"):
            service.declare_incident(
                s, case_id, user=_user(s), profile="high_risk", category="death", aware_at=AWARE
            )
        before = s.execute(select(func.count()).select_from(AuditEvent)).scalar_one()
        items = _all_items(harm=ItemIn(), actions=ItemIn("x\x00y"))
        with pytest.raises(ValidationFailed) as err:
            service.submit_report(s, case_id, user=_user(s), kind="initial", items=items)
        assert err.value.errors == {
            "harm": "Give this item, or say why it is missing.",
            "actions": "Must not contain NUL characters (\\u0000).",
        }
        with pytest.raises(ValidationFailed, match="high-risk"):
            service.submit_report(
                s, case_id, user=_user(s), kind="initial", items=_all_items(), incomplete=True
            )
        with pytest.raises(ValidationFailed, match="reason"):
            service.set_awareness(s, case_id, AWARE - timedelta(days=1), reason=" ", user=_user(s))
        assert s.execute(select(func.count()).select_from(IncidentReport)).scalar_one() == 0
        assert s.execute(select(func.count()).select_from(AuditEvent)).scalar_one() == before


def test_a_crash_while_freezing_a_report_leaves_nothing_half_written(db, case_id, monkeypatch):
    _declare(db, case_id)

    def broken_timeline(*args, **kwargs):
        raise RuntimeError("disk full")

    # The last write of the submission: the report row and its audit entry are flushed.
    monkeypatch.setattr(service, "case_event", broken_timeline)
    with db.session_scope() as s:
        audited = s.execute(select(func.count()).select_from(AuditEvent)).scalar_one()
    with db.session_scope() as s, pytest.raises(RuntimeError):
        service.submit_report(s, case_id, user=_user(s), kind="initial", items=_all_items())
    with db.session_scope() as s:
        assert s.execute(select(func.count()).select_from(IncidentReport)).scalar_one() == 0
        assert s.execute(select(func.count()).select_from(AuditEvent)).scalar_one() == audited
        assert incident_dict(s, case_id)["next"]["report"] == "initial"


def test_awareness_changes_only_with_a_reason_and_moves_the_clock(db, case_id):
    _declare(db, case_id)
    earlier = AWARE - timedelta(days=2)
    with db.session_scope() as s:
        service.set_awareness(
            s, case_id, earlier, reason="The deployer told us on the 31st", user=_user(s)
        )
        assert (
            incident_dict(s, case_id)["next"]["due_at"] == (earlier + timedelta(days=5)).isoformat()
        )
        entry = s.execute(
            select(AuditEvent).where(AuditEvent.action == "incident.awareness")
        ).scalar_one()
        assert entry.before == {"aware_at": AWARE.isoformat()}
        assert entry.after["reason"] == "The deployer told us on the 31st"
        timeline = s.execute(select(CaseEvent.body).order_by(CaseEvent.id.desc())).scalars()
        assert "The deployer told us on the 31st" in next(iter(timeline))


def test_a_submitted_report_is_frozen_with_its_hash_in_the_audit_chain(db, case_id, runner):
    _declare(db, case_id)
    with db.session_scope() as s:
        report = service.submit_report(
            s, case_id, user=_user(s), kind="initial", items=_all_items()
        )
        exported = service.export_report(s, case_id, report.number, actor="test")
    canonical = json.dumps(
        exported["content"], sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    assert hashlib.sha256(canonical.encode()).hexdigest() == exported["sha256"]
    with db.session_scope() as s:
        event = s.get(AuditEvent, exported["audit"]["event_id"])
        assert event.action == "incident.report" and event.after["sha256"] == exported["sha256"]
    assert runner.invoke("audit", "verify").exit_code == 0
    # Someone edits the stored report: the export refuses it rather than pass it off.
    with db.engine.begin() as conn:
        content = json.dumps({**exported["content"], "items": {}})
        conn.execute(text("UPDATE incident_report SET content = :c"), {"c": content})
    with db.session_scope() as s, pytest.raises(Conflict, match="changed after it was submitted"):
        service.export_report(s, case_id, 1, actor="test")


def test_the_job_warns_a_day_ahead_and_when_a_deadline_passes(db, case_id):
    _declare(db, case_id)
    due = AWARE + timedelta(days=5)
    with db.session_scope() as s:
        assert service.raise_deadline_alerts(s, now=due - timedelta(days=2)) == {
            "due_soon": 0,
            "overdue": 0,
        }
        assert service.raise_deadline_alerts(s, now=due - timedelta(hours=3))["due_soon"] == 1
        # Raised once, however often the job runs.
        assert service.raise_deadline_alerts(s, now=due - timedelta(hours=2))["due_soon"] == 0
        assert service.raise_deadline_alerts(s, now=due + timedelta(minutes=1))["overdue"] == 1
        alerts = s.execute(select(Alert).order_by(Alert.id)).scalars().all()
        assert [a.features["overdue"] for a in alerts] == [False, True]
        assert "in less than a day" in alerts[0].explanation
        assert "has not been submitted" in alerts[1].explanation
        assert all(a.subject_id == f"case:{case_id}/initial" for a in alerts)
        service.submit_report(s, case_id, user=_user(s), kind="initial", items=_all_items())
        assert set(s.execute(select(Alert.status)).scalars()) == {"acknowledged"}


def test_the_scheduled_job_raises_the_overdue_alert(db, case_id):
    """Through the job table, with the real clock: an awareness six days ago."""
    with db.session_scope() as s:
        service.declare_incident(
            s,
            case_id,
            user=_user(s),
            profile="gpai_systemic_risk",
            category="cybersecurity_breach",
            aware_at=datetime.now(UTC) - timedelta(days=6),
        )
    assert run_job(db, get_job("incidents"))
    with db.session_scope() as s:
        alert = s.execute(select(Alert)).scalar_one()
        assert alert.subject_type == "incident" and alert.features["overdue"] is True


def test_retention_and_purge_never_delete_an_incident_or_its_evidence(db, case_id, analyzer):
    now = datetime.now(UTC)
    with db.session_scope() as s:
        deployer, _ = clients.create_deployer(
            s, "acme", retention_days=30, secret_key="k", actor="t"
        )
        old = (now - timedelta(days=40)).isoformat()
        records = [(i, parse_log_record(log_record(i, timestamp=old))) for i in range(3)]
        ingest_log_batch(s, deployer.id, records, analyzer=analyzer)
        evidence = s.execute(select(LogRecord.id).order_by(LogRecord.id)).scalars().first()
        cases.link_items(s, case_id, [("log", evidence)], user=_user(s))
    _declare(db, case_id)
    with db.session_scope() as s:
        service.submit_report(s, case_id, user=_user(s), kind="initial", items=_all_items())
        # Six years on: past the five years records must be kept at the least.
        retention.apply_retention(s, now=now + timedelta(days=6 * 366))
        assert s.execute(select(LogRecord.id)).scalars().all() == [evidence]
        retention.purge_deployer(s, "acme", actor="t", include_evidence=True)
        assert s.execute(select(LogRecord.id)).scalars().all() == [evidence]
        assert s.execute(select(func.count()).select_from(IncidentReport)).scalar_one() == 1
        assert s.execute(select(func.count()).select_from(EvidenceHold)).scalar_one() == 1


def test_a_report_flagged_serious_comes_first_in_triage(client, db):
    from core.queries.reports import triage_page

    for n in range(2):
        resp = client.post("/api/v1/reports", json=report_payload(output=f"plain {n}"))
        assert resp.status_code == 201
    flagged = client.post(
        "/api/v1/reports", json=report_payload(output="grid", serious_incident=True)
    )
    assert flagged.status_code == 201
    refused = client.post("/api/v1/reports", json=report_payload(serious_incident="yes"))
    assert refused.status_code == 400 and "serious_incident" in refused.get_json()["errors"]
    with db.session_scope() as s:
        rows = triage_page(s)["rows"]
    assert rows[0]["id"] == flagged.get_json()["id"] and rows[0]["serious_incident"]
    assert [r["serious_incident"] for r in rows[1:]] == [False, False]


def test_exports_need_a_login_and_give_json_and_printable_html(client, db, case_id):
    _declare(db, case_id)
    with db.session_scope() as s:
        service.submit_report(s, case_id, user=_user(s), kind="initial", items=_all_items())
    url = f"/api/v1/cases/{case_id}/incident/reports/1"
    assert client.get(url).status_code == 401
    assert login(client, "ana@example.org").status_code == 303
    answer = client.get(url)
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["content"]["items"]["root_cause"] == {
        "label": "Root-cause analysis: the outputs, the inputs, and the safeguards that "
        "failed or were circumvented",
        "missing": "Under analysis",
    }
    page = client.get(url + "?format=html")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert body["sha256"] in html and "<strong>Missing:</strong> Under analysis" in html
    assert client.get(url + "?format=pdf").status_code == 400
    assert client.get(f"/api/v1/cases/{case_id}/incident/reports/9").status_code == 404
    with db.session_scope() as s:
        exports = s.execute(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "incident.export")
        ).scalar_one()
    assert exports == 2


def test_a_locked_account_declares_nothing(db, case_id):
    with db.session_scope() as s:
        locked = _user(s)
        locked.active = False
        with pytest.raises(Forbidden):
            service.declare_incident(
                s, case_id, user=locked, profile="high_risk", category="death", aware_at=AWARE
            )
        s.rollback()
        assert s.execute(select(func.count()).select_from(Incident)).scalar_one() == 0


def test_the_incident_pages_need_an_analyst(client, db, case_id):
    page = client.get("/dashboard/incidents")
    assert page.status_code == 302 and "/login" in page.headers["Location"]
    assert login(client, "ana@example.org").status_code == 303
    assert client.get("/dashboard/incidents").status_code == 200
