"""Admin outbox page and the unsubscribe page (which works without logging in)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm.accounts.models import User
from crm.core.outbox import OutboundEmail
from crm.core.pagination import parse_page
from crm.core.permissions import admin_required
from crm.extensions import db
from crm.reminders import bp, operations, queries
from crm.reminders.scheduler import scheduler_status
from crm.reminders.tokens import read_unsubscribe_token


@bp.route("/admin/mail")
@admin_required
def outbox():
    status = request.args.get("status") or None
    if status is not None and status not in queries.STATUS_TABS:
        status = None
    return render_template(
        "reminders/outbox.html",
        status=status,
        tabs=queries.STATUS_TABS,
        counts=queries.status_counts(),
        page=queries.outbox_page(status, parse_page(request.args.get("page"))),
        scheduler=scheduler_status(),
    )


def _email_or_404(email_id: int) -> OutboundEmail:
    email = db.session.get(OutboundEmail, email_id)
    if email is None:
        abort(404)
    return email


def _back():
    return redirect(url_for("reminders.outbox", status=request.form.get("status") or None))


def _act_on(email_id, action, done):
    """Run one admin action on a message; flash the refusal, or `done(email)` when it worked."""
    email = _email_or_404(email_id)
    try:
        action(email, actor=current_user)
    except operations.OutboxError as error:
        flash(str(error), "warning")
    else:
        flash(done(email), "success")
    return _back()


@bp.route("/admin/mail/<int:email_id>/retry", methods=["POST"])
@admin_required
def retry(email_id):
    return _act_on(
        email_id, operations.retry_email, lambda email: _("El correo a %(to)s se enviará de nuevo.", to=email.recipient)
    )


@bp.route("/admin/mail/<int:email_id>/discard", methods=["POST"])
@admin_required
def discard(email_id):
    return _act_on(email_id, operations.discard_email, lambda email: _("Correo a %(to)s descartado.", to=email.recipient))


@bp.route("/unsubscribe/<token>", methods=["GET", "POST"])
def unsubscribe(token):
    """GET only shows a confirmation (mail scanners follow links); POST switches the reminder off."""
    found = read_unsubscribe_token(token)
    user = db.session.get(User, found[0]) if found else None
    if user is None:
        return render_template("reminders/unsubscribe.html", invalid=True), 400
    kind = found[1]
    done = False
    if request.method == "POST":
        operations.unsubscribe(user, kind)
        done = True
    return render_template("reminders/unsubscribe.html", invalid=False, target=user, kind=kind, done=done, token=token)
