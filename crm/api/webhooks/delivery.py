"""Deliver webhook rows: claim atomically (the outbox's pattern), POST a signed body, log the attempt, back off.

Claiming is the mail sender's rule: FOR UPDATE SKIP LOCKED on PostgreSQL, one conditional UPDATE on SQLite; a
crash after the claim means a resend once the lease ends, never a loss (receivers dedupe on the delivery id).
Each body is signed: X-Cabildeo-Signature: sha256=HMAC(secret, "<timestamp>.<body>"), with the timestamp in
X-Cabildeo-Timestamp so a receiver can refuse old replays. A subscription that fails WEBHOOK_DISABLE_AFTER
times in a row is disabled and its owner emailed through the mail outbox.
"""

import hashlib
import hmac
import json
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import delete, select

from crm.accounts.models import User
from crm.api.models import IdempotencyKey, WebhookAttempt, WebhookDelivery, WebhookSubscription
from crm.core import audit, leases
from crm.core.mail import enqueue_email, external_url
from crm.core.time import utcnow
from crm.extensions import db

log = logging.getLogger(__name__)
_table = WebhookDelivery.__table__


@dataclass
class WebhookStats:
    claimed: int = 0
    delivered: int = 0
    retried: int = 0
    failed: int = 0


def _setting(name, default):
    return current_app.config.get(name, default)


def sign(secret: str, timestamp: int, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), str(timestamp).encode() + b"." + body, hashlib.sha256).hexdigest()


def body_of(delivery: WebhookDelivery) -> bytes:
    return json.dumps({"id": delivery.id, "event": delivery.event, "created_at": delivery.created_at.isoformat(),
                       "data": delivery.payload}, sort_keys=True).encode()


def retry_delay(attempts: int) -> timedelta:
    return leases.backoff(attempts, _setting("WEBHOOK_RETRY_BASE_SECONDS", 30),
                          _setting("WEBHOOK_RETRY_MAX_SECONDS", 6 * 3600))


def claim(owner: str, now: datetime, limit: int = 20) -> list[int]:
    lease_until = now + timedelta(seconds=_setting("WEBHOOK_LEASE_SECONDS", 120))
    candidates = (select(_table.c.id).where(leases.claimable(_table, now))
                  .order_by(_table.c.next_attempt_at, _table.c.id).limit(limit))
    values = dict(status="sending", lease_until=lease_until, lease_owner=owner, attempts=_table.c.attempts + 1)
    ids = leases.claim(db.session.connection(), _table, candidates, now, values)
    db.session.commit()
    return ids


def post(url: str, body: bytes, headers: dict, timeout: float) -> tuple[int | None, str | None]:
    """POST the body; (status code, error text). Redirects are not followed."""
    request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - http(s) only, checked on subscribe
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            return response.status, None
    except urllib.error.HTTPError as error:
        return error.code, f"HTTP {error.code}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        return None, f"{type(error).__name__}: {getattr(error, 'reason', error)}"[:500]


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def _send_one(delivery_id: int, owner: str, now: datetime, stats: WebhookStats) -> None:
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None or delivery.lease_owner != owner or delivery.status != "sending":
        return
    subscription = db.session.get(WebhookSubscription, delivery.subscription_id)
    if not subscription.active:
        delivery.status, delivery.last_error, delivery.lease_owner = "failed", "subscription disabled", None
        db.session.commit()
        stats.failed += 1
        return
    body = body_of(delivery)
    timestamp = int(time.time())
    headers = {"Content-Type": "application/json", "User-Agent": "Cabildeo-Webhooks/1",
               "X-Cabildeo-Event": delivery.event, "X-Cabildeo-Delivery": str(delivery.id),
               "X-Cabildeo-Timestamp": str(timestamp), "X-Cabildeo-Signature": sign(subscription.secret, timestamp, body)}
    url, attempts = subscription.url, delivery.attempts
    # End the transaction before the network call: on SQLite it would hold the write lock meanwhile.
    db.session.commit()
    started = time.monotonic()
    status, error = post(url, body, headers, _setting("WEBHOOK_TIMEOUT", 10))
    elapsed = int((time.monotonic() - started) * 1000)
    delivery = db.session.get(WebhookDelivery, delivery_id)
    if delivery is None:  # its subscription was removed during the POST, and its deliveries with it
        db.session.rollback()
        return
    subscription = db.session.get(WebhookSubscription, delivery.subscription_id)
    db.session.add(WebhookAttempt(delivery_id=delivery_id, attempted_at=utcnow(), status_code=status, error=error,
                                  duration_ms=elapsed))
    delivery.lease_owner, delivery.lease_until = None, None
    if status is not None and 200 <= status < 300:
        delivery.status, delivery.delivered_at, delivery.last_error = "delivered", utcnow(), None
        subscription.consecutive_failures = 0
        stats.delivered += 1
    else:
        delivery.last_error = error or f"HTTP {status}"
        if attempts >= _setting("WEBHOOK_MAX_ATTEMPTS", 8):
            delivery.status = "failed"
            stats.failed += 1
        else:
            delivery.status, delivery.next_attempt_at = "pending", now + retry_delay(attempts)
            stats.retried += 1
        subscription.consecutive_failures += 1
        if subscription.active and subscription.consecutive_failures >= _setting("WEBHOOK_DISABLE_AFTER", 20):
            _disable(subscription, delivery.last_error)
    db.session.commit()


