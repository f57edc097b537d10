"""Bad but plausible input gets a specific 4xx and stores nothing, on SQLite and
PostgreSQL: the findings of the outside review about input, one test (or a few)
each, named after what a user would notice."""

import csv
import io
import json
import re

import pytest
import requests
from sqlalchemy import select

from core.models import LogRecord, Report, ReportMessage, Sanction
from core.services import reports as report_service
from factories import log_record, report_payload
from ingest.reports import parse_report
from security_support import (
    SOR,
    bearer,
    count,
    csrf_token,
    deployer_key,
    flagger_key,
    login,
    make_user,
    pending_suspension,
)

SURROGATE = "\ud800"
# "\ud800" as CESU-8 (how Java and some databases write a lone surrogate): Python's
# JSON decoder turns these bytes back into the surrogate.
CESU8 = b"\xed\xa0\x80"
REPORT_TEXT_FIELDS = (
    "output",
    "prompt",
    "explanation",
    "provider",
    "model_name",
    "model_version",
    "product_url",
    "published_url",
    "contact_email",
)
DEEP = 5000


def _deep(depth: int = DEEP) -> str:
    return "[" * depth + "]" * depth


# --- 2. unpaired surrogates on the public endpoints ------------------------------------


def test_a_surrogate_in_any_report_field_is_a_400_naming_the_field(client, db):
    for field in REPORT_TEXT_FIELDS:
        payload = report_payload(**{field: "Example text long enough here " + SURROGATE})
        resp = client.post("/api/v1/reports", json=payload)
        assert resp.status_code == 400, (field, resp.get_data(as_text=True))
        assert "surrogate" in resp.get_json()["errors"][field]
    assert count(db, Report) == 0


def test_cesu8_bytes_in_a_report_are_a_400(client, db):
    body = json.dumps(report_payload()).encode().replace(b"BREAKING", b"BREAK" + CESU8)
    resp = client.post("/api/v1/reports", data=body, content_type="application/json")
    assert resp.status_code == 400
    assert "surrogate" in resp.get_json()["errors"]["output"]
    assert count(db, Report) == 0


def test_a_nul_in_a_report_field_is_a_400_on_the_form_too(client, db):
    page = client.get("/report").get_data(as_text=True)
    form = {
        **report_payload(accuracy_confirmed="on"),
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1),
        # The form's one-time token: without it the form is refused before its fields.
        "submission": re.search(r'name="submission" value="([^"]+)"', page).group(1),
    }
    form["explanation"] += "\x00"
    resp = client.post("/report", data=form)
    assert resp.status_code == 400
    assert "NUL" in resp.get_data(as_text=True)
    assert count(db, Report) == 0


def test_follow_up_messages_with_a_surrogate_or_nul_are_a_400(client, db, analyzer):
    parsed = parse_report(report_payload())
    with db.session_scope() as s:
        receipt = report_service.submit_report(
            s, parsed, analyzer=analyzer, secret_key=db.settings.secret_key
        ).receipt
    for bad in ("Any news " + SURROGATE, "Any news \x00"):
        resp = client.post("/api/v1/reports/follow-up", json={"receipt": receipt, "message": bad})
        assert resp.status_code == 400, resp.get_data(as_text=True)
        assert "message" in resp.get_json()["errors"]
    raw = json.dumps({"receipt": receipt, "message": "news"}).encode().replace(b"news", CESU8)
    resp = client.post("/api/v1/reports/follow-up", data=raw, content_type="application/json")
    assert resp.status_code == 400
    assert count(db, ReportMessage) == 0


def test_appeals_with_a_surrogate_or_nul_are_a_400(client):
    for body in [
        {"reference": "SR-" + SURROGATE, "statement": "I did nothing wrong at all."},
        {"reference": "SR-\x00", "statement": "I did nothing wrong at all."},
        {"reference": "SR-ABC", "statement": "I did nothing wrong " + SURROGATE},
        {"receipt": "ABCD-" + SURROGATE, "statement": "I did nothing wrong at all."},
    ]:
        resp = client.post("/api/v1/appeals", json=body)
        assert resp.status_code == 400, (body, resp.get_data(as_text=True))


def test_one_bad_report_in_a_flaggers_batch_fails_only_itself(client, db):
    key = flagger_key(db)
    items = [
        report_payload(external_id=f"n-{n}", contact_email=None, reporter_type=None)
        for n in range(3)
    ]
    items[1]["output"] = "Looks normal " + SURROGATE
    resp = client.post("/api/v1/reports/bulk", json=items, headers=bearer(key))
    assert resp.status_code == 200, resp.get_data(as_text=True)
    body = resp.get_json()
    assert body["accepted_count"] == 2 and body["rejected_count"] == 1
    assert body["rejected"][0]["index"] == 1 and "output" in body["rejected"][0]["errors"]
    assert count(db, Report) == 2


