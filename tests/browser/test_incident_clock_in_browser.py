"""The serious-incident clock in a real browser: declare a case one (GPAI profile,
cybersecurity breach: 5 days), submit the initial report with items missing, see the
four-week intermediate clock, resolve it and see the final report due in 60 days; with
time advanced, the scheduler's alerts appear; the incidents list shows overdue ones
first, in red."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from selenium.webdriver.common.by import By
from sqlalchemy import select

from browser_steps import PASSWORD, choose, click, log_in, text_in, wait
from core.models import Incident, Report, User
from core.services import cases as case_service
from core.services import incidents as incident_service
from core.services import users as user_service
from factories import report_payload

pytestmark = pytest.mark.browser

ANALYST = "ana@example.org"


def _case(db, title: str, report_id: int) -> int:
    with db.session_scope() as s:
        user = s.execute(select(User).where(User.email == ANALYST)).scalar_one()
        case = case_service.open_case(
            s, title=title, origin_type="reports", items=[("report", report_id)], user=user
        )
        return case.id


@pytest.fixture
def case_id(app, db) -> int:
    """A case opened from one public report flagged as a possible serious incident."""
    with db.session_scope() as s:
        user_service.create_user(s, ANALYST, PASSWORD, role="analyst", actor="test")
    answer = app.test_client().post("/api/v1/reports", json=report_payload(serious_incident=True))
    assert answer.status_code == 201
    with db.session_scope() as s:
        assert s.execute(select(Report.serious_incident)).scalar_one() is True
    return _case(db, "Model weights copied", answer.get_json()["id"])


def _item(driver, n: int, tag: str, text: str) -> None:
    """Type into item ``n`` of the report form: its text, or why it is missing."""
    items = wait(driver).until(lambda d: d.find_elements(By.CSS_SELECTOR, ".incident-item"))
    box = items[n].find_element(By.TAG_NAME, tag)
    box.clear()
    box.send_keys(text)


def test_declare_report_resolve_and_the_alerts_when_time_moves_on(driver, live_server, case_id, db):
    base = live_server
    log_in(driver, base, ANALYST, f"/dashboard/cases/{case_id}")
    text_in(driver, "#incident-section h2", "Serious incident")

    # 1. Declared under the GPAI profile as a cybersecurity breach: five days.
    choose(driver, "incident-category", "Serious cybersecurity breach")
    click(driver, "#incident-declare")
    text_in(driver, "#incident-message", "Declared a serious incident")
    text_in(driver, "#incident-clock-next", "Next: Initial report")
    text_in(driver, "#incident-clock-left", "4 d 23 h left")
    text_in(driver, "#case-timeline", "declared a serious incident")

    # 2. The initial report: an item neither given nor explained is refused by name...
    for n, text in enumerate(
        [
            "Started 2026-12-01, ongoing",
            "A partner's model weights were copied",
            "",
            "example-chat 2.1",
        ]
    ):
        if text:
            _item(driver, n, "textarea", text)
    click(driver, "#incident-submit")
    text_in(driver, "#incident-message", "Give this item, or say why it is missing.")
    # ... and recorded as missing once the reason is given.
    _item(driver, 2, "input", "Forensics still running")
    for n in range(4, 9):
        _item(driver, n, "input", "Not known yet")
    click(driver, "#incident-submit")
    text_in(driver, "#incident-message", "submitted and frozen")
    text_in(driver, "#incident-reports", "The chain of events that led to it")
    text_in(driver, "#incident-clock-next", "Next: Intermediate report")
    text_in(driver, "#incident-clock-left", "27 d 23 h left")
    text_in(driver, "#case-timeline", "Initial report submitted, 6 item(s) missing")

    # The printable page shows what is missing as missing, with the hash.
    with db.session_scope() as s:
        incident = s.execute(select(Incident)).scalar_one()
        sha = incident.reports[0].content_sha256
    printable = driver.find_element(By.CSS_SELECTOR, "#incident-reports a[href$='format=html']")
    driver.get(printable.get_attribute("href"))
    text_in(driver, "#item-chain_of_events", "Missing: Forensics still running")
    text_in(driver, "#report-sha256", sha)

    # 3. Resolved: the final report is due 60 days later.
    driver.get(f"{base}/dashboard/cases/{case_id}")
    text_in(driver, "#incident-clock-next", "Intermediate report")
    click(driver, "#incident-resolve")
    text_in(driver, "#incident-message", "resolved")
    text_in(driver, "#incident-clock-next", "Next: Final report")
    text_in(driver, "#incident-clock-left", "59 d 23 h left")

    # 4. Time moves on: a day before the deadline, then past it, the job raises alerts.
    with db.session_scope() as s:
        resolved = s.execute(select(Incident.resolved_at)).scalar_one()
        due = resolved + timedelta(days=60)
        soon = incident_service.raise_deadline_alerts(s, now=due - timedelta(hours=2))
        late = incident_service.raise_deadline_alerts(s, now=due + timedelta(minutes=5))
    assert (soon["due_soon"], late["overdue"]) == (1, 1)
    driver.get(f"{base}/dashboard/alerts")
    text_in(driver, "#alerts-table", "final report of the serious incident was due")
    text_in(driver, "#alerts-table", "in less than a day")
    # Each alert leads to the case.
    wait(driver).until(
        lambda d: d.find_elements(
            By.CSS_SELECTOR, f"#alerts-table a[href='/dashboard/cases/{case_id}']"
        )
    )


def test_the_incidents_list_puts_overdue_first_in_red(driver, live_server, case_id, db):
    later = _case(db, "Grid outage", 1)
    with db.session_scope() as s:
        user = s.execute(select(User).where(User.email == ANALYST)).scalar_one()
        now = datetime.now(UTC)
        # Aware twelve days ago of serious harm: three days left of fifteen.
        incident_service.declare_incident(
            s, later, user=user, profile="high_risk", category="serious_harm",
            aware_at=now - timedelta(days=12),
        )  # fmt: skip
        # Aware six days ago of a breach: one day past the five.
        incident_service.declare_incident(
            s, case_id, user=user, profile="gpai_systemic_risk",
            category="cybersecurity_breach", aware_at=now - timedelta(days=6),
        )  # fmt: skip
    log_in(driver, live_server, ANALYST, "/dashboard/incidents")
    text_in(driver, "#incidents-table", "Grid outage")
    rows = driver.find_elements(By.CSS_SELECTOR, "#incidents-table tbody tr")
    assert [r.get_attribute("id") for r in rows] == [
        f"incident-row-{case_id}",
        f"incident-row-{later}",
    ]
    assert "overdue" in rows[0].get_attribute("class")
    assert "overdue by 1 d" in rows[0].text
    assert "overdue" not in (rows[1].get_attribute("class") or "")
    assert "2 d 23 h left" in rows[1].text
    # Red, as the analyst sees it.
    colour = rows[0].find_element(By.CSS_SELECTOR, "td").value_of_css_property("color")
    assert colour == "rgba(176, 0, 32, 1)"
