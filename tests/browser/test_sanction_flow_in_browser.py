"""The whole decision flow in a real browser, on a planted scenario found by the real jobs:
log in, triage a report, open the campaign, open a case, propose a suspension, have
another supervisor approve it, see it in the register and in the deployer's API, appeal
it on the public page, have a third person reverse it."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from sqlalchemy import select

from browser_steps import PASSWORD
from browser_steps import choose as _choose
from browser_steps import click as _click
from browser_steps import log_in as _log_in
from browser_steps import text_in as _text_in
from browser_steps import type_into as _type
from browser_steps import wait as _wait
from core.models import Campaign, CampaignAccount, Deployer, Report, Sanction
from core.services import clients
from core.services import users as user_service
from demo.scenario import build_scenario
from factories import report_payload
from jobs.scheduler import run_job
from jobs.specs import get_job

pytestmark = pytest.mark.browser


@pytest.fixture
def planted(app, db) -> dict[str, object]:
    """A small week of traffic at two deployers with one planted campaign, sent through
    the bulk API, then the embed, group and detect jobs, as the scheduler would run them."""
    keys = {}
    with db.session_scope() as s:
        for email, role in (
            ("ana@example.org", "analyst"),
            ("sue@example.org", "supervisor"),
            ("bob@example.org", "analyst"),
        ):
            user_service.create_user(s, email, PASSWORD, role=role, actor="test")
        for name in ("acme-ai", "nimbus-labs"):
            _, issued = clients.create_deployer(
                s, name, retention_days=3650, secret_key=db.settings.secret_key, actor="test"
            )
            keys[name] = issued.key
    scenario = build_scenario(
        seed=3,
        organic_accounts=80,
        organic_posts=300,
        campaigns=1,
        campaign_accounts=12,
        start=datetime.now(UTC) - timedelta(days=7),
    )
    client = app.test_client()
    for name, rows in scenario.records.items():
        for start in range(0, len(rows), 500):
            resp = client.post(
                "/api/v1/logs",
                json=rows[start : start + 500],
                headers={"Authorization": f"Bearer {keys[name]}"},
            )
            assert resp.status_code == 200 and resp.get_json()["rejected_count"] == 0
    assert client.post("/api/v1/reports", json=report_payload()).status_code == 201
    for job in ("embed", "group", "detect"):
        assert run_job(db, get_job(job))
    with db.session_scope() as s:
        campaign = (
            s.execute(
                select(Campaign).where(Campaign.active.is_(True)).order_by(Campaign.score.desc())
            )
            .scalars()
            .first()
        )
        assert campaign is not None, "the detect job found no campaign in the planted scenario"
        account = s.execute(
            select(CampaignAccount.account_id, Deployer.name)
            .join(Deployer, Deployer.id == CampaignAccount.deployer_id)
            .where(CampaignAccount.campaign_id == campaign.id)
            .order_by(CampaignAccount.item_count.desc())
        ).first()
        report_id = s.execute(select(Report.id)).scalar_one()
    return {
        "campaign": campaign.id,
        "account": account[0],
        "deployer": account[1],
        "key": keys[account[1]],
        "report": report_id,
    }


def test_from_a_planted_campaign_to_a_reversed_suspension(driver, live_server, planted, app, db):
    base = live_server
    # 1. An analyst triages a report.
    _log_in(driver, base, "ana@example.org", "/dashboard/triage")
    row = f"#report-row-{planted['report']}"
    _click(driver, f"{row} a[href='/dashboard/reports/{planted['report']}']")
    _text_in(driver, "h1", f"Report {planted['report']}")
    _click(driver, "#report-status-choice input[value=in_review]")
    _click(driver, "#report-status-apply")
    _text_in(driver, "#report-action-message", "Status set to Under review")

    # 2. She opens the campaign the detect job found, and a case from it.
    driver.get(f"{base}/dashboard/campaigns/{planted['campaign']}")
    _text_in(driver, "h1", f"Campaign {planted['campaign']}")
    _text_in(driver, "#campaign-matrix-note", "accounts")
    _type(driver, "#campaign-case-title", "Planted campaign")
    _click(driver, "#campaign-case-open")
    _text_in(driver, "#campaign-message", "Case")
    link = _wait(driver).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, "#campaign-message a[href*='/cases/']"))
    )
    case_url = link.get_attribute("href")
    driver.get(case_url)
    _text_in(driver, "h1", "Case")

    # 3. She proposes suspending the busiest account; it waits for a supervisor.
    _click(driver, "#sanction-propose-open")
    _choose(driver, "sanction-deployer", str(planted["deployer"]))
    _type(driver, "#sanction-account", str(planted["account"]))
    _click(driver, "#sanction-measure input[value=suspension]")
    _choose(driver, "sanction-category", "Disinformation")
    _type(driver, "#sanction-ground-reference", "Acceptable use policy, clause 4")
    _type(driver, "#sanction-ground-explanation", "Coordinated posting of the same claim.")
    _type(driver, "#sanction-facts", "Posted in step with the other campaign accounts.")
    _click(driver, "#sanction-propose")
    _text_in(driver, "#sanction-propose-message", "supervisor")
    with db.session_scope() as s:
        sanction = s.execute(select(Sanction)).scalar_one()
        assert sanction.status == "proposed" and sanction.account_id == planted["account"]
        reference = sanction.reference

    # 4. A supervisor approves it.
    _log_in(driver, base, "sue@example.org", case_url.replace(base, ""))
    _click(driver, "[id*='sanction-approve']")
    _text_in(driver, "#case-confirm-question", "Approve the suspension")
    _click(driver, "#case-confirm-yes")
    _text_in(driver, "#case-decide-message", "in force")

    # 5. It is in the register, and in the deployer's own API.
    driver.get(f"{base}/dashboard/sanctions")
    _text_in(driver, "#sanctions-table", reference)
    feed = app.test_client().get(
        "/api/v1/sanctions", headers={"Authorization": f"Bearer {planted['key']}"}
    )
    assert [x["reference"] for x in feed.get_json()["sanctions"]] == [reference]

    # 6. The sanctioned party appeals on the public page.
    driver.delete_all_cookies()
    driver.get(f"{base}/appeal")
    _type(driver, "#reference", reference)
    _type(driver, "#statement", "These accounts were hijacked; we have secured them.")
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    code = _wait(driver).until(ec.presence_of_element_located((By.ID, "appeal-code"))).text
    assert re.fullmatch(r"[0-9A-Z]{4}(-[0-9A-Z]{4}){4}", code)
    assert code not in driver.current_url

    # 7. Someone who took no part in the decision reverses it.
    _log_in(driver, base, "bob@example.org", "/dashboard/sanctions")
    _text_in(driver, "#appeals-list", reference)
    _click(driver, "#appeals-list [id*='appeal-outcome'] input[value=reversed]")
    _type(
        driver,
        "#appeals-list input[id*='appeal-reason']",
        "The accounts were hijacked; the deployer secured them the same day.",
    )
    _click(driver, "#appeals-list [id*='appeal-decide']")
    _text_in(driver, "#appeals-message", "reversed")
    with db.session_scope() as s:
        assert s.execute(select(Sanction.status)).scalar_one() == "reversed"
    feed = app.test_client().get(
        "/api/v1/sanctions", headers={"Authorization": f"Bearer {planted['key']}"}
    )
    assert feed.get_json()["sanctions"] == []

    # 8. The appellant reads the outcome with the code.
    driver.delete_all_cookies()
    driver.get(f"{base}/appeal")
    _type(driver, "#appeal_code", code)
    driver.find_elements(By.CSS_SELECTOR, "form button[type=submit]")[1].click()
    _text_in(driver, "#appeal-status", "Decision reversed")
