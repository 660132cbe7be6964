"""Bills: the list, a new bill, its status history; the campaign page's bill panel (follow a bill, point a stage
at a bill step) and the profile's recorded votes panel, both loaded by htmx from the lower domains' pages."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from crm.campaigns import queries as campaign_queries
from crm.campaigns.models import VoteStage
from crm.campaigns.visibility import can_see_whip_list
from crm.core.forms import choices
from crm.core.jinja import localdate
from crm.core.permissions import manager_required
from crm.core.views import acting_user, user_today
from crm.extensions import db
from crm.votes import bp, operations
from crm.votes.forms import BillForm, BillStepForm, FollowForm, StageStepForm
from crm.votes.labels import BILL_STATUS
from crm.votes.models import Bill
from crm.votes.queries import bills as bill_queries
from crm.votes.queries import scorecards as scorecard_queries


@bp.route("/bills")
@login_required
def bills():
    return render_template("votes/bills.html", bills=bill_queries.bill_list(), can_manage=current_user.is_manager)


@bp.route("/bills/new", methods=["GET", "POST"])
@manager_required
def new_bill():
    form = BillForm()
    form.legislature_id.choices = choices(campaign_queries.legislature_choices(user_today()))
    if form.validate_on_submit():
        authors = [(line.strip(), None) for line in (form.authors.data or "").splitlines() if line.strip()]
        try:
            bill = operations.create_bill(legislature_id=form.legislature_id.data, number=form.number.data,
                                          title=form.title.data, summary=form.summary.data, authors=authors,
                                          actor=acting_user())
        except operations.VotesError as error:
            db.session.rollback()
            form.number.errors.append(str(error))
        else:
            flash(_("Proyecto de ley registrado."), "success")
            return redirect(url_for("votes.bill", bill_id=bill.id))
    return render_template("votes/bill_form.html", form=form), 422 if form.errors else 200


@bp.route("/bills/<int:bill_id>", methods=["GET", "POST"])
@login_required
def bill(bill_id):
    found = bill_queries.bill(bill_id)
    if found is None:
        abort(404)
    form = BillStepForm()
    if request.method == "POST":
        if not current_user.is_manager:
            abort(403)
        if form.validate_on_submit():
            operations.add_bill_step(found, status=form.status.data, day=form.day.data, note=form.note.data,
                                     actor=acting_user())
            flash(_("Estado añadido al historial."), "success")
            return redirect(url_for("votes.bill", bill_id=bill_id))
    return render_template("votes/bill.html", bill=found, form=form, can_manage=current_user.is_manager), (
        422 if form.errors else 200)


@bp.route("/votes/campaigns/<int:campaign_id>/bills", methods=["GET", "POST"])
@login_required
def campaign_bills(campaign_id):
    """The campaign page's panel: the bills followed with their timeline, and (for managers) the link forms."""
    campaign = campaign_queries.get_campaign(campaign_id)
    if campaign is None:
        abort(404)
    follow, link = FollowForm(prefix="follow"), StageStepForm(prefix="link")
    follow.bill_id.choices = choices((b.id, f"{b.number} · {b.title}") for b in bill_queries.bill_list())
    link.stage_id.choices = choices((s.id, s.name) for s in campaign.stages)
    link.bill_step_id.choices = choices([(0, "—")] + [
        (i, f"{number} · {BILL_STATUS.text(status)} · {localdate(day)}")
        for i, number, status, day in bill_queries.step_choices(campaign.legislature_id)])
    if request.method == "POST":
        if not current_user.is_manager:
            abort(403)
        if "follow-bill_id" in request.form and follow.validate_on_submit():
            operations.follow_bill(campaign.id, db.get_or_404(Bill, follow.bill_id.data), actor=acting_user())
        elif "link-stage_id" in request.form and link.validate_on_submit():
            stage = db.get_or_404(VoteStage, link.stage_id.data)
            if stage.campaign_id != campaign.id:
                abort(404)
            operations.link_stage(stage, bill_queries.step(link.bill_step_id.data) if link.bill_step_id.data else None,
                                  actor=acting_user())
        flash(_("Guardado."), "success")
        return redirect(url_for("campaigns.detail", campaign_id=campaign.id))
    data = bill_queries.campaign_bills(campaign.id)
    return render_template("votes/_campaign_bills.html", campaign=campaign, follow=follow, link=link,
                           can_manage=current_user.is_manager,
                           can_forecast=can_see_whip_list(current_user, campaign.id), **data)


@bp.route("/votes/legislators/<int:legislator_id>")
@login_required
def legislator_votes(legislator_id):
    """The profile's panel: recorded votes on the campaigns' bills and the legislator's scorecards."""
    return render_template("votes/_legislator_votes.html", votes=bill_queries.legislator_votes(legislator_id),
                           cards=scorecard_queries.for_legislator(legislator_id))
