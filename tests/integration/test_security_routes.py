"""Every route, taken from the URL map, so that a route added later is checked too:

- a state change made with the login cookie must come from a page of this site
  (Origin, else Referer) and carry JSON or a CSRF token; anything else is
  refused and changes nothing;
- a dashboard page that needs more than the analyst role refuses an analyst
  (test_auth walks the other routes for anonymous callers and analysts).
"""

import re

import pytest

from dashboards.pages import PAGES
from security_support import (
    fingerprint,
    login,
    make_user,
    pending_suspension,
    sanction_status,
)

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
SITE = "http://localhost"
# Other origins: another site, and another origin of the same site (another port of
# the same host, which the SameSite cookie rule does not tell apart).
FOREIGN = ("https://evil.example", "http://localhost:8081", "null")


def _concrete(rule: str, number: int) -> str:
    path = re.sub(r"<int:[^>]+>", str(number), rule)
    path = re.sub(r"<path:[^>]+>", "x/y.js", path)
    return re.sub(r"<(?:string:)?[^>:]+>", "report-1", path)


def _state_changing(app):
    for rule in app.url_map.iter_rules():
        for method in sorted(rule.methods & UNSAFE):
            yield rule, method


@pytest.fixture
def supervisor_session(app, client, db):
    """An admin logged in (every role, so no role check hides the CSRF checks), and a
    suspension another supervisor proposed, which the admin could approve."""
    proposer = make_user(db, "sue@example.org", "supervisor")
    make_user(db, "adm@example.org", "admin")
    sanction_id = pending_suspension(db, proposer)
    assert login(client, "adm@example.org").status_code == 303
    return sanction_id


def test_cross_site_state_changes_are_refused_on_every_route(app, client, db, supervisor_session):
    sanction_id = supervisor_session
    before = fingerprint(db)
    routes = list(_state_changing(app))
    assert len(routes) >= 20, "the URL map should list every state-changing route"
    for rule, method in routes:
        url = _concrete(rule.rule, sanction_id)
        for origin in FOREIGN:
            resp = client.open(url, method=method, json={}, headers={"Origin": origin})
            assert resp.status_code == 403, (rule.rule, method, origin, resp.status_code)
        # No Origin: the Referer decides, and its absence too is a refusal.
        del client.environ_base["HTTP_ORIGIN"]
        try:
            for headers in ({"Referer": "https://evil.example/page"}, {}):
                resp = client.open(url, method=method, json={}, headers=headers)
                assert resp.status_code == 403, (rule.rule, method, headers, resp.status_code)
        finally:
            client.environ_base["HTTP_ORIGIN"] = SITE
    assert fingerprint(db) == before
    assert sanction_status(db, sanction_id) == "proposed"
    # Still logged in: not even the logout went through.
    assert client.get("/api/v1/cases").status_code == 200


def test_every_session_state_change_needs_json_or_a_csrf_token(app, client, db, supervisor_session):
    """From this site itself, a body a cross-site form could also send (text/plain,
    urlencoded, multipart) without a CSRF token is refused on every route."""
    from portal.security import is_json_only

    sanction_id = supervisor_session
    before = fingerprint(db)
    kinds = {"json": 0, "token": 0}
    for rule, method in _state_changing(app):
        url = _concrete(rule.rule, sanction_id)
        json_only = is_json_only(app, rule.endpoint)
        kinds["json" if json_only else "token"] += 1
        for body in (
            {"data": "{}", "content_type": "text/plain"},
            {"data": {"reason": "x"}},
            {"data": {"reason": "x"}, "content_type": "multipart/form-data"},
        ):
            resp = client.open(url, method=method, **body)
            assert resp.status_code == 400, (rule.rule, method, body, resp.status_code)
            errors = resp.get_json()["errors"] if resp.is_json else {}
            if json_only:
                assert "JSON" in (errors.get("body") or errors.get("error", "")), errors
            else:
                assert "form expired" in resp.get_data(as_text=True), rule.rule
        if not json_only:
            # A token route takes no JSON in place of the token either.
            resp = client.open(url, method=method, json={})
            assert resp.status_code == 400, (rule.rule, method)
    assert kinds["json"] >= 10 and kinds["token"] >= 8, kinds
    assert fingerprint(db) == before
    assert sanction_status(db, sanction_id) == "proposed"


def test_the_same_change_from_the_site_itself_goes_through(client, db, supervisor_session):
    sanction_id = supervisor_session
    resp = client.post(f"/api/v1/sanctions/{sanction_id}/approve", json={})
    assert resp.status_code == 200, resp.get_json()
    assert sanction_status(db, sanction_id) == "active"


def test_a_referer_from_the_site_stands_in_for_a_missing_origin(client, db, supervisor_session):
    sanction_id = supervisor_session
    del client.environ_base["HTTP_ORIGIN"]
    resp = client.post(
        f"/api/v1/sanctions/{sanction_id}/approve",
        json={},
        headers={"Referer": f"{SITE}/dashboard/cases/1"},
    )
    assert resp.status_code == 200, resp.get_json()


def test_approve_takes_no_text_plain_body(client, db, supervisor_session):
    """The review's attack: a form with enctype text/plain posts to approve."""
    sanction_id = supervisor_session
    resp = client.post(
        f"/api/v1/sanctions/{sanction_id}/approve", data="x=y", content_type="text/plain"
    )
    assert resp.status_code == 400
    assert sanction_status(db, sanction_id) == "proposed"


def test_dashboard_pages_for_supervisors_refuse_an_analyst(client, db):
    """The API's routes are walked in test_auth; the dashboard's pages share one route,
    and each page names its own role."""
    make_user(db, "ana@example.org", "analyst")
    login(client, "ana@example.org")
    checked = 0
    for page in PAGES:
        if page.role == "analyst":
            continue
        path = page.pattern.pattern.strip("^$").replace("/?", "")
        path = re.sub(r"\(\?P<\w+>\\d\+\)", "1", path)
        assert client.get(path).status_code == 403, path
        checked += 1
    assert checked >= 1
