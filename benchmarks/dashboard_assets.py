"""What the dashboard's first load sends: JavaScript bytes before and after compression.

Serves the portal on a loopback port (a scratch SQLite store with one supervisor and
nothing else: the scripts do not depend on the data), opens the overview in headless
Chromium as a person does after logging in, waits for its graphs (so Plotly's chunk
is counted), and reads the browser's Resource Timing entries: for every script, the
bytes that crossed the wire (``encodedBodySize``) and the bytes after decoding
(``decodedBodySize``). The same in the same run with compression turned off
(``COMPRESS_RESPONSES = False``) is the baseline. Then a second page, to show what
the browser's cache spares.

    .venv/bin/python benchmarks/dashboard_assets.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PASSWORD = "correct horse battery staple"
EMAIL = "sue@bench.example"
SCRIPTS = (
    "return performance.getEntriesByType('resource')"
    ".filter(e => /\\.js($|\\?)/.test(e.name))"
    ".map(e => [e.name, e.transferSize, e.encodedBodySize, e.decodedBodySize])"
)


def _app(tmp: Path, compress: bool) -> Any:
    from core.db import Database, make_engine
    from core.migrate import upgrade
    from core.services import users as user_service
    from core.settings import load_settings
    from portal import create_app

    url = f"sqlite:///{tmp / 'bench.db'}"
    if not (tmp / "bench.db").exists():
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        settings = load_settings(
            environ={}, instance_dir=tmp, database_url=url, secret_key="bench-secret"
        )
        db = Database(settings)
        with db.session_scope() as s:
            user_service.create_user(s, EMAIL, PASSWORD, role="supervisor", actor="bench")
        db.dispose()
    settings = load_settings(
        environ={}, instance_dir=tmp, database_url=url, secret_key="bench-secret"
    )
    app = create_app(settings)
    app.config["COMPRESS_RESPONSES"] = compress
    return app


def _browser(profile: Path) -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--no-first-run",
        "--window-size=1280,1600",
        f"--user-data-dir={profile}",
    ):
        options.add_argument(arg)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def visit(app: Any, profile: Path) -> dict[str, Any]:
    """Log in, open the overview with a cold cache, then the triage page."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}"
    driver = _browser(profile)
    try:
        wait = WebDriverWait(driver, 120)
        driver.get(base + "/login")
        driver.find_element(By.ID, "email").send_keys(EMAIL)
        driver.find_element(By.ID, "password").send_keys(PASSWORD)
        # The login answers with the overview; its scripts load from an empty cache.
        driver.execute_cdp_cmd("Network.enable", {})
        driver.execute_cdp_cmd("Network.clearBrowserCache", {})
        started = time.perf_counter()
        driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
        wait.until(ec.url_contains("/dashboard/"))
        wait.until(
            ec.presence_of_element_located((By.CSS_SELECTOR, "#overview-logs-graph .main-svg"))
        )
        loaded = time.perf_counter() - started
        first = driver.execute_script(SCRIPTS)
        driver.get(base + "/dashboard/triage")
        wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "#triage-table")))
        second = driver.execute_script(SCRIPTS)
    finally:
        driver.quit()
        server.shutdown()
        thread.join(timeout=10)
    return {"first": first, "second": second, "seconds": loaded}


def main() -> None:
    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    results: dict[bool, list[dict[str, Any]]] = {False: [], True: []}
    with tempfile.TemporaryDirectory(prefix="misuse-assets-") as tmp_name:
        tmp = Path(tmp_name)
        for n in range(args.repeat):
            for compress in (False, True):
                app = _app(tmp, compress)
                results[compress].append(visit(app, tmp / f"profile-{compress}-{n}"))
                app.extensions["misuse.db"].dispose()
    before, after = results[False][0]["first"], results[True][0]["first"]
    plain = sum(e[3] for e in before)
    sent_before = sum(e[2] for e in before)
    sent_after = sum(e[2] for e in after)
    print(f"first load of /dashboard/ (overview, logged in): {len(after)} scripts")
    print(f"  JavaScript sent without compression: {sent_before:,} bytes ({plain:,} decoded)")
    print(f"  JavaScript sent with compression:    {sent_after:,} bytes")
    ratio = sent_after / sent_before
    print(f"  ratio after/before: {ratio:.3f} ({1 / ratio:.1f}x fewer bytes)")
    # Loopback has no bandwidth limit: these times show the cost of compressing (the
    # first run of a process compresses each file once), not what a real network saves.
    for label, runs in (("without", results[False]), ("with", results[True])):
        seconds = [r["seconds"] for r in runs]
        print(
            f"  time to the first graph {label} compression on loopback: first run "
            f"{seconds[0]:.2f} s, median of {len(runs)} {statistics.median(seconds):.2f} s"
        )
    again = results[True][0]["second"]
    seen = {e[0] for e in after}
    reused = [e for e in again if e[0] in seen]
    print(
        f"next page (/dashboard/triage): {len(reused)} of its scripts were loaded before; "
        f"bytes fetched again: {sum(e[1] for e in reused):,}"
    )
    print("largest scripts (decoded -> sent):")
    for name, _, encoded, decoded in sorted(after, key=lambda e: -e[3])[:6]:
        print(f"  {name.rsplit('/', 1)[-1].split('?')[0]:60s} {decoded:>10,} -> {encoded:>9,}")


if __name__ == "__main__":
    main()
