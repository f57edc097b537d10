"""The services behind issue-17's pages, on both stores: leads from alerts, decisions
in words, duplicates, guarded de-escalation, one-time form tokens, compression."""

from __future__ import annotations

import gzip
import re
from datetime import UTC, datetime, timedelta

import brotli
import pytest
from sqlalchemy import select

from core.exceptions import ValidationFailed
from core.models import Campaign, CaseEvent, JobRun, LogRecord, Report, TextBlob, User
from core.queries import alerts as alert_queries
from core.queries import subjects
from core.services import cases as case_service
from core.services import clients, grouping
from core.services import detection as detection_service
from core.services import reports as report_service
from core.services import users as user_service
from core.services.detection import CampaignCandidate, save_alerts, save_campaigns
from factories import log_record, report_payload

PASSWORD = "correct horse battery staple"
LURE = "Your parcel is held at the depot. Pay the release fee today or it goes back."


@pytest.fixture
def seeded(app, db):
    """Two accounts posting one lure, grouped; a report of it; an alert; a campaign."""
    with db.session_scope() as s:
        user_service.create_user(s, "ana@example.org", PASSWORD, role="analyst", actor="t")
        _, issued = clients.create_deployer(
            s, "acme ai/eu", retention_days=3650, secret_key=db.settings.secret_key, actor="t"
        )
    client = app.test_client()
    rows = [log_record(n, response=LURE, account_id=f"u/{n % 2}") for n in range(1, 7)]
    rows.append(log_record(7, response="A recipe for bread.", account_id="u/0"))
    assert (
        client.post(
            "/api/v1/logs", json=rows, headers={"Authorization": f"Bearer {issued.key}"}
        ).status_code
        == 200
    )
    ids = []
    for output in (LURE, LURE, "Something else entirely, said at length."):
        resp = client.post("/api/v1/reports", json=report_payload(output=output))
        ids.append(resp.get_json()["id"])
    with db.session_scope() as s:
        lure = s.execute(select(TextBlob.id).where(TextBlob.masked_text == LURE)).scalar_one()
        others = [i for i in s.execute(select(TextBlob.id)).scalars() if i != lure]
        groups = grouping.new_group_ids(s, 1 + len(others))
        job = JobRun(job="group", status="ok")
        s.add(job)
        s.flush()
        grouping.write_placements(
            s,
            [grouping.PlacementRow(lure, groups[0], None, 0, 0)]
            + [
                grouping.PlacementRow(t, g, None, 1, 1)
                for t, g in zip(others, groups[1:], strict=True)
            ],
            run_id=job.id,
            replace_all=True,
        )
        grouping.refresh_stats(s)
        deployer_id = s.execute(select(LogRecord.deployer_id).limit(1)).scalar_one()
        logs = list(
            s.execute(select(LogRecord.id).where(LogRecord.response_text_id == lure)).scalars()
        )
        start = datetime(2026, 11, 20, 12, tzinfo=UTC)
        [campaign] = save_campaigns(
            s,
            [
                CampaignCandidate(
                    score=1.0,
                    accounts=[(deployer_id, "u/0", 3), (deployer_id, "u/1", 3)],
                    log_ids=logs,
                    report_ids=ids[:2],
                    first_seen=start,
                    last_seen=start + timedelta(minutes=5),
                    explanation="2 accounts",
                    keywords=["parcel"],
                )
            ],
            match=lambda old, new: {},
        )
        save_alerts(
            s,
            [
                {
                    "subject_type": subject,
                    "subject_id": key,
                    "window_start": start,
                    "window_end": start + timedelta(hours=6),
                    "score": 3.0,
                    "features": {},
                    "explanation": "volume",
                }
                for subject, key in (
                    ("group", str(groups[0])),
                    ("account", f"{deployer_id}/u/1"),
                    ("account", f"reports/public:{ids[2]}"),
                )
            ],
        )
        s.commit()
    return {"group": groups[0], "campaign": campaign, "reports": ids, "logs": logs}


def test_alerts_lead_to_their_subjects_and_the_campaigns_they_feed(db, seeded):
    with db.session_scope() as s:
        rows = alert_queries.alerts_page(s, limit=10)["rows"]
        leads = subjects.alert_leads(s, rows)
    by_subject = {(a["subject_type"], a["subject_id"]): leads[a["id"]] for a in rows}
    group = next(v for (t, _), v in by_subject.items() if t == "group")
    assert group["kind"] == "group" and group["group_id"] == seeded["group"]
    assert group["campaigns"] == [seeded["campaign"]]
    account = next(v for (t, k), v in by_subject.items() if k.endswith("/u/1"))
    assert (account["kind"], account["deployer"], account["account_id"]) == (
        "account",
        "acme ai/eu",
        "u/1",
    )
    assert account["campaigns"] == [seeded["campaign"]]
    public = next(v for (t, k), v in by_subject.items() if "public:" in k)
    assert public == {"kind": "report", "report_id": seeded["reports"][2], "campaigns": []}


