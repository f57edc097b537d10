import re

from sqlalchemy import func, select

from core.models import Report
from factories import report_payload


def _csrf(client, path="/report"):
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _tokens(client, path="/report"):
    """The CSRF token and the one-time submission token of a freshly shown form."""
    page = client.get(path).get_data(as_text=True)
    return {
        "csrf_token": re.search(r'name="csrf_token" value="([^"]+)"', page).group(1),
        "submission": re.search(r'name="submission" value="([^"]+)"', page).group(1),
    }


def _receipt(page):
    return re.search(r'id="receipt-code"[^>]*>([^<]+)<', page).group(1)


def _session(client, app):
    """The decoded session cookie, as the browser holds it."""
    serializer = app.session_interface.get_signing_serializer(app)
    return serializer.loads(client.get_cookie("session").value)


def _form(**overrides):
    data = {k: str(v) for k, v in report_payload(**overrides).items()}
    data["accuracy_confirmed"] = "true" if overrides.get("accuracy_confirmed", True) else ""
    return data


def _count(db):
    with db.session_scope() as s:
        return s.execute(select(func.count()).select_from(Report)).scalar_one()


def test_form_submission_redirects_to_the_receipt(client, db, app):
    data = _form(occurred_at="2026-11-01") | _tokens(client)
    resp = client.post("/report", data=data)
    assert resp.status_code == 303
    assert resp.headers["Location"].endswith("/report/received")
    shown = client.get("/report/received")
    assert shown.headers["Cache-Control"] == "no-store"
    receipt = _receipt(shown.get_data(as_text=True))
    assert len(receipt.replace("-", "")) == 20
    assert _count(db) == 1
    # The receipt opens the report; the cookie holds a seed, never the code.
    follow = client.post(
        "/follow-up", data={"receipt": receipt, "csrf_token": _csrf(client, "/follow-up")}
    )
    assert follow.status_code == 303
    assert receipt not in str(_session(client, app))


def test_reload_and_resend_never_file_a_second_report(client, db):
    data = _form() | _tokens(client)
    first = client.post("/report", data=data)
    receipt = _receipt(client.get(first.headers["Location"]).get_data(as_text=True))
    # A reload of the receipt page, and the same form sent again (back button, double
    # click): one report, and the same receipt shown.
    assert _receipt(client.get("/report/received").get_data(as_text=True)) == receipt
    again = client.post("/report", data=data)
    assert again.status_code == 303
    assert _receipt(client.get(again.headers["Location"]).get_data(as_text=True)) == receipt
    assert _count(db) == 1
    # A new form is a new report.
    client.post("/report", data=_form() | _tokens(client))
    assert _count(db) == 2


def test_same_token_from_another_browser_files_nothing(app, db):
    first, second = app.test_client(), app.test_client()
    tokens = _tokens(first)
    assert first.post("/report", data=_form() | tokens).status_code == 303
    other = _form() | {"csrf_token": _csrf(second), "submission": tokens["submission"]}
    resp = second.post("/report", data=other)
    assert resp.status_code == 303
    # That browser never saw the receipt, and still does not.
    page = second.get("/report/received").get_data(as_text=True)
    assert 'id="receipt-code"' not in page and "shown once" in page
    assert _count(db) == 1


def test_form_without_its_token_is_refused_in_words(client, db):
    data = _form()
    data["csrf_token"] = _csrf(client)
    resp = client.post("/report", data=data)
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    assert "This form has expired" in page and 'name="submission"' in page
    assert _count(db) == 0


def test_receipt_downloads_as_a_file_from_the_session(client, db):
    client.post("/report", data=_form() | _tokens(client))
    receipt = _receipt(client.get("/report/received").get_data(as_text=True))
    resp = client.get("/report/received/receipt.txt")
    assert resp.status_code == 200
    assert "attachment" in resp.headers["Content-Disposition"]
    assert receipt in resp.get_data(as_text=True)
    assert (
        client.post(
            "/report/received/forget", data={"csrf_token": _csrf(client, "/report/received")}
        ).status_code
        == 303
    )
    assert client.get("/report/received/receipt.txt").status_code == 404


def test_errors_are_shown_at_each_field_and_input_kept(client, db):
    data = _form(explanation="too short", contact_email="not-an-email", category="")
    data |= _tokens(client)
    resp = client.post("/report", data=data)
    assert resp.status_code == 400
    page = resp.get_data(as_text=True)
    assert 'role="alert"' in page
    for field in ("explanation", "contact_email", "category"):
        assert f'id="{field}-error"' in page
        assert (
            re.search(rf'id="{field}"[^>]*aria-invalid="true"', page, re.S)
            or re.search(rf'aria-invalid="true"[^>]*id="{field}"', page, re.S)
            or f'<select id="{field}" name="{field}" aria-describedby' in page
        )
    assert "BREAKING: polling stations in Riverton" in page  # typed output kept
    assert 'value="not-an-email"' in page
    # The summary names each field, and the form keeps its token for the resend.
    assert "Kind of harm: " in page and "Why it is harmful: " in page
    assert f'value="{data["submission"]}"' in page
    assert _count(db) == 0


def test_missing_csrf_token_is_refused(client, db):
    resp = client.post("/report", data=_form())
    assert resp.status_code == 400
    assert _count(db) == 0


def test_honeypot_filled_stores_nothing(client, db):
    data = _form() | _tokens(client)
    data["website"] = "http://spam.example"
    assert client.post("/report", data=data).status_code == 400
    assert _count(db) == 0


def test_follow_up_page_never_puts_receipt_in_url(client):
    client.post("/report", data=_form() | _tokens(client))
    receipt = _receipt(client.get("/report/received").get_data(as_text=True))
    resp = client.post(
        "/follow-up", data={"receipt": receipt, "csrf_token": _csrf(client, "/follow-up")}
    )
    assert resp.status_code == 303
    assert receipt not in resp.headers["Location"]
    assert resp.headers["Location"].endswith("/follow-up")
    shown = client.get("/follow-up").get_data(as_text=True)
    assert "Received" in shown and receipt not in shown
    # The session cookie carries the report id, never the receipt.
    cookie = client.get_cookie("session")
    assert receipt not in cookie.value


def test_whistleblower_page_says_what_is_not_stored(client):
    page = client.get("/report").get_data(as_text=True)
    assert "we store no IP" in page and "no browser details" in page


def test_the_serious_incident_box_sends_the_report_first_in_triage(client, db):
    from core.queries.reports import triage_page

    assert client.post("/report", data=_form() | _tokens(client)).status_code == 303
    page = client.get("/report").get_data(as_text=True)
    assert 'name="serious_incident"' in page and "could cause, a serious incident" in page
    flagged = _form(output="The power grid script") | {"serious_incident": "true"}
    assert client.post("/report", data=flagged | _tokens(client)).status_code == 303
    with db.session_scope() as s:
        rows = triage_page(s)["rows"]
    assert [r["serious_incident"] for r in rows] == [True, False]
