"""Importing recorded votes from a file: a dry run by default, then the same file again to import."""

from flask import render_template
from flask_babel import gettext as _
from flask_login import current_user

from crm.core.forms import choices
from crm.core.limits import accepts_upload
from crm.core.permissions import manager_required
from crm.core.views import acting_user
from crm.extensions import db
from crm.votes import bp
from crm.votes.forms import VoteImportForm
from crm.votes.importers import FORMAT_LABELS, ImportFailed, check, decode_text, sync
from crm.votes.queries import bills as bill_queries

MAX_UPLOAD_BYTES = 16 * 1024 * 1024


def body_choices():
    return choices(bill_queries.body_choices())


def parse_body(value: str):
    kind, _sep, raw = (value or "").partition(":")
    return (int(raw), None) if kind == "c" and raw.isdigit() else (None, int(raw)) if kind == "k" and raw.isdigit() else (None, None)


@bp.route("/votes/import", methods=["GET", "POST"])
@accepts_upload(MAX_UPLOAD_BYTES)
@manager_required
def import_votes():
    form = VoteImportForm()
    form.body.choices = body_choices()
    report = failure = done = None
    if form.validate_on_submit():
        try:
            raw = form.file.data.read(MAX_UPLOAD_BYTES + 1)
            if len(raw) > MAX_UPLOAD_BYTES:
                raise ImportFailed(_("%(label)s: el archivo supera 16 MB.", label=form.file.data.filename or ""))
            chamber_id, committee_id = parse_body(form.body.data)
            plan = check(form.format.data, decode_text(raw, form.file.data.filename or ""), chamber_id=chamber_id,
                         committee_id=committee_id, tz_name=current_user.timezone)
            report = plan.report
            if plan.ok and not form.dry_run.data:
                done = sync.apply(plan, actor=acting_user())
        except ImportFailed as error:
            db.session.rollback()
            failure = str(error)
    status = 422 if failure or (report and report["errors"]) else (400 if form.errors else 200)
    return render_template("votes/import.html", form=form, report=report, failure=failure, done=done,
                           labels=FORMAT_LABELS), status
