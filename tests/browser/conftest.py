"""Headless Chromium against the portal served from a background thread.

Chromium and chromedriver come from the Debian packages (``make browser-deps``).
When either is missing the browser tests are skipped, except with CI=true,
where that is a failure: the same policy as the PostgreSQL fixture.
"""

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

# tests/factories.py is shared by the integration and browser tests.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
# Everything that would make Chromium call home or wait on the network is off,
# so a run needs no network and takes the same time every time.
CHROMIUM_ARGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
    "--window-size=1280,1600",
    "--enable-unsafe-swiftshader",
)
# Long enough for a loaded two-core machine, short enough that a broken page
# fails the run quickly instead of hanging it.
WAIT_SECONDS = 10
# A page load, for every test: the first Dash page of a browser loads Plotly (3.5 MB)
# and the dashboard's bundles, which on a loaded two-core machine has taken over 10 s.
PAGE_LOAD_SECONDS = 60


# The database: the suite-wide ``database_url``, so every browser test runs on SQLite
# and on PostgreSQL like every database test (the pages' SQL differs between them).


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """One Chromium for the whole run; each test starts with no cookies."""
    missing = [str(p) for p in (CHROMIUM, CHROMEDRIVER) if not p.exists()]
    if missing:
        message = f"browser tests need {' and '.join(missing)} (run: make browser-deps)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in CHROMIUM_ARGS:
        options.add_argument(arg)
    # A fresh profile, so no cookie, cache or autofill entry from another run leaks in.
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    # The console, for tests that check what the page logged (CSP violations).
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(PAGE_LOAD_SECONDS)
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def live_server(app) -> Iterator[str]:  # type: ignore[no-untyped-def]
    """The ``app`` fixture served on a free loopback port; yields its base URL."""
    from factories import served

    # Failures answer with the error page a visitor would get, as in production,
    # instead of propagating into the server thread.
    app.config["TESTING"] = False
    with served(app) as url:
        yield url


@pytest.fixture
def driver(browser, live_server: str):  # type: ignore[no-untyped-def]
    """The shared browser, cookies cleared, on a blank page of the live server."""
    browser.delete_all_cookies()
    browser.get(live_server + "/")
    browser.delete_all_cookies()
    return browser
