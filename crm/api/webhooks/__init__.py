"""Webhooks: operations announce changes (crm.core.events); here they become delivery rows, in the same transaction.

Payloads are the API's own representations, built for the subscription's owner: a partner-owned subscription
gets only what that partner may read (never internal notes, stances only with a whip-list grant).
"""

import logging

from flask import g
from sqlalchemy import select

from crm.accounts.models import User
from crm.api.models import WebhookDelivery, WebhookSubscription
from crm.api.resources.campaigns import StanceSchema, whip_data
from crm.api.resources.interactions import interaction_data
from crm.api.resources.tasks import TaskSchema
from crm.campaigns import queries as campaign_queries
from crm.campaigns import stance
from crm.campaigns.models import StanceAssessment
from crm.campaigns.operations import STAGE_RULE_CHANGED
from crm.campaigns.visibility import can_see_whip_list
from crm.core import events
from crm.core.time import local_today, utcnow
from crm.extensions import db
from crm.outreach.operations import can_modify_task
from crm.outreach.queries.interactions import interaction_for

log = logging.getLogger(__name__)


def subscriptions_for(event: str) -> list[tuple[WebhookSubscription, User]]:
    """Active subscriptions that want this event, read once per transaction (a bulk stance edit costs one SELECT)."""
    transaction = db.session().get_transaction()
    cached = g.get("webhook_subscriptions")
    if cached is not None and cached[0] is transaction:
        rows = cached[1]
    else:
        rows = db.session.execute(
            select(WebhookSubscription, User).join(User, User.id == WebhookSubscription.owner_id)
            .where(WebhookSubscription.active.is_(True), User.active.is_(True))
            .order_by(WebhookSubscription.id)
        ).all()
        g.webhook_subscriptions = (db.session().get_transaction(), rows)
    return [(s, u) for s, u in rows if event in s.event_list]


def payload_for(event: str, obj, owner: User) -> dict | None:
    """What this owner may receive about obj, or None when the owner may not see it."""
    if event.startswith("interaction."):
        if interaction_for(owner, obj.id) is None:
            return None
        return interaction_data(owner, obj)
    if event == "stance.changed":
        return StanceSchema().dump(obj) if can_see_whip_list(owner, obj.campaign_id) else None
    if event.startswith("task."):
        return TaskSchema().dump(obj) if can_modify_task(owner, obj) else None
    if event == "signatures.verified":
        return {"batch_id": obj.id, "drive_id": obj.drive_id, "collected": obj.collected, "verified": obj.verified,
                "rejected": obj.rejected}
    if event == "whip.changed":
        return whip_data(obj, can_see_whip_list(owner, obj.campaign.id))
    return None


def enqueue(event: str, obj) -> int:
    """Add one delivery per subscription that wants this event and may see it. Returns how many."""
    added = 0
    now = utcnow()
    for subscription, owner in subscriptions_for(event):
        payload = payload_for(event, obj, owner)
        if payload is None:
            continue
        db.session.add(WebhookDelivery(subscription_id=subscription.id, event=event, payload=payload, status="pending",
                                       attempts=0, next_attempt_at=now, created_at=now))
        added += 1
    if added:
        db.session.flush()
    return added


def _whip_changes(assessment: StanceAssessment) -> None:
    """whip.changed for each stage whose secured or needed count moved with this assessment."""
    if not subscriptions_for("whip.changed"):
        return
    campaign, bodies = campaign_queries.campaign_with_bodies(assessment.campaign_id)
    today = local_today(None)
    # Today's count (as the whip page shows it) against the same count just before this assessment.
    now_cutoff = stance.cutoff_for_day(today, None)
    for body in bodies:
        before = campaign_queries.whip_count(campaign, body, today, min(assessment.assessed_at, now_cutoff))
        after = campaign_queries.whip_count(campaign, body, today, now_cutoff)
        if (before.secured, before.needed) != (after.secured, after.needed):
            enqueue("whip.changed", after)


def _stage_rule_changed(stage) -> None:
    """A stage's body or vote rule changed: its needed count may have moved, so send its count again."""
    if not subscriptions_for("whip.changed"):
        return
    campaign, bodies = campaign_queries.campaign_with_bodies(stage.campaign_id)
    today = local_today(None)
    for body in bodies:
        if body.stage.id == stage.id:
            enqueue("whip.changed", campaign_queries.whip_count(campaign, body, today, stance.cutoff_for_day(today, None)))


def on_changed(event: str, obj=None) -> None:
    if event == STAGE_RULE_CHANGED:
        _stage_rule_changed(obj)
        return
    enqueue(event, obj)
    if event == "stance.changed":
        _whip_changes(obj)


def connect() -> None:
    events.changed.connect(on_changed, weak=False)
