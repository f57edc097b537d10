import re

from sqlalchemy import func, select

from core.models import Report
from factories import report_payload


def _csrf(client, path="/report"):
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _form(**overrides):
    data = {k: str(v) for k, v in report_payload(**overrides).items()}
    data["accuracy_confirmed"] = "true" if overrides.get("accuracy_confirmed", True) else ""
    return data


def _count(db):
    with db.session_scope() as s:
        return s.execute(select(func.count()).select_from(Report)).scalar_one()


def test_form_submission_shows_receipt_once(client, db):
    data = _form(occurred_at="2026-11-01")
    data["csrf_token"] = _csrf(client)
    resp = client.post("/report", data=data)
    assert resp.status_code == 201
    page = resp.get_data(as_text=True)
    receipt = re.search(r'id="receipt-code">([^<]+)<', page).group(1)
    assert len(receipt.replace("-", "")) == 20
    assert resp.headers["Cache-Control"] == "no-store"
    assert _count(db) == 1


def test_errors_are_shown_at_each_field_and_input_kept(client, db):
    data = _form(explanation="too short", contact_email="not-an-email", category="")
    data["csrf_token"] = _csrf(client)
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
    assert _count(db) == 0


def test_missing_csrf_token_is_refused(client, db):
    resp = client.post("/report", data=_form())
    assert resp.status_code == 400
    assert _count(db) == 0


def test_honeypot_filled_stores_nothing(client, db):
    data = _form()
    data["csrf_token"] = _csrf(client)
    data["website"] = "http://spam.example"
    assert client.post("/report", data=data).status_code == 400
    assert _count(db) == 0


def test_follow_up_page_never_puts_receipt_in_url(client):
    data = _form()
    data["csrf_token"] = _csrf(client)
    page = client.post("/report", data=data).get_data(as_text=True)
    receipt = re.search(r'id="receipt-code">([^<]+)<', page).group(1)
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
