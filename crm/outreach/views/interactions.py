"""Interactions: the list, a meeting's page, logging and editing one in full, deleting and restoring, and the
legislator picker's fragments."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from crm.accounts.queries import partner_choices, staff_choices
from crm.coalition.talking_points import for_legislators
from crm.core.forms import choices
from crm.core.pagination import parse_page
from crm.core.permissions import deny, staff_required
from crm.core.time import local_to_utc, to_local, utcnow
from crm.core.views import acting_user, day_arg, int_arg, user_today
from crm.legislature import queries as legislature_queries
from crm.legislature import scope
from crm.outreach import bp, operations, queries
from crm.outreach.forms import EmptyForm, InteractionForm, parse_ids, parse_stances, parse_task_slots
from crm.outreach.models import INTERACTION_KINDS, Interaction
from crm.outreach.views.common import INVALID, report, tz

# --- Interactions ---


@bp.route("/interactions")
@login_required
def interactions():
    deleted = bool(request.args.get("deleted")) and current_user.is_admin
    week = day_arg("week")
    week_start, between = None, None
    if week is not None:
        week_start, *between = queries.week_bounds(week, current_user.timezone)
    page = queries.interaction_page(
        acting_user(),
        page=parse_page(request.args.get("page")),
        campaign_id=int_arg("campaign"),
        kind=request.args.get("kind") if request.args.get("kind") in INTERACTION_KINDS else None,
        legislator_id=int_arg("legislator"),
        mine=bool(request.args.get("mine")) and current_user.is_staff,
        deleted=deleted,
        between=tuple(between) if between else None,
    )
    return render_template(
        "outreach/interactions.html", page=page, campaigns=queries.campaign_choices(), deleted=deleted,
        week_start=week_start,
    )


def _interaction_for_or_404(interaction_id: int) -> Interaction:
    interaction = queries.interaction_for(acting_user(), interaction_id)
    if interaction is None:
        abort(404)
    return interaction


@bp.route("/interactions/<int:interaction_id>")
@login_required
def interaction_detail(interaction_id):
    interaction = _interaction_for_or_404(interaction_id)
    extras = queries.interaction_extras(acting_user(), interaction)
    return render_template(
        "outreach/interaction_detail.html",
        interaction=interaction,
        can_edit=operations.can_edit_interaction(acting_user(), interaction),
        can_restore=operations.can_restore_interaction(acting_user()),
        action_form=EmptyForm(),
        **extras,
    )


def _fill_interaction_choices(form) -> tuple[list, list]:
    """Fill the form's menus; returns the campaigns and the staff, which the page uses again."""
    campaigns, staff = queries.campaign_choices(), staff_choices()
    form.campaign_id.choices = choices([(0, _("— Sin campaña —"))] + campaigns)
    form.staff_ids.choices = choices(staff)
    form.partner_ids.choices = choices(partner_choices())
    return campaigns, staff


def _interaction_input(form, legislator_ids, aide_ids) -> operations.InteractionInput:
    return operations.InteractionInput(
        kind=form.kind.data,
        starts_at=local_to_utc(form.starts_at.data, tz()),
        legislator_ids=legislator_ids,
        duration_minutes=form.duration_minutes.data,
        place=form.place.data,
        campaign_id=form.campaign_id.data or None,
        aide_ids=aide_ids,
        staff_ids=form.staff_ids.data or [],
        partner_ids=form.partner_ids.data or [],
        notes=form.notes.data,
        notes_internal=form.notes_internal.data,
        outcome=form.outcome.data,
    )


def _talking_points_note(legislators) -> str:
    """The petition figures for these legislators' districts, as the first lines of the meeting notes."""
    return "\n".join(_("Punto de conversación: %(point)s", point=point) for point in for_legislators(legislators))


