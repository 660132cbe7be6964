"""Campaign pages: the list, a campaign's page, creating and editing campaigns and vote stages, partner access."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from crm.campaigns import bp, operations, queries
from crm.campaigns.forms import ACCESS_CHOICES, AccessForm, CampaignForm, StageForm, select_choices
from crm.campaigns.models import VoteStage
from crm.campaigns.views.common import campaign_and_bodies_or_404, campaign_or_404
from crm.core.forms import form_values, save_or_show
from crm.core.permissions import admin_required, manager_required
from crm.core.views import user_today
from crm.extensions import db


def _save(template, form, write, error_field: str, message: str, campaign=None, **context):
    """Save the form through operations and go to the campaign's page (a CampaignError marks error_field);
    otherwise show the form again, with 422 when it has errors."""
    return save_or_show(
        form, write, refusal=operations.CampaignError, error_field=error_field, message=message,
        target=lambda saved: url_for("campaigns.detail", campaign_id=(campaign or saved).id),
        template=template, campaign=campaign, **context,
    )


# --- campaigns ----------------------------------------------------------------------------------------


@bp.route("/campaigns")
@login_required
def index():
    rows = queries.campaign_index(user_today())
    return render_template("campaigns/index.html", rows=rows, can_manage=current_user.is_manager)


def _campaign_form(campaign=None):
    form = CampaignForm(obj=campaign)
    form.legislature_id.choices = select_choices([(None, _("— Sin legislatura —"))] + queries.legislature_choices(user_today()))
    return form


@bp.route("/campaigns/new", methods=["GET", "POST"])
@manager_required
def new_campaign():
    form = _campaign_form()
    return _save(
        "campaigns/campaign_form.html",
        form,
        lambda: operations.create_campaign(actor=current_user, **form_values(form, operations.CAMPAIGN_FIELDS)),
        "name",
        _("Campaña creada. Añada ahora sus etapas de votación."),
    )


@bp.route("/campaigns/<int:campaign_id>")
@login_required
def detail(campaign_id):
    campaign, bodies = campaign_and_bodies_or_404(campaign_id)
    return render_template(
        "campaigns/detail.html",
        campaign=campaign,
        bodies=bodies,
        needed={b.stage.id: queries.needed_for(b.stage, b.legal_seats) for b in bodies if b.legal_seats},
        can_manage=current_user.is_manager,
    )


@bp.route("/campaigns/<int:campaign_id>/edit", methods=["GET", "POST"])
@manager_required
def edit_campaign(campaign_id):
    campaign = campaign_or_404(campaign_id)
    form = _campaign_form(campaign)
    return _save(
        "campaigns/campaign_form.html",
        form,
        lambda: operations.update_campaign(campaign, actor=current_user, **form_values(form, operations.CAMPAIGN_FIELDS)),
        "name",
        _("Campaña actualizada."),
        campaign,
    )


# --- stages -------------------------------------------------------------------------------------------


def _stage_form(campaign, stage=None):
    form = StageForm(obj=stage)
    chambers, committees = queries.body_choices(
        campaign.legislature_id, user_today(), getattr(stage, "chamber_id", None), getattr(stage, "committee_id", None)
    )
    form.chamber_id.choices = select_choices([(None, _("— Ninguna —"))] + chambers)
    form.committee_id.choices = select_choices([(None, _("— Ninguna —"))] + committees)
    return form


def _stage_or_404(campaign, stage_id) -> VoteStage:
    stage = db.session.get(VoteStage, stage_id)
    if stage is None or stage.campaign_id != campaign.id:
        abort(404)
    return stage


@bp.route("/campaigns/<int:campaign_id>/stages/new", methods=["GET", "POST"])
@manager_required
def new_stage(campaign_id):
    campaign = campaign_or_404(campaign_id)
    form = _stage_form(campaign)
    return _save(
        "campaigns/stage_form.html",
        form,
        lambda: operations.add_stage(campaign, actor=current_user, **form_values(form, operations.STAGE_FIELDS)),
        "rule_kind",
        _("Etapa añadida."),
        campaign,
        stage=None,
    )


@bp.route("/campaigns/<int:campaign_id>/stages/<int:stage_id>/edit", methods=["GET", "POST"])
@manager_required
def edit_stage(campaign_id, stage_id):
    campaign = campaign_or_404(campaign_id)
    stage = _stage_or_404(campaign, stage_id)
    form = _stage_form(campaign, stage)
    return _save(
        "campaigns/stage_form.html",
        form,
        lambda: operations.update_stage(stage, actor=current_user, **form_values(form, operations.STAGE_FIELDS)),
        "rule_kind",
        _("Etapa actualizada."),
        campaign,
        stage=stage,
    )


@bp.route("/campaigns/<int:campaign_id>/stages/<int:stage_id>/delete", methods=["POST"])
@manager_required
def delete_stage(campaign_id, stage_id):
    campaign = campaign_or_404(campaign_id)
    stage = _stage_or_404(campaign, stage_id)
    operations.delete_stage(stage, actor=current_user)
    flash(_("Etapa eliminada."), "success")
    return redirect(url_for("campaigns.detail", campaign_id=campaign.id))


@bp.route("/campaigns/<int:campaign_id>/delete", methods=["POST"])
@admin_required
def delete_campaign(campaign_id):
    campaign = campaign_or_404(campaign_id)
    try:
        operations.delete_campaign(campaign, actor=current_user)
    except operations.CampaignError as error:
        flash(str(error), "danger")
        return redirect(url_for("campaigns.edit_campaign", campaign_id=campaign.id))
    flash(_("Campaña eliminada."), "success")
    return redirect(url_for("campaigns.index"))


@bp.route("/campaigns/<int:campaign_id>/stages/<int:stage_id>/move", methods=["POST"])
@manager_required
def move_stage(campaign_id, stage_id):
    campaign = campaign_or_404(campaign_id)
    stage = _stage_or_404(campaign, stage_id)
    try:
        operations.move_stage(stage, request.form.get("direction", ""), actor=current_user)
    except operations.CampaignError as error:
        flash(str(error), "danger")
        return redirect(url_for("campaigns.detail", campaign_id=campaign.id)), 303
    return redirect(url_for("campaigns.detail", campaign_id=campaign.id))


# --- partner access -----------------------------------------------------------------------------------


@bp.route("/campaigns/<int:campaign_id>/access", methods=["GET", "POST"])
@manager_required  # directors steer the coalition's work on a campaign; every grant is audited (docs/campaigns.md)
def access(campaign_id):
    campaign = campaign_or_404(campaign_id)
    form = AccessForm()
    rows = queries.partner_access_rows(campaign.id)
    if form.validate_on_submit():
        wanted = {}
        for partner, _level in rows:
            value = request.form.get(f"access-{partner.id}", "aggregate")
            if value not in operations.ACCESS_LEVELS:
                flash(_("Nivel de acceso no válido para %(name)s.", name=partner.name), "danger")
                return render_template("campaigns/access.html", campaign=campaign, rows=rows, form=form, choices=ACCESS_CHOICES), 422
            wanted[partner.id] = value
        operations.set_partner_access(campaign, wanted, actor=current_user)
        flash(_("Accesos guardados."), "success")
        return redirect(url_for("campaigns.access", campaign_id=campaign.id))
    return render_template("campaigns/access.html", campaign=campaign, rows=rows, form=form, choices=ACCESS_CHOICES)