def _disable(subscription: WebhookSubscription, last_error: str) -> None:
    subscription.active = False
    subscription.disabled_reason = f"{subscription.consecutive_failures} failures in a row; last: {last_error}"[:300]
    subscription.updated_at = utcnow()
    audit.record("webhook.disable", subscription, old={"active": True},
                 new={"active": False, "reason": subscription.disabled_reason})
    owner = db.session.get(User, subscription.owner_id)
    if owner is None:
        return
    with force_locale(owner.language):
        subject = _("Webhook desactivado: %(url)s", url=subscription.url[:120])
        text = _("El webhook %(url)s falló %(count)s veces seguidas y se desactivó. Último error: %(error)s\n\n"
                 "Revise el registro de entregas y vuelva a activarlo: %(link)s",
                 url=subscription.url, count=subscription.consecutive_failures, error=last_error,
                 link=external_url("api_pages.webhook_log"))
    enqueue_email(key=f"webhook-disabled:{subscription.id}:{int(time.time())}", kind="webhook_disabled",
                  recipient=owner.email, subject=subject, text=text, user_id=owner.id)


def deliver_batch(owner: str, now: datetime | None = None, limit: int = 20) -> WebhookStats:
    now = now or utcnow()
    stats = WebhookStats()
    ids = claim(owner, now, limit)
    stats.claimed = len(ids)
    for delivery_id in ids:
        try:
            _send_one(delivery_id, owner, now, stats)
        except Exception:  # noqa: BLE001 - one broken row must not stop the others; its lease lets it be retried
            log.exception("webhook delivery %s failed", delivery_id)
            db.session.rollback()
    return stats


def deliver_all(owner: str = "once", now: datetime | None = None, max_batches: int = 100) -> WebhookStats:
    total = WebhookStats()
    for _batch in range(max_batches):
        stats = deliver_batch(owner, now)
        for name in ("claimed", "delivered", "retried", "failed"):
            setattr(total, name, getattr(total, name) + getattr(stats, name))
        if not stats.claimed:
            break
    return total


def prune_idempotency_keys(now: datetime | None = None) -> int:
    """Forget stored POST answers older than API_IDEMPOTENCY_HOURS (24): a retry comes within minutes."""
    cutoff = (now or utcnow()) - timedelta(hours=_setting("API_IDEMPOTENCY_HOURS", 24))
    removed = db.session.execute(delete(IdempotencyKey).where(IdempotencyKey.created_at < cutoff)).rowcount
    db.session.commit()
    return removed


def run_forever(stop, *, owner: str, interval: float = 5.0, echo=print) -> None:
    echo(f"Webhook sender {owner} started.")
    last_prune = 0.0
    while not stop.is_set():
        if time.monotonic() - last_prune > 3600:
            try:
                prune_idempotency_keys()
            except Exception:  # noqa: BLE001 - housekeeping must not stop deliveries
                log.exception("pruning idempotency keys failed")
                db.session.rollback()
            last_prune = time.monotonic()
        try:
            stats = deliver_batch(owner)
        except Exception:  # noqa: BLE001 - a database hiccup must not end the loop
            log.exception("webhook round failed")
            db.session.rollback()
            stats = WebhookStats()
        finally:
            db.session.remove()
        if not stats.claimed:
            stop.wait(interval)
    echo("Webhook sender stopped.")
