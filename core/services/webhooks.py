"""Signed webhooks: sanctions pushed to the deployer they concern.

An event is written to ``webhook_delivery`` in the same transaction as the change
it reports (an outbox), so a change is never committed without its delivery, nor
a delivery queued for a change that rolled back. The delivery job sends each
deployer's events strictly in sequence: the oldest undelivered one blocks the
ones after it, so a receiver never sees an end before the start it ends. Every
attempt is a row and an audit event. Delivery is at least once: a crash between
the receiver's answer and our commit sends the same event (same ``event_id``)
again.

Signature: ``MisuseWatch-Signature: t=<unix seconds>,v1=<hex>`` where ``<hex>`` is
HMAC-SHA256 under the deployer's secret of ``f"{t}."`` followed by the raw body.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.exceptions import NotFound, ValidationFailed
from core.models import Alert, Deployer, DeployerWebhook, WebhookAttempt, WebhookDelivery
from core.models.base import utcnow
from core.secrets import decrypt_secret, encrypt_secret, new_webhook_secret
from core.services import audit

SIGNATURE_HEADER = "MisuseWatch-Signature"
EVENT_ID_HEADER = "MisuseWatch-Event-Id"
SEQUENCE_HEADER = "MisuseWatch-Sequence"
_SECRET_PURPOSE = "webhook-secret"  # noqa: S105 (a key-derivation label)
# Seconds to wait before attempts 2, 3, ...: doubling from a minute, so seven
# attempts span 63 minutes before the delivery is given up and an alert raised.
RETRY_DELAYS = (60, 120, 240, 480, 960, 1920)
MAX_ATTEMPTS = len(RETRY_DELAYS) + 1
TIMEOUT_SECONDS = 10
_MAX_ERROR = 500


@dataclass(frozen=True)
class PostResult:
    status_code: int | None
    error: str | None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


Poster = Callable[[str, bytes, dict[str, str]], PostResult]


def sign(secret: str, timestamp: int, body: bytes) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={digest.hexdigest()}"


def _check_url(url: str) -> str:
    url = url.strip()
    parts = urllib.parse.urlsplit(url)
    if len(url) > 2000 or parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValidationFailed({"url": "Give an absolute https:// URL of at most 2,000 chars."})
    if parts.username or parts.password:
        raise ValidationFailed({"url": "No credentials in the URL: the signature authenticates."})
    if parts.scheme == "http" and not _loopback(parts.hostname):
        # Sanctions name accounts: they do not cross a network in clear text.
        raise ValidationFailed({"url": "Use https:// (plain http only to this machine)."})
    return url


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _deployer(session: Session, name: str) -> Deployer:
    deployer = session.execute(
        select(Deployer).where(Deployer.name == name.strip())
    ).scalar_one_or_none()
    if deployer is None:
        raise NotFound(f"no deployer named {name!r}")
    return deployer


def set_webhook(
    session: Session,
    deployer_name: str,
    url: str,
    *,
    secret_key: str,
    actor: str,
    rotate_secret: bool = False,
) -> tuple[DeployerWebhook, str | None]:
    """Register or change a deployer's webhook URL. Returns the new signing secret
    (to show once) when one was made: on registration or when asked to rotate."""
    url = _check_url(url)
    deployer = _deployer(session, deployer_name)
    hook = session.execute(
        select(DeployerWebhook).where(DeployerWebhook.deployer_id == deployer.id)
    ).scalar_one_or_none()
    before = {"url": hook.url, "secret_prefix": hook.secret_prefix} if hook else None
    secret: str | None = None
    if hook is None:
        hook = DeployerWebhook(deployer_id=deployer.id, last_sequence=0)
        session.add(hook)
    if rotate_secret or before is None:
        secret = new_webhook_secret()
        hook.secret_encrypted = encrypt_secret(
            secret_key, _SECRET_PURPOSE, secret, context=f"deployer:{deployer.id}"
        )
        hook.secret_prefix = secret[:10]
    hook.url = url
    hook.updated_at = utcnow()
    session.flush()
    audit.record(
        session,
        actor=actor,
        action="deployer.webhook",
        subject_type="deployer",
        subject_id=deployer.id,
        before=before,
        after={"url": url, "secret_prefix": hook.secret_prefix, "new_secret": secret is not None},
    )
    session.commit()
    return hook, secret


def enqueue(
    session: Session,
    *,
    deployer_id: int,
    sanction_id: int | None,
    event: str,
    data: dict[str, Any],
    now: datetime | None = None,
) -> WebhookDelivery | None:
    """Queue an event for the deployer's webhook, in the caller's transaction.
    Nothing is queued for a deployer without one (it reads the sanctions feed)."""
    now = now or utcnow()
    # Row lock: two transactions queuing for the same deployer take turns, so
    # sequence numbers are handed out once each and in commit order.
    hook = session.execute(
        select(DeployerWebhook).where(DeployerWebhook.deployer_id == deployer_id).with_for_update()
    ).scalar_one_or_none()
    if hook is None:
        return None
    deployer = session.get(Deployer, deployer_id)
    hook.last_sequence += 1
    event_id = "evt_" + uuid.uuid4().hex
    body = {
        "event_id": event_id,
        "event": event,
        "sequence": hook.last_sequence,
        "occurred_at": now.isoformat(),
        "deployer": deployer.name if deployer else None,
        "data": data,
    }
    delivery = WebhookDelivery(
        event_id=event_id,
        deployer_id=deployer_id,
        sequence=hook.last_sequence,
        sanction_id=sanction_id,
        event=event,
        body=json.dumps(body, sort_keys=True, separators=(",", ":")),
        status="pending",
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    session.add(delivery)
    session.flush()
    return delivery


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    # A redirect would send the signed body somewhere the deployer did not register.
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def http_post(url: str, body: bytes, headers: dict[str, str]) -> PostResult:
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 (scheme checked at registration)
    opener = urllib.request.build_opener(_NoRedirects)
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            return PostResult(response.status, None)
    except urllib.error.HTTPError as exc:
        return PostResult(exc.code, f"HTTP {exc.code} {exc.reason}"[:_MAX_ERROR])
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        return PostResult(None, f"{type(exc).__name__}: {reason}"[:_MAX_ERROR])


def _queue_heads(session: Session) -> list[int]:
    return list(
        session.execute(
            select(WebhookDelivery.deployer_id)
            .where(WebhookDelivery.status == "pending")
            .group_by(WebhookDelivery.deployer_id)
            .order_by(WebhookDelivery.deployer_id)
        ).scalars()
    )


def _head(session: Session, deployer_id: int) -> WebhookDelivery | None:
    return session.execute(
        select(WebhookDelivery)
        .where(WebhookDelivery.deployer_id == deployer_id, WebhookDelivery.status != "delivered")
        .order_by(WebhookDelivery.sequence)
        .limit(1)
    ).scalar_one_or_none()


def deliver_due(
    session: Session,
    *,
    secret_key: str,
    now: datetime | None = None,
    post: Poster = http_post,
    limit: int = 500,
) -> dict[str, int]:
    """Send every event that is due, each deployer's in sequence (the webhooks job).

    Returns counts of attempts, deliveries and deliveries given up."""
    stats = {"attempts": 0, "delivered": 0, "failed": 0}
    for deployer_id in _queue_heads(session):
        while stats["attempts"] < limit:
            head = _head(session, deployer_id)
            clock = now or utcnow()
            # A failed head waits for an operator (webhook-retry): sending the events
            # after it would deliver them out of order.
            if head is None or head.status == "failed" or head.next_attempt_at > clock:
                break
            hook = session.execute(
                select(DeployerWebhook).where(DeployerWebhook.deployer_id == deployer_id)
            ).scalar_one_or_none()
            if hook is None:
                break
            url, body, delivery_id = hook.url, head.body.encode(), head.id
            secret = decrypt_secret(
                secret_key,
                _SECRET_PURPOSE,
                hook.secret_encrypted,
                context=f"deployer:{deployer_id}",
            )
            headers = {
                "Content-Type": "application/json",
                "User-Agent": "MisuseWatch-Webhook/1",
                SIGNATURE_HEADER: sign(secret, int(time.time()), body),
                EVENT_ID_HEADER: head.event_id,
                SEQUENCE_HEADER: str(head.sequence),
            }
            # No transaction stays open while a receiver takes its time.
            session.commit()
            started = time.monotonic()
            result = post(url, body, headers)
            elapsed = int((time.monotonic() - started) * 1000)
            stats["attempts"] += 1
            outcome = _record_attempt(session, delivery_id, url, result, elapsed, now or utcnow())
            stats[outcome] = stats.get(outcome, 0) + 1
            if outcome != "delivered":
                break
    return stats


def _record_attempt(
    session: Session,
    delivery_id: int,
    url: str,
    result: PostResult,
    duration_ms: int,
    now: datetime,
) -> str:
    """Write one attempt, its audit event and the delivery's new state; one commit."""
    delivery = session.get(WebhookDelivery, delivery_id)
    assert delivery is not None
    delivery.attempts += 1
    session.add(
        WebhookAttempt(
            delivery_id=delivery.id,
            number=delivery.attempts,
            at=now,
            url=url,
            status_code=result.status_code,
            error=None if result.ok else (result.error or f"HTTP {result.status_code}"),
            duration_ms=duration_ms,
        )
    )
    if result.ok:
        delivery.status = "delivered"
        delivery.delivered_at = now
        delivery.last_error = None
        outcome = "delivered"
    else:
        delivery.last_error = result.error or f"HTTP {result.status_code}"
        if delivery.attempts >= MAX_ATTEMPTS:
            delivery.status = "failed"
            outcome = "failed"
            _raise_alert(session, delivery, now)
        else:
            delivery.next_attempt_at = now + timedelta(seconds=RETRY_DELAYS[delivery.attempts - 1])
            outcome = "retrying"
    audit.record(
        session,
        actor="job:webhooks",
        action="webhook.attempt",
        subject_type="webhook_delivery",
        subject_id=delivery.id,
        after={
            "event_id": delivery.event_id,
            "sanction_id": delivery.sanction_id,
            "sequence": delivery.sequence,
            "attempt": delivery.attempts,
            "status_code": result.status_code,
            "error": delivery.last_error if not result.ok else None,
            "outcome": outcome,
        },
    )
    session.commit()
    return outcome


