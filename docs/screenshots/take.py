"""Take the README's screenshots from the demo data, in headless Chromium.

Loads the demo (as ``misuse demo load`` does, the embed, group and detect jobs
included: about half a minute) into a scratch SQLite store, serves the portal on a
loopback port and saves, 1280 px wide: the report form, the triage queue, the demo
campaign's largest near-duplicate group, the campaign and the demo case.

    .venv/bin/python docs/screenshots/take.py [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import base64
import logging
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

WIDTH = 1280
WAIT_SECONDS = 60


def load_demo_store(tmp: Path) -> tuple[Any, dict[str, str], dict[str, int]]:
    """A migrated scratch store with the demo in it: (app, logins, ids to show)."""
    from sqlalchemy import func, select

    from core.db import Database, make_engine
    from core.migrate import upgrade
    from core.models import Campaign, CampaignItem, Case, LogRecord, TextPlacement
    from core.settings import load_settings
    from demo.load import create_demo_users, load_demo, stage_demo_case
    from jobs.scheduler import run_job
    from jobs.specs import get_job
    from portal import create_app

    url = f"sqlite:///{tmp / 'demo.db'}"
    engine = make_engine(url)
    upgrade(engine)
    engine.dispose()
    settings = load_settings(environ={}, instance_dir=tmp, database_url=url)
    db = Database(settings)
    with db.session_scope() as session:
        load_demo(session, settings=settings)
        logins = {role: password for _, role, password in create_demo_users(session)}
    for name in ("embed", "group", "detect"):
        run_job(db, get_job(name))
    with db.session_scope() as session:
        stage_demo_case(session)
        campaign = session.execute(
            select(Campaign.id)
            .where(Campaign.active.is_(True))
            .order_by(Campaign.score.desc())
            .limit(1)
        ).scalar_one()
        group = session.execute(
            select(TextPlacement.group_id)
            .join(LogRecord, LogRecord.response_text_id == TextPlacement.text_id)
            .join(CampaignItem, CampaignItem.item_id == LogRecord.id)
            .where(CampaignItem.campaign_id == campaign, CampaignItem.kind == "log")
            .group_by(TextPlacement.group_id)
            .order_by(func.count().desc())
            .limit(1)
        ).scalar_one()
        case = session.execute(select(func.min(Case.id))).scalar_one()
    db.dispose()
    return create_app(settings), logins, {"campaign": campaign, "group": group, "case": case}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import Select, WebDriverWait
    from werkzeug.serving import make_server

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="misuse-screens-") as tmp_name:
        app, logins, ids = load_demo_store(Path(tmp_name))
        server = make_server("127.0.0.1", 0, app, threaded=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        base = f"http://127.0.0.1:{server.server_port}"
        options = webdriver.ChromeOptions()
        options.binary_location = "/usr/bin/chromium"
        for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars"):
            options.add_argument(arg)
        options.add_argument(f"--window-size={WIDTH},1000")
        driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
        wait = WebDriverWait(driver, WAIT_SECONDS)

        def shoot(name: str, height: int | None = None) -> None:
            # The whole page (beyond the window), up to a height that keeps the file
            # small, through Chromium's own full-page capture.
            metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
            full = int(metrics["cssContentSize"]["height"])
            shot = driver.execute_cdp_cmd(
                "Page.captureScreenshot",
                {
                    "format": "png",
                    "captureBeyondViewport": True,
                    "clip": {
                        "x": 0,
                        "y": 0,
                        "width": WIDTH,
                        "height": min(height or full, full, 2400),
                        "scale": 1,
                    },
                },
            )
            path = args.out / f"{name}.png"
            path.write_bytes(base64.b64decode(shot["data"]))
            print(f"saved {path.relative_to(ROOT)}")

        try:
            driver.get(base + "/report")
            driver.find_element(By.ID, "reporter_type-researcher").click()
            Select(driver.find_element(By.ID, "category")).select_by_value("fraud")
            driver.find_element(By.ID, "output").send_keys(
                "FINAL NOTICE: your parcel is held at customs. Pay the 2.99 release fee now."
            )
            shoot("report-form", 1500)

            driver.get(base + "/login?next=/dashboard/triage")
            driver.find_element(By.ID, "email").send_keys("supervisor@demo.invalid")
            driver.find_element(By.ID, "password").send_keys(logins["supervisor"])
            driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
            wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, "#triage-table table")))
            shoot("triage", 1400)

            for name, path, ready in (
                ("group", f"/dashboard/groups/{ids['group']}", "#group-items-table table"),
                (
                    "campaign",
                    f"/dashboard/campaigns/{ids['campaign']}",
                    "#campaign-matrix .main-svg",
                ),
                ("case", f"/dashboard/cases/{ids['case']}", "#case-timeline li"),
            ):
                driver.get(base + path)
                wait.until(ec.presence_of_element_located((By.CSS_SELECTOR, ready)))
                time.sleep(1.0)
                shoot(name)
        finally:
            driver.quit()
            server.shutdown()


if __name__ == "__main__":
    main()
