import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from analytics.anomaly import rank_alerts
from core.models import AuditEvent
from core.services.detection import new_alerts, save_alerts


def _alert(subject="group:7", start=datetime(2026, 11, 20, 12, tzinfo=UTC)):
    return {
        "subject_type": "group",
        "subject_id": subject,
        "window_start": start,
        "window_end": start + timedelta(hours=6),
        "score": 3.2,
        "features": {"volume": 320.0},
        "explanation": "volume 320 vs median 13",
    }


def test_alert_is_raised_once_per_subject_and_window(db):
    with db.session_scope() as s:
        assert save_alerts(s, [_alert()]) == 1
        assert save_alerts(s, [_alert(), _alert("group:8")]) == 1
        s.commit()


def test_alert_lifecycle_through_the_cli(db, runner):
    with db.session_scope() as s:
        save_alerts(s, [_alert()])
        s.commit()
    listed = json.loads(runner.invoke("alerts", "list", "--json").output)
    assert [a["status"] for a in listed] == ["open"]
    alert_id = str(listed[0]["id"])
    refused = runner.invoke("alerts", "set-status", alert_id, "dismissed")
    assert refused.exit_code == 1 and "Say why" in refused.output
    assert runner.invoke("alerts", "set-status", alert_id, "acknowledged").exit_code == 0
    done = runner.invoke(
        "alerts",
        "set-status",
        alert_id,
        "dismissed",
        "--reason",
        "a product launch, not a campaign",
    )
    assert done.exit_code == 0
    listed = json.loads(runner.invoke("alerts", "list", "--json").output)
    assert listed[0]["status"] == "dismissed"
    assert listed[0]["status_reason"] == "a product launch, not a campaign"
    with db.session_scope() as s:
        actions = list(s.execute(select(AuditEvent.action)).scalars())
    assert actions.count("alert.status") == 2


def test_a_run_proposes_only_alerts_not_raised_before(db):
    """The cap on new alerts per run counts new ones: an alert raised by an earlier run
    for the same subject and window is not proposed again."""
    with db.session_scope() as s:
        save_alerts(s, [_alert("group:7")])
        s.commit()
    with db.session_scope() as s:
        fresh = new_alerts(s, [_alert("group:7"), _alert("group:8")])
    assert [a["subject_id"] for a in fresh] == ["group:8"]


def test_a_run_raises_the_most_anomalous_alerts_up_to_its_cap():
    proposed = [
        {**_alert(f"group:{n}"), "score": score}
        for n, score in enumerate([1.0, 5.0, 3.0, 5.0, 0.5])
    ]
    kept = rank_alerts(proposed, 3)
    # Highest score first; equal scores in subject order, so reruns agree.
    assert [(a["subject_id"], a["score"]) for a in kept] == [
        ("group:1", 5.0),
        ("group:3", 5.0),
        ("group:2", 3.0),
    ]
    assert rank_alerts(proposed, 0) == []
    assert len(rank_alerts(proposed, 50)) == 5
