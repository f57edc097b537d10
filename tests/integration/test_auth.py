import re

import pytest

from core.services import users as user_service

PUBLIC = {
    "/",
    "/report",
    "/report/received",
    "/report/received/receipt.txt",
    "/report/received/forget",
    "/favicon.ico",
    "/follow-up",
    "/follow-up/reply",
    "/follow-up/close",
    "/login",
    "/logout",
    "/api/v1/reports",
    "/api/v1/reports/follow-up",
    "/api/v1/openapi.json",
    "/api/v1/logs",
    "/api/v1/reports/bulk",
    "/appeal",
    "/appeal/status",
    "/appeal/sent",
    "/transparency",
    "/set-password",
    "/api/v1/appeals/status",
    "/api/v1/transparency",
}
# Routes public for one method only, or that take an API key instead of a session.
PUBLIC_METHODS = {("/api/v1/appeals", "POST")}

PASSWORD = "correct horse battery staple"


def _make_user(db, email="ana@example.org", role="analyst"):
    with db.session_scope() as s:
        return user_service.create_user(s, email, PASSWORD, role=role, actor="test").id


def _login(client, email="ana@example.org", password=PASSWORD):
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    return client.post("/login", data={"email": email, "password": password, "csrf_token": token})


def _concrete(rule):
    return re.sub(r"<(?:string:)?[^>:]+>", "report-1", re.sub(r"<int:[^>]+>", "1", rule))


def test_every_analyst_route_refuses_anonymous_callers(app, client):
    checked = 0
    for rule in app.url_map.iter_rules():
        if rule.rule in PUBLIC or rule.endpoint == "static":
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            if (rule.rule, method) in PUBLIC_METHODS:
                continue
            resp = client.open(_concrete(rule.rule), method=method)
            # Dash's own JSON endpoints answer like the API.
            if rule.rule.startswith(("/api/", "/dashboard/_")):
                assert resp.status_code == 401, (rule.rule, method, resp.status_code)
                assert "errors" in resp.get_json()
            else:
                assert resp.status_code in (302, 303), (rule.rule, method)
                assert "/login" in resp.headers["Location"]
            checked += 1
    assert checked >= 4


def test_login_then_analyst_api_works(client, db):
    _make_user(db)
    assert _login(client).status_code == 303
    resp = client.get("/api/v1/groups")
    assert resp.status_code == 200
    assert resp.get_json() == {"groups": []}


def test_wrong_password_and_lockout(client, db):
    _make_user(db)
    for _ in range(5):
        resp = _login(client, password="wrong password!!")
        assert resp.status_code == 401
    locked = _login(client)  # right password, but locked now
    assert locked.status_code == 401
    assert "paused for 15 minutes" in locked.get_data(as_text=True)
    assert client.get("/api/v1/groups").status_code == 401


def test_unknown_email_gets_the_same_message(client, db):
    _make_user(db)
    page = _login(client, email="nobody@example.org").get_data(as_text=True)
    assert "Wrong e-mail address or password." in page


def test_password_is_hashed_with_argon2(db):
    from core.models import User

    _make_user(db)
    with db.session_scope() as s:
        user = s.query(User).one()
        assert user.password_hash.startswith("$argon2id$")
        assert PASSWORD not in user.password_hash


def test_deployments_hash_at_rfc_9106_cost_and_only_the_suite_cheaply(db, tmp_path):
    from core.db import Database
    from core.models import User
    from core.settings import load_settings

    _make_user(db)  # the suite's settings: the cheap profile
    deployed = Database(
        load_settings(
            environ={"MISUSE_DATABASE_URL": db.settings.resolved_database_url},
            instance_dir=tmp_path,
            secret_key="k",
        )
    )
    try:
        with deployed.session_scope() as s:
            user_service.create_user(s, "bob@example.org", PASSWORD, role="analyst", actor="t")
            # A password set under the cheap profile is re-hashed at the deployed
            # cost on the next login.
            user_service.verify_login(s, "ana@example.org", PASSWORD, secret_key="k")
    finally:
        deployed.dispose()
    with db.session_scope() as s:
        hashes = {u.email: u.password_hash for u in s.query(User)}
    # RFC 9106's second recommendation: 64 MiB, 3 passes, 4 lanes.
    assert hashes["bob@example.org"].startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert hashes["ana@example.org"].startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    with db.session_scope() as s:
        user_service.create_user(s, "cy@example.org", PASSWORD, role="analyst", actor="t")
        cheap = s.query(User).filter_by(email="cy@example.org").one().password_hash
    assert cheap.startswith("$argon2id$v=19$m=8,t=1,p=1$")


@pytest.mark.parametrize(
    "target,expected",
    [
        ("/api/v1/groups", "/api/v1/groups"),
        # Staff land on the dashboard, not on a foreign site nor the public home page.
        ("https://evil.example/", "/dashboard/"),
        ("//evil.example/", "/dashboard/"),
        ("", "/dashboard/"),
    ],
)
def test_login_redirect_stays_on_site(client, db, target, expected):
    _make_user(db)
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    resp = client.post(
        "/login",
        data={
            "email": "ana@example.org",
            "password": PASSWORD,
            "csrf_token": token,
            "next": target,
        },
    )
    assert resp.headers["Location"] == expected


def test_users_create_cli(runner, db):
    result = runner.invoke(
        "users",
        "create",
        "sup@example.org",
        "--role",
        "supervisor",
        "--password-stdin",
        input=PASSWORD + "\n",
    )
    assert result.exit_code == 0, result.output
    short = runner.invoke("users", "create", "x@example.org", "--password-stdin", input="short\n")
    assert short.exit_code == 1 and "12 characters" in short.output


def test_logins_are_limited_per_address(settings, analyzer, db):
    from dataclasses import replace

    from factories import browser_like
    from portal import create_app

    app = browser_like(create_app(replace(settings, rate_limits_enabled=True), analyzer=analyzer))
    c = app.test_client()
    codes = [_login(c, email=f"guess{n}@example.org").status_code for n in range(11)]
    assert codes[:10] == [401] * 10 and codes[10] == 429
    app.extensions["misuse.db"].dispose()


def test_supervisor_routes_refuse_an_analyst(app, client, db):
    """A logged-in caller without the role gets 403, on every route that needs more."""
    _make_user(db)
    _login(client)
    checked = 0
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if getattr(view, "required_role", None) != "supervisor":
            continue
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            resp = client.open(_concrete(rule.rule), method=method, json={})
            assert resp.status_code == 403, (rule.rule, method, resp.status_code)
            checked += 1
    assert checked >= 3
