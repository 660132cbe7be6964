"""The API's resource blueprints, and two pages: the readable reference and the admins' webhook delivery log."""

from flask import Blueprint, current_app, render_template
from sqlalchemy import select

from crm.api.models import WebhookDelivery, WebhookSubscription
from crm.api.resources import admin, campaigns, coalition, interactions, legislature, signatures, tasks
from crm.api.webhooks import resource as webhooks
from crm.api.webhooks.resource import deliveries_data
from crm.core.permissions import admin_required
from crm.extensions import db

BLUEPRINTS = (legislature.blp, campaigns.blp, interactions.blp, tasks.blp, coalition.blp, signatures.blp, admin.blp,
              webhooks.blp)

pages = Blueprint("api_pages", __name__)
METHODS = ("get", "post", "put", "patch", "delete")


@pages.route("/api/v1/docs")
def reference():
    """The OpenAPI document as a plain page: every path, method, summary and parameter; no scripts."""
    spec = current_app.extensions["flask-smorest"]["apis"][""]["ext_obj"].spec.to_dict()
    operations = []
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            if method in item:
                op = item[method]
                params = [p.get("name") for p in (op.get("parameters", []) + item.get("parameters", []))]
                operations.append({"path": path, "method": method.upper(), "summary": op.get("summary", ""),
                                   "description": op.get("description", ""), "tags": op.get("tags", []),
                                   "parameters": params, "body": "requestBody" in op})
    return render_template("api/reference.html", spec=spec, operations=operations)


@pages.route("/admin/webhooks")
@admin_required
def webhook_log():
    """Every subscription and its latest deliveries with each attempt."""
    subscriptions = db.session.execute(select(WebhookSubscription).order_by(WebhookSubscription.id)).scalars().all()
    recent = db.session.execute(
        select(WebhookDelivery).order_by(WebhookDelivery.id.desc()).limit(100)
    ).scalars().all()
    return render_template("api/webhooks.html", subscriptions=subscriptions,
                           deliveries=list(zip(recent, deliveries_data(recent), strict=True)))
