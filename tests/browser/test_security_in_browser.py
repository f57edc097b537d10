"""The security promises as Chromium sees them: the Content-Security-Policy leaves
every page working with no violation in the console, a page of another origin of
the same site cannot make a logged-in supervisor act, and text from data is shown
literally in Plotly's labels."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webdriver import WebDriver
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait
from sqlalchemy import select

from browser_steps import wait
from core.models import LogRecord, Report, Sanction
from core.services import clients
from core.services.detection import CampaignCandidate, save_campaigns
from core.services.grouping import (
    PlacementRow,
    new_cluster_ids,
    new_group_ids,
    refresh_stats,
    write_placements,
)
from factories import log_record, report_payload
from jobs.runs import recorded_run
from security_support import PASSWORD, make_user, pending_suspension

pytestmark = pytest.mark.browser

WAIT_SECONDS = 20
TAGGED = '<b>acme</b><a href="javascript:alert(1)">x</a>'


def _wait(driver: WebDriver) -> WebDriverWait:
    return wait(driver, WAIT_SECONDS)


@pytest.fixture
def world(app, db) -> dict[str, int]:
    """A supervisor, a suspension another supervisor proposed, reports, and log
    samples of a deployer whose name and account ids carry markup."""
    sue = make_user(db, "sue@example.org", "supervisor")
    make_user(db, "max@example.org", "supervisor")
    sanction_id = pending_suspension(db, sue)
    keys = {}
    with db.session_scope() as s:
        for name in (TAGGED, "globex"):
            _, issued = clients.create_deployer(
                s, name, retention_days=3650, secret_key=db.settings.secret_key, actor="t"
            )
            keys[name] = {"Authorization": f"Bearer {issued.key}"}
    client = app.test_client()
    made = client.post("/api/v1/reports", json=report_payload(output=TAGGED + " vote on Tuesday"))
    assert made.status_code == 201
    # Yesterday, inside the overview's default date range; two deployers, so the
    # graph has a legend.
    day = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    records = [log_record(n, account_id=f"<i>acct</i>-{n % 4}", timestamp=day) for n in range(1, 9)]
    resp = client.post("/api/v1/logs", json=records, headers=keys[TAGGED])
    assert resp.status_code == 200 and resp.get_json()["accepted_count"] == 8
    resp = client.post("/api/v1/logs", json=[log_record(9, timestamp=day)], headers=keys["globex"])
    assert resp.status_code == 200 and resp.get_json()["accepted_count"] == 1
    with db.session_scope() as s:
        tagged = s.execute(select(LogRecord).where(LogRecord.external_id != "rec-9")).scalars()
        rows = list(tagged)
        deployer_id, log_ids = rows[0].deployer_id, [r.id for r in rows]
        report = s.execute(select(Report)).scalar_one()
        texts = sorted({r.response_text_id for r in rows} | {report.output_text_id})
        report_id = s.execute(select(Report.id)).scalar_one()
        case_id = s.get(Sanction, sanction_id).case_id
        start = datetime(2026, 11, 20, 12, tzinfo=UTC)
        [campaign_id] = save_campaigns(
            s,
            [
                CampaignCandidate(
                    score=0.9,
                    accounts=[(deployer_id, f"<i>acct</i>-{n}", 2) for n in range(4)],
                    log_ids=log_ids,
                    report_ids=[report_id],
                    first_seen=start,
                    last_seen=start + timedelta(minutes=5),
                    explanation="4 accounts at 1 deployer produced near-duplicate texts",
                    keywords=["polling"],
                )
            ],
            match=lambda old, new: {},
        )
        s.commit()
    # What the group job would leave: every text on the map (a WebGL trace), in one
    # topic cluster whose keywords carry markup too.
    with recorded_run(db, "group") as rec, db.session_scope() as s:
        groups = new_group_ids(s, len(texts))
        [cluster] = new_cluster_ids(s, 1)
        write_placements(
            s,
            [
                PlacementRow(text, group, cluster, 0.1 * n, 0.2 * n)
                for n, (text, group) in enumerate(zip(texts, groups, strict=True))
            ],
            run_id=rec.run_id,
            replace_all=True,
            neighbors=[],
            cluster_keywords={cluster: ["<b>polling</b>", "riverton"]},
        )
        refresh_stats(s)
        s.commit()
    return {
        "sanction": sanction_id,
        "case": case_id,
        "report": report_id,
        "campaign": campaign_id,
        "group": groups[0],
        "log": log_ids[0],
        "deployer": TAGGED,
    }


def _log_in(driver: WebDriver, base_url: str, email: str) -> None:
    driver.get(base_url + "/login")
    driver.find_element(By.ID, "email").send_keys(email)
    driver.find_element(By.ID, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    # Staff land on the dashboard after logging in.
    _wait(driver).until(ec.url_to_be(base_url + "/dashboard/"))


def _console(driver: WebDriver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser")]


def _csp_problems(messages: list[str]) -> list[str]:
    return [m for m in messages if "Content Security Policy" in m or "Refused to" in m]


# Every violation, also those the console does not show: Plotly's WebGL code catches
# the error of a refused eval and quietly draws "WebGL is not supported" instead.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', e => window.__violations.push(
    e.violatedDirective + ' ' + e.blockedURI + ' ' + e.sourceFile + ':' + e.lineNumber));
"""


