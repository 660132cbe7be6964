"""Stance updates: one legislator in place, many at once from the whip list, and a legislator's stance history."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from crm.accounts.safe_next import safe_next
from crm.campaigns import bp, operations, queries, stance
from crm.campaigns.forms import BulkStanceForm, LegislatorStanceForm, StanceForm
from crm.campaigns.models import DEFAULT_CONFIDENCE
from crm.campaigns.views.common import campaign_or_404, require_write
from crm.campaigns.visibility import whip_list_campaign_ids
from crm.core.views import is_htmx
from crm.core.visibility import can_write
from crm.extensions import db
from crm.legislature.models import Legislator

# --- stance updates -----------------------------------------------------------------------------------


def _stance_values(form):
    return {
        "commitment": form.commitment.data,
        "confidence": form.confidence.data if form.confidence.data is not None else DEFAULT_CONFIDENCE,
        "evidence": (form.evidence.data or "").strip() or None,
        "source_url": (form.source_url.data or "").strip() or None,
    }


@bp.route("/campaigns/<int:campaign_id>/legislators/<int:legislator_id>/stance", methods=["GET"])
@login_required
def stance_control(campaign_id, legislator_id):
    """The in-place editor for one stance (the target list loads it on demand with htmx)."""
    campaign = campaign_or_404(campaign_id)
    require_write(campaign)
    legislator = db.get_or_404(Legislator, legislator_id)
    level = stance.stance_as_of(campaign.id, legislator.id)
    return render_template("campaigns/_stance_control.html", campaign=campaign, legislator_id=legislator.id, level=level)


@bp.route("/campaigns/<int:campaign_id>/legislators/<int:legislator_id>/stance", methods=["POST"])
@login_required
def update_stance(campaign_id, legislator_id):
    campaign = campaign_or_404(campaign_id)
    require_write(campaign)
    legislator = db.get_or_404(Legislator, legislator_id)
    form = StanceForm()
    htmx = is_htmx()
    if not form.validate_on_submit():
        message = "; ".join(str(e) for errors in form.errors.values() for e in errors)
        if htmx:
            return render_template("campaigns/_stance_control.html", campaign=campaign, legislator_id=legislator.id,
                                   level=form.level.data, error=message), 422
        flash(_("No se guardó la postura: %(error)s", error=message), "danger")
        return redirect(request.referrer or url_for("campaigns.whip", campaign_id=campaign.id))
    try:
        assessment = operations.record_stance(
            campaign_id=campaign.id, legislator_id=legislator.id, level=form.level.data, actor=current_user,
            **_stance_values(form),
        )
    except operations.CampaignError as error:
        return render_template("campaigns/_stance_control.html", campaign=campaign, legislator_id=legislator.id,
                               level=form.level.data, error=str(error)), 422
    if htmx:
        response = Response(render_template(
            "campaigns/_stance_control.html", campaign=campaign, legislator_id=legislator.id, level=assessment.level,
            saved=True,
        ))
        response.headers["HX-Trigger"] = "stance-changed"
        return response
    flash(_("Postura de %(name)s guardada.", name=legislator.full_name), "success")
    return redirect(request.referrer or url_for("campaigns.whip", campaign_id=campaign.id))


@bp.route("/campaigns/<int:campaign_id>/legislators/<int:legislator_id>/stance/edit", methods=["GET", "POST"])
@login_required
def stance_form(campaign_id, legislator_id):
    """The whole stance of one legislator on one campaign: level, commitment, confidence and evidence."""
    campaign = campaign_or_404(campaign_id)
    require_write(campaign)
    legislator = db.get_or_404(Legislator, legislator_id)
    current = queries.current_assessment(campaign.id, legislator.id)
    form = LegislatorStanceForm()
    if request.method == "GET":
        form.next.data = request.args.get("next")
        if current is not None:
            form.level.data, form.commitment.data, form.confidence.data = current.level, current.commitment, current.confidence
    back = safe_next(form.next.data, url_for("legislature.profile", legislator_id=legislator.id))
    if form.validate_on_submit():
        try:
            operations.record_stance(campaign_id=campaign.id, legislator_id=legislator.id, level=form.level.data,
                                     actor=current_user, **_stance_values(form))
        except operations.CampaignError as error:
            form.level.errors = [*form.level.errors, str(error)]
        else:
            flash(_("Postura de %(name)s guardada.", name=legislator.full_name), "success")
            return redirect(back)
    status = 422 if form.errors else 200
    return render_template("campaigns/stance_form.html", form=form, campaign=campaign, legislator=legislator,
                           current=current, back=back), status


@bp.route("/campaigns/<int:campaign_id>/stances/bulk", methods=["POST"])
@login_required
def bulk_stances(campaign_id):
    campaign = campaign_or_404(campaign_id)
    require_write(campaign)
    form = BulkStanceForm()
    back = url_for("campaigns.whip_list", campaign_id=campaign.id, stage=request.form.get("stage") or None)
    try:
        ids = [int(x) for x in request.form.getlist("legislator_ids")]
    except ValueError:
        abort(400)
    if not form.validate_on_submit():
        flash(_("No se guardaron las posturas: revise la postura y la confianza."), "danger")
        return redirect(back)
    known = queries.legislator_names(ids)
    if len(known) != len(set(ids)):
        abort(404)
    try:
        n = operations.record_stances_bulk(
            campaign_id=campaign.id, legislator_ids=ids, level=form.level.data, actor=current_user, **_stance_values(form)
        )
    except operations.CampaignError as error:
        flash(str(error), "danger")
        return redirect(back)
    flash(ngettext("Postura actualizada para %(num)s legislador/a.", "Postura actualizada para %(num)s legisladores.", n), "success")
    return redirect(back)


@bp.route("/legislators/<int:legislator_id>/stances")
@login_required
def legislator_stances(legislator_id):
    """History fragment for the legislator's profile (htmx); partners see only campaigns they were granted."""
    legislator = db.get_or_404(Legislator, legislator_id)
    history = queries.stance_history(legislator.id, whip_list_campaign_ids(current_user))
    # Staff may assess anyone on a running campaign; partners only read.
    assessable = queries.campaigns_to_assess() if can_write(current_user) else []
    return render_template("campaigns/_legislator_stances.html", legislator=legislator, history=history,
                           assessable=assessable)

