"""Every response carries the security headers; HSTS only behind HTTPS."""

from dataclasses import replace

import pytest

from security_support import login, make_user

EVERYWHERE = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def _get_routes(app):
    for rule in app.url_map.iter_rules():
        if "GET" in rule.methods and "<" not in rule.rule:
            yield rule.rule


def _check(resp, path):
    for name, value in EVERYWHERE.items():
        assert resp.headers.get(name) == value, (path, name, resp.headers.get(name))
    csp = resp.headers.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp, (path, csp)
    assert "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";")[0], (path, csp)
    return csp


@pytest.mark.parametrize("who", ["anonymous", "supervisor"])
def test_every_page_and_answer_carries_the_headers(app, client, db, who):
    if who == "supervisor":
        make_user(db, "sue@example.org", "supervisor")
        login(client, "sue@example.org")
    paths = [*_get_routes(app), "/no/such/page", "/api/v1/no-such", "/dashboard/sanctions"]
    for path in paths:
        resp = client.get(path)
        # Files (the favicon) are streamed: closing the response closes the file.
        resp.close()
        csp = _check(resp, path)
        if path.startswith("/dashboard") and resp.status_code == 200 and resp.is_json is False:
            # Dash's inline renderer script is allowed by its hash alone.
            assert "'sha256-" in csp, (path, csp)
        elif not path.startswith("/dashboard"):
            assert "script-src 'self';" in csp and "'unsafe-eval'" not in csp, (path, csp)
    # POST answers and errors too.
    _check(client.post("/api/v1/reports", json={}), "POST /api/v1/reports")
    _check(client.post("/report", data={}), "POST /report")


def test_the_sanctions_register_cannot_be_framed(app, client, db):
    make_user(db, "sue@example.org", "supervisor")
    login(client, "sue@example.org")
    for path in ("/api/v1/sanctions", "/dashboard/sanctions", "/dashboard/"):
        resp = client.get(path)
        assert resp.status_code == 200
        assert resp.headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in resp.headers["Content-Security-Policy"]


def test_hsts_only_behind_https(settings, analyzer):
    from portal import create_app

    for https, expected in ((False, None), (True, "max-age=31536000")):
        app = create_app(replace(settings, https=https), analyzer=analyzer)
        resp = app.test_client().get("/")
        assert resp.headers.get("Strict-Transport-Security") == expected
        app.extensions["misuse.db"].dispose()
