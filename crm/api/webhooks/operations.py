"""Writes on webhook subscriptions, shared by the API and the admin page: validated, flushed, audited."""

import secrets
from urllib.parse import urlsplit

from flask import g
from flask_babel import gettext as _

from crm.accounts.models import User
from crm.api.models import WebhookSubscription
from crm.core import audit
from crm.core.events import EVENTS
from crm.core.time import utcnow
from crm.extensions import db

FIELDS = ("url", "events", "owner_id", "active")


class WebhookError(ValueError):
    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


def _check(url: str | None, events, owner_id) -> None:
    if url is not None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname or len(url) > 500:
            raise WebhookError(_("Use una dirección http:// o https://."), "url")
    if events is not None and (not events or any(e not in EVENTS for e in events)):
        raise WebhookError(_("Elija al menos un evento."), "events")
    if owner_id is not None:
        owner = db.session.get(User, owner_id)
        if owner is None or not owner.active:
            raise WebhookError(_("Esa persona no existe o está desactivada."), "owner_id")


def subscribe(*, actor, url: str, events, owner_id=None, active: bool = True) -> WebhookSubscription:
    owner_id = owner_id or actor.id
    _check(url, events, owner_id)
    subscription = WebhookSubscription(
        owner_id=owner_id, url=url, events=" ".join(dict.fromkeys(events)), secret=secrets.token_urlsafe(32),
        active=active, consecutive_failures=0, created_at=utcnow(),
    )
    db.session.add(subscription)
    db.session.flush()
    g.pop("webhook_subscriptions", None)
    audit.record("webhook.subscribe", subscription, new=audit.snapshot(subscription, FIELDS), actor=actor)
    return subscription


def update_subscription(subscription: WebhookSubscription, *, actor, **values) -> WebhookSubscription:
    _check(values.get("url"), values.get("events"), values.get("owner_id"))
    before = audit.snapshot(subscription, FIELDS)
    if values.get("url") is not None:
        subscription.url = values["url"]
    if values.get("events") is not None:
        subscription.events = " ".join(dict.fromkeys(values["events"]))
    if values.get("owner_id"):
        subscription.owner_id = values["owner_id"]
    if values.get("active") is not None:
        if values["active"] and not subscription.active:
            subscription.consecutive_failures, subscription.disabled_reason = 0, None
        subscription.active = values["active"]
    subscription.updated_at = utcnow()
    db.session.flush()
    g.pop("webhook_subscriptions", None)
    old, new = audit.changes(before, audit.snapshot(subscription, FIELDS))
    if new:
        audit.record("webhook.update", subscription, old=old, new=new, actor=actor)
    return subscription


def delete_subscription(subscription: WebhookSubscription, *, actor) -> None:
    audit.record("webhook.delete", subscription, old=audit.snapshot(subscription, FIELDS), actor=actor)
    db.session.delete(subscription)
    db.session.flush()
    g.pop("webhook_subscriptions", None)