@pytest.fixture
def violations(driver: WebDriver) -> Iterator[Callable[[], list[str]]]:
    """What the pages loaded from now on violated (console and events), per call."""
    script = driver.execute_cdp_cmd(
        "Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_VIOLATIONS}
    )
    _console(driver)  # start from an empty console

    def seen() -> list[str]:
        events = driver.execute_script("return window.__violations || []")
        return events + _csp_problems(_console(driver))

    yield seen
    driver.execute_cdp_cmd(
        "Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]}
    )


def test_every_page_works_under_the_csp(driver, live_server, world, violations):
    """No CSP violation on any public page or dashboard page, and the dashboard's
    scripts, callbacks and graphs (WebGL included) did their work."""
    for path in ("/", "/report", "/follow-up", "/appeal", "/transparency", "/login"):
        driver.get(live_server + path)
        _wait(driver).until(ec.presence_of_element_located((By.TAG_NAME, "footer")))
        assert violations() == [], path
    _log_in(driver, live_server, "max@example.org")
    pages = {
        "/dashboard/": "#overview-logs-graph .main-svg",
        "/dashboard/triage": f"#report-row-{world['report']}",
        f"/dashboard/reports/{world['report']}": "#report-meta",
        "/dashboard/clusters": "#clusters-graph .gl-container canvas",
        "/dashboard/alerts": "#alerts-table",
        f"/dashboard/campaigns/{world['campaign']}": "#campaign-matrix .main-svg",
        f"/dashboard/groups/{world['group']}": "#group-timeline .main-svg",
        f"/dashboard/logs/{world['log']}": "#log-similar",
        f"/dashboard/accounts/{quote(world['deployer'], safe='')}/"
        f"{quote('<i>acct</i>-1', safe='')}": "#account-groups",
        "/dashboard/cases": "#cases-table",
        f"/dashboard/cases/{world['case']}": "#case-summary",
        "/dashboard/sanctions": "#sanctions-table",
        "/dashboard/audit": "#audit-table",
    }
    for path, drawn in pages.items():
        driver.get(live_server + path)
        _wait(driver).until(ec.presence_of_element_located((By.CSS_SELECTOR, drawn)))
        assert violations() == [], path
    # The cluster map is drawn with WebGL, which needs Plotly's compiled shaders.
    driver.get(live_server + "/dashboard/clusters")
    _wait(driver).until(
        lambda d: d.execute_script(
            "const gd = document.querySelector('#clusters-graph .js-plotly-plot');"
            "return gd && gd._fullLayout && gd._fullLayout._glcanvas"
            " && gd._fullLayout._glcanvas.size() > 0"
        )
    )
    assert "WebGL is not supported" not in driver.find_element(By.ID, "clusters-graph").text
    # Plotly's "download plot as PNG" draws through a blob: image.
    image = driver.execute_async_script(
        """const done = arguments[0];
        const gd = document.querySelector('#clusters-graph .js-plotly-plot');
        Plotly.toImage(gd, {format: 'png'})
            .then(u => done(u.slice(0, 22)), e => done(String(e)));"""
    )
    assert image == "data:image/png;base64,", image
    assert violations() == []
    # The policy really is in force on those pages (and allows Dash's renderer by hash).
    policy = driver.execute_script(
        "return fetch(location.href).then(r => r.headers.get('Content-Security-Policy'))"
    )
    assert "'sha256-" in policy and "'unsafe-inline'" not in policy.split("style-src")[0]


def test_an_inline_script_is_blocked_on_our_pages(driver, live_server, world):
    """The policy bites: a script injected into a page does not run."""
    driver.get(live_server + "/report")
    ran = driver.execute_script(
        """
        const s = document.createElement('script');
        s.textContent = 'window.__injected = true';
        document.body.appendChild(s);
        return window.__injected === true;
        """
    )
    assert ran is False
    assert _csp_problems(_console(driver)), "the blocked script should be reported"


