"""The public pages as a reporter uses them: a real browser, real forms, real cookies."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select, WebDriverWait
from sqlalchemy import select

from browser_steps import wait
from core.models import Report
from factories import report_payload

pytestmark = pytest.mark.browser

RECEIPT = re.compile(r"^[0-9A-Z]{4}(?:-[0-9A-Z]{4}){4}$")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
WAIT_SECONDS = 10


# --- helpers ------------------------------------------------------------------------


def _wait(driver: WebDriver) -> WebDriverWait:
    return wait(driver, WAIT_SECONDS)


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


# --- a reload never files a second report ---------------------------------------------


def _reports(db) -> int:
    with db.session_scope() as s:
        return len(s.execute(select(Report.id)).all())


def test_reload_back_and_double_click_never_file_a_second_report(driver, live_server, db):
    receipt = _send_report(driver, live_server)
    assert driver.current_url.endswith("/report/received")
    # Reload the receipt page: the same receipt, no second report.
    driver.refresh()
    assert driver.find_element(By.ID, "receipt-code").text.strip() == receipt
    assert _reports(db) == 1
    # Back to the form: the browser shows it anew, it does not send it again.
    driver.back()
    _wait(driver).until(lambda d: d.current_url.endswith("/report"))
    assert _reports(db) == 1
    # An impatient double click on Send: one report, and its receipt.
    _fill_report(driver)
    driver.execute_script("window.__beforeSubmit = true;")
    driver.execute_script(
        "const b = document.querySelector(\"form[action$='/report'] button[type=submit]\");"
        "b.click(); b.click();"
    )
    _wait(driver).until(lambda d: d.find_elements(By.ID, "receipt-code"))
    assert _reports(db) == 2
    second = driver.find_element(By.ID, "receipt-code").text.strip()
    assert RECEIPT.match(second) and second != receipt


# --- public pages on a phone and with assistive technology ------------------------------


PHONE = (390, 844)


def _fits(driver: WebDriver) -> None:
    width = driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= PHONE[0], f"{driver.current_url} is {width} px wide on a {PHONE[0]} px screen"


def _luminance(rgb: str) -> float:
    parts = [int(x) for x in re.findall(r"\d+", rgb)[:3]]
    channels = []
    for c in parts:
        v = c / 255
        channels.append(v / 12.92 if v <= 0.03928 else ((v + 0.055) / 1.055) ** 2.4)
    r, g, b = channels
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def test_public_pages_on_a_phone_and_with_a_keyboard(driver, live_server, db, tmp_path, app):
    from core.services import clients
    from core.services import users as user_service
    from core.services.cases import open_case
    from core.services.sanctions import propose_sanction

    # A sanction decided on the platform's own initiative by a person: the values the
    # transparency report once showed raw ("voluntary", "not").
    with db.session_scope() as s:
        ana = user_service.create_user(s, "ana@example.org", "x" * 20, role="analyst", actor="t")
        deployer, _ = clients.create_deployer(
            s, "acme-ai", retention_days=30, secret_key=app.config["SECRET_KEY"], actor="t"
        )
        case = open_case(s, title="Spam", origin_type="manual", user=ana)
        propose_sanction(
            s,
            case.id,
            user=ana,
            subject_type="account",
            deployer_id=deployer.id,
            account_id="u-1",
            measure="warning",
            category="fraud",
            ground_type="terms",
            ground_reference="Terms, clause 4",
            ground_explanation="Scam texts.",
            facts="Twelve scam texts in an hour.",
            automated_detection=False,
            automated_decision="not",
            source_type="voluntary",
        )
    driver.set_window_size(*PHONE)
    try:
        driver.get(live_server + "/transparency")
        _fits(driver)
        main = driver.find_element(By.TAG_NAME, "main").text
        assert "Our own initiative" in main and "Decided by a person" in main
        cells = [c.text for c in driver.find_elements(By.CSS_SELECTOR, "table.counts td")]
        assert "voluntary" not in cells and "not" not in cells

        # The skip link, reached with the keyboard, can be read.
        driver.get(live_server + "/report")
        _fits(driver)
        driver.find_element(By.TAG_NAME, "body").send_keys(Keys.TAB)
        skip = driver.switch_to.active_element
        assert skip.get_attribute("class") == "skip"
        box = skip.rect
        assert box["x"] >= 0 and box["y"] >= 0 and box["x"] + box["width"] <= PHONE[0]
        fg = _luminance(skip.value_of_css_property("color"))
        bg = _luminance(skip.value_of_css_property("background-color"))
        ratio = (max(fg, bg) + 0.05) / (min(fg, bg) + 0.05)
        assert ratio >= 4.5, ratio

        # An empty form: the summary takes the focus and names every field.
        _submit(driver, _report_form(driver))
        summary = _error_summary(driver)
        assert driver.switch_to.active_element.get_attribute("id") == "error-summary"
        items = [li.text for li in summary.find_elements(By.TAG_NAME, "li")]
        assert any(i.startswith("Kind of harm:") for i in items)
        assert any(i.startswith("The harmful output:") for i in items)
        assert len(set(items)) == len(items)
        _fits(driver)

        # The receipt: one unbroken code that fits, copied, printed, downloaded.
        receipt = _send_report(driver, live_server)
        code = driver.find_element(By.ID, "receipt-code")
        line = float(code.value_of_css_property("line-height").replace("px", ""))
        assert code.rect["height"] < 1.5 * line, "the receipt code wraps"
        assert code.rect["x"] + code.rect["width"] <= PHONE[0]
        _fits(driver)
        driver.execute_cdp_cmd(
            "Browser.grantPermissions",
            {
                "origin": live_server,
                "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"],
            },
        )
        driver.find_element(By.ID, "copy-receipt").click()
        _wait(driver).until(lambda d: "Copied" in d.find_element(By.ID, "copy-status").text)
        pasted = driver.execute_async_script(
            "const done = arguments[0]; navigator.clipboard.readText().then(done, () => done(''));"
        )
        assert pasted == receipt
        assert driver.find_element(By.ID, "print-receipt").is_displayed()
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        try:
            assert not driver.find_element(By.CSS_SELECTOR, "header.site").is_displayed()
            assert driver.find_element(By.ID, "receipt-code").is_displayed()
        finally:
            driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        downloads = tmp_path / "downloads"
        downloads.mkdir()
        driver.execute_cdp_cmd(
            "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)}
        )
        driver.find_element(By.ID, "download-receipt").click()
        _wait(driver).until(lambda d: list(downloads.glob("*.txt")))
        saved = next(downloads.glob("*.txt"))
        _wait(driver).until(lambda d: receipt in saved.read_text())
        _assert_not_in_url(driver, receipt)
    finally:
        driver.set_window_size(1280, 1600)

    # The site's icon.
    icon = driver.execute_async_script(
        "const done = arguments[0];"
        "fetch('/favicon.ico').then(r => r.arrayBuffer().then("
        "  b => done([r.status, r.headers.get('content-type'), b.byteLength])));"
    )
    assert icon[0] == 200 and icon[1].startswith("image/") and icon[2] > 100
