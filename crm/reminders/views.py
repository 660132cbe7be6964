"""Admin outbox page and the unsubscribe page (which works without logging in)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm.accounts.models import User
from crm.core.pagination import parse_page
from crm.core.permissions import admin_required
from crm.extensions import db
from crm.reminders import bp, operations, queries
from crm.reminders.models import OutboundEmail
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


@bp.route("/admin/mail/<int:email_id>/retry", methods=["POST"])
@admin_required
def retry(email_id):
    email = _email_or_404(email_id)
    try:
        operations.retry_email(email, actor=current_user)
    except operations.OutboxError as error:
        flash(str(error), "warning")
    else:
        flash(_("El correo a %(to)s se enviará de nuevo.", to=email.recipient), "success")
    return _back()


@bp.route("/admin/mail/<int:email_id>/discard", methods=["POST"])
@admin_required
def discard(email_id):
    email = _email_or_404(email_id)
    try:
        operations.discard_email(email, actor=current_user)
    except operations.OutboxError as error:
        flash(str(error), "warning")
    else:
        flash(_("Correo a %(to)s descartado.", to=email.recipient), "success")
    return _back()


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