@pytest.fixture
def attacker(live_server: str, world: dict[str, int]) -> Iterator[str]:
    """A page on another origin of the same site (another port of 127.0.0.1, to which
    SameSite=Lax cookies are still sent), built to make the visitor approve the
    suspension: a text/plain form, a urlencoded form, and a JSON fetch."""
    from werkzeug.serving import make_server
    from werkzeug.wrappers import Request, Response

    target = f"{live_server}/api/v1/sanctions/{world['sanction']}/approve"
    page = f"""<!doctype html><html><body>
    <form id="plain" method="post" action="{target}" enctype="text/plain">
      <input name='{{"x": "' value='"}}'><button id="go-plain">go</button></form>
    <form id="form" method="post" action="{live_server}/logout">
      <button id="go-logout">go</button></form>
    <button id="go-fetch" onclick="fetch('{target}', {{method: 'POST', credentials: 'include',
      headers: {{'Content-Type': 'application/json'}}, body: '{{}}'}})
      .then(r => window.__fetched = r.status, e => window.__fetched = 'blocked')">go</button>
    </body></html>"""

    @Request.application
    def serve(request: Request) -> Response:
        return Response(page, mimetype="text/html")

    server = make_server("127.0.0.1", 0, serve, threaded=True)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/"
    server.shutdown()
    thread.join(timeout=WAIT_SECONDS)
    server.server_close()


def test_a_same_site_page_cannot_make_a_supervisor_act(driver, live_server, attacker, world, db):
    _log_in(driver, live_server, "max@example.org")
    driver.get(attacker)
    driver.find_element(By.ID, "go-plain").click()
    _wait(driver).until(ec.url_contains("/approve"))
    assert "another site" in driver.page_source
    driver.get(attacker)
    driver.find_element(By.ID, "go-fetch").click()
    _wait(driver).until(lambda d: d.execute_script("return window.__fetched !== undefined"))
    driver.get(attacker)
    driver.find_element(By.ID, "go-logout").click()
    _wait(driver).until(ec.url_contains("/logout"))
    with db.session_scope() as s:
        assert s.get(Sanction, world["sanction"]).status == "proposed"
    # Still logged in (the logout was refused too), and the site itself may approve.
    driver.get(live_server + "/dashboard/")
    _wait(driver).until(ec.presence_of_element_located((By.ID, "user-box")))
    status = driver.execute_async_script(
        f"""const done = arguments[0];
        fetch('/api/v1/sanctions/{world["sanction"]}/approve', {{method: 'POST',
          headers: {{'Content-Type': 'application/json'}}, body: '{{}}'}})
          .then(r => done(r.status), e => done(String(e)));"""
    )
    assert status == 200
    with db.session_scope() as s:
        assert s.get(Sanction, world["sanction"]).status == "active"


def test_markup_in_data_is_shown_literally_in_graphs(driver, live_server, world):
    _log_in(driver, live_server, "max@example.org")
    driver.get(live_server + "/dashboard/")
    legend = "#overview-logs-graph .legendtext"
    _wait(driver).until(ec.presence_of_element_located((By.CSS_SELECTOR, legend)))
    texts = [e.get_attribute("textContent") for e in driver.find_elements(By.CSS_SELECTOR, legend)]
    assert TAGGED in texts, texts
    assert driver.find_elements(By.CSS_SELECTOR, "#overview-logs-graph svg a") == []
    # The campaign's account x group matrix: its row labels and hover label carry the
    # account id and deployer.
    driver.get(f"{live_server}/dashboard/campaigns/{world['campaign']}")
    ticks = "#campaign-matrix .ytick text"
    _wait(driver).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ticks)) == 4)
    rows = [e.get_attribute("textContent") for e in driver.find_elements(By.CSS_SELECTOR, ticks)]
    assert all("<i>acct</i>" in r for r in rows), rows
    # Hover over the first cell (category axes: data coordinates are indices).
    label = _wait(driver).until(
        lambda d: d.execute_script(
            """const gd = document.querySelector('#campaign-matrix .js-plotly-plot');
            Plotly.Fx.hover(gd, {xval: 0, yval: 0});
            const hover = gd.querySelector('.hoverlayer');
            return hover.textContent
                && [hover.textContent, hover.querySelectorAll('a, tspan[style*=bold]').length];"""
        )
    )
    assert "<i>acct</i>" in label[0] and "<b>acme</b>" in label[0], label
    assert label[1] == 0, label