def test_log_records_with_unstorable_external_ids_fail_only_themselves(client, db):
    key = deployer_key(db)
    client.post("/api/v1/logs", json=[log_record(0)], headers=bearer(key))
    batch = [
        log_record(0),
        log_record(1, external_id="a\x00b"),
        log_record(2, external_id="a" + SURROGATE),
        log_record(3),
    ]
    resp = client.post("/api/v1/logs", json=batch, headers=bearer(key))
    assert resp.status_code == 200, resp.get_data(as_text=True)
    body = resp.get_json()
    assert body["accepted_count"] == 1 and body["duplicate_count"] == 1
    assert [r["index"] for r in body["rejected"]] == [1, 2]
    assert count(db, LogRecord) == 2


def test_reports_and_logs_share_one_text_check():
    """One function decides what text can be stored, for every validator."""
    import core.records
    import ingest.validation

    assert ingest.validation.text_problem is core.records.text_problem
    errors = parse_report(report_payload(output="Text " + SURROGATE))
    assert errors == core.records.text_errors({"output": "Text " + SURROGATE})


# --- 6 and 16. body limits on form posts and chunked bodies -----------------------------


def test_a_form_post_over_the_report_limit_is_a_413(client, db):
    token = csrf_token(client, "/report")
    form = {**report_payload(accuracy_confirmed="on"), "csrf_token": token}
    form["output"] = "x" * (300 * 1024)
    resp = client.post("/report", data=form)
    assert resp.status_code == 413
    assert count(db, Report) == 0
    resp = client.post("/login", data={"csrf_token": token, "email": "x" * (300 * 1024)})
    assert resp.status_code == 413


@pytest.fixture
def server(app):
    """The app on a real HTTP server (Werkzeug's), which decodes chunked bodies."""
    from factories import served

    app.config["TESTING"] = False
    with served(app) as url:
        yield url


def _chunked(data: bytes, size: int = 8192):
    # A generator body makes requests send Transfer-Encoding: chunked, no length.
    for start in range(0, len(data), size):
        yield data[start : start + size]


