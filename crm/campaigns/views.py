"""Campaign pages: list, edit, stages, the whip count, the whip list, stances, exports and partner access."""

from datetime import date, timedelta
from functools import lru_cache

from flask import Response, abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from crm.campaigns import bp, exports, fragments, hemicycle, operations, queries
from crm.campaigns.forms import (
    ACCESS_CHOICES,
    COMMITMENT_CHOICES,
    LEVEL_CHOICES,
    RULE_CHOICES,
    STATUS_CHOICES,
    AccessForm,
    BulkStanceForm,
    CampaignForm,
    StageForm,
    StanceForm,
    select_choices,
)
from crm.campaigns.models import STANCE_LEVELS, VoteStage
from crm.campaigns.visibility import can_see_whip_list, whip_list_campaign_ids
from crm.core.permissions import admin_required, deny, manager_required, require
from crm.core.time import local_day_bounds, to_local, zone
from crm.core.views import int_arg, is_htmx, user_today
from crm.core.visibility import can_write
from crm.extensions import db
from crm.legislature.forms import ROLE_CHOICES as COMMITTEE_ROLE_CHOICES
from crm.legislature.models import Legislator


@lru_cache(maxsize=8)
def _labels_for(locale: str) -> dict:
    """Every label the campaign pages repeat, translated once per language (the catalogue is fixed at start)."""
    level_labels = {k: str(v) for k, v in LEVEL_CHOICES}
    return {
        "LEVELS": STANCE_LEVELS,
        "LEVEL_LABELS": level_labels,
        "LEVEL_OPTIONS": fragments.level_options(tuple(level_labels[lv] for lv in STANCE_LEVELS)),
        "COMMITMENT_LABELS": {k: str(v) for k, v in COMMITMENT_CHOICES},
        "RULE_LABELS": {k: str(v) for k, v in RULE_CHOICES},
        "STATUS_LABELS": {k: str(v) for k, v in STATUS_CHOICES},
        "COLOURS": hemicycle.COLOURS,
        "ROW_LABELS": {
            "no_group": _("Sin bancada"), "no_data": _("(sin dato)"), "committee": _("Comisión"),
            "change": _("Cambiar"), "cold": _("fría"), "never": _("nunca"), "levels": level_labels,
            "last_contact": _("Último contacto"), "task": _("Próxima tarea"), "owner": _("Responsable"),
            "hemicycle": _("Hemiciclo de %(body)s: un asiento por miembro, coloreado según su postura"),
            "breakdowns": {
                "group": (_("Por bancada"), _("Bancada")),
                "district": (_("Por distrito"), _("Distrito")),
                "committee": (_("Por comisión"), _("Comisión")),
            },
            "roles": {c.value: str(c.label) for c in COMMITTEE_ROLE_CHOICES},
        },
    }


@bp.context_processor
def labels():
    return _labels_for(str(get_locale()))


@bp.app_template_filter("shortdate")
def shortdate(value):
    """A local calendar date as YYYY-MM-DD: cheap enough for long lists, unambiguous in every language."""
    if value is None:
        return ""
    return to_local(value, current_user.timezone).date().isoformat()


# --- helpers ------------------------------------------------------------------------------------------


def _campaign_or_404(campaign_id: int):
    campaign = queries.get_campaign(campaign_id)
    if campaign is None:
        abort(404)
    return campaign


def _require_write(obj=None):
    require(can_write(current_user), "read-only account", obj)


def _require_whip_list(campaign):
    require(can_see_whip_list(current_user, campaign.id), "whip list not granted", campaign)


def _as_of(body=None) -> date:
    """?as_of= if given; otherwise today, or the vote day of a stage already past (its chamber may be gone)."""
    raw = request.args.get("as_of", "").strip()
    if not raw:
        target = body.stage.target_date if body is not None else None
        return target if target is not None and target < user_today() else user_today()
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        flash(_("Fecha «al día» no válida: use el formato AAAA-MM-DD. Se muestra el recuento de hoy."), "warning")
        return user_today()
    return min(day, user_today())


def _pick_body(bodies):
    """The stage asked for in ?stage=, else the next one to be voted; a foreign or bad id is a 404."""
    raw = request.args.get("stage") or request.form.get("stage")
    if raw:
        try:
            stage_id = int(raw)
        except ValueError:
            abort(404)
        for body in bodies:
            if body.stage.id == stage_id:
                return body
        abort(404)
    head = queries.headline_stage([b.stage for b in bodies], user_today())
    return next((b for b in bodies if b.stage is head), None)


