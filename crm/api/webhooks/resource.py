"""Webhook subscriptions (admins): create, list, read, change, delete, and each one's delivery log."""


from flask import url_for
from flask.views import MethodView
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from crm.api.http import (
    ID_RANGE,
    PageArgs,
    check_if_match,
    get_or_404,
    invalid,
    json_response,
    list_response,
    list_schema,
    make_blueprint,
    page_of,
    require_roles,
)
from crm.api.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from crm.api.webhooks import operations
from crm.core.events import EVENTS
from crm.core.permissions import Role
from crm.extensions import db

blp = make_blueprint("api_webhooks", "/webhooks", "Webhook subscriptions and their delivery log (admins).")


class SubscriptionSchema(Schema):
    id = fields.Integer(dump_only=True)
    url = fields.String(required=True, validate=validate.Length(max=500))
    events = fields.List(fields.String(validate=validate.OneOf(EVENTS)), required=True,
                         validate=validate.Length(1, len(EVENTS)))
    owner_id = fields.Integer(load_default=None, allow_none=True, validate=ID_RANGE,
                              metadata={"description": "whose permissions shape the payloads; default: you"})
    active = fields.Boolean(load_default=True)
    secret = fields.String(dump_only=True, metadata={"description": "signs every body; shown on creation only"})
    consecutive_failures = fields.Integer(dump_only=True)
    disabled_reason = fields.String(dump_only=True, allow_none=True)
    created_at = fields.AwareDateTime(dump_only=True)



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


def _subscription_or_404(subscription_id: int) -> WebhookSubscription:
    return get_or_404(WebhookSubscription, subscription_id)


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
        try:
            subscription = operations.subscribe(actor=admin, **data)
        except operations.WebhookError as error:
            raise invalid(error) from error
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
        try:
            operations.update_subscription(subscription, actor=admin, **data)
        except operations.WebhookError as error:
            raise invalid(error) from error
        return json_response(_data(subscription))

    @blp.response(204)
    def delete(self, subscription_id):
        admin = require_roles(Role.ADMIN)
        subscription = _subscription_or_404(subscription_id)
        operations.delete_subscription(subscription, actor=admin)
        return "", 204


def attempts_of(rows) -> dict[int, list[WebhookAttempt]]:
    """Each delivery's attempts, oldest first (one SELECT for all of them)."""
    attempts: dict[int, list] = {r.id: [] for r in rows}
    if attempts:
        for attempt in db.session.execute(select(WebhookAttempt).where(WebhookAttempt.delivery_id.in_(list(attempts)))
                                          .order_by(WebhookAttempt.id)).scalars():
            attempts[attempt.delivery_id].append(attempt)
    return attempts


def deliveries_data(rows) -> list[dict]:
    attempts = attempts_of(rows)
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
