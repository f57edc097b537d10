"""Cases, sanctions, enforcement at ingest, the deployers' feed, appeals, expiry."""

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, func, select

from core.exceptions import Conflict, Forbidden, NotFound, ValidationFailed
from core.models import (
    AuditEvent,
    CaseEvent,
    EvidenceHold,
    LogRecord,
    Report,
    Sanction,
    WebhookAttempt,
    WebhookDelivery,
)
from core.queries import cases as case_queries
from core.queries import sanctions as sanction_queries
from core.services import appeals, cases, clients, sanctions, webhooks
from core.services import users as user_service
from core.services.audit import verify_chain
from core.services.reports import set_report_status, submit_report
from factories import log_record, report_payload
from ingest.reports import parse_report

PASSWORD = "correct horse battery staple"
SOR = {
    "category": "disinformation",
    "ground_type": "terms",
    "ground_reference": "Acceptable use policy, section 3 (election integrity)",
    "ground_explanation": "Mass production of false polling-time claims.",
    "facts": "412 near-identical texts from 38 accounts within 3 hours.",
    "automated_detection": True,
    "automated_decision": "not",
    "source_type": "voluntary",
    "territorial_scope": ["DE", "FR"],
}


def _users(db):
    with db.session_scope() as s:
        out = {}
        for email, role in (
            ("ana@example.org", "analyst"),
            ("bob@example.org", "analyst"),
            ("sue@example.org", "supervisor"),
            ("max@example.org", "supervisor"),
        ):
            out[email.split("@")[0]] = user_service.create_user(
                s, email, PASSWORD, role=role, actor="test"
            ).id
    return out


def _user(s, uid):
    from core.models import User

    return s.get(User, uid)


def _deployer(db, name="acme"):
    with db.session_scope() as s:
        dep, issued = clients.create_deployer(
            s, name, retention_days=30, secret_key=db.settings.secret_key, actor="test"
        )
        return dep.id, issued.key, issued.id


def _auth(key):
    return {"Authorization": f"Bearer {key}"}


def _report(db, analyzer):
    parsed = parse_report(report_payload())
    with db.session_scope() as s:
        r = submit_report(
            s, parsed, analyzer=analyzer, secret_key=db.settings.secret_key, source="api"
        )
    return r.id, r.receipt


def _case(db, uid, items=(), origin="manual", origin_id=None):
    with db.session_scope() as s:
        return cases.open_case(
            s,
            title="Election hoax",
            origin_type=origin,
            origin_id=origin_id,
            items=list(items),
            user=_user(s, uid),
        ).id


def _propose(db, uid, case_id, **kw):
    args = {**SOR, **kw}
    with db.session_scope() as s:
        return sanctions.propose_sanction(s, case_id, user=_user(s, uid), **args).id


def _count(db, model):
    with db.session_scope() as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


def test_warning_takes_effect_at_once_and_decides_the_case_and_its_reports(db, analyzer):
    u = _users(db)
    dep_id, _, _ = _deployer(db)
    report_id, _ = _report(db, analyzer)
    case_id = _case(db, u["ana"], items=[("report", report_id)], origin="reports")
    sid = _propose(
        db,
        u["ana"],
        case_id,
        subject_type="account",
        deployer_id=dep_id,
        account_id="acct-1",
        measure="warning",
    )
    with db.session_scope() as s:
        sanction = s.get(Sanction, sid)
        assert sanction.status == "active" and sanction.starts_at is not None
        assert re.fullmatch(r"SR-[0-9A-Z]{10}", sanction.reference)
        report = s.get(Report, report_id)
        assert report.status == "action_taken" and report.decided_at is not None
        detail = case_queries.case_dict(s, case_id)
    assert detail["status"] == "decided"
    kinds = [e["kind"] for e in detail["events"]]
    assert kinds[:2] == ["opened", "link"] and "sanction" in kinds and "status" in kinds
    assert detail["sanctions"][0]["subject"]["label"] == "account acct-1 at acme"