def _form_page(template, form, save, error_field, message, campaign=None, **context):
    """Validate the form and save it through operations, then go to the campaign's page; otherwise show the
    form again, with 422 when it has errors (a CampaignError marks error_field)."""
    if form.validate_on_submit():
        try:
            saved = save()
        except operations.CampaignError as error:
            error_field.errors.append(str(error))
        else:
            flash(message, "success")
            return redirect(url_for("campaigns.detail", campaign_id=(campaign or saved).id))
    return render_template(template, form=form, campaign=campaign, **context), 422 if form.errors else 200


def _values(form, fields) -> dict:
    return {name: getattr(form, name).data for name in fields}


def _campaign_and_bodies_or_404(campaign_id: int):
    campaign, bodies = queries.campaign_with_bodies(campaign_id)
    if campaign is None:
        abort(404)
    return campaign, bodies


def _count_for_request(campaign, bodies, breakdowns=()):
    """The stage the request asks for, its count (None without stages) and the day counted."""
    body = _pick_body(bodies)
    as_of = _as_of(body)
    if body is None:
        return None, None, as_of
    cutoff = local_day_bounds(as_of, current_user.timezone)[1]
    return body, queries.whip_count(campaign, body, as_of, cutoff, breakdowns=breakdowns), as_of


# --- campaigns ----------------------------------------------------------------------------------------


@bp.route("/campaigns")
@login_required
def index():
    rows = queries.campaign_index(user_today())
    return render_template("campaigns/index.html", rows=rows, can_manage=current_user.is_manager)


def _campaign_form(campaign=None):
    form = CampaignForm(obj=campaign)
    form.legislature_id.choices = select_choices([(None, _("— Sin legislatura —"))] + queries.legislature_choices())
    return form


@bp.route("/campaigns/new", methods=["GET", "POST"])
@manager_required
def new_campaign():
    form = _campaign_form()
    return _form_page(
        "campaigns/campaign_form.html",
        form,
        lambda: operations.create_campaign(actor=current_user, **_values(form, operations.CAMPAIGN_FIELDS)),
        form.name,
        _("Campaña creada. Añada ahora sus etapas de votación."),
    )


@bp.route("/campaigns/<int:campaign_id>")
@login_required
def detail(campaign_id):
    campaign, bodies = _campaign_and_bodies_or_404(campaign_id)
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
    campaign = _campaign_or_404(campaign_id)
    form = _campaign_form(campaign)
    return _form_page(
        "campaigns/campaign_form.html",
        form,
        lambda: operations.update_campaign(campaign, actor=current_user, **_values(form, operations.CAMPAIGN_FIELDS)),
        form.name,
        _("Campaña actualizada."),
        campaign,
    )


# --- stages -------------------------------------------------------------------------------------------


