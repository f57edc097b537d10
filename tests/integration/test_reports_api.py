import logging

from sqlalchemy import func, inspect, select, text

from core.models import Report, ReportMessage
from core.services import reports as report_service
from factories import report_payload


def _count(db, model):
    with db.session_scope() as s:
        return s.execute(select(func.count()).select_from(model)).scalar_one()


def _all_stored_text(db) -> str:
    """Every value in every table, as one string: for 'is this secret stored anywhere?'."""
    chunks = []
    with db.engine.connect() as conn:
        for table in inspect(conn).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                chunks.append(" ".join(str(v) for v in row))
    return "\n".join(chunks)


def test_report_is_created_with_receipt(client, db):
    resp = client.post("/api/v1/reports", json=report_payload())
    assert resp.status_code == 201
    body = resp.get_json()
    assert set(body) == {"id", "receipt", "status"}
    assert body["status"] == "received"
    with db.session_scope() as s:
        report = s.get(Report, body["id"])
        assert report.category == "disinformation"
        assert report.contact_email == "reporter@example.org"
        assert report.output_text.masked_text.startswith("BREAKING")
        assert report.source == "api"


def test_receipt_is_stored_only_as_a_keyed_hash(client, db):
    receipt = client.post("/api/v1/reports", json=report_payload()).get_json()["receipt"]
    stored = _all_stored_text(db).upper()
    assert receipt.upper() not in stored
    assert receipt.replace("-", "").upper() not in stored.replace("-", "")


def test_follow_up_shows_status_and_analyst_messages_and_takes_replies(client, db, analyzer):
    created = client.post("/api/v1/reports", json=report_payload()).get_json()
    with db.session_scope() as s:
        report_service.add_analyst_message(
            s, created["id"], "Where was it published?", analyst="ana", analyzer=analyzer
        )
        report_service.set_report_status(s, created["id"], "in_review", actor="ana")
    resp = client.post(
        "/api/v1/reports/follow-up",
        json={"receipt": created["receipt"], "message": "On a forum, call me."},
    )
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["status"] == "in_review"
    assert [m["author"] for m in body["messages"]] == ["analyst", "reporter"]
    assert body["messages"][0]["body"] == "Where was it published?"
    assert _count(db, ReportMessage) == 2


def test_follow_up_refuses_a_wrong_receipt(client):
    client.post("/api/v1/reports", json=report_payload())
    resp = client.post("/api/v1/reports/follow-up", json={"receipt": "AAAA-BBBB-CCCC-DDDD-EEEE"})
    assert resp.status_code == 404
    assert "receipt" in resp.get_json()["errors"]["not_found"].lower()


def test_bad_input_gets_field_errors_and_stores_nothing(client, db):
    resp = client.post(
        "/api/v1/reports",
        json=report_payload(
            category="gossip",
            output="",
            explanation="short",
            accuracy_confirmed=False,
            product_url="not a url",
            occurred_at="2099-01-01",
            surprise="x",
        ),
    )
    assert resp.status_code == 400
    errors = resp.get_json()["errors"]
    assert set(errors) == {
        "category",
        "output",
        "explanation",
        "accuracy_confirmed",
        "product_url",
        "occurred_at",
        "surprise",
    }
    assert "disinformation" in errors["category"]
    assert "future" in errors["occurred_at"]
    assert _count(db, Report) == 0


def test_non_json_and_non_object_bodies_are_400(client):
    assert client.post("/api/v1/reports", data="x=1").status_code == 400
    resp = client.post("/api/v1/reports", json=[report_payload()])
    assert resp.status_code == 400
    assert resp.get_json()["errors"] == {"body": "Send one JSON object."}


def test_whistleblower_may_not_give_contact(client, db):
    resp = client.post("/api/v1/reports", json=report_payload(reporter_type="whistleblower"))
    assert resp.status_code == 400
    assert "whistleblower" in resp.get_json()["errors"]["contact_email"]
    assert _count(db, Report) == 0


