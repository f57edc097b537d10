"""Following every lead in a real browser, as an analyst and a supervisor work: from an
alert to its group, account and log samples; deciding reports in words; approving from
the register; a case read top-down; truthful campaign and cluster pages; the triage
table; compressed, cached scripts.

The world is seeded through the services (no embedding model): a parcel-lure campaign
posted by four accounts on four days, everyday chatter around it, topic clusters with
keywords from the real keyword estimator, an alert, a case and a proposed suspension.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from selenium.common.exceptions import TimeoutException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import func, select

from analytics.keywords import FILLER_WORDS, ClassTfidfKeywords
from browser_steps import wait
from core.models import (
    Appeal,
    Campaign,
    CaseEvent,
    JobRun,
    LogRecord,
    Report,
    Sanction,
    TextBlob,
    TopicCluster,
    User,
)
from core.services import cases as case_service
from core.services import clients, grouping
from core.services import sanctions as sanction_service
from core.services import users as user_service
from core.services.detection import CampaignCandidate, save_alerts, save_campaigns
from factories import log_record, report_payload
from jobs.campaigns import _campaign_keywords  # what the detect job names campaigns by

pytestmark = pytest.mark.browser

PASSWORD = "correct horse battery staple"
# Dash loads its scripts and Plotly on first use; a loaded two-core machine needs time.
WAIT_SECONDS = 30
PARCEL = (
    "FINAL NOTICE: your parcel is held at the depot because the customs release fee was "
    "not paid. Pay the 2.99 release fee today at the depot portal or it goes back to the "
    "sender and the contents are destroyed."
)
CHATTER = {
    "library": "Honestly the new library reading room is just lovely this week, quiet desks",
    "weather": "Honestly the weather this week is just grey, rain and wind every morning",
    "market": "Honestly the farmers market this week just had the best apples and cheese",
}
DAYS = [datetime(2026, 11, 17, 9, tzinfo=UTC) + timedelta(days=d) for d in range(4)]


def _wait(driver: WebDriver, seconds: float = WAIT_SECONDS) -> WebDriverWait:
    return wait(driver, seconds)


def _text_in(driver: WebDriver, css: str, wanted: str) -> None:
    try:
        _wait(driver).until(ec.text_to_be_present_in_element((By.CSS_SELECTOR, css), wanted))
    except TimeoutException:
        found = driver.find_elements(By.CSS_SELECTOR, css)
        shown = found[0].text if found else "(no such element)"
        raise AssertionError(f"{wanted!r} not in {css}: {shown[:1500]!r}") from None


def _click(driver: WebDriver, css: str) -> None:
    _wait(driver).until(ec.element_to_be_clickable((By.CSS_SELECTOR, css))).click()


def _type(driver: WebDriver, css: str, text: str) -> None:
    box = _wait(driver).until(ec.presence_of_element_located((By.CSS_SELECTOR, css)))
    box.clear()
    box.send_keys(text)


def _log_in(driver: WebDriver, base: str, email: str, target: str | None = None) -> None:
    """Log in from the login page, as staff do; land where the login sends them."""
    driver.get(base + "/")
    driver.delete_all_cookies()
    driver.get(base + "/login" + (f"?next={target}" if target else ""))
    driver.find_element(By.ID, "email").send_keys(email)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    _wait(driver).until(ec.url_contains(target or "/dashboard/"))
    _wait(driver).until(ec.presence_of_element_located((By.CSS_SELECTOR, "#page h1")))


def _go(driver: WebDriver, url: str, heading: str) -> None:
    driver.get(url)
    _text_in(driver, "#page h1", heading)


@pytest.fixture
def world(app, db) -> dict[str, Any]:
    """Users, two deployers, the campaign and the chatter, groups and clusters, reports,
    an alert, a case from the campaign and a suspension waiting for approval."""
    with db.session_scope() as s:
        for email, role in (
            ("ana@example.org", "analyst"),
            ("sue@example.org", "supervisor"),
            ("sam@example.org", "supervisor"),
        ):
            user_service.create_user(s, email, PASSWORD, role=role, actor="test")
        keys = {}
        for name in ("acme-ai", "nimbus-labs"):
            _, issued = clients.create_deployer(
                s, name, retention_days=3650, secret_key=db.settings.secret_key, actor="t"
            )
            keys[name] = issued.key
    records: dict[str, list[dict[str, Any]]] = {"acme-ai": [], "nimbus-labs": []}
    n = 0
    for day in DAYS:
        for account in range(4):
            deployer = "acme-ai" if account < 3 else "nimbus-labs"
            for minute in (0, 4):
                n += 1
                records[deployer].append(
                    log_record(
                        n,
                        response=PARCEL,
                        account_id=f"parcel/{account}",
                        timestamp=(day + timedelta(minutes=minute + account)).isoformat(),
                    )
                )
        for k, (topic, chatter) in enumerate(CHATTER.items()):
            for account in range(3):
                n += 1
                records["acme-ai"].append(
                    log_record(
                        n,
                        response=f"{chatter}, day {day.day} note {account}",
                        account_id=f"{topic}-{account}",
                        timestamp=(day + timedelta(hours=3 + k, minutes=account)).isoformat(),
                    )
                )
    client = app.test_client()
    for name, rows in records.items():
        resp = client.post(
            "/api/v1/logs", json=rows, headers={"Authorization": f"Bearer {keys[name]}"}
        )
        assert resp.status_code == 200 and resp.get_json()["rejected_count"] == 0
    report_ids = []
    for output in (PARCEL, PARCEL, "Vote by text message: send YES to 5555 to cast your ballot."):
        resp = client.post("/api/v1/reports", json=report_payload(category="fraud", output=output))
        assert resp.status_code == 201
        report_ids.append(resp.get_json()["id"])

    with db.session_scope() as s:
        texts = dict(s.execute(select(TextBlob.id, TextBlob.masked_text)).all())
        parcel_text = next(i for i, t in texts.items() if t == PARCEL)
        topics = {t: [i for i, x in texts.items() if x.startswith(c)] for t, c in CHATTER.items()}
        others = [i for i in texts if i != parcel_text and all(i not in v for v in topics.values())]
        group_ids = grouping.new_group_ids(s, 2 + len(others))
        cluster_ids = grouping.new_cluster_ids(s, 5)
        placements, labels, cluster_texts = [], [], []
        parcel_group, chatter_group = group_ids[0], group_ids[1]
        placements.append(grouping.PlacementRow(parcel_text, parcel_group, cluster_ids[0], 0, 0))
        labels.append(0)
        cluster_texts.append(PARCEL)
        for k, ids in enumerate(topics.values(), start=1):
            for j, text_id in enumerate(ids):
                group = chatter_group if k == 1 and j < 2 else group_ids[1]
                placements.append(
                    grouping.PlacementRow(text_id, group, cluster_ids[k], k * 3.0, j * 0.1)
                )
                labels.append(k)
                cluster_texts.append(texts[text_id])
        for j, text_id in enumerate(others):
            placements.append(grouping.PlacementRow(text_id, group_ids[2 + j], None, -3, j))
        # Keywords as the group job computes them.
        keywords = ClassTfidfKeywords(top_n=8).fit(cluster_texts, labels).keywords_
        job = JobRun(job="group", status="ok")
        s.add(job)
        s.flush()
        grouping.write_placements(
            s,
            placements,
            run_id=job.id,
            replace_all=True,
            cluster_keywords={cluster_ids[k]: words for k, words in keywords.items()},
            # Similar items: the parcel text's nearest neighbour is the ballot report.
            neighbors=[(parcel_text, others[0], 0.42)] if others else [],
        )
        # An empty cluster: the last full run left it without texts.
        grouping.refresh_stats(s)
        s.commit()

        acme, nimbus = (
            s.execute(select(LogRecord.deployer_id).distinct().order_by(LogRecord.deployer_id))
            .scalars()
            .all()
        )
        parcel_logs = list(
            s.execute(
                select(LogRecord.id)
                .where(LogRecord.response_text_id == parcel_text)
                .order_by(LogRecord.id)
            ).scalars()
        )
        accounts = [(acme, f"parcel/{a}", 8) for a in range(3)] + [(nimbus, "parcel/3", 8)]

        [campaign_id] = save_campaigns(
            s,
            [
                CampaignCandidate(
                    score=2.5,
                    accounts=accounts,
                    log_ids=parcel_logs,
                    report_ids=report_ids[:2],
                    first_seen=DAYS[0],
                    last_seen=DAYS[-1] + timedelta(minutes=10),
                    explanation="4 accounts at 2 deployers produced 32 near-identical texts",
                    keywords=_campaign_keywords(s, [{parcel_group}])[0][:8],
                )
            ],
            match=lambda old, new: {},
        )
        save_alerts(
            s,
            [
                {
                    "subject_type": "group",
                    "subject_id": str(parcel_group),
                    "window_start": DAYS[-1],
                    "window_end": DAYS[-1] + timedelta(hours=6),
                    "score": 9.5,
                    "features": {"volume": 8.0},
                    "explanation": f"group {parcel_group}: volume 8 vs median 1 (8x the usual)",
                },
                {
                    "subject_type": "account",
                    "subject_id": f"{acme}/parcel/0",
                    "window_start": DAYS[-1],
                    "window_end": DAYS[-1] + timedelta(hours=6),
                    "score": 4.2,
                    "features": {"volume": 2.0},
                    "explanation": "account parcel/0: new account, 2 posts",
                },
            ],
        )
        s.commit()
        ana = s.execute(select(User).where(User.email == "ana@example.org")).scalar_one()
        case = case_service.open_case(
            s, title="Parcel lure", origin_type="campaign", origin_id=campaign_id, user=ana
        )
        sanction = sanction_service.propose_sanction(
            s,
            case.id,
            user=ana,
            subject_type="account",
            deployer_id=acme,
            account_id="parcel/0",
            measure="suspension",
            category="fraud",
            ground_type="terms",
            ground_reference="Acceptable use policy, clause 4",
            ground_explanation="Coordinated posting of a payment lure.",
            facts="Posted the same lure in step with three other accounts.",
            automated_detection=True,
            automated_decision="not",
            source_type="voluntary",
        )
        return {
            "acme": acme,
            "parcel_group": parcel_group,
            "parcel_text": parcel_text,
            "parcel_logs": parcel_logs,
            "campaign": campaign_id,
            "case": case.id,
            "sanction": sanction.id,
            "reference": sanction.reference,
            "reports": report_ids,
            "clusters": cluster_ids,
            "keywords": {cluster_ids[k]: words for k, words in keywords.items()},
        }


# --- 1. every alert leads somewhere -----------------------------------------------------


def test_an_alert_leads_to_its_group_account_log_sample_and_campaign(driver, live_server, world):
    base = live_server
    _log_in(driver, base, "ana@example.org")
    driver.find_element(By.LINK_TEXT, "Alerts & campaigns").click()
    group = world["parcel_group"]
    _text_in(driver, "#alerts-table", f"group {group}")

    # The alert names its group: a link to the group's page.
    _click(driver, f"#alerts-table a[href='/dashboard/groups/{group}']")
    _text_in(driver, "#page h1", f"Group {group}")
    _text_in(driver, "#group-summary", "32 log samples and 2 reports")
    _text_in(driver, "#group-alerts", f"group {group}: volume 8")
    _text_in(driver, "#group-campaigns", f"Campaign {world['campaign']}")
    _text_in(driver, "#group-cases", "Parcel lure")
    _text_in(driver, "#group-reports", f"Report {world['reports'][0]}")
    _text_in(driver, "#group-items-page-label", "34 items")
    texts = driver.find_element(By.ID, "group-texts").text
    assert "FINAL NOTICE" in texts and "acme-ai" in texts and "offensive" in texts
    bars = "#group-timeline .barlayer .point"
    _wait(driver).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, bars)) >= 4)

    # An account in the texts: its page, with its history, campaign and sanction.
    account = "/dashboard/accounts/acme-ai/parcel%2F0"
    _click(driver, f"#group-texts a[href='{account}']")
    _text_in(driver, "#page h1", "Account parcel/0 at acme-ai")
    _text_in(driver, "#account-summary", "8")
    _text_in(driver, "#account-campaigns", f"Campaign {world['campaign']}")
    _text_in(driver, "#account-sanctions", world["reference"])
    _text_in(driver, "#account-alerts", "new account")
    _text_in(driver, "#account-history", "8 log samples")
    assert driver.title == "Account parcel/0 at acme-ai · MisuseWatch dashboard"

    # One of its log samples: the masked texts, the group, the campaign.
    _click(driver, "#account-history a[href^='/dashboard/logs/']")
    _text_in(driver, "#page h1", "Log sample")
    _text_in(driver, "#log-meta", f"group {group}")
    _text_in(driver, "#log-campaigns", f"Campaign {world['campaign']}")
    assert "FINAL NOTICE" in driver.find_elements(By.CSS_SELECTOR, "pre.text")[-1].text

    # Back on the alerts: the account alert links its account, and both alerts the
    # campaign they feed.
    driver.find_element(By.LINK_TEXT, "Alerts & campaigns").click()
    _text_in(driver, "#alerts-table", "account")
    assert driver.find_elements(By.CSS_SELECTOR, f"#alerts-table a[href='{account}']")
    feeds = driver.find_elements(
        By.CSS_SELECTOR, f"#alerts-table a[href='/dashboard/campaigns/{world['campaign']}']"
    )
    assert len(feeds) == 2
    feeds[0].click()
    _text_in(driver, "#page h1", f"Campaign {world['campaign']}")


# --- 2. every identifier is a link; every page its own title ------------------------------


def test_identifiers_are_links_and_pages_have_titles(driver, live_server, world):
    base = live_server
    _log_in(driver, base, "sue@example.org")
    titles = {}
    for path, heading in (
        (f"/dashboard/reports/{world['reports'][0]}", f"Report {world['reports'][0]}"),
        (f"/dashboard/cases/{world['case']}", f"Case {world['case']}"),
        (f"/dashboard/campaigns/{world['campaign']}", f"Campaign {world['campaign']}"),
        ("/dashboard/audit", "Audit log"),
    ):
        _go(driver, base + path, heading)
        _wait(driver).until(lambda d, h=heading: d.title.startswith(h))
        titles[path] = driver.title
    assert len(set(titles.values())) == len(titles)

    # The report's near-duplicates link to the group, its similar items to their pages.
    _go(driver, f"{base}/dashboard/reports/{world['reports'][0]}", "Report")
    report = driver.find_element(By.ID, "page")
    assert report.find_elements(
        By.CSS_SELECTOR, f"a[href='/dashboard/groups/{world['parcel_group']}']"
    )
    similar = [a.get_attribute("href") for a in report.find_elements(By.CSS_SELECTOR, "a")]
    assert any("/dashboard/logs/" in h for h in similar)

    # A case's evidence and timeline link their items.
    _go(driver, f"{base}/dashboard/cases/{world['case']}", "Case")
    _text_in(driver, "#case-items", f"campaign {world['campaign']}")
    evidence = driver.find_element(By.ID, "case-items")
    assert evidence.find_elements(
        By.CSS_SELECTOR, f"a[href='/dashboard/campaigns/{world['campaign']}']"
    )
    timeline = driver.find_element(By.ID, "case-timeline")
    assert timeline.find_elements(By.CSS_SELECTOR, "a[href^='/dashboard/campaigns/']")

    # The campaign's accounts and sample items link their pages.
    _go(driver, f"{base}/dashboard/campaigns/{world['campaign']}", "Campaign")
    page = driver.find_element(By.ID, "page")
    assert page.find_elements(
        By.CSS_SELECTOR, "a[href='/dashboard/accounts/nimbus-labs/parcel%2F3']"
    )
    assert page.find_elements(By.CSS_SELECTOR, "a[href^='/dashboard/logs/']")

    # The audit log: SR- references for sanctions, subjects as links.
    _go(driver, f"{base}/dashboard/audit", "Audit log")
    _text_in(driver, "#audit-table", f"sanction {world['reference']}")
    audit = driver.find_element(By.ID, "audit-table")
    assert "sanction 1 " not in audit.text
    assert audit.find_elements(By.CSS_SELECTOR, f"a[href='/dashboard/cases/{world['case']}']")
    assert audit.find_elements(
        By.CSS_SELECTOR, f"a[href='/dashboard/campaigns/{world['campaign']}']"
    )


# --- 4. reporters hear back in words ----------------------------------------------------


def test_a_decision_reaches_the_reporter_in_words_with_a_way_to_appeal(
    driver, live_server, world, db
):
    base = live_server
    # A reporter sends a report through the form and keeps the receipt.
    driver.delete_all_cookies()
    driver.get(base + "/report")
    values = report_payload(category="fraud", output="Your parcel is held, pay the fee now.")
    driver.find_element(By.ID, "reporter_type-user").click()
    driver.find_element(By.CSS_SELECTOR, "#category option[value=fraud]").click()
    _type(driver, "#output", values["output"])
    _type(driver, "#explanation", values["explanation"])
    driver.find_element(By.ID, "accuracy_confirmed").click()
    driver.find_element(By.CSS_SELECTOR, "form[action$='/report'] button[type=submit]").click()
    receipt = _wait(driver).until(ec.presence_of_element_located((By.ID, "receipt-code"))).text
    with db.session_scope() as s:
        report_id = s.execute(select(func.max(Report.id))).scalar_one()

    # An analyst decides it: without a reason she is asked for one.
    _log_in(driver, base, "ana@example.org", f"/dashboard/reports/{report_id}")
    _click(driver, "#report-status-choice input[value=no_action]")
    _click(driver, "#report-status-apply")
    _text_in(driver, "#report-action-message", "Tell the reporter why")
    reason = "The fee notice names no real company and asks for no card details."
    _type(driver, "#report-decision-reason", reason)
    _click(driver, "#report-status-apply")
    _text_in(driver, "#report-action-message", "Status set to Decided: no action")
    _text_in(driver, "#report-meta", reason)

    # The reporter reads the decision, what each status means, the usual time.
    driver.get(base + "/")
    driver.delete_all_cookies()
    driver.get(base + "/follow-up")
    _type(driver, "#receipt", receipt)
    driver.find_element(By.CSS_SELECTOR, "form[action$='/follow-up'] button").click()
    _wait(driver).until(ec.presence_of_element_located((By.ID, "decision-reason")))
    assert driver.find_element(By.ID, "report-status").text == "Decided: no action"
    assert driver.find_element(By.ID, "decision-reason").text == reason
    steps = driver.find_element(By.ID, "status-steps").text
    for label in ("Received", "Under review", "Decided: action taken", "Closed"):
        assert label in steps
    current = driver.find_element(By.CSS_SELECTOR, "#status-steps [aria-current=step]")
    assert "Decided: no action" in current.text
    assert "decided within" in driver.find_element(By.ID, "expected-time").text

    # Straight to an appeal of this report, without typing the receipt again.
    driver.find_element(By.ID, "appeal-link").click()
    _wait(driver).until(ec.presence_of_element_located((By.ID, "appeal-for-report")))
    assert f"#{report_id}" in driver.find_element(By.ID, "appeal-for-report").text
    assert not driver.find_elements(By.ID, "receipt")
    _type(driver, "#statement", "The page it sent me to asked for my card number.")
    driver.find_element(By.CSS_SELECTOR, "form[action$='/appeal'] button[type=submit]").click()
    code = _wait(driver).until(ec.presence_of_element_located((By.ID, "appeal-code"))).text
    assert code and code not in driver.current_url
    with db.session_scope() as s:
        appeal = s.execute(select(Appeal)).scalar_one()
        assert appeal.report_id == report_id and appeal.appellant_type == "reporter"


# --- 5. staff land where they work --------------------------------------------------------


def test_staff_land_on_the_dashboard_and_approve_from_the_register(driver, live_server, world, db):
    base = live_server
    # A supervisor logs in from the login page: the overview, with what awaits her.
    _log_in(driver, base, "sue@example.org")
    assert driver.current_url.endswith("/dashboard/")
    _text_in(driver, "#overview-approvals", "Awaiting your approval (1)")
    _text_in(driver, "#overview-approvals", world["reference"])

    # The register offers approve and reject on a proposal, not revoke.
    driver.find_element(By.LINK_TEXT, "Sanctions").click()
    row = f"#sanction-{world['sanction']}"
    _text_in(driver, row, world["reference"])
    assert "Revoke" not in driver.find_element(By.CSS_SELECTOR, row).text
    _click(driver, f"{row} button[id*='register-approve']")
    # A suspension is asked for first, in words; cancelling changes nothing.
    _text_in(driver, "#register-confirm-question", "Approve the suspension of account parcel/0")
    assert driver.find_element(By.ID, "register-confirm-box").is_displayed()
    _click(driver, "#register-confirm-no")
    _text_in(driver, "#sanctions-message", "Not approved")
    with db.session_scope() as s:
        assert s.get(Sanction, world["sanction"]).status == "proposed"
    _click(driver, f"{row} button[id*='register-approve']")
    _click(driver, "#register-confirm-yes")
    _text_in(driver, "#sanctions-message", "approved; it is in force")
    _text_in(driver, row, "active")
    with db.session_scope() as s:
        assert s.get(Sanction, world["sanction"]).status == "active"

    # An analyst: no audit log in the navigation; the address answers inside the
    # dashboard, with its navigation.
    _log_in(driver, base, "ana@example.org")
    nav = driver.find_element(By.ID, "nav").text
    assert "Triage" in nav and "Audit log" not in nav
    driver.get(base + "/dashboard/audit")
    _text_in(driver, "#page", "This page needs the supervisor role")
    assert "Triage" in driver.find_element(By.ID, "nav").text


# --- 6. the case page reads top-down ---------------------------------------------------------


def _top(driver: WebDriver, css: str) -> float:
    return float(driver.find_element(By.CSS_SELECTOR, css).rect["y"])


def test_the_case_page_reads_top_down(driver, live_server, world):
    base = live_server
    _log_in(driver, base, "ana@example.org", f"/dashboard/cases/{world['case']}")
    _text_in(driver, "#case-items", f"campaign {world['campaign']}")
    # Summary and evidence first, then the timeline, then sanctions.
    assert _top(driver, "#case-summary") < _top(driver, "#case-timeline")
    assert _top(driver, "#case-evidence") < _top(driver, "#case-timeline")
    assert _top(driver, "#case-timeline") < _top(driver, "#case-sanctions-section")

    # A note appears next to the button that added it.
    _type(driver, "#case-note", "Checked the depot address: it is a parking lot.")
    _click(driver, "#case-note-add")
    _text_in(driver, "#case-timeline", "Checked the depot address")
    note = driver.find_element(By.XPATH, "//*[@id='case-timeline']//li[1]")
    button = driver.find_element(By.ID, "case-note-add")
    assert "Checked the depot address" in note.text
    assert abs(note.rect["y"] - button.rect["y"]) < 400

    # The sanction form is behind a button and shows only what fits.
    assert not driver.find_element(By.ID, "sanction-form").is_displayed()
    _click(driver, "#sanction-propose-open")
    _wait(driver).until(ec.visibility_of_element_located((By.ID, "sanction-form")))
    shown = lambda field: driver.find_element(By.ID, f"{field}-field").is_displayed()  # noqa: E731
    assert shown("sanction-account") and not shown("sanction-api-key")
    assert not shown("sanction-rate")
    measures = driver.find_element(By.ID, "sanction-measure").text
    assert "Model withdrawal" not in measures
    _click(driver, "#sanction-subject-type input[value=api_key]")
    _wait(driver).until(lambda d: shown("sanction-api-key") and not shown("sanction-account"))
    _click(driver, "#sanction-subject-type input[value=model]")
    _wait(driver).until(
        lambda d: "Model withdrawal" in d.find_element(By.ID, "sanction-measure").text
    )
    _click(driver, "#sanction-subject-type input[value=account]")
    _click(driver, "#sanction-measure input[value=rate_limit]")
    _wait(driver).until(lambda d: shown("sanction-rate"))

    # Errors next to their fields, in words.
    _click(driver, "#sanction-propose")
    _text_in(driver, "#sanction-propose-message", "to correct")
    for field, words in (
        ("sanction-deployer", "Name the deployer"),
        ("sanction-account", "Give the account id"),
        ("sanction-rate", "requests per minute"),
        ("sanction-category", "Choose the kind of harm"),
        ("sanction-facts", "The facts relied on is required"),
    ):
        _text_in(driver, f"#{field}-error", words)
    errors = driver.find_element(By.ID, "sanction-form").text
    assert "_" not in "".join(
        e.text for e in driver.find_elements(By.CSS_SELECTOR, "#sanction-form .field-error")
    )
    assert "Must be one of" not in errors


# --- 7. the campaign page tells the truth --------------------------------------------------


def test_the_campaign_page_tells_the_truth(driver, live_server, world, db):
    base = live_server
    _log_in(driver, base, "ana@example.org", f"/dashboard/campaigns/{world['campaign']}")
    # Keywords from the campaign's own texts, not from the chatter around them.
    _text_in(driver, "#campaign-summary", "depot")
    summary = driver.find_element(By.ID, "campaign-summary").text
    keywords = summary.split("Keywords\n", 1)[1].split("\n", 1)[0].split(", ")
    assert len(keywords) >= 4 and all(k in PARCEL.lower() for k in keywords), keywords

    # Four days of activity: four one-day bars per series, none wider than a day.
    bars = "#campaign-timeline .barlayer .trace:first-child .point path"
    _wait(driver).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, bars)) == 4)
    boxes = sorted(
        (e.rect for e in driver.find_elements(By.CSS_SELECTOR, bars)), key=lambda r: r["x"]
    )
    day = boxes[1]["x"] - boxes[0]["x"]
    assert day > 0
    assert all(b["width"] < day for b in boxes)

    # Who posted what: four accounts, one group, a cell each.
    _text_in(driver, "#campaign-matrix-note", "4 accounts posted into 1 groups")
    _wait(driver).until(
        lambda d: (
            d.find_elements(By.CSS_SELECTOR, "#campaign-matrix .heatmaplayer image")
            or d.find_elements(By.CSS_SELECTOR, "#campaign-matrix .hm")
        )
    )
    ticks = driver.find_elements(By.CSS_SELECTOR, "#campaign-matrix .ytick text")
    assert len(ticks) == 4
    assert driver.find_elements(
        By.CSS_SELECTOR,
        f"#campaign-matrix-groups a[href='/dashboard/groups/{world['parcel_group']}']",
    )

    # Escalated (a case is open on it): acknowledging it needs a reason, which the case
    # timeline keeps.
    _text_in(driver, "#campaign-summary", "escalated")
    _click(driver, "#campaign-ack")
    _text_in(driver, "#campaign-message", f"escalated to case {world['case']}")
    with db.session_scope() as s:
        assert s.get(Campaign, world["campaign"]).status == "escalated"
    _type(driver, "#campaign-reason", "The deployer removed the accounts; watching only.")
    _click(driver, "#campaign-ack")
    _text_in(driver, "#campaign-message", f"Campaign {world['campaign']} acknowledged")
    with db.session_scope() as s:
        assert s.get(Campaign, world["campaign"]).status == "acknowledged"
        events = s.execute(select(CaseEvent.body).where(CaseEvent.case_id == world["case"]))
        assert any("from escalated to acknowledged" in b for b in events.scalars())


# --- 8. the cluster map points at misuse --------------------------------------------------


def test_the_cluster_map_points_at_misuse(driver, live_server, world, db):
    base = live_server
    with db.session_scope() as s:
        # A cluster the last run emptied.
        s.add(TopicCluster(keywords=["stale"], text_count=0))
        s.commit()
    _log_in(driver, base, "ana@example.org", "/dashboard/clusters")
    parcel = world["clusters"][0]
    legend = "#clusters-graph .legend .traces"
    _wait(driver).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, legend)) >= 2)
    entries = [e.text for e in driver.find_elements(By.CSS_SELECTOR, legend)]
    # The campaign's cluster first, coloured and named by its signs; the chatter pale.
    assert entries[0].startswith(f"{parcel}:") and "campaign" in entries[0]
    assert any(e.startswith("other clusters") for e in entries)
    table = driver.find_element(By.ID, "clusters-keywords").text
    assert table.index(f"\n{parcel} ") < min(table.index(f"\n{c} ") for c in world["clusters"][1:4])
    assert "stale" not in table
    # No filler words among the keywords.
    for words in world["keywords"].values():
        assert not set(words) & (FILLER_WORDS | {"honestly", "week"})
    assert "library" in table

    # The keyword table follows the filter.
    library = world["clusters"][1]
    driver.find_element(By.CSS_SELECTOR, "#clusters-cluster").click()
    option = f"//*[@role='option'][starts-with(normalize-space(.), '{library}:')]"
    _wait(driver).until(ec.element_to_be_clickable((By.XPATH, option))).click()
    _wait(driver).until(lambda d: "weather" not in d.find_element(By.ID, "clusters-keywords").text)
    assert "library" in driver.find_element(By.ID, "clusters-keywords").text


# --- 9. the triage table -------------------------------------------------------------------


def test_the_triage_table(driver, live_server, world, db):
    base = live_server
    first, second, ballot = world["reports"]
    _log_in(driver, base, "ana@example.org", "/dashboard/triage")
    row = f"#report-row-{first}"
    _text_in(driver, row, "API")
    cells = driver.find_elements(By.CSS_SELECTOR, f"{row} td")
    headers = [h.text for h in driver.find_elements(By.CSS_SELECTOR, "#triage-table th")]
    by_header = dict(zip(headers, cells, strict=True))
    # Source filled, group a link with the exact-copy flag, the filter's status words.
    assert by_header["Source"].text == "API"
    group = by_header["Group"]
    assert group.find_elements(
        By.CSS_SELECTOR, f"a[href='/dashboard/groups/{world['parcel_group']}']"
    )
    assert "exact copy" in group.text
    assert by_header["Status"].text == "Received"
    filters = driver.find_element(By.ID, "triage-status").text
    assert "Received" in filters and "Under review" in filters
    age = by_header["Age"].find_element(By.TAG_NAME, "span")
    assert age.value_of_css_property("white-space") == "nowrap"
    snippet = by_header["Output"].text
    assert snippet.endswith("…") and not snippet[:-1].endswith(" ")
    assert PARCEL.startswith(snippet[:-1].rstrip(" ,.;:-"))

    # Mark the second parcel report a duplicate of the first.
    driver.find_element(By.CSS_SELECTOR, f"#report-row-{second} input[type=checkbox]").click()
    _type(driver, "#triage-duplicate-of", str(first))
    _click(driver, "#triage-mark-duplicate")
    _text_in(driver, "#triage-message", f"1 reports marked as duplicates of report {first}")
    _text_in(driver, f"#report-row-{second}", f"duplicate of #{first}")
    with db.session_scope() as s:
        assert s.get(Report, second).duplicate_of_id == first
        assert s.get(Report, ballot).duplicate_of_id is None


# --- 11. compressed, cached scripts ----------------------------------------------------------


def test_the_dashboard_scripts_arrive_compressed_and_cached(driver, live_server, world):
    base = live_server
    _log_in(driver, base, "ana@example.org")
    _wait(driver).until(
        ec.presence_of_element_located((By.CSS_SELECTOR, "#overview-logs-graph .main-svg"))
    )
    entries = driver.execute_script(
        "return performance.getEntriesByType('resource')"
        ".filter(e => e.name.endsWith('.js') || e.name.includes('.js?'))"
        ".map(e => [e.name, e.transferSize, e.encodedBodySize, e.decodedBodySize])"
    )
    plain = sum(e[3] for e in entries)
    sent = sum(e[2] for e in entries)
    assert plain > 2_000_000, "the dashboard's first load should include Plotly"
    assert sent < plain * 0.4, (sent, plain)
    # A second visit takes the fingerprinted scripts from the cache.
    driver.get(base + "/dashboard/triage")
    _wait(driver).until(ec.presence_of_element_located((By.CSS_SELECTOR, "#triage-table table")))
    again = driver.execute_script(
        "return performance.getEntriesByType('resource')"
        ".filter(e => e.name.includes('_dash-component-suites') && e.name.includes('.js'))"
        ".map(e => [e.name, e.transferSize])"
    )
    seen = {e[0] for e in entries}
    again = [e for e in again if e[0] in seen]
    assert again and all(size == 0 for _, size in again), [e for e in again if e[1]]