def test_a_suspension_needs_another_supervisor_and_then_bars_the_deployer(client, db):
    u = _users(db)
    dep_id, key, _ = _deployer(db)
    assert client.post("/api/v1/logs", json=[log_record(1)], headers=_auth(key)).status_code == 200
    case_id = _case(db, u["sue"])
    sid = _propose(
        db,
        u["sue"],
        case_id,
        subject_type="deployer",
        deployer_id=dep_id,
        measure="suspension",
        ends_at=datetime.now(UTC) + timedelta(days=30),
    )
    with db.session_scope() as s:
        assert s.get(Sanction, sid).status == "proposed"
    # Proposed is not in force yet.
    assert client.post("/api/v1/logs", json=[log_record(2)], headers=_auth(key)).status_code == 200
    with db.session_scope() as s:
        with pytest.raises(Forbidden, match="other than its proposer"):
            sanctions.approve_sanction(s, sid, user=_user(s, u["sue"]))
        with pytest.raises(Forbidden, match="supervisor"):
            sanctions.approve_sanction(s, sid, user=_user(s, u["ana"]))
        sanctions.approve_sanction(s, sid, user=_user(s, u["max"]))
        ref = s.get(Sanction, sid).reference
    refused = client.post("/api/v1/logs", json=[log_record(3)], headers=_auth(key))
    assert refused.status_code == 403
    assert ref in str(refused.get_json()["errors"])
    with db.session_scope() as s:
        assert (
            s.execute(
                select(func.count()).select_from(LogRecord).where(LogRecord.external_id == "rec-3")
            ).scalar_one()
            == 0
        )
    # The deployer can still read why it is barred.
    feed = client.get("/api/v1/sanctions", headers=_auth(key))
    assert feed.status_code == 200
    body = feed.get_json()
    assert body["deployer"] == "acme"
    assert [x["reference"] for x in body["sanctions"]] == [ref]
    assert "proposed_by" not in body["sanctions"][0] and "case_id" not in body["sanctions"][0]
    with db.session_scope() as s:
        sanctions.revoke_sanction(s, sid, user=_user(s, u["sue"]), reason="settled with deployer")
    assert client.post("/api/v1/logs", json=[log_record(4)], headers=_auth(key)).status_code == 200
    assert client.get("/api/v1/sanctions", headers=_auth(key)).get_json()["sanctions"] == []


def test_deployers_read_only_their_own_accounts_sanctions(client, db):
    u = _users(db)
    acme_id, acme_key, _ = _deployer(db, "acme")
    _, other_key, _ = _deployer(db, "other")
    case_id = _case(db, u["ana"])
    _propose(
        db,
        u["ana"],
        case_id,
        subject_type="account",
        deployer_id=acme_id,
        account_id="user-77",
        measure="rate_limit",
        rate_limit_per_minute=5,
    )
    mine = client.get("/api/v1/sanctions", headers=_auth(acme_key)).get_json()["sanctions"]
    assert [
        (x["subject"]["account_id"], x["measure"], x["rate_limit_per_minute"]) for x in mine
    ] == [("user-77", "rate_limit", 5)]
    assert client.get("/api/v1/sanctions", headers=_auth(other_key)).get_json()["sanctions"] == []
    # An account sanction does not bar the deployer's own key.
    assert (
        client.post("/api/v1/logs", json=[log_record(1)], headers=_auth(acme_key)).status_code
        == 200
    )
    # A key without the scope is refused; no key and no session is 401.
    with db.session_scope() as s:
        issued = clients.create_key(
            s,
            owner="acme",
            name="logs only",
            scopes=("logs:write",),
            secret_key=db.settings.secret_key,
            actor="test",
        )
    assert client.get("/api/v1/sanctions", headers=_auth(issued.key)).status_code == 403
    assert client.get("/api/v1/sanctions").status_code == 401