def test_whistleblower_leaves_no_address_agent_or_contact(client, db, caplog):
    caplog.set_level(logging.DEBUG)
    ip, agent = "203.0.113.77", "Mozilla/5.0 (Whistle; Blower) UniqueAgent/9.9"
    resp = client.post(
        "/api/v1/reports",
        json=report_payload(reporter_type="whistleblower", contact_email=None),
        headers={"User-Agent": agent},
        environ_base={"REMOTE_ADDR": ip},
    )
    assert resp.status_code == 201
    receipt = resp.get_json()["receipt"]
    with db.session_scope() as s:
        report = s.get(Report, resp.get_json()["id"])
        assert (report.submitter_ip, report.user_agent, report.contact_email) == (None, None, None)
    stored = _all_stored_text(db)
    assert ip not in stored and "UniqueAgent" not in stored
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "POST /api/v1/reports 201" in logged  # the access log did run
    for secret in (ip, "UniqueAgent", receipt):
        assert secret not in logged


def test_ordinary_reporter_address_is_kept_for_abuse_handling(client, db):
    resp = client.post(
        "/api/v1/reports",
        json=report_payload(),
        headers={"User-Agent": "TestAgent/1"},
        environ_base={"REMOTE_ADDR": "198.51.100.5"},
    )
    with db.session_scope() as s:
        report = s.get(Report, resp.get_json()["id"])
        assert report.submitter_ip == "198.51.100.5"
        assert report.user_agent == "TestAgent/1"


def test_personal_data_is_masked_and_kinds_recorded(client, db):
    resp = client.post(
        "/api/v1/reports",
        json=report_payload(
            output="Call John on +44 20 7946 0958 or mail john.doe@example.com, "
            "card 4111 1111 1111 1111.",
            explanation="It leaked a private phone number and e-mail address of a person.",
        ),
    )
    with db.session_scope() as s:
        report = s.get(Report, resp.get_json()["id"])
        masked = report.output_text.masked_text
        assert "john.doe@example.com" not in masked and "4111" not in masked
        assert "[EMAIL]" in masked and "[PHONE]" in masked and "[CARD]" in masked
        assert {"email", "phone", "card"} <= set(report.pii_kinds)
        assert report.output_original is None  # not kept by default
    assert "john.doe@example.com" not in _all_stored_text(db)


def test_unmasked_original_kept_only_when_configured(app, client, db):
    app.extensions["misuse.settings"] = app.extensions["misuse.settings"].__class__(
        **{**app.extensions["misuse.settings"].__dict__, "keep_unmasked_original": True}
    )
    resp = client.post("/api/v1/reports", json=report_payload(output="mail a@example.com now"))
    with db.session_scope() as s:
        assert s.get(Report, resp.get_json()["id"]).output_original == "mail a@example.com now"


def test_oversized_body_is_413(app, client, db):
    limit = app.extensions["misuse.settings"].max_report_bytes
    resp = client.post("/api/v1/reports", json=report_payload(output="x" * (limit + 10)))
    assert resp.status_code == 413
    assert "bytes" in resp.get_json()["errors"]["body"]
    assert _count(db, Report) == 0


def test_rate_limit_answers_429_with_retry_after(settings, analyzer):
    from dataclasses import replace

    from portal import create_app

    app = create_app(
        replace(settings, rate_limits_enabled=True, rate_limit_reports="2 per minute"),
        analyzer=analyzer,
    )
    client = app.test_client()
    codes = [client.post("/api/v1/reports", json=report_payload()).status_code for _ in range(3)]
    assert codes == [201, 201, 429]
    resp = client.post("/api/v1/reports", json=report_payload())
    assert resp.status_code == 429
    assert int(resp.headers["Retry-After"]) > 0
    assert "rate_limit" in resp.get_json()["errors"]
    app.extensions["misuse.db"].dispose()
