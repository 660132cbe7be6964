"""The API's resource blueprints, and two pages: the readable reference and the admins' webhook delivery log."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from crm.accounts.models import User
from crm.api.forms import SubscriptionForm
from crm.api.models import WebhookDelivery, WebhookSubscription
from crm.api.resources import admin, campaigns, coalition, interactions, legislature, signatures, tasks
from crm.api.webhooks import operations
from crm.api.webhooks import resource as webhooks
from crm.api.webhooks.resource import attempts_of
from crm.core.compression import not_compressed
from crm.core.forms import choices
from crm.core.permissions import admin_required
from crm.core.views import acting_user
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


@pages.route("/admin/webhooks", methods=["GET", "POST"])
@not_compressed  # shows webhook signing secrets
@admin_required
def webhook_log():
    """Every subscription (subscribe, turn on or off, remove) and the latest deliveries with each attempt."""
    admin = acting_user()
    form = SubscriptionForm()
    owners = db.session.execute(select(User.id, User.name, User.role).where(User.active.is_(True)).order_by(User.name)).all()
    form.owner_id.choices = owner_choices = choices((u.id, f"{u.name} ({u.role})") for u in owners)
    if not form.is_submitted():
        form.owner_id.data = admin.id
    secret = None
    if form.validate_on_submit():
        try:
            subscription = operations.subscribe(actor=admin, url=form.url.data.strip(), events=form.events.data,
                                                owner_id=form.owner_id.data)
        except operations.WebhookError as error:
            getattr(form, error.field or "url").errors.append(str(error))
        else:
            secret = subscription.secret
            flash(_("Suscripción creada. Copie el secreto de firma ahora: no se volverá a mostrar."), "success")
            form = None
    subscriptions = db.session.execute(select(WebhookSubscription).order_by(WebhookSubscription.id)).scalars().all()
    recent = db.session.execute(
        select(WebhookDelivery).order_by(WebhookDelivery.id.desc()).limit(100)
    ).scalars().all()
    if form is None:
        form = SubscriptionForm(formdata=None)
        form.owner_id.choices = owner_choices
        form.owner_id.data = admin.id
    return render_template("api/webhooks.html", subscriptions=subscriptions, form=form, secret=secret,
                           deliveries=recent, attempts=attempts_of(recent))


@pages.route("/admin/webhooks/<int:subscription_id>/<action>", methods=["POST"])
@admin_required
def webhook_action(subscription_id, action):
    subscription = db.session.get(WebhookSubscription, subscription_id)
    if subscription is None or action not in ("enable", "disable", "delete"):
        abort(404)
    if action == "delete":
        operations.delete_subscription(subscription, actor=acting_user())
    else:
        operations.update_subscription(subscription, actor=acting_user(), active=action == "enable")
    flash(_("Suscripción actualizada."), "success")
    return redirect(url_for("api_pages.webhook_log"))
