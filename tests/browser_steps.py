"""What the browser tests do on a page: wait for text, click, type, pick from a Dash
dropdown, log in. Shared by the flows that walk through several pages."""

from __future__ import annotations

from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

PASSWORD = "correct horse battery staple"
# A whole step on a loaded two-core machine; a broken page still fails within a minute.
WAIT_SECONDS = 60
# How often a wait asks the page again. Selenium's default, half a second, leaves the
# test idle for a quarter of a second on average at every wait: most of the browser
# tests' time, since a page is usually ready within a few tens of milliseconds. A
# poll is one round trip to chromedriver (about a millisecond of work each side).
POLL_SECONDS = 0.05


def wait(driver: WebDriver, seconds: float = WAIT_SECONDS) -> WebDriverWait:
    return WebDriverWait(driver, seconds, poll_frequency=POLL_SECONDS)


def text_in(driver: WebDriver, css: str, wanted: str) -> None:
    wait(driver).until(ec.text_to_be_present_in_element((By.CSS_SELECTOR, css), wanted))


def click(driver: WebDriver, css: str) -> None:
    wait(driver).until(ec.element_to_be_clickable((By.CSS_SELECTOR, css))).click()


def type_into(driver: WebDriver, css: str, text: str) -> None:
    box = wait(driver).until(ec.presence_of_element_located((By.CSS_SELECTOR, css)))
    box.clear()
    box.send_keys(text)


def choose(driver: WebDriver, dropdown_id: str, text: str) -> None:
    """Pick an option of a Dash dropdown: open it, search, click the option."""
    click(driver, f"#{dropdown_id}")
    search = wait(driver).until(
        lambda d: (
            d.switch_to.active_element
            if "dash-dropdown-search" in (d.switch_to.active_element.get_attribute("class") or "")
            else None
        )
    )
    search.send_keys(text)
    option = f"//*[@role='option'][contains(normalize-space(.), '{text}')]"
    wait(driver).until(ec.element_to_be_clickable((By.XPATH, option))).click()
    text_in(driver, f"#{dropdown_id}", text)


def log_in(driver: WebDriver, base: str, email: str, target: str) -> None:
    # Leave the dashboard first: a callback still in flight would answer with the old
    # session cookie and log the previous user back in after the cookies are cleared.
    # On a loaded machine one sent just before leaving still did so now and then (the
    # target then opened as the previous user, with no login form): clear them again.
    driver.get(base + "/")
    for _ in range(3):
        driver.delete_all_cookies()
        driver.get(base + target)
        if driver.find_elements(By.ID, "email"):
            break
    wait(driver).until(ec.presence_of_element_located((By.ID, "email")))
    driver.find_element(By.ID, "email").send_keys(email)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait(driver).until(ec.url_contains(target))