def _stage_form(campaign, stage=None):
    form = StageForm(obj=stage)
    chambers, committees = queries.body_choices(
        campaign.legislature_id, getattr(stage, "chamber_id", None), getattr(stage, "committee_id", None)
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
    campaign = _campaign_or_404(campaign_id)
    form = _stage_form(campaign)
    return _form_page(
        "campaigns/stage_form.html",
        form,
        lambda: operations.add_stage(campaign, actor=current_user, **_values(form, operations.STAGE_FIELDS)),
        form.rule_kind,
        _("Etapa añadida."),
        campaign,
        stage=None,
    )


@bp.route("/campaigns/<int:campaign_id>/stages/<int:stage_id>/edit", methods=["GET", "POST"])
@manager_required
def edit_stage(campaign_id, stage_id):
    campaign = _campaign_or_404(campaign_id)
    stage = _stage_or_404(campaign, stage_id)
    form = _stage_form(campaign, stage)
    return _form_page(
        "campaigns/stage_form.html",
        form,
        lambda: operations.update_stage(stage, actor=current_user, **_values(form, operations.STAGE_FIELDS)),
        form.rule_kind,
        _("Etapa actualizada."),
        campaign,
        stage=stage,
    )


@bp.route("/campaigns/<int:campaign_id>/stages/<int:stage_id>/delete", methods=["POST"])
@manager_required
def delete_stage(campaign_id, stage_id):
    campaign = _campaign_or_404(campaign_id)
    stage = _stage_or_404(campaign, stage_id)
    operations.delete_stage(stage, actor=current_user)
    flash(_("Etapa eliminada."), "success")
    return redirect(url_for("campaigns.detail", campaign_id=campaign.id))


@bp.route("/campaigns/<int:campaign_id>/delete", methods=["POST"])
@admin_required
def delete_campaign(campaign_id):
    campaign = _campaign_or_404(campaign_id)
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
    campaign = _campaign_or_404(campaign_id)
    stage = _stage_or_404(campaign, stage_id)
    try:
        operations.move_stage(stage, request.form.get("direction", ""), actor=current_user)
    except operations.CampaignError as error:
        flash(str(error), "danger")
        return redirect(url_for("campaigns.detail", campaign_id=campaign.id)), 303
    return redirect(url_for("campaigns.detail", campaign_id=campaign.id))


# --- partner access -----------------------------------------------------------------------------------


@bp.route("/campaigns/<int:campaign_id>/access", methods=["GET", "POST"])
@admin_required
def access(campaign_id):
    campaign = _campaign_or_404(campaign_id)
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


# --- the whip count -----------------------------------------------------------------------------------


def _seating(count):
    """Members in hemicycle order: most supportive bancadas on the left, then by stance within each."""
    share = {b.key: (b.likely / b.total if b.total else 0) for b in count.by_group}
    rank = queries.LEVEL_RANK
    return sorted(
        count.members,
        key=lambda m: (
            m.group_id is None,
            -share.get(str(m.group_id or ""), 0),
            m.group_name or "",
            rank[m.level],
            m.sort_name,
        ),
    )


TARGETS_SHOWN = 25


def _breakdown_fragment(campaign, bodies, detail):
    """One breakdown table (by district or by committee), loaded in place when its section is opened."""
    by = request.args.get("by")
    if by not in ("district", "committee"):
        abort(404)
    if not detail:
        deny("whip list not granted", campaign)
    count = _count_for_request(campaign, bodies, (by,))[1]
    if count is None:
        abort(404)
    row_labels = labels()["ROW_LABELS"]
    rows = count.by_district if by == "district" else count.by_committee
    return render_template(
        "campaigns/_breakdown.html",
        title=row_labels["breakdowns"][by][1],
        rows=fragments.breakdown_rows(rows, row_labels["no_data"]),
    )


@bp.route("/campaigns/<int:campaign_id>/whip")
@login_required
def whip(campaign_id):
    campaign, bodies = _campaign_and_bodies_or_404(campaign_id)
    detail = can_see_whip_list(current_user, campaign.id)
    fragment = request.args.get("fragment")
    if fragment == "breakdown":
        return _breakdown_fragment(campaign, bodies, detail)
    body, count, as_of = _count_for_request(campaign, bodies, ("group",) if detail else ())
    context = {"campaign": campaign, "bodies": bodies, "body": body, "count": count, "as_of": as_of,
               "detail": detail, "today": user_today(),
               # A stance recorded now would not show in a past count: offer edits on today's view only.
               "can_edit": can_write(current_user) and as_of == user_today()}
    if fragment == "summary" and count is not None:
        return render_template("campaigns/_summary.html", **context)
    if count is not None and detail:
        seated = _seating(count)
        row_labels = labels()["ROW_LABELS"]
        level_labels, no_group = row_labels["levels"], row_labels["no_group"]
        seats, context["seat_rows"] = hemicycle.seats_for(seated, no_group, level_labels)
        context["svg"] = hemicycle.render(seats, row_labels["hemicycle"] % {"body": body.name})
        titles = row_labels["breakdowns"]
        # The bancada breakdown comes with the page; district and committee load when opened.
        context["breakdowns"] = [
            (*titles["group"], fragments.breakdown_rows(count.by_group, no_group), None),
            (*titles["district"], None, "district"),
            (*titles["committee"], None, "committee"),
        ]
        owner_user, owner_partner = int_arg("owner_user"), int_arg("owner_partner")
        ranked = queries.targets(count.members, owner_user_id=owner_user, owner_partner_id=owner_partner)
        shown = ranked if request.args.get("targets") == "all" else ranked[:TARGETS_SHOWN]
        context["target_rows"] = fragments.target_rows(
            shown,
            as_of=as_of,
            cold_days=campaign.going_cold_days,
            tz=zone(current_user.timezone),
            labels=row_labels,
            colours=hemicycle.COLOURS,
            stance_url=url_for("campaigns.index") + f"/{campaign.id}/legislators/",
            can_edit=context["can_edit"],
        )
        context.update(
            targets=shown,
            targets_total=len(ranked),
            owners=queries.owners(count.members),
            owner_user=owner_user,
            owner_partner=owner_partner,
        )
    return render_template("campaigns/whip.html", **context)


@bp.route("/campaigns/<int:campaign_id>/trend.json")
@login_required
def trend(campaign_id):
    """Week-by-week counts for the chart; aggregate data, so partners may see it."""
    campaign, bodies = _campaign_and_bodies_or_404(campaign_id)
    body = _pick_body(bodies)
    if body is None:
        return jsonify({"labels": [], "datasets": [], "needed": None})
    as_of = _as_of(body)
    cutoffs = queries.week_cutoffs(local_day_bounds(as_of, current_user.timezone)[1])
    series = queries.trend(campaign.id, body.stage, as_of, cutoffs)
    members = sum(series[lv][-1] for lv in STANCE_LEVELS)
    names = dict(LEVEL_CHOICES)
    n = len(cutoffs)
    return jsonify(
        {
            "labels": [(as_of - timedelta(weeks=n - 1 - i)).isoformat() for i in range(n)],
            "datasets": [
                {"level": lv, "label": str(names[lv]), "color": hemicycle.COLOURS[lv], "data": series[lv]}
                for lv in STANCE_LEVELS
            ],
            "needed": queries.needed_for(body.stage, body.legal_seats or members),
            "needed_label": _("Votos necesarios"),
        }
    )


@bp.route("/campaigns/<int:campaign_id>/list")
@login_required
def whip_list(campaign_id):
    campaign, bodies = _campaign_and_bodies_or_404(campaign_id)
    _require_whip_list(campaign)
    body, count, as_of = _count_for_request(campaign, bodies)
    members = sorted(count.members, key=lambda m: m.sort_name) if count else []
    return render_template(
        "campaigns/whip_list.html", campaign=campaign, bodies=bodies, body=body, count=count, as_of=as_of,
        members=members, can_edit=can_write(current_user) and as_of == user_today(), bulk_form=BulkStanceForm(formdata=None),
        today=user_today(),
    )


# --- stance updates -----------------------------------------------------------------------------------


def _stance_values(form):
    return {
        "commitment": form.commitment.data,
        "confidence": form.confidence.data if form.confidence.data is not None else 50,
        "evidence": (form.evidence.data or "").strip() or None,
        "source_url": (form.source_url.data or "").strip() or None,
    }


@bp.route("/campaigns/<int:campaign_id>/legislators/<int:legislator_id>/stance", methods=["GET"])
@login_required
def stance_control(campaign_id, legislator_id):
    """The in-place editor for one stance (the target list loads it on demand with htmx)."""
    campaign = _campaign_or_404(campaign_id)
    _require_write(campaign)
    legislator = db.get_or_404(Legislator, legislator_id)
    level = queries.current_level(campaign.id, legislator.id)
    return render_template("campaigns/_stance_control.html", campaign=campaign, legislator_id=legislator.id, level=level)


@bp.route("/campaigns/<int:campaign_id>/legislators/<int:legislator_id>/stance", methods=["POST"])
@login_required
def update_stance(campaign_id, legislator_id):
    campaign = _campaign_or_404(campaign_id)
    _require_write(campaign)
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


@bp.route("/campaigns/<int:campaign_id>/stances/bulk", methods=["POST"])
@login_required
def bulk_stances(campaign_id):
    campaign = _campaign_or_404(campaign_id)
    _require_write(campaign)
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
    flash(_("Postura actualizada para %(n)s legisladores.", n=n), "success")
    return redirect(back)


@bp.route("/legislators/<int:legislator_id>/stances")
@login_required
def legislator_stances(legislator_id):
    """History fragment for the legislator's profile (htmx); partners see only campaigns they were granted."""
    legislator = db.get_or_404(Legislator, legislator_id)
    history = queries.stance_history(legislator.id, whip_list_campaign_ids(current_user))
    return render_template("campaigns/_legislator_stances.html", legislator=legislator, history=history)


# --- exports ------------------------------------------------------------------------------------------


@bp.route("/campaigns/<int:campaign_id>/export.<fmt>")
@login_required
def export(campaign_id, fmt):
    campaign, bodies = _campaign_and_bodies_or_404(campaign_id)
    if fmt not in ("csv", "xlsx"):
        abort(404)
    _require_whip_list(campaign)
    body, count, as_of = _count_for_request(campaign, bodies)
    if count is None:
        abort(404)
    rows = exports.whip_rows(count, current_user.timezone)
    name = f"whip-{campaign.id}-{body.stage.id}-{as_of.isoformat()}"
    if fmt == "csv":
        return Response(
            exports.to_csv(rows),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    return Response(
        exports.to_xlsx(rows, title=campaign.name),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
    )

