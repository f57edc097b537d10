"""Signed webhooks to deployers: a real HTTP receiver on 127.0.0.1 that checks the
signature, refuses the first attempts, and records what arrived and in which order."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import func, select

from core.db import Database
from core.exceptions import ValidationFailed
from core.models import Alert, AuditEvent, DeployerWebhook, WebhookDelivery
from core.models.base import utcnow
from core.queries import sanctions as sanction_queries
from core.services import cases, clients, sanctions, webhooks
from core.services import users as user_service
from core.services.audit import verify_chain
from jobs.scheduler import run_job
from jobs.specs import get_job

SOR = {
    "category": "fraud",
    "ground_type": "terms",
    "ground_reference": "Acceptable use policy, section 4 (fraud)",
    "ground_explanation": "Scripted advance-fee scam messages.",
    "facts": "120 near-identical texts from 9 accounts within an hour.",
    "automated_detection": True,
    "automated_decision": "not",
    "source_type": "voluntary",
}


class Receiver:
    """A deployer's endpoint: verifies like docs/webhooks.md says, fails on request."""

    def __init__(self, secret: str = "", fail_first: int = 0, port: int = 0) -> None:
        self.secret = secret
        self.fail_first = fail_first
        self.requests = 0
        self.accepted: list[dict] = []
        self.bad_signatures = 0
        self.hold = threading.Event()
        self.hold.set()
        self.arrived = threading.Event()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests += 1
                receiver.arrived.set()
                receiver.hold.wait(30)
                if not receiver.verify(self.headers.get("MisuseWatch-Signature", ""), body):
                    receiver.bad_signatures += 1
                    self.send_response(401)
                elif receiver.requests <= receiver.fail_first:
                    self.send_response(503)
                else:
                    event = json.loads(body)
                    assert event["event_id"] == self.headers["MisuseWatch-Event-Id"]
                    receiver.accepted.append(event)
                    self.send_response(204)
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.port = self.server.server_port
        self.url = f"http://127.0.0.1:{self.server.server_port}/misuse-hook"
        self.thread: threading.Thread | None = None

    def verify(self, header: str, body: bytes) -> bool:
        # The receiver of docs/webhooks.md, line for line.
        parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
        if abs(time.time() - int(parts.get("t", "0"))) > 300:
            return False
        expected = hmac.new(
            self.secret.encode(), parts["t"].encode() + b"." + body, hashlib.sha256
        ).hexdigest()
        return hmac.compare_digest(expected, parts.get("v1", ""))

    def start(self) -> None:
        self.thread = threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def unique_events(self) -> list[dict]:
        """What the deployer acts on: each event once (it ignores a repeated event_id)."""
        seen: set[str] = set()
        out = []
        for event in self.accepted:
            if event["event_id"] not in seen:
                seen.add(event["event_id"])
                out.append(event)
        return out


def _setup(db):
    with db.session_scope() as s:
        ana = user_service.create_user(s, "ana@example.org", "x" * 20, role="analyst", actor="t")
        sue = user_service.create_user(s, "sue@example.org", "x" * 20, role="supervisor", actor="t")
        dep, _ = clients.create_deployer(
            s, "acme", retention_days=30, secret_key=db.settings.secret_key, actor="t"
        )
        case = cases.open_case(s, title="Scam wave", origin_type="manual", user=ana)
        return ana.id, sue.id, dep.id, case.id


def _sanction(db, uid, case_id, dep_id, account, measure="warning"):
    from core.models import User

    with db.session_scope() as s:
        return sanctions.propose_sanction(
            s,
            case_id,
            user=s.get(User, uid),
            subject_type="account",
            deployer_id=dep_id,
            account_id=account,
            measure=measure,
            **SOR,
        ).id


def _deliver(db, now):
    with db.session_scope() as s:
        return webhooks.deliver_due(s, secret_key=db.settings.secret_key, now=now)


