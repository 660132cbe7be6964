"""Vote events: the list, one event with its votes, entry by hand for a small committee, and turning votes into
stance assessments with one confirmation."""

import secrets

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from crm.campaigns.visibility import whip_list_campaign_ids
from crm.core.forms import choices
from crm.core.jinja import localdate
from crm.core.permissions import manager_required
from crm.core.time import local_to_utc
from crm.core.views import acting_user
from crm.extensions import db
from crm.votes import bp, operations
from crm.votes.forms import EvidenceForm, ManualVoteForm
from crm.votes.labels import BILL_STATUS
from crm.votes.models import VOTE_OPTIONS
from crm.votes.queries import bills as bill_queries
from crm.votes.queries import members as member_queries
from crm.votes.views.common import event_or_404
from crm.votes.views.imports import body_choices, parse_body


@bp.route("/votes")
@login_required
def events():
    return render_template("votes/events.html", rows=bill_queries.events(), can_manage=current_user.is_manager)


def _evidence_form():
    form = EvidenceForm()
    form.campaign_id.choices = choices(bill_queries.campaign_choices())
    return form


@bp.route("/votes/events/<int:event_id>")
@login_required
def event(event_id):
    found, body, _legislature = event_or_404(event_id)
    return render_template("votes/event.html", event=found, body=body, votes=bill_queries.event_votes(event_id),
                           campaigns=bill_queries.campaigns_for_event(found), form=_evidence_form(),
                           whip_ids=whip_list_campaign_ids(current_user),
                           can_manage=current_user.is_manager)


@bp.route("/votes/events/<int:event_id>/evidence", methods=["POST"])
@manager_required
def evidence(event_id):
    found, _body, _legislature = event_or_404(event_id)
    form = _evidence_form()
    if not form.validate_on_submit():
        abort(400)
    try:
        made = operations.votes_to_evidence(found, form.campaign_id.data, form.our_position.data, actor=acting_user())
    except operations.VotesError as error:
        flash(str(error), "danger")
    else:
        flash(_("%(n)s posturas registradas a partir de esta votación.", n=made), "success")
    return redirect(url_for("votes.event", event_id=event_id))


@bp.route("/votes/events/new", methods=["GET", "POST"])
@manager_required
def new_event():
    """Entry by hand: choose the body and time, then one option per member sitting that day."""
    form = ManualVoteForm()
    form.body.choices = body_choices()
    form.bill_step_id.choices = choices([("", "—")] + [
        (str(i), f"{number} · {BILL_STATUS.text(status)} · {localdate(day)}") for i, number, status, day in bill_queries.step_choices(None)])
    sitting = []
    if form.body.data and form.start_at.data:
        chamber_id, committee_id = parse_body(form.body.data)
        start_at = local_to_utc(form.start_at.data, current_user.timezone)
        sitting = member_queries.sitting(chamber_id, committee_id, start_at, current_user.timezone)
        if request.method == "POST" and "save" in request.form and form.validate():
            votes = {lid: request.form.get(f"vote-{lid}", "") for lid, _name in sitting}
            votes = {lid: opt for lid, opt in votes.items() if opt}
            step = bill_queries.step(int(form.bill_step_id.data)) if form.bill_step_id.data else None
            try:
                saved = operations.record_vote_event(
                    source_key=f"manual-{secrets.token_hex(8)}", start_at=start_at, motion=form.motion.data,
                    votes=votes, actor=acting_user(), chamber_id=chamber_id, committee_id=committee_id,
                    bill_id=step.bill_id if step else None, bill_step_id=step.id if step else None,
                    result=form.result.data or None)
            except operations.VotesError as error:
                db.session.rollback()
                flash(str(error), "danger")
            else:
                flash(_("Votación registrada."), "success")
                return redirect(url_for("votes.event", event_id=saved.id))
    return render_template("votes/event_form.html", form=form, sitting=sitting, options=VOTE_OPTIONS)
