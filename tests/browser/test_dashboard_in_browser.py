"""The analyst dashboard in a real browser: Dash's scripts, callbacks and graphs."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select

from browser_steps import wait
from core.models import LogRecord, Report
from core.services import clients
from core.services import users as user_service
from core.services.detection import CampaignCandidate, save_campaigns
from factories import log_record, report_payload

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"
# Dash loads its scripts and Plotly on first use; a loaded two-core machine needs time.
WAIT_SECONDS = 20
TEXT = "Polling stations in Riverton close at noon on election day. Share this now!"


def _wait(driver: WebDriver) -> WebDriverWait:
    return wait(driver, WAIT_SECONDS)


def _text_in(driver: WebDriver, css: str, wanted: str) -> None:
    _wait(driver).until(ec.text_to_be_present_in_element((By.CSS_SELECTOR, css), wanted))


@pytest.fixture
def seeded(app, db) -> dict[str, int]:
    """An analyst, two reports, a deployer's log samples and a campaign among them."""
    with db.session_scope() as s:
        user_service.create_user(s, "ana@example.org", PASSWORD, role="analyst", actor="test")
        _, issued = clients.create_deployer(
            s, "acme-ai", retention_days=3650, secret_key=db.settings.secret_key, actor="t"
        )
    client = app.test_client()
    for category in ("disinformation", "fraud"):
        assert (
            client.post("/api/v1/reports", json=report_payload(category=category)).status_code
            == 201
        )
    records = [log_record(n, response=TEXT, account_id=f"acct-{n % 4}") for n in range(1, 9)]
    resp = client.post(
        "/api/v1/logs", json=records, headers={"Authorization": f"Bearer {issued.key}"}
    )
    assert resp.status_code == 200
    with db.session_scope() as s:
        (deployer_id,) = s.execute(select(LogRecord.deployer_id).limit(1)).one()
        log_ids = list(s.execute(select(LogRecord.id)).scalars())
        report_id = s.execute(
            select(Report.id).where(Report.category == "disinformation")
        ).scalar_one()
        start = datetime(2026, 11, 20, 12, tzinfo=UTC)
        [campaign_id] = save_campaigns(
            s,
            [
                CampaignCandidate(
                    score=0.9,
                    accounts=[(deployer_id, f"acct-{n}", 2) for n in range(4)],
                    log_ids=log_ids,
                    report_ids=[report_id],
                    first_seen=start,
                    last_seen=start + timedelta(minutes=5),
                    explanation="4 accounts at 1 deployer produced near-duplicate texts",
                    keywords=["polling", "riverton"],
                )
            ],
            match=lambda old, new: {},
        )
        s.commit()
    return {"report": report_id, "campaign": campaign_id}


def _log_in(driver: WebDriver, base_url: str) -> None:
    driver.get(base_url + "/dashboard/triage")
    # Sent to the login page first, and back to the dashboard after it.
    _wait(driver).until(ec.url_contains("/login"))
    driver.find_element(By.ID, "email").send_keys("ana@example.org")
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    _wait(driver).until(ec.url_contains("/dashboard/triage"))


def test_analyst_triages_a_report_and_opens_a_campaign(driver, live_server, seeded, db):
    _log_in(driver, live_server)
    report_id = seeded["report"]
    row = f"#report-row-{report_id}"
    _wait(driver).until(ec.presence_of_element_located((By.CSS_SELECTOR, row)))
    _text_in(driver, "#triage-page-label", "2 reports")
    _text_in(driver, "#user-box", "ana@example.org")

    # Assign it to me from the queue.
    driver.find_element(By.CSS_SELECTOR, f"{row} input[type=checkbox]").click()
    driver.find_element(By.ID, "triage-bulk-assign-me").click()
    _text_in(driver, "#triage-message", "1 of 1 selected reports assigned to you")
    _text_in(driver, row, "ana@example.org")

    # Open it, read it, change its status.
    driver.find_element(By.CSS_SELECTOR, f"{row} a[href='/dashboard/reports/{report_id}']").click()
    _text_in(driver, "h1", f"Report {report_id}")
    assert "polling stations in Riverton" in driver.find_element(By.CSS_SELECTOR, "pre.text").text
    driver.find_element(By.CSS_SELECTOR, "#report-status-choice input[value=in_review]").click()
    driver.find_element(By.ID, "report-status-apply").click()
    _text_in(driver, "#report-action-message", "Status set to Under review")
    _text_in(driver, "#report-meta", "Under review")
    with db.session_scope() as s:
        report = s.get(Report, report_id)
        assert report.status == "in_review" and report.assignee_id is not None

    # The overview, by the navigation bar.
    driver.find_element(By.LINK_TEXT, "Overview").click()
    _text_in(driver, "#overview-tiles", "reports")
    _wait(driver).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, "#overview-logs-graph .main-svg"))
    )

    # A campaign page draws who posted what: one row per account.
    driver.get(f"{live_server}/dashboard/campaigns/{seeded['campaign']}")
    _text_in(driver, "h1", f"Campaign {seeded['campaign']}")
    _text_in(driver, "#campaign-matrix-note", "4 accounts posted into 1 groups")
    rows = "#campaign-matrix .ytick text"
    _wait(driver).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, rows)) == 4)
    assert driver.find_element(By.ID, "campaign-matrix").is_displayed()