def test_an_api_key_suspension_bars_that_key_only(client, db):
    u = _users(db)
    _, key, key_id = _deployer(db)
    with db.session_scope() as s:
        second = clients.create_key(
            s,
            owner="acme",
            name="second",
            scopes=("logs:write",),
            secret_key=db.settings.secret_key,
            actor="test",
        )
    case_id = _case(db, u["ana"])
    sid = _propose(
        db, u["ana"], case_id, subject_type="api_key", api_key_id=key_id, measure="suspension"
    )
    with db.session_scope() as s:
        sanctions.approve_sanction(s, sid, user=_user(s, u["sue"]))
    assert client.post("/api/v1/logs", json=[log_record(1)], headers=_auth(key)).status_code == 403
    ok = client.post("/api/v1/logs", json=[log_record(2)], headers=_auth(second.key))
    assert ok.status_code == 200


def test_bad_sanction_input_names_each_field_and_writes_nothing(db):
    u = _users(db)
    dep_id, _, _ = _deployer(db)
    case_id = _case(db, u["ana"])
    before = (_count(db, AuditEvent), _count(db, CaseEvent))
    with db.session_scope() as s, pytest.raises(ValidationFailed) as err:
        sanctions.propose_sanction(
            s,
            case_id,
            user=_user(s, u["ana"]),
            subject_type="account",
            deployer_id=dep_id,
            account_id="",
            measure="suspension",
            category="nonsense",
            ground_type="terms",
            ground_reference="",
            ground_explanation="x",
            facts=" ",
            automated_detection=False,
            automated_decision="maybe",
            source_type="voluntary",
            territorial_scope=["US"],
            ends_at=datetime.now(UTC) - timedelta(days=1),
        )
    assert set(err.value.errors) == {
        "account_id",
        "category",
        "ground_reference",
        "facts",
        "automated_decision",
        "territorial_scope",
        "ends_at",
    }
    assert _count(db, Sanction) == 0
    assert (_count(db, AuditEvent), _count(db, CaseEvent)) == before
    with db.session_scope() as s, pytest.raises(ValidationFailed, match="model"):
        sanctions.propose_sanction(
            s,
            case_id,
            user=_user(s, u["ana"]),
            subject_type="deployer",
            deployer_id=dep_id,
            measure="model_withdrawal",
            **SOR,
        )


def test_expiry_ends_sanctions_and_blocking_stops_at_the_end_date(client, db):
    from jobs.scheduler import run_job
    from jobs.specs import get_job

    u = _users(db)
    dep_id, key, _ = _deployer(db)
    case_id = _case(db, u["ana"])
    sid = _propose(
        db,
        u["ana"],
        case_id,
        subject_type="deployer",
        deployer_id=dep_id,
        measure="suspension",
        ends_at=datetime.now(UTC) + timedelta(seconds=2),
    )
    with db.session_scope() as s:
        sanctions.approve_sanction(s, sid, user=_user(s, u["sue"]))
        later = datetime.now(UTC) + timedelta(seconds=5)
        assert sanctions.blocking_sanction(s, api_key_id=0, deployer_id=dep_id) is not None
        assert sanctions.blocking_sanction(s, api_key_id=0, deployer_id=dep_id, now=later) is None
        row = s.get(Sanction, sid)
        row.ends_at = datetime.now(UTC) - timedelta(seconds=1)
        s.commit()
    assert client.post("/api/v1/logs", json=[log_record(1)], headers=_auth(key)).status_code == 200
    assert run_job(db, get_job("expire")) is True
    with db.session_scope() as s:
        row = s.get(Sanction, sid)
        assert row.status == "expired" and row.ended_at is not None
        actions = (
            s.execute(select(AuditEvent.actor).where(AuditEvent.action == "sanction.expired"))
            .scalars()
            .all()
        )
    assert actions == ["job:expire_sanctions"]