def _interaction_form(interaction: Interaction | None):
    form = InteractionForm(obj=interaction) if interaction else InteractionForm()
    campaigns, staff = _fill_interaction_choices(form)
    if request.method == "GET":
        if interaction:
            form.starts_at.data = to_local(interaction.starts_at, tz()).replace(tzinfo=None)
            form.campaign_id.data = interaction.campaign_id or 0
            form.staff_ids.data = [u.id for u in interaction.staff]
            form.partner_ids.data = [p.id for p in interaction.partners]
        else:
            form.starts_at.data = to_local(utcnow(), tz()).replace(tzinfo=None, second=0, microsecond=0)
            form.staff_ids.data = [current_user.id]
            form.campaign_id.data = (campaigns or [(0, "")])[0][0]
    if request.method == "POST":
        legislator_ids = parse_ids(request.form.getlist("legislator_ids"))
        aide_ids = parse_ids(request.form.getlist("aide_ids"))
    elif interaction:
        legislator_ids = [x.id for x in interaction.legislators]
        aide_ids = [a.id for a in interaction.aides]
    else:
        legislator_ids = parse_ids(request.args.getlist("legislator"))
        aide_ids = []
    stances = parse_stances(request.form, legislator_ids)
    drafts, task_errors, task_raw = parse_task_slots(request.form, tz(), current_user.id, legislator_ids)
    status = 200
    if form.validate_on_submit() and not task_errors:
        data = _interaction_input(form, legislator_ids, aide_ids)
        try:
            if interaction is None:
                saved = operations.log_interaction(data, actor=acting_user(), stances=stances, tasks=drafts)
                flash(_("Contacto registrado."), "success")
            else:
                saved = operations.update_interaction(interaction, data, actor=acting_user(), stances=stances)
                flash(_("Contacto actualizado."), "success")
            return redirect(url_for("outreach.interaction_detail", interaction_id=saved.id))
        except operations.OutreachError as error:
            report(form, error)
            status = INVALID
    elif request.method == "POST":
        status = INVALID
    picked = queries.legislators_by_ids(legislator_ids)
    if interaction is None and request.method == "GET" and request.args.get("talking_points") and not form.notes.data:
        form.notes.data = _talking_points_note(picked)
    return (
        render_template(
            "outreach/interaction_form.html",
            form=form,
            interaction=interaction,
            picked=picked,
            aide_ids=aide_ids,
            stances=stances,
            levels=queries.current_levels(form.campaign_id.data, legislator_ids),
            task_raw=task_raw,
            task_errors=task_errors,
            staff=staff,
            legislatures=scope.legislature_options(user_today()),
        ),
        status,
    )


@bp.route("/interactions/new", methods=["GET", "POST"])
@staff_required
def new_interaction():
    return _interaction_form(None)


@bp.route("/interactions/<int:interaction_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_interaction(interaction_id):
    interaction = _interaction_for_or_404(interaction_id)
    if not operations.can_edit_interaction(acting_user(), interaction):
        deny("not the author", interaction)
    if interaction.deleted_at is not None:
        abort(404)
    return _interaction_form(interaction)


@bp.route("/interactions/<int:interaction_id>/delete", methods=["POST"])
@staff_required
def delete_interaction(interaction_id):
    interaction = _interaction_for_or_404(interaction_id)
    if not operations.can_edit_interaction(acting_user(), interaction):
        deny("not the author", interaction)
    operations.delete_interaction(interaction, actor=acting_user())
    flash(_("Contacto eliminado. Un administrador puede restaurarlo."), "info")
    return redirect(url_for("outreach.interactions"))


@bp.route("/interactions/<int:interaction_id>/restore", methods=["POST"])
@staff_required
def restore_interaction(interaction_id):
    interaction = _interaction_for_or_404(interaction_id)
    if not operations.can_restore_interaction(acting_user()):
        deny("only admins restore", interaction)
    operations.restore_interaction(interaction, actor=acting_user())
    flash(_("Contacto restaurado."), "success")
    return redirect(url_for("outreach.interaction_detail", interaction_id=interaction.id))


@bp.route("/interactions/panel")
@staff_required
def legislator_panel():
    """htmx: stance pickers and aides for the legislators chosen so far."""
    legislator_ids = parse_ids(request.args.getlist("legislator_ids"))
    campaign_id = int_arg("campaign_id")
    return render_template(
        "outreach/_legislator_panel.html",
        picked=queries.legislators_by_ids(legislator_ids),
        aide_ids=parse_ids(request.args.getlist("aide_ids")),
        stances=parse_stances(request.args, legislator_ids),
        levels=queries.current_levels(campaign_id, legislator_ids),
        with_aides=True,
    )


@bp.route("/log/legislators")
@staff_required
def legislator_search():
    """htmx: search-as-you-type over folded names, so "veronika" finds "Verónika"."""
    term = request.args.get("q", "")[:100]
    hits = legislature_queries.search_legislators(term, user_today(), scope.parse_choice(request.args.get("legislature")))
    return render_template("outreach/_search_results.html", results=hits, term=term)
