"""The public pages as a reporter uses them: a real browser, real forms, real cookies."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select, WebDriverWait
from sqlalchemy import select

from core.models import Report
from factories import report_payload

pytestmark = pytest.mark.browser

RECEIPT = re.compile(r"^[0-9A-Z]{4}(?:-[0-9A-Z]{4}){4}$")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WAIT_SECONDS = 10


# --- helpers ------------------------------------------------------------------------


def _wait(driver: WebDriver) -> WebDriverWait:
    return WebDriverWait(driver, WAIT_SECONDS)


def _submit(driver: WebDriver, form: WebElement) -> None:
    """Press the form's own submit button and wait until the next page has loaded."""
    # A marker on the old window object: gone once the next document has replaced it.
    # (Checking the old element for staleness races with Chrome tearing the page down.)
    driver.execute_script("window.__beforeSubmit = true;")
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()

    def next_page_loaded(d: WebDriver) -> bool:
        try:
            return bool(
                d.execute_script(
                    "return window.__beforeSubmit === undefined"
                    " && document.readyState === 'complete'"
                )
            )
        except WebDriverException:  # navigation in progress
            return False

    _wait(driver).until(next_page_loaded)


def _type(driver: WebDriver, field_id: str, text: str) -> None:
    element = driver.find_element(By.ID, field_id)
    element.clear()
    element.send_keys(text)


def _fill_report(driver: WebDriver, *, confirm: bool = True, **overrides: str) -> None:
    """Fill the report form as a person would: click, choose, type, tick."""
    values = report_payload(**overrides)
    driver.find_element(By.ID, f"reporter_type-{values['reporter_type']}").click()
    Select(driver.find_element(By.ID, "category")).select_by_value(values.get("category", ""))
    _type(driver, "output", values["output"])
    _type(driver, "explanation", values["explanation"])
    _type(driver, "contact_email", overrides.get("contact_email", ""))
    checkbox = driver.find_element(By.ID, "accuracy_confirmed")
    if checkbox.is_selected() != confirm:
        checkbox.click()


def _report_form(driver: WebDriver) -> WebElement:
    return driver.find_element(By.CSS_SELECTOR, "form[action$='/report']")


def _send_report(driver: WebDriver, base_url: str, **overrides: str) -> str:
    """Send a valid report through the form; return the receipt code shown."""
    driver.get(base_url + "/report")
    _fill_report(driver, **overrides)
    _submit(driver, _report_form(driver))
    receipt = driver.find_element(By.ID, "receipt-code").text.strip()
    assert RECEIPT.match(receipt), receipt
    return receipt


def _assert_not_in_url(driver: WebDriver, receipt: str) -> None:
    url = driver.current_url.upper()
    assert receipt not in url
    assert receipt.replace("-", "") not in url.replace("-", "").replace("%2D", "")


def _assert_png(path: Path) -> None:
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE), path
    assert len(data) > 1000, path


def _field_error(driver: WebDriver, field_id: str) -> str:
    error = driver.find_element(By.ID, f"{field_id}-error")
    assert error.is_displayed()
    return error.text


def _error_summary(driver: WebDriver) -> WebElement:
    summary = driver.find_element(By.CSS_SELECTOR, ".error-summary[role=alert]")
    assert summary.is_displayed()
    return summary


# --- scenarios ----------------------------------------------------------------------


def test_report_shows_receipt_not_in_url(driver, live_server, tmp_path, db):
    driver.get(live_server + "/report")
    _fill_report(driver, reporter_type="researcher", category="fraud")
    form_png = tmp_path / "report-form.png"
    driver.execute_script("window.scrollTo(0, 0)")
    assert driver.save_screenshot(str(form_png))

    _submit(driver, _report_form(driver))

    assert "received" in driver.find_element(By.TAG_NAME, "h1").text
    receipt = driver.find_element(By.ID, "receipt-code").text.strip()
    assert RECEIPT.match(receipt), receipt
    _assert_not_in_url(driver, receipt)
    receipt_png = tmp_path / "receipt.png"
    assert driver.save_screenshot(str(receipt_png))
    _assert_png(form_png)
    _assert_png(receipt_png)
    with db.session_scope() as s:
        stored = s.execute(select(Report)).scalar_one()
    assert (stored.reporter_type, stored.category) == ("researcher", "fraud")