def test_appeal_is_reviewed_by_someone_else_and_a_reversal_ends_the_sanction(client, db):
    u = _users(db)
    dep_id, key, _ = _deployer(db)
    case_id = _case(db, u["ana"])
    sid = _propose(
        db, u["ana"], case_id, subject_type="deployer", deployer_id=dep_id, measure="suspension"
    )
    with db.session_scope() as s:
        sanctions.approve_sanction(s, sid, user=_user(s, u["sue"]))
        ref = s.get(Sanction, sid).reference
    filed = client.post(
        "/api/v1/appeals",
        json={
            "reference": ref.lower(),
            "statement": "Our customers were the victims, not the authors.",
        },
    )
    assert filed.status_code == 201, filed.get_json()
    code = filed.get_json()["appeal_code"]
    again = client.post(
        "/api/v1/appeals", json={"reference": ref, "statement": "Once more, please."}
    )
    assert again.status_code == 409
    appeal_id = filed.get_json()["id"]
    with db.session_scope() as s:
        for decider in ("ana", "sue"):
            with pytest.raises(Forbidden, match="someone other"):
                appeals.decide_appeal(
                    s, appeal_id, user=_user(s, u[decider]), outcome="reversed", reason="x"
                )
        with pytest.raises(ValidationFailed):
            appeals.decide_appeal(
                s, appeal_id, user=_user(s, u["bob"]), outcome="reversed", reason=" "
            )
        appeals.decide_appeal(
            s,
            appeal_id,
            user=_user(s, u["bob"]),
            outcome="reversed",
            reason="The accounts were compromised; the deployer acted at once.",
        )
        row = s.get(Sanction, sid)
        assert row.status == "reversed" and row.ended_at is not None
    assert client.post("/api/v1/logs", json=[log_record(1)], headers=_auth(key)).status_code == 200
    status = client.post("/api/v1/appeals/status", json={"appeal_code": code}).get_json()
    assert status["status"] == "reversed" and "compromised" in status["outcome_reason"]
    # The code itself is stored nowhere.
    with db.session_scope() as s:
        dumped = str([a.after for a in s.execute(select(AuditEvent)).scalars()])
    assert code not in dumped
    with db.session_scope() as s:
        assert list(verify_chain(s)) == []


def test_appeals_are_refused_before_a_decision_and_after_the_window(client, db, analyzer):
    u = _users(db)
    report_id, receipt = _report(db, analyzer)
    early = client.post(
        "/api/v1/appeals", json={"receipt": receipt, "statement": "Please look again."}
    )
    assert early.status_code == 409 and "not been decided" in str(early.get_json())
    with db.session_scope() as s:
        set_report_status(
            s,
            report_id,
            "no_action",
            actor="user:ana@example.org",
            reason="The output is satire and says so in its first line.",
        )
    ok = client.post(
        "/api/v1/appeals", json={"receipt": receipt, "statement": "It is clearly harmful."}
    )
    assert ok.status_code == 201
    with db.session_scope() as s:
        with pytest.raises(Forbidden):
            appeals.decide_appeal(
                s, ok.get_json()["id"], user=_user(s, u["ana"]), outcome="upheld", reason="x"
            )
        appeals.decide_appeal(
            s,
            ok.get_json()["id"],
            user=_user(s, u["bob"]),
            outcome="reversed",
            reason="It breaks the election rules.",
        )
        assert s.get(Report, report_id).status == "in_review"
    neither = client.post("/api/v1/appeals", json={"statement": "No reference at all here."})
    assert neither.status_code == 400 and "reference" in neither.get_json()["errors"]
    unknown = client.post(
        "/api/v1/appeals", json={"reference": "SR-0000000000", "statement": "Who decided this?"}
    )
    assert unknown.status_code == 400
    # Past the window.
    dep_id, _, _ = _deployer(db)
    case_id = _case(db, u["ana"])
    sid = _propose(
        db,
        u["ana"],
        case_id,
        subject_type="account",
        deployer_id=dep_id,
        account_id="a1",
        measure="warning",
    )
    with db.session_scope() as s:
        ref = s.get(Sanction, sid).reference
        with pytest.raises(Conflict, match="period to appeal ended"):
            appeals.file_appeal(
                s,
                reference=ref,
                statement="Too late but trying.",
                secret_key="k",
                analyzer=analyzer,
                window_days=183,
                now=datetime.now(UTC) + timedelta(days=184),
            )
        filed = appeals.file_appeal(
            s,
            reference=ref,
            statement="Within six months.",
            secret_key="k",
            analyzer=analyzer,
            window_days=183,
            now=datetime.now(UTC) + timedelta(days=182),
        )
        assert filed.id