def test_webhook_url_must_be_https_or_loopback_and_secret_is_encrypted(db):
    _setup(db)
    with db.session_scope() as s:
        for bad in ("ftp://example.org/x", "http://example.org/hook", "https://u:p@x.org/h", "x"):
            with pytest.raises(ValidationFailed) as err:
                webhooks.set_webhook(s, "acme", bad, secret_key=db.settings.secret_key, actor="t")
            assert "url" in err.value.errors
        _hook, secret = webhooks.set_webhook(
            s,
            "acme",
            "https://hooks.acme.example/misuse",
            secret_key=db.settings.secret_key,
            actor="t",
        )
        assert secret is not None and secret.startswith("whsec_")
        stored = s.execute(select(DeployerWebhook)).scalar_one()
        assert secret not in stored.secret_encrypted
        # A URL change keeps the secret; a rotation replaces it.
        _, again = webhooks.set_webhook(
            s,
            "acme",
            "https://hooks.acme.example/v2",
            secret_key=db.settings.secret_key,
            actor="t",
        )
        assert again is None
        _, rotated = webhooks.set_webhook(
            s,
            "acme",
            "https://hooks.acme.example/v2",
            secret_key=db.settings.secret_key,
            actor="t",
            rotate_secret=True,
        )
        assert rotated not in (None, secret)
        logged = json.dumps([[e.before, e.after] for e in s.execute(select(AuditEvent)).scalars()])
        assert secret not in logged and rotated not in logged


def test_receiver_down_then_failing_gets_everything_in_order_after_restart(db, settings):
    ana, sue, dep, case_id = _setup(db)
    receiver = Receiver()
    with db.session_scope() as s:
        _, secret = webhooks.set_webhook(
            s, "acme", receiver.url, secret_key=db.settings.secret_key, actor="t"
        )
    # Down: nothing listens on its port (connection refused).
    receiver.server.server_close()

    first = _sanction(db, ana, case_id, dep, "acct-1")
    _sanction(db, ana, case_id, dep, "acct-2")
    from core.models import User

    with db.session_scope() as s:
        sanctions.revoke_sanction(s, first, user=s.get(User, sue), reason="Mistaken identity.")

    t0 = utcnow()
    assert _deliver(db, t0) == {"attempts": 1, "delivered": 0, "failed": 0, "retrying": 1}
    # Not due again before the back-off: nothing is sent, the later events wait.
    assert _deliver(db, t0 + timedelta(seconds=30))["attempts"] == 0

    # The receiver comes up on the same port but answers 503 twice.
    up = Receiver(secret=secret, fail_first=2, port=receiver.port)
    up.start()
    try:
        _deliver(db, t0 + timedelta(seconds=61))  # attempt 2: 503
        # A restart: this Database is gone; another process picks up from the rows.
        db.dispose()
        fresh = Database(settings)
        _deliver(fresh, t0 + timedelta(seconds=61 + 121))  # attempt 3: 503
        stats = _deliver(fresh, t0 + timedelta(seconds=61 + 121 + 241))
        assert stats["delivered"] == 3
        assert up.bad_signatures == 0
        got = up.unique_events()
        assert [e["sequence"] for e in got] == [1, 2, 3]
        assert [(e["event"], e["data"]["subject"]["account_id"]) for e in got] == [
            ("sanction.in_force", "acct-1"),
            ("sanction.in_force", "acct-2"),
            ("sanction.ended", "acct-1"),
        ]
        assert got[2]["data"]["status"] == "revoked"
        assert "proposed_by" not in got[0]["data"] and "case_id" not in got[0]["data"]

        with fresh.session_scope() as s:
            view = sanction_queries.sanction_view(s, first)
            tried = view["webhook_deliveries"][0]["attempts"]
            assert [a["status_code"] for a in tried] == [None, 503, 503, 204]
            assert "Connection refused" in tried[0]["error"] or "refused" in tried[0]["error"]
            audited = s.execute(
                select(func.count()).where(AuditEvent.action == "webhook.attempt")
            ).scalar_one()
            assert audited == 4 + 2  # four for the first event, one each for the others
            assert list(verify_chain(s)) == []
        fresh.dispose()
    finally:
        up.stop()