def _raise_alert(session: Session, delivery: WebhookDelivery, now: datetime) -> None:
    deployer = session.get(Deployer, delivery.deployer_id)
    name = deployer.name if deployer else str(delivery.deployer_id)
    session.add(
        Alert(
            subject_type="webhook",
            subject_id=f"webhook:{name}#{delivery.sequence}",
            window_start=delivery.created_at,
            window_end=now,
            score=1.0,
            features={
                "delivery_id": delivery.id,
                "event_id": delivery.event_id,
                "attempts": delivery.attempts,
            },
            explanation=(
                f"The webhook of deployer {name} failed {delivery.attempts} times "
                f"(last: {delivery.last_error}); its event {delivery.sequence} and every "
                f"later one wait. Fix the receiver, then run "
                f"`misuse deployers webhook-retry {name}`."
            ),
            created_at=now,
            updated_at=now,
        )
    )


def retry_failed(session: Session, deployer_name: str, *, actor: str) -> int:
    """Put a deployer's given-up deliveries back in the queue, attempts starting over."""
    deployer = _deployer(session, deployer_name)
    failed = list(
        session.execute(
            select(WebhookDelivery).where(
                WebhookDelivery.deployer_id == deployer.id, WebhookDelivery.status == "failed"
            )
        ).scalars()
    )
    now = utcnow()
    for delivery in failed:
        delivery.status = "pending"
        delivery.attempts = 0
        delivery.next_attempt_at = now
        audit.record(
            session,
            actor=actor,
            action="webhook.retry",
            subject_type="webhook_delivery",
            subject_id=delivery.id,
            before={"status": "failed"},
            after={"status": "pending"},
        )
    session.commit()
    return len(failed)