def test_follow_up_shows_status_and_takes_a_reply(driver, live_server):
    receipt = _send_report(driver, live_server)

    driver.get(live_server + "/follow-up")
    _type(driver, "receipt", receipt)
    _submit(driver, driver.find_element(By.CSS_SELECTOR, "form[action$='/follow-up']"))
    _assert_not_in_url(driver, receipt)
    assert driver.find_element(By.ID, "report-status").text == "Received"
    assert "No messages yet" in driver.find_element(By.TAG_NAME, "main").text

    reply = "The same text is now on three more accounts."
    _type(driver, "body", reply)
    _submit(driver, driver.find_element(By.CSS_SELECTOR, "form[action$='/follow-up/reply']"))
    _assert_not_in_url(driver, receipt)
    messages = driver.find_elements(By.CSS_SELECTOR, "ol.messages li.message")
    assert [m.find_element(By.CLASS_NAME, "body").text for m in messages] == [reply]
    assert messages[0].find_element(By.CLASS_NAME, "meta").text.startswith("You")

    # A reload keeps the conversation through the session, still with nothing in the URL.
    driver.get(live_server + "/follow-up")
    _assert_not_in_url(driver, receipt)
    assert driver.find_element(By.ID, "report-status").text == "Received"


def test_wrong_receipt_is_refused_next_to_the_field(driver, live_server):
    driver.get(live_server + "/follow-up")
    _type(driver, "receipt", "ABCD-EFGH-JKMN-PQRS-TVWX")
    _submit(driver, driver.find_element(By.CSS_SELECTOR, "form[action$='/follow-up']"))

    assert "No report matches this receipt code" in _field_error(driver, "receipt")
    field = driver.find_element(By.ID, "receipt")
    assert field.get_attribute("aria-invalid") == "true"
    assert "receipt-error" in field.get_attribute("aria-describedby").split()
    summary = _error_summary(driver)
    assert "No report matches this receipt code" in summary.text
    assert driver.title.startswith("Error:")
    assert not driver.find_elements(By.ID, "report-status")


def test_form_errors_keep_input_and_summary_links_focus_fields(driver, live_server, db):
    output = "Vote by text message this year: send YES to 5555 to cast your ballot."
    driver.get(live_server + "/report")
    _fill_report(
        driver,
        confirm=False,
        category="",
        output=output,
        explanation="too short",
        contact_email="not-an-email",
    )
    _type(driver, "provider", "Example AI")

    _submit(driver, _report_form(driver))

    wrong = ["category", "explanation", "contact_email", "accuracy_confirmed"]
    for field_id in wrong:
        assert _field_error(driver, field_id)
        assert driver.find_element(By.ID, field_id).get_attribute("aria-invalid") == "true"
    assert "at least 20 characters" in _field_error(driver, "explanation")
    # What was typed is still there.
    assert driver.find_element(By.ID, "output").get_attribute("value") == output
    assert driver.find_element(By.ID, "explanation").get_attribute("value") == "too short"
    assert driver.find_element(By.ID, "contact_email").get_attribute("value") == "not-an-email"
    assert driver.find_element(By.ID, "provider").get_attribute("value") == "Example AI"
    assert driver.find_element(By.ID, "reporter_type-user").is_selected()

    summary = _error_summary(driver)
    links = summary.find_elements(By.TAG_NAME, "a")
    targets = [link.get_attribute("href").rsplit("#", 1)[1] for link in links]
    assert sorted(targets) == sorted(wrong)
    for link, target in zip(links, targets, strict=True):
        link.click()
        focused = driver.switch_to.active_element
        assert focused.get_attribute("id") == target, f"link to #{target} did not focus it"
    with db.session_scope() as s:
        assert s.execute(select(Report.id)).first() is None


def test_whistleblower_mode_refuses_contact_and_stores_nothing_identifying(driver, live_server, db):
    driver.get(live_server + "/report")
    driver.find_element(By.ID, "reporter_type-whistleblower").click()
    notice = driver.find_element(By.ID, "whistleblower-notice")
    assert notice.is_displayed()
    assert "no IP address, no browser details and no contact address" in notice.text

    _fill_report(driver, reporter_type="whistleblower", contact_email="me@example.org")
    _submit(driver, _report_form(driver))

    assert "Leave this empty in whistleblower mode" in _field_error(driver, "contact_email")
    assert "Leave this empty in whistleblower mode" in _error_summary(driver).text
    assert driver.find_element(By.ID, "reporter_type-whistleblower").is_selected()

    _type(driver, "contact_email", "")
    _submit(driver, _report_form(driver))
    assert RECEIPT.match(driver.find_element(By.ID, "receipt-code").text.strip())
    assert "no IP address, browser details or contact address" in (
        driver.find_element(By.TAG_NAME, "main").text
    )
    with db.session_scope() as s:
        stored = s.execute(select(Report)).scalar_one()
    assert (stored.contact_email, stored.submitter_ip, stored.user_agent) == (None, None, None)
