"""Rate limits and stored addresses see the client behind trusted proxies, and only
then; the bulk API's quota counts per key however the header is spelt."""

from dataclasses import replace

import pytest
from sqlalchemy import select

from core.exceptions import ConfigurationError
from core.models import Report
from core.settings import load_settings
from factories import browser_like, log_record, report_payload
from security_support import bearer, deployer_key


def _app(settings, analyzer, **changes):
    from portal import create_app

    return browser_like(
        create_app(replace(settings, rate_limits_enabled=True, **changes), analyzer=analyzer)
    )


def _post_report(client, forwarded_for=None):
    headers = {"X-Forwarded-For": forwarded_for} if forwarded_for else {}
    return client.post("/api/v1/reports", json=report_payload(), headers=headers).status_code


def _stored_addresses(db):
    with db.session_scope() as s:
        return s.execute(select(Report.submitter_ip).order_by(Report.id)).scalars().all()


def test_without_trusted_proxies_x_forwarded_for_is_ignored(settings, analyzer, db):
    app = _app(settings, analyzer, rate_limit_reports="2 per minute")
    client = app.test_client()
    # Made-up X-Forwarded-For values neither win a fresh limit nor get stored.
    codes = [_post_report(client, f"198.51.100.{n}") for n in range(3)]
    assert codes == [201, 201, 429]
    assert _stored_addresses(db) == ["127.0.0.1", "127.0.0.1"]
    app.extensions["misuse.db"].dispose()


def test_behind_a_trusted_proxy_each_client_has_its_own_limit(settings, analyzer, db):
    app = _app(settings, analyzer, rate_limit_reports="2 per minute", trusted_proxies=1)
    client = app.test_client()
    # The proxy (127.0.0.1 here) appends the address it saw; whatever a client put
    # in front of it is not believed.
    first = [_post_report(client, "6.6.6.6, 198.51.100.1") for _ in range(3)]
    second = [_post_report(client, "198.51.100.2") for _ in range(2)]
    assert first == [201, 201, 429]
    assert second == [201, 201]
    assert _stored_addresses(db) == ["198.51.100.1"] * 2 + ["198.51.100.2"] * 2
    app.extensions["misuse.db"].dispose()


def test_whistleblowers_addresses_stay_unstored_behind_a_proxy(settings, analyzer, db):
    app = _app(settings, analyzer, trusted_proxies=1)
    resp = app.test_client().post(
        "/api/v1/reports",
        json=report_payload(reporter_type="whistleblower", contact_email=None),
        headers={"X-Forwarded-For": "198.51.100.1"},
    )
    assert resp.status_code == 201
    assert _stored_addresses(db) == [None]
    app.extensions["misuse.db"].dispose()


def test_the_https_proxy_scheme_counts_for_the_same_origin_check(settings, analyzer, db):
    from security_support import login, make_user

    make_user(db, "ana@example.org")
    app = _app(settings, analyzer, trusted_proxies=1, https=True)
    client = app.test_client()
    # What the browser sends through the TLS proxy, and what the proxy adds.
    client.environ_base.update(
        HTTP_ORIGIN="https://localhost",
        HTTP_REFERER="https://localhost/login",
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    assert login(client, "ana@example.org").status_code == 303
    case = {"title": "Case", "origin_type": "manual"}
    made = client.post("/api/v1/cases", json=case)
    assert made.status_code == 201, made.get_json()
    client.environ_base["HTTP_ORIGIN"] = "http://localhost"
    assert client.post("/api/v1/cases", json=case).status_code == 403
    app.extensions["misuse.db"].dispose()


def test_trusted_proxies_setting():
    assert (
        load_settings(environ={"MISUSE_TRUSTED_PROXIES": "2"}, secret_key="k").trusted_proxies == 2
    )
    assert load_settings(environ={}, secret_key="k").trusted_proxies == 0
    with pytest.raises(ConfigurationError, match="TRUSTED_PROXIES"):
        load_settings(environ={"MISUSE_TRUSTED_PROXIES": "-1"}, secret_key="k")


def test_the_bulk_quota_counts_per_key_however_the_header_is_spelt(settings, analyzer, db):
    app = _app(settings, analyzer, rate_limit_api_key="3 per minute")
    key, other = deployer_key(db, "acme"), deployer_key(db, "globex")
    client = app.test_client()
    spellings = [f"Bearer {key}", f"bearer {key}", f"BEARER {key}", f"Bearer  {key} "]
    codes = [
        client.post("/api/v1/logs", json=[log_record(n)], headers={"Authorization": h}).status_code
        for n, h in enumerate(spellings)
    ]
    assert codes == [200, 200, 200, 429]
    # Another key keeps its own quota.
    resp = client.post("/api/v1/logs", json=[log_record(9)], headers=bearer(other))
    assert resp.status_code == 200
    # Made-up keys count against the caller's address, not a fresh bucket each.
    made_up = [
        client.post("/api/v1/logs", json=[], headers=bearer(f"mw_fake{n}")).status_code
        for n in range(4)
    ]
    assert made_up == [401, 401, 401, 429]
    app.extensions["misuse.db"].dispose()