def test_delivery_that_keeps_failing_raises_an_alert_and_blocks_later_events(db):
    ana, _sue, dep, case_id = _setup(db)
    receiver = Receiver(fail_first=10_000)
    receiver.start()
    try:
        with db.session_scope() as s:
            _, receiver.secret = webhooks.set_webhook(
                s, "acme", receiver.url, secret_key=db.settings.secret_key, actor="t"
            )
        _sanction(db, ana, case_id, dep, "acct-1")
        _sanction(db, ana, case_id, dep, "acct-2")
        t = utcnow()
        times = [t]
        for delay in webhooks.RETRY_DELAYS:
            times.append(times[-1] + timedelta(seconds=delay))
        for moment in times:
            _deliver(db, moment)
        # At least five attempts, spread over at least an hour.
        assert webhooks.MAX_ATTEMPTS >= 5 and times[-1] - times[0] >= timedelta(hours=1)
        assert receiver.requests == webhooks.MAX_ATTEMPTS  # the second event never went
        with db.session_scope() as s:
            alert = s.execute(select(Alert).where(Alert.subject_type == "webhook")).scalar_one()
            assert "acme" in alert.explanation and "webhook-retry" in alert.explanation
            statuses = (
                s.execute(select(WebhookDelivery.status).order_by(WebhookDelivery.sequence))
                .scalars()
                .all()
            )
            assert statuses == ["failed", "pending"]
        assert _deliver(db, times[-1] + timedelta(days=1))["attempts"] == 0

        # Fixed receiver; the operator queues the failed one again: both arrive, in order.
        receiver.fail_first = 0
        with db.session_scope() as s:
            assert webhooks.retry_failed(s, "acme", actor="t") == 1
        assert _deliver(db, utcnow())["delivered"] == 2
        assert [e["sequence"] for e in receiver.unique_events()] == [1, 2]
    finally:
        receiver.stop()


def test_scheduler_killed_mid_attempt_resends_the_same_event(db, settings, cli_env):
    """A scheduler process killed while the receiver holds its request: the next run
    sends the same event again (at least once, same event_id), nothing after it first."""
    ana, _sue, dep, case_id = _setup(db)
    receiver = Receiver()
    receiver.start()
    try:
        with db.session_scope() as s:
            _, receiver.secret = webhooks.set_webhook(
                s, "acme", receiver.url, secret_key=db.settings.secret_key, actor="t"
            )
        _sanction(db, ana, case_id, dep, "acct-1")
        _sanction(db, ana, case_id, dep, "acct-2")
        receiver.hold.clear()
        proc = subprocess.Popen(
            [sys.executable, "-m", "cli", "jobs", "run", "webhooks"],
            env={**os.environ, **cli_env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            assert receiver.arrived.wait(60), "the job never reached the receiver"
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
        finally:
            if proc.poll() is None:
                proc.kill()
        receiver.hold.set()
        time.sleep(0.2)  # the held request ends; its answer goes nowhere
        # The killed run's lease would keep a new scheduler off for its TTL; a
        # restarted scheduler runs once it has expired.
        from core.models import Lease

        with db.session_scope() as s:
            for lease in s.execute(select(Lease)).scalars():
                lease.expires_at = utcnow() - timedelta(seconds=1)
            s.commit()
        assert run_job(db, get_job("webhooks"))
        events = receiver.accepted
        assert [e["sequence"] for e in events] == [1, 1, 2]
        assert events[0]["event_id"] == events[1]["event_id"]
        assert [e["sequence"] for e in receiver.unique_events()] == [1, 2]
    finally:
        receiver.hold.set()
        receiver.stop()


def test_cli_registers_a_webhook_and_prints_the_secret_once(db, runner):
    _setup(db)
    bad = runner.invoke("deployers", "webhook", "acme", "http://example.org/hook")
    assert bad.exit_code == 1 and "https://" in bad.output
    first = runner.invoke("deployers", "webhook", "acme", "https://hooks.acme.example/h")
    assert first.exit_code == 0, first.output
    secret = first.output.split("now):")[1].split()[0]
    assert secret.startswith("whsec_")
    again = runner.invoke("deployers", "webhook", "acme", "https://hooks.acme.example/h2")
    assert again.exit_code == 0 and "whsec_" not in again.output
    missing = runner.invoke("deployers", "webhook", "nobody", "https://x.example/h")
    assert missing.exit_code == 1 and "no deployer" in missing.output
    with db.session_scope() as s:
        hook = s.execute(select(DeployerWebhook)).scalar_one()
        assert hook.url == "https://hooks.acme.example/h2"
        assert webhooks.retry_failed(s, "acme", actor="t") == 0
