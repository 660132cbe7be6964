"""Webhook subscriptions (admins): create, list, read, change, delete, and each one's delivery log."""

import secrets
from urllib.parse import urlsplit

from flask import url_for
from flask.views import MethodView
from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, validate, validates
from sqlalchemy import select

from crm.accounts.models import User
from crm.api.http import (
    ApiError,
    PageArgs,
    check_if_match,
    json_response,
    list_response,
    list_schema,
    make_blueprint,
    not_found,
    page_of,
    require_roles,
)
from crm.api.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from crm.core import audit
from crm.core.events import EVENTS
from crm.core.permissions import Role
from crm.core.time import utcnow
from crm.extensions import db

blp = make_blueprint("api_webhooks", "/webhooks", "Webhook subscriptions and their delivery log (admins).")


class SubscriptionSchema(Schema):
    id = fields.Integer(dump_only=True)
    url = fields.String(required=True, validate=validate.Length(max=500))
    events = fields.List(fields.String(validate=validate.OneOf(EVENTS)), required=True, validate=validate.Length(1, 7))
    owner_id = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(1, 2**31 - 1),
                              metadata={"description": "whose permissions shape the payloads; default: you"})
    active = fields.Boolean(load_default=True)
    secret = fields.String(dump_only=True, metadata={"description": "signs every body; shown on creation only"})
    consecutive_failures = fields.Integer(dump_only=True)
    disabled_reason = fields.String(dump_only=True, allow_none=True)
    created_at = fields.AwareDateTime(dump_only=True)

    @validates("url")
    def _url(self, value, **_kwargs):
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValidationError(_("Use una dirección http:// o https://."))


SubscriptionPatchSchema = SubscriptionSchema(partial=True)


class AttemptSchema(Schema):
    attempted_at = fields.AwareDateTime()
    status_code = fields.Integer(allow_none=True)
    error = fields.String(allow_none=True)
    duration_ms = fields.Integer()


class DeliverySchema(Schema):
    id = fields.Integer()
    event = fields.String()
    status = fields.String()
    attempts = fields.Integer()
    next_attempt_at = fields.AwareDateTime()
    last_error = fields.String(allow_none=True)
    created_at = fields.AwareDateTime()
    delivered_at = fields.AwareDateTime(allow_none=True)
    log = fields.List(fields.Nested(AttemptSchema))


SubscriptionList = list_schema(SubscriptionSchema, "SubscriptionList")
DeliveryList = list_schema(DeliverySchema, "DeliveryList")


def _data(subscription: WebhookSubscription, with_secret: bool = False) -> dict:
    data = SubscriptionSchema().dump({
        **{k: getattr(subscription, k) for k in ("id", "url", "owner_id", "active", "consecutive_failures",
                                                 "disabled_reason", "created_at")},
        "events": subscription.event_list, "secret": subscription.secret,
    })
    if not with_secret:
        data.pop("secret")
    return data


def _owner(owner_id, admin) -> int:
    if owner_id is None:
        return admin.id
    owner = db.session.get(User, owner_id)
    if owner is None or not owner.active:
        raise ApiError(422, "invalid", _("Esa persona no existe o está desactivada."), field="owner_id")
    return owner.id


def _subscription_or_404(subscription_id: int) -> WebhookSubscription:
    subscription = db.session.get(WebhookSubscription, subscription_id)
    if subscription is None:
        raise not_found()
    return subscription


@blp.route("")
class Subscriptions(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, SubscriptionList)
    def get(self, args):
        require_roles(Role.ADMIN)
        rows, cursor = page_of(select(WebhookSubscription), WebhookSubscription.id, args)
        return list_response([_data(s) for s in rows], cursor)

    @blp.arguments(SubscriptionSchema)
    @blp.response(201, SubscriptionSchema)
    def post(self, data):
        """Subscribe a URL to events. The answer carries the signing secret, once."""
        admin = require_roles(Role.ADMIN)
        subscription = WebhookSubscription(
            owner_id=_owner(data["owner_id"], admin), url=data["url"], events=" ".join(dict.fromkeys(data["events"])),
            secret=secrets.token_urlsafe(32), active=data["active"], consecutive_failures=0, created_at=utcnow(),
        )
        db.session.add(subscription)
        db.session.flush()
        audit.record("webhook.subscribe", subscription, new={"url": subscription.url, "events": subscription.events,
                                                             "owner_id": subscription.owner_id}, actor=admin)
        location = url_for("api_webhooks.SubscriptionItem", subscription_id=subscription.id)
        return json_response(_data(subscription, with_secret=True), 201, {"Location": location})


@blp.route("/<int:subscription_id>")
class SubscriptionItem(MethodView):
    @blp.response(200, SubscriptionSchema)
    def get(self, subscription_id):
        require_roles(Role.ADMIN)
        return json_response(_data(_subscription_or_404(subscription_id)))

    @blp.arguments(SubscriptionPatchSchema)
    @blp.response(200, SubscriptionSchema)
    def patch(self, data, subscription_id):
        """Change the URL, events or owner; `active: true` turns a disabled subscription on again."""
        admin = require_roles(Role.ADMIN)
        subscription = _subscription_or_404(subscription_id)
        check_if_match(_data(subscription))
        before = audit.snapshot(subscription, ("url", "events", "owner_id", "active"))
        if "url" in data:
            subscription.url = data["url"]
        if "events" in data:
            subscription.events = " ".join(dict.fromkeys(data["events"]))
        if data.get("owner_id"):
            subscription.owner_id = _owner(data["owner_id"], admin)
        if "active" in data:
            if data["active"] and not subscription.active:
                subscription.consecutive_failures, subscription.disabled_reason = 0, None
            subscription.active = data["active"]
        subscription.updated_at = utcnow()
        db.session.flush()
        old, new = audit.changes(before, audit.snapshot(subscription, ("url", "events", "owner_id", "active")))
        if new:
            audit.record("webhook.update", subscription, old=old, new=new, actor=admin)
        return json_response(_data(subscription))

    @blp.response(204)
    def delete(self, subscription_id):
        admin = require_roles(Role.ADMIN)
        subscription = _subscription_or_404(subscription_id)
        audit.record("webhook.delete", subscription, old={"url": subscription.url, "events": subscription.events},
                     actor=admin)
        db.session.delete(subscription)
        db.session.flush()
        return "", 204


def deliveries_data(rows) -> list[dict]:
    attempts: dict[int, list] = {r.id: [] for r in rows}
    if attempts:
        for attempt in db.session.execute(select(WebhookAttempt).where(WebhookAttempt.delivery_id.in_(list(attempts)))
                                          .order_by(WebhookAttempt.id)).scalars():
            attempts[attempt.delivery_id].append(attempt)
    return [DeliverySchema().dump({**{k: getattr(r, k) for k in ("id", "event", "status", "attempts", "next_attempt_at",
                                                                  "last_error", "created_at", "delivered_at")},
                                   "log": attempts[r.id]}) for r in rows]


@blp.route("/<int:subscription_id>/deliveries")
class Deliveries(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, DeliveryList)
    def get(self, args, subscription_id):
        """Each delivery with every attempt (status code or error, and how long it took)."""
        require_roles(Role.ADMIN)
        _subscription_or_404(subscription_id)
        statement = select(WebhookDelivery).where(WebhookDelivery.subscription_id == subscription_id)
        rows, cursor = page_of(statement, WebhookDelivery.id, args)
        return list_response(deliveries_data(rows), cursor)