def test_group_account_and_log_pages_read_what_involves_them(db, seeded):
    with db.session_scope() as s:
        g = subjects.group_detail(s, seeded["group"])
        assert (g["log_samples"], g["reports"]) == (6, 2)
        assert [c["id"] for c in g["campaigns"]] == [seeded["campaign"]]
        assert len(g["alerts"]) == 1
        assert {r["id"] for r in g["report_rows"]} == set(seeded["reports"][:2])
        items = subjects.group_items(s, seeded["group"], limit=5)
        assert items["total"] == 8 and len(items["rows"]) == 5
        assert {r["kind"] for r in subjects.group_items(s, seeded["group"], limit=8)["rows"]} == {
            "log",
            "report",
        }
        a = subjects.account_detail(s, "acme ai/eu", "u/0")
        assert a["log_samples"] == 4
        assert a["groups"][0]["id"] == seeded["group"]
        assert [c["id"] for c in a["campaigns"]] == [seeded["campaign"]]
        assert subjects.account_logs(s, a["deployer_id"], "u/0", limit=2)["total"] == 4
        log = subjects.log_detail(s, seeded["logs"][0])
        assert log["group"]["id"] == seeded["group"] and log["exact_copies"] == 5
        assert [c["id"] for c in log["campaigns"]] == [seeded["campaign"]]
        assert report_service
        with pytest.raises(Exception, match="no account"):
            subjects.account_detail(s, "acme ai/eu", "nobody")


def test_account_pages_take_encoded_deployer_and_account(app, client, db, seeded):
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post(
        "/login", data={"email": "ana@example.org", "password": PASSWORD, "csrf_token": token}
    )
    resp = client.get("/dashboard/accounts/acme%20ai%2Feu/u%2F0")
    assert resp.status_code == 200
    assert "<title>Account u/0 at acme ai/eu · MisuseWatch dashboard</title>" in resp.get_data(
        as_text=True
    )


def test_a_decision_needs_a_reason_and_reaches_the_duplicates(db, seeded, analyzer):
    first, second, other = seeded["reports"]
    with db.session_scope() as s:
        assert report_service.mark_duplicates(s, first, [second], actor="user:ana") == 1
        with pytest.raises(ValidationFailed, match="Tell the reporter why"):
            report_service.set_report_status(s, first, "no_action", actor="user:ana")
        s.rollback()
        report_service.set_report_status(
            s,
            first,
            "no_action",
            actor="user:ana",
            reason="It quotes a known test message; write to reporter@example.org.",
            analyzer=analyzer,
        )
    with db.session_scope() as s:
        one, two, three = (s.get(Report, i) for i in (first, second, other))
        assert one.status == two.status == "no_action"
        # Masked like every free text; the duplicate hears the same.
        assert "[EMAIL]" in one.decision_reason and two.decision_reason == one.decision_reason
        assert three.status == "received" and three.decision_reason is None
        view = report_service.follow_up_view(s, second)
        assert view.appealable and view.decision_reason == one.decision_reason
        # A report marked later follows the decision at once.
        report_service.mark_duplicates(s, second, [other], actor="user:ana")
    with db.session_scope() as s:
        three = s.get(Report, other)
        assert three.duplicate_of_id == first and three.status == "no_action"
        with pytest.raises(ValidationFailed):
            report_service.mark_duplicates(s, first, [first], actor="user:ana")


def test_an_escalated_campaign_steps_back_only_with_a_reason_on_its_case(db, seeded):
    with db.session_scope() as s:
        ana = s.execute(select(User)).scalar_one()
        case = case_service.open_case(
            s, title="Lure", origin_type="campaign", origin_id=seeded["campaign"], user=ana
        )
        with pytest.raises(ValidationFailed, match=f"escalated to case {case.id}"):
            detection_service.set_campaign_status(
                s, seeded["campaign"], "acknowledged", actor="user:ana"
            )
        s.rollback()
        assert s.get(Campaign, seeded["campaign"]).status == "escalated"
        detection_service.set_campaign_status(
            s, seeded["campaign"], "acknowledged", actor="user:ana", reason="Accounts removed."
        )
        bodies = s.execute(select(CaseEvent.body).where(CaseEvent.case_id == case.id)).scalars()
        assert any("from escalated to acknowledged: Accounts removed." in b for b in bodies)


def _login(client) -> None:
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post(
        "/login", data={"email": "ana@example.org", "password": PASSWORD, "csrf_token": token}
    )


def test_static_files_are_compressed_once_and_cached(app, client, db, seeded):
    _login(client)
    page = client.get("/dashboard/").get_data(as_text=True)
    script = next(s for s in re.findall(r'src="([^"]+)"', page) if "dash_core_components.v" in s)
    plain = client.get(script)
    assert "Content-Encoding" not in plain.headers and plain.status_code == 200
    br = client.get(script, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert br.headers["Content-Encoding"] == "br"
    assert brotli.decompress(br.data) == plain.data
    assert len(br.data) < len(plain.data) / 3
    assert "Accept-Encoding" in br.headers["Vary"]
    gz = client.get(script, headers={"Accept-Encoding": "gzip"})
    assert gz.headers["Content-Encoding"] == "gzip" and gzip.decompress(gz.data) == plain.data
    refused = client.get(script, headers={"Accept-Encoding": "br;q=0, gzip;q=0"})
    assert "Content-Encoding" not in refused.headers
    # Fingerprinted: a year; Dash's unversioned chunks: an hour, then the ETag.
    assert br.headers["Cache-Control"].count("max-age=31536000") == 1
    chunk = client.get("/dashboard/_dash-component-suites/dash/dcc/async-graph.js")
    assert "max-age=3600" in chunk.headers["Cache-Control"]
    with client.get("/favicon.ico") as icon:
        assert icon.status_code == 200 and icon.mimetype.startswith("image/")


def test_an_analyst_gets_the_audit_page_refused_inside_the_dashboard(client, db, seeded):
    _login(client)
    resp = client.get("/dashboard/audit")
    # The dashboard's own page (navigation and all), with a 403 status.
    assert resp.status_code == 403
    assert "_dash-renderer" in resp.get_data(as_text=True)