def test_case_from_a_campaign_escalates_it_and_holds_its_evidence(db):
    from analytics.stable_ids import match_labels
    from core.services.detection import CampaignCandidate, save_campaigns

    u = _users(db)
    dep_id, _, _ = _deployer(db)
    from core.services.logs import ingest_log_batch
    from ingest.signals import TextAnalyzer
    from ingest.validation import parse_log_record

    with db.session_scope() as s:
        ingest_log_batch(
            s,
            dep_id,
            [(i, parse_log_record(log_record(i))) for i in range(3)],
            analyzer=TextAnalyzer(),
            source="api",
        )
        log_ids = s.execute(select(LogRecord.id)).scalars().all()
        now = datetime.now(UTC)
        save_campaigns(
            s,
            [
                CampaignCandidate(
                    score=0.9,
                    accounts=[(dep_id, "acct-1", 3)],
                    log_ids=list(log_ids),
                    report_ids=[],
                    first_seen=now,
                    last_seen=now,
                    explanation="3 texts",
                )
            ],
            match=match_labels,
        )
        s.commit()
        from core.models import Campaign

        campaign_id = s.execute(select(Campaign.id)).scalar_one()
    with db.session_scope() as s, pytest.raises(NotFound):
        cases.open_case(
            s,
            title="x",
            origin_type="campaign",
            origin_id=campaign_id,
            items=[("report", 999)],
            user=_user(s, u["ana"]),
        )
    with db.session_scope() as s:
        case_id = cases.open_case(
            s,
            title="Campaign",
            origin_type="campaign",
            origin_id=campaign_id,
            user=_user(s, u["ana"]),
        ).id
        assert s.get(Campaign, campaign_id).status == "escalated"
        held = (
            s.execute(
                select(EvidenceHold.log_record_id).where(
                    EvidenceHold.holder_type == "case", EvidenceHold.holder_id == case_id
                )
            )
            .scalars()
            .all()
        )
    assert sorted(held) == sorted(log_ids)


def test_case_and_sanction_api_with_roles(client, db):
    _users(db)
    _deployer(db)

    def login(email):
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        client.post("/login", data={"email": email, "password": PASSWORD, "csrf_token": token})

    login("ana@example.org")
    made = client.post("/api/v1/cases", json={"title": "Hoax", "origin_type": "manual"})
    assert made.status_code == 201
    case_id = made.get_json()["id"]
    assert (
        client.post(
            f"/api/v1/cases/{case_id}/notes", json={"body": "Looks coordinated."}
        ).status_code
        == 201
    )
    bad = client.post(f"/api/v1/cases/{case_id}/sanctions", json={"subject_type": "deployer"})
    assert bad.status_code == 400 and "measure" in bad.get_json()["errors"]
    proposed = client.post(
        f"/api/v1/cases/{case_id}/sanctions",
        json={
            **SOR,
            "subject_type": "deployer",
            "deployer": "acme",
            "measure": "termination",
        },
    )
    assert proposed.status_code == 201, proposed.get_json()
    sid = proposed.get_json()["id"]
    assert client.post(f"/api/v1/sanctions/{sid}/approve", json={}).status_code == 403  # analyst
    client.post("/logout")
    login("sue@example.org")
    ok = client.post(f"/api/v1/sanctions/{sid}/approve", json={})
    assert ok.status_code == 200 and ok.get_json()["status"] == "active"
    assert client.post(f"/api/v1/sanctions/{sid}/approve", json={}).status_code == 409
    register = client.get("/api/v1/sanctions?status=active").get_json()["sanctions"]
    assert [s["id"] for s in register] == [sid]
    timeline = client.get(f"/api/v1/cases/{case_id}").get_json()["events"]
    assert [e["kind"] for e in timeline][:2] == ["opened", "note"]