def test_chunked_bodies_over_the_limit_are_a_413(server, db):
    small = json.dumps(report_payload()).encode()
    ok = requests.post(
        server + "/api/v1/reports",
        data=_chunked(small),
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert ok.status_code == 201, ok.text
    big = json.dumps(report_payload(output="x" * (300 * 1024))).encode()
    resp = requests.post(
        server + "/api/v1/reports",
        data=_chunked(big),
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    assert resp.status_code == 413, resp.text
    assert "larger than" in resp.json()["errors"]["body"]
    assert count(db, Report) == 1


def test_chunked_bulk_bodies_over_the_bulk_limit_are_a_413(server, db):
    key = deployer_key(db)
    limit = db.settings.max_bulk_bytes
    batch = [log_record(n, response="y" * 10_000) for n in range(limit // 10_000 + 10)]
    resp = requests.post(
        server + "/api/v1/logs",
        data=_chunked(json.dumps(batch).encode(), 1 << 20),
        headers={"Content-Type": "application/json", **bearer(key)},
        timeout=120,
    )
    assert resp.status_code == 413, resp.text[:300]
    assert f"{limit:,} bytes" in resp.json()["errors"]["body"]
    assert count(db, LogRecord) == 0


# --- 9. 500s on bad but plausible input ---------------------------------------------


def test_extreme_dates_on_the_transparency_report_are_a_400(client):
    for query in [
        "since=0001-01-01T00:00:00%2B14:00",
        "until=9999-12-31T23:59:59-14:00",
        "since=0001-01-01",
        "until=9999-12-31",
        "since=99999-01-01",
        "since=2024-02-30",
    ]:
        resp = client.get(f"/api/v1/transparency?{query}")
        assert resp.status_code == 400, (query, resp.get_data(as_text=True))
        assert resp.get_json()["errors"]


def test_json_nested_thousands_deep_is_a_400(client, db):
    keys = {None: {}, "deployer": bearer(deployer_key(db)), "flagger": bearer(flagger_key(db))}
    for path, key in (
        ("/api/v1/reports", None),
        ("/api/v1/reports/follow-up", None),
        ("/api/v1/appeals", None),
        ("/api/v1/logs", "deployer"),
        ("/api/v1/reports/bulk", "flagger"),
    ):
        resp = client.post(path, data=_deep(), content_type="application/json", headers=keys[key])
        assert resp.status_code == 400, (path, resp.get_data(as_text=True)[:300])
        assert "nested too deeply" in json.dumps(resp.get_json()), path


def test_json_nested_deep_in_ndjson_rejects_that_line_only(client, db):
    body = json.dumps(log_record(1)) + "\n" + _deep() + "\n"
    resp = client.post(
        "/api/v1/logs",
        data=body,
        content_type="application/x-ndjson",
        headers=bearer(deployer_key(db)),
    )
    assert resp.status_code == 200
    assert resp.get_json()["accepted_count"] == 1
    assert "nested too deeply" in resp.get_json()["rejected"][0]["errors"]["record"]


@pytest.fixture
def analyst(client, db):
    uid = make_user(db, "ana@example.org", "analyst")
    make_user(db, "sue@example.org", "supervisor")
    assert login(client, "ana@example.org").status_code == 303
    return uid


@pytest.mark.parametrize("bad", [SURROGATE, "\x00"])
def test_analyst_text_fields_refuse_nul_and_surrogates(client, db, analyst, bad):
    case = client.post("/api/v1/cases", json={"title": "Case", "origin_type": "manual"})
    assert case.status_code == 201
    case_id = case.get_json()["id"]
    attempts = [
        ("/api/v1/cases", {"title": "Hoax " + bad, "origin_type": "manual"}),
        (f"/api/v1/cases/{case_id}/notes", {"body": "Seen " + bad}),
        (f"/api/v1/cases/{case_id}/status", {"status": "open" + bad}),
        *[
            (
                f"/api/v1/cases/{case_id}/sanctions",
                {
                    **SOR,
                    "subject_type": "account",
                    "deployer": "acme",
                    "account_id": "acct-1",
                    "measure": "warning",
                    field: "Text " + bad,
                },
            )
            for field in ("facts", "ground_reference", "ground_explanation", "account_id")
        ],
        (
            f"/api/v1/cases/{case_id}/sanctions",
            {**SOR, "subject_type": "account", "deployer": "ac" + bad, "measure": "warning"},
        ),
    ]
    deployer_key(db)  # "acme" exists, so only the bad text is wrong
    before = count(db, Sanction)
    for path, body in attempts:
        resp = client.post(path, json=body)
        assert resp.status_code == 400, (path, body, resp.get_data(as_text=True))
        assert resp.get_json()["errors"]
    assert count(db, Sanction) == before


@pytest.mark.parametrize("bad", [SURROGATE, "\x00"])
def test_supervisor_and_appeal_reasons_refuse_nul_and_surrogates(client, db, analyzer, bad):
    sue = make_user(db, "sue@example.org", "supervisor")
    make_user(db, "max@example.org", "supervisor")
    sanction_id = pending_suspension(db, sue)
    login(client, "max@example.org")
    for action in ("reject", "revoke"):
        resp = client.post(f"/api/v1/sanctions/{sanction_id}/{action}", json={"reason": "No" + bad})
        assert resp.status_code == 400, resp.get_data(as_text=True)
    resp = client.post("/api/v1/appeals/1/decision", json={"outcome": "upheld", "reason": bad})
    assert resp.status_code in (400, 404)
    with db.session_scope() as s:
        assert s.get(Sanction, sanction_id).status == "proposed"


def test_nul_in_filters_and_paths_is_a_400(client, analyst):
    for path in [
        "/api/v1/cases?status=open%00",
        "/api/v1/alerts?status=%00",
        "/api/v1/appeals?status=pending%00",
        "/api/v1/sanctions?measure=%00&subject_type=x",
        "/api/v1/groups?limit=5%00",
        "/api/v1/items/report-1%00/similar",
        "/dashboard/?x=%00",
    ]:
        resp = client.get(path)
        assert resp.status_code == 400, (path, resp.status_code)


def test_ids_past_the_integer_range_are_a_404_on_every_integer_route(app, client, db):
    make_user(db, "adm@example.org", "admin")
    login(client, "adm@example.org")
    checked = 0
    for number in (2**31, 2**63, 10**30):
        for rule in app.url_map.iter_rules():
            if "<int:" not in rule.rule:
                continue
            path = rule.rule.split("<int:")[0] + str(number) + rule.rule.split(">", 1)[1]
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                resp = client.open(path, method=method, json={"reason": "x", "body": "x"})
                assert resp.status_code == 404, (path, method, resp.status_code)
                checked += 1
        for kind in ("report", "log"):
            assert client.get(f"/api/v1/items/{kind}-{number}/similar").status_code == 404
    assert checked >= 30
    resp = client.get("/api/v1/items/report-²/similar")
    assert resp.status_code == 400


def test_ids_past_the_range_in_bodies_are_a_400_or_404(client, db, analyst):
    made = client.post("/api/v1/cases", json={"title": "C", "origin_type": "manual"})
    case_id = made.get_json()["id"]
    for number in (2**31, 2**63, -1, 0):
        for body in (
            {"title": "C", "origin_type": "alert", "origin_id": number},
            {"title": "C", "origin_type": "reports", "items": [{"kind": "report", "id": number}]},
        ):
            resp = client.post("/api/v1/cases", json=body)
            assert resp.status_code in (400, 404), (body, resp.status_code)
        resp = client.post(
            f"/api/v1/cases/{case_id}/sanctions",
            json={**SOR, "subject_type": "api_key", "api_key_id": number, "measure": "warning"},
        )
        assert resp.status_code in (400, 404), (number, resp.status_code)


def test_the_dashboard_shows_not_found_for_ids_past_the_range(client, analyst):
    from test_dashboard import Dash

    page = Dash(client).call(
        "page.children", {"url.pathname": f"/dashboard/reports/{2**40}"}, trigger="url.pathname"
    )
    assert "Page not found" in json.dumps(page)


# --- 10. the model name inside an OpenAI completion object ------------------------------


def test_a_completions_model_name_is_validated_like_any_other(client, db):
    key = bearer(deployer_key(db))
    for n, (model, problem) in enumerate(
        [("m" * 500_000, "at most 200"), ("gpt\x00", "NUL"), ("gpt" + SURROGATE, "surrogate")]
    ):
        completion = {"model": model, "choices": [{"message": {"content": "Vote on Tuesday!"}}]}
        batch = [log_record(10 * n), log_record(10 * n + 1, model=None, response=completion)]
        resp = client.post("/api/v1/logs", json=batch, headers=key)
        assert resp.status_code == 200
        body = resp.get_json()
        assert body["accepted_count"] == 1, body
        assert problem in body["rejected"][0]["errors"]["response.model"]
    with db.session_scope() as s:
        assert s.execute(select(LogRecord.model)).scalars().all() == ["acme-chat:1.2"] * 3


# --- 11. formula injection in the statements CSV ---------------------------------------


def test_statements_csv_neutralises_formulas(client, db):
    sue = make_user(db, "sue@example.org", "supervisor")
    pending_suspension(
        db,
        sue,
        "warning",
        facts='=HYPERLINK("https://evil.example","click")',
        ground_reference="+cmd|' /C calc'!A0",
        ground_explanation="-2+3",
    )
    login(client, "sue@example.org")
    resp = client.get("/api/v1/exports/statements?format=csv")
    assert resp.status_code == 200
    rows = list(csv.DictReader(io.StringIO(resp.get_data(as_text=True))))
    assert rows[0]["decision_facts"] == '\'=HYPERLINK("https://evil.example","click")'
    assert rows[0]["incompatible_content_ground"] == "'+cmd|' /C calc'!A0"
    assert rows[0]["incompatible_content_explanation"] == "'-2+3"
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    # The JSON export keeps the text as typed: only spreadsheets need the guard.
    statements = client.get("/api/v1/exports/statements").get_json()["statements"]
    assert statements[0]["decision_facts"].startswith("=HYPERLINK")


# --- 12. only http(s) addresses ---------------------------------------------------------


def test_addresses_other_than_http_are_a_400(client, db):
    for url in [
        "javascript:alert(document.cookie)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "javascript://%0aalert(1)",
        "ftp://files.example.com/x",
    ]:
        for field in ("product_url", "published_url"):
            resp = client.post("/api/v1/reports", json=report_payload(**{field: url}))
            assert resp.status_code == 400, (field, url)
            assert "http" in resp.get_json()["errors"][field]
    assert count(db, Report) == 0


def test_an_address_without_scheme_is_stored_as_https(client, db):
    resp = client.post("/api/v1/reports", json=report_payload(product_url="chat.example.com/c/1"))
    assert resp.status_code == 201
    with db.session_scope() as s:
        assert s.execute(select(Report.product_url)).scalar_one() == "https://chat.example.com/c/1"


# --- 14. trusted flaggers report as organisations -----------------------------------------


def test_flagger_bulk_reports_take_no_contact_and_no_whistleblower_mode(client, db):
    key = flagger_key(db)
    items = [
        report_payload(external_id="a", reporter_type="whistleblower", contact_email=None),
        report_payload(external_id="b", reporter_type=None),  # with a contact_email
        report_payload(external_id="c", reporter_type="user", contact_email=None),
        report_payload(external_id="d", reporter_type=None, contact_email=None),
    ]
    body = client.post("/api/v1/reports/bulk", json=items, headers=bearer(key)).get_json()
    assert body["accepted_count"] == 1 and body["accepted"][0]["external_id"] == "d"
    errors = {r["index"]: r["errors"] for r in body["rejected"]}
    assert set(errors) == {0, 1, 2}
    assert "reporter_type" in errors[0] and "contact_email" in errors[1]
    assert "reporter_type" in errors[2]
    with db.session_scope() as s:
        row = s.execute(select(Report)).scalar_one()
        assert row.reporter_type == "trusted_flagger" and row.trusted_flagger
        assert row.contact_email is None and row.submitter_ip is None