def _statements(db, read):
    """How many SQL statements ``read`` sends, from a fresh session (nothing cached)."""
    sent = []

    def count(conn, cursor, statement, parameters, context, executemany):
        sent.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        with db.session_scope() as s:
            read(s)
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    return len(sent)


def test_sanction_reads_cost_the_same_statements_for_one_sanction_as_for_many(db):
    """The register and a case page load the people, deployers, API keys and webhook
    pushes their sanctions name in one query each, not one query per sanction."""
    u = _users(db)
    acme, _, acme_key = _deployer(db, "acme")
    globex, _, _ = _deployer(db, "globex")
    with db.session_scope() as s:
        for name in ("acme", "globex"):
            webhooks.set_webhook(
                s,
                name,
                f"https://hooks.{name}.example/h",
                secret_key=db.settings.secret_key,
                actor="test",
            )
    many = _case(db, u["bob"])
    # Each with another subject, proposer and approver; every one in force, so each is
    # pushed to its deployer's webhook.
    decided = [
        ("ana", "max", {"subject_type": "account", "deployer_id": acme, "account_id": "acct-1"}),
        ("bob", "sue", {"subject_type": "deployer", "deployer_id": globex}),
        ("sue", "max", {"subject_type": "api_key", "api_key_id": acme_key}),
        ("max", "sue", {"subject_type": "model", "deployer_id": globex, "model_name": "gen-7"}),
    ]
    for proposer, approver, subject in decided:
        sid = _propose(db, u[proposer], many, measure="suspension", **subject)
        with db.session_scope() as s:
            sanctions.approve_sanction(s, sid, user=_user(s, u[approver]))
    # The newest sanction of all, alone in its case, names every kind of thing too.
    one = _case(db, u["ana"])
    sid = _propose(
        db, u["ana"], one, measure="suspension", subject_type="api_key", api_key_id=acme_key
    )
    with db.session_scope() as s:
        sanctions.approve_sanction(s, sid, user=_user(s, u["sue"]))
        for delivery in s.execute(select(WebhookDelivery)).scalars():
            s.add(
                WebhookAttempt(
                    delivery_id=delivery.id,
                    number=1,
                    url="https://hooks.example/h",
                    status_code=503,
                    duration_ms=12,
                )
            )
        s.commit()

    with db.session_scope() as s:
        shown = case_queries.case_dict(s, many)["sanctions"]
    assert [(x["proposed_by"], x["approved_by"], x["subject"]["label"]) for x in shown] == [
        ("ana@example.org", "max@example.org", "account acct-1 at acme"),
        ("bob@example.org", "sue@example.org", "deployer globex"),
        ("sue@example.org", "max@example.org", f"API key {shown[2]['subject']['api_key']}"),
        ("max@example.org", "sue@example.org", "model gen-7 at globex"),
    ]
    assert shown[2]["subject"]["api_key"] and shown[2]["subject"]["deployer"] == "acme"
    assert [[a["status_code"] for a in x["webhook_deliveries"][0]["attempts"]] for x in shown] == [
        [503]
    ] * 4

    def case_page(case_id):
        return lambda s: case_queries.case_dict(s, case_id)

    def register(limit):
        return lambda s: sanction_queries.list_sanctions(s, limit=limit)

    case_of_four, case_of_one = _statements(db, case_page(many)), _statements(db, case_page(one))
    assert case_of_four == case_of_one
    register_of_five, register_of_one = _statements(db, register(200)), _statements(db, register(1))
    assert register_of_five == register_of_one
