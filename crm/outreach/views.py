"""Thin views: parse the request, check the object, call operations or queries, render."""

from datetime import datetime

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from crm.accounts import operations as account_operations
from crm.accounts.models import User
from crm.accounts.queries import partner_choices, staff_choices
from crm.campaigns.models import Campaign
from crm.coalition.talking_points import for_legislators
from crm.core.forms import choices
from crm.core.pagination import parse_page
from crm.core.permissions import deny, manager_required, staff_required
from crm.core.time import local_to_utc, to_local, utcnow
from crm.core.views import acting_user, int_arg, is_htmx
from crm.extensions import db
from crm.legislature.models import Legislator
from crm.outreach import bp, ics, operations, queries
from crm.outreach.forms import (
    DEFAULT_DUE_TIME,
    DUE_CHOICES,
    KIND_LABELS,
    PLACE_SUGGESTIONS,
    PRIORITY_LABELS,
    STANCE_LABELS,
    STATUS_LABELS,
    TASK_SLOTS,
    EmptyForm,
    InteractionForm,
    QuickLogForm,
    TaskForm,
    parse_ids,
    parse_stances,
    parse_task_slots,
)
from crm.outreach.models import INTERACTION_KINDS, Interaction, Task

INVALID = 422


@bp.context_processor
def outreach_labels():
    """Blueprint-scoped so these names never clash with other domains' template globals."""
    return {
        "KIND_LABELS": KIND_LABELS,
        "STANCE_LABELS": STANCE_LABELS,
        "PRIORITY_LABELS": PRIORITY_LABELS,
        "STATUS_LABELS": STATUS_LABELS,
        "DUE_CHOICES": DUE_CHOICES,
        "PLACE_SUGGESTIONS": PLACE_SUGGESTIONS,
        "TASK_SLOTS": TASK_SLOTS,
        "show_notes": queries.show_notes,
    }


def _tz() -> str:
    return current_user.timezone


# --- Interactions ---


@bp.route("/interactions")
@login_required
def interactions():
    deleted = bool(request.args.get("deleted")) and current_user.is_admin
    page = queries.interaction_page(
        acting_user(),
        page=parse_page(request.args.get("page")),
        campaign_id=int_arg("campaign"),
        kind=request.args.get("kind") if request.args.get("kind") in INTERACTION_KINDS else None,
        legislator_id=int_arg("legislator"),
        mine=bool(request.args.get("mine")) and current_user.is_staff,
        deleted=deleted,
    )
    return render_template(
        "outreach/interactions.html", page=page, campaigns=queries.campaign_choices(), deleted=deleted
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
        starts_at=local_to_utc(form.starts_at.data, _tz()),
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


def _report(form, error: operations.OutreachError) -> None:
    target = getattr(form, error.field, None) if error.field else None
    if target is not None and hasattr(target, "errors"):
        target.errors = list(target.errors) + [str(error)]
    else:
        flash(str(error), "danger")


def _talking_points_note(legislators) -> str:
    """The petition figures for these legislators' districts, as the first lines of the meeting notes."""
    return "\n".join(_("Punto de conversación: %(point)s", point=point) for point in for_legislators(legislators))


def _interaction_form(interaction: Interaction | None):
    form = InteractionForm(obj=interaction) if interaction else InteractionForm()
    campaigns, staff = _fill_interaction_choices(form)
    if request.method == "GET":
        if interaction:
            form.starts_at.data = to_local(interaction.starts_at, _tz()).replace(tzinfo=None)
            form.campaign_id.data = interaction.campaign_id or 0
            form.staff_ids.data = [u.id for u in interaction.staff]
            form.partner_ids.data = [p.id for p in interaction.partners]
        else:
            form.starts_at.data = to_local(utcnow(), _tz()).replace(tzinfo=None, second=0, microsecond=0)
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
    drafts, task_errors, task_raw = parse_task_slots(request.form, _tz(), current_user.id, legislator_ids)
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
            _report(form, error)
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
    return render_template("outreach/_search_results.html", results=queries.search_legislators(term), term=term)


# --- Quick log: at most three screens on a phone ---


def _quick_state():
    legislator_ids = parse_ids(request.values.getlist("legislator_ids"))
    if request.method == "GET":
        legislator_ids = parse_ids(request.args.getlist("legislator"))
    stances = parse_stances(request.form, legislator_ids)
    return legislator_ids, stances


def _quick_step_one_errors(form, legislator_ids) -> bool:
    ok = True
    if not legislator_ids:
        form.legislator_ids.errors = [_("Busque y elija al menos un legislador.")]
        ok = False
    if form.kind.data not in INTERACTION_KINDS:
        form.kind.errors = [_("Tipo de contacto desconocido.")]
        ok = False
    return ok


@bp.route("/log", methods=["GET", "POST"])
@staff_required
def quick_log():
    form = QuickLogForm()
    form.campaign_id.choices = choices(queries.campaign_choices() + [(0, _("— Sin campaña —"))])
    legislator_ids, stances = _quick_state()
    step = form.step.data if form.step.data in ("1", "2", "3") else "1"
    action = request.form.get("action", "next")
    status = 200
    if request.method == "GET":
        form.kind.data = "meeting"
        form.campaign_id.data = form.campaign_id.choices[0].value
        step = "1"
    elif not form.validate_on_submit():
        status = INVALID
    elif action == "back":
        step = str(max(1, int(step) - 1))
    elif not _quick_step_one_errors(form, legislator_ids):
        step, status = "1", INVALID
    elif step == "1":
        step = "2"
    elif step == "2" and action == "next":
        step = "3"
    else:
        result = _quick_save(form, legislator_ids, stances, with_tasks=(step == "3"))
        if isinstance(result, Interaction):
            flash(_("Contacto registrado."), "success")
            return redirect(url_for("outreach.interaction_detail", interaction_id=result.id))
        step, status = result, INVALID
    if not form.starts_at.data:
        form.starts_at.data = to_local(utcnow(), _tz()).replace(tzinfo=None, second=0, microsecond=0)
    _drafts, task_errors, task_raw = parse_task_slots(request.form, _tz(), current_user.id, legislator_ids)
    picked = queries.legislators_by_ids(legislator_ids)
    return (
        render_template(
            "outreach/quick_log.html",
            form=form,
            step=step,
            picked=picked,
            stances=stances,
            levels=queries.current_levels(form.campaign_id.data, legislator_ids) if step == "2" else {},
            task_raw=task_raw,
            task_errors=getattr(form, "_task_errors", task_errors),
            staff=staff_choices() if step == "3" else [],
        ),
        status,
    )


def _quick_save(form, legislator_ids, stances, *, with_tasks: bool):
    """Save from screen 2 or 3; on a refusal return the screen that must show the error."""
    drafts = []
    if with_tasks:
        drafts, task_errors, _raw = parse_task_slots(request.form, _tz(), current_user.id, legislator_ids)
        if task_errors:
            form._task_errors = task_errors
            return "3"
    data = operations.InteractionInput(
        kind=form.kind.data,
        starts_at=local_to_utc(form.starts_at.data, _tz()) if form.starts_at.data else utcnow(),
        legislator_ids=legislator_ids,
        place=form.place.data,
        campaign_id=form.campaign_id.data or None,
        staff_ids=[current_user.id],
        notes=form.notes.data,
        notes_internal=form.notes_internal.data,
    )
    try:
        return operations.log_interaction(data, actor=acting_user(), stances=stances, tasks=drafts)
    except operations.OutreachError as error:
        if error.field in ("legislator_ids", "kind", "place", "campaign_id", "starts_at"):
            _report(form, error)
            return "1" if error.field != "campaign_id" or not stances else "2"
        if error.field in ("title", "due_at", "assignee_id", "priority"):
            form._task_errors = {0: str(error)}
            return "3"
        flash(str(error), "danger")
        return "2"


# --- Tasks ---


def _task_or_404(task_id: int) -> Task:
    task = db.session.get(Task, task_id)
    if task is None:
        abort(404)
    return task


@bp.route("/tasks")
@staff_required
def my_tasks():
    buckets = queries.my_tasks(acting_user())
    return render_template("outreach/my_tasks.html", buckets=buckets, now=utcnow())


@bp.route("/tasks/team")
@manager_required
def team_tasks():
    status = request.args.get("status", "open")
    status = status if status in ("open", "done", "cancelled", "all") else "open"
    assignee_id, campaign_id = int_arg("assignee"), int_arg("campaign")
    page = queries.team_tasks(
        page=parse_page(request.args.get("page")), assignee_id=assignee_id, campaign_id=campaign_id, status=status
    )
    return render_template(
        "outreach/team_tasks.html",
        page=page,
        counts=queries.overdue_by_officer(campaign_id=campaign_id),
        campaigns=queries.campaign_choices(),
        status=status,
        assignee_id=assignee_id,
        campaign_id=campaign_id,
        now=utcnow(),
    )


def _task_form_page(task: Task | None):
    form = TaskForm(obj=task) if task else TaskForm()
    form.assignee_id.choices = choices(staff_choices())
    form.campaign_id.choices = choices([(0, _("— Sin campaña —"))] + queries.campaign_choices())
    if request.method == "GET":
        if task:
            form.campaign_id.data = task.campaign_id or 0
            if task.due_at:
                local = to_local(task.due_at, _tz())
                form.due_date.data, form.due_time.data = local.date(), local.time().replace(second=0, microsecond=0)
        else:
            form.assignee_id.data = current_user.id
            form.legislator_id.data = request.args.get("legislator", "")
            form.interaction_id.data = request.args.get("interaction", "")
            form.campaign_id.data = int_arg("campaign") or 0
    legislator_id = int(form.legislator_id.data) if str(form.legislator_id.data or "").isdigit() else None
    interaction_id = int(form.interaction_id.data) if str(form.interaction_id.data or "").isdigit() else None
    status = 200
    if form.validate_on_submit():
        due_at = None
        if form.due_date.data:
            due_at = local_to_utc(datetime.combine(form.due_date.data, form.due_time.data or DEFAULT_DUE_TIME), _tz())
        values = dict(
            title=form.title.data,
            description=form.description.data,
            due_at=due_at,
            priority=form.priority.data,
            assignee_id=form.assignee_id.data or None,
            legislator_id=legislator_id,
            campaign_id=form.campaign_id.data or None,
        )
        try:
            if task is None:
                if interaction_id is not None and queries.interaction_for(acting_user(), interaction_id) is None:
                    raise operations.OutreachError(_("El contacto elegido no existe."))
                task = operations.create_task(actor=acting_user(), interaction_id=interaction_id, **values)
                flash(_("Tarea creada."), "success")
            else:
                operations.update_task(task, actor=acting_user(), status=form.status.data, **values)
                flash(_("Tarea guardada."), "success")
            return redirect(url_for("outreach.my_tasks"))
        except operations.OutreachError as error:
            _report(form, error)
            status = INVALID
    elif request.method == "POST":
        status = INVALID
    legislator = db.session.get(Legislator, legislator_id) if legislator_id else None
    return render_template("outreach/task_form.html", form=form, task=task, legislator=legislator), status


@bp.route("/tasks/new", methods=["GET", "POST"])
@staff_required
def new_task():
    return _task_form_page(None)


@bp.route("/tasks/<int:task_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_task(task_id):
    task = _task_or_404(task_id)
    if not operations.can_modify_task(acting_user(), task):
        deny("not assignee or creator", task)
    return _task_form_page(task)


def _set_status(task_id: int, status: str):
    task = _task_or_404(task_id)
    if not operations.can_modify_task(acting_user(), task):
        deny("not assignee or creator", task)
    if not EmptyForm().validate_on_submit():
        abort(400)
    operations.set_task_status(task, status, actor=acting_user())
    if is_htmx():
        return render_template(
            "outreach/_task_item.html", row=queries.task_row(task.id), now=utcnow(),
            show_assignee=request.args.get("team") == "1",
        )
    flash(_("Tarea actualizada."), "success")
    return redirect(request.referrer if request.referrer and request.referrer.startswith(request.host_url) else url_for("outreach.my_tasks"))


@bp.route("/tasks/<int:task_id>/complete", methods=["POST"])
@staff_required
def complete_task(task_id):
    return _set_status(task_id, "done")


@bp.route("/tasks/<int:task_id>/reopen", methods=["POST"])
@staff_required
def reopen_task(task_id):
    return _set_status(task_id, "open")


# --- Timeline, going cold, calendar ---


@bp.route("/legislators/<int:legislator_id>/timeline")
@login_required
def legislator_timeline(legislator_id):
    legislator = db.get_or_404(Legislator, legislator_id)
    page = parse_page(request.args.get("page"))
    entries, has_more = queries.timeline(acting_user(), legislator_id, page=page)
    template = "outreach/_timeline.html" if is_htmx() else "outreach/timeline_page.html"
    return render_template(template, legislator=legislator, entries=entries, has_more=has_more, page=page)


@bp.route("/going-cold")
@bp.route("/campaigns/<int:campaign_id>/going-cold")
@staff_required
def going_cold(campaign_id=None):
    campaigns = queries.campaign_choices()
    campaign_id = campaign_id or int_arg("campaign") or (campaigns[0][0] if campaigns else None)
    campaign = db.session.get(Campaign, campaign_id) if campaign_id else None
    if campaign_id and campaign is None:
        abort(404)
    rows = queries.going_cold(campaign.id) if campaign else []
    return render_template("outreach/going_cold.html", campaign=campaign, campaigns=campaigns, rows=rows, now=utcnow())


@bp.route("/calendar", methods=["GET", "POST"])
@staff_required
def calendar_settings():
    form = EmptyForm()
    user = acting_user()
    if form.validate_on_submit():
        if request.form.get("action") == "revoke":
            account_operations.revoke_calendar_token(user, actor=user)
            flash(_("La dirección del calendario fue revocada."), "info")
        else:
            account_operations.new_calendar_token(user, actor=user)
            flash(_("Nueva dirección creada. La anterior dejó de funcionar."), "success")
        return redirect(url_for("outreach.calendar_settings"))
    feed_url = None
    if user.calendar_token:
        feed_url = url_for("outreach.calendar_feed", token=user.calendar_token, _external=True)
    return render_template("outreach/calendar.html", form=form, feed_url=feed_url)


@bp.route("/calendar/<token>.ics")
def calendar_feed(token):
    """No login: the secret in the URL is the credential, so calendar apps can subscribe."""
    if not token or len(token) > 64:
        abort(404)
    user = db.session.execute(select(User).where(User.calendar_token == token)).scalar_one_or_none()
    if user is None or not user.active:
        abort(404)
    response = Response(ics.build_feed(user), mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="cabildeo.ics"'
    response.headers["Cache-Control"] = "private, max-age=300"
    return response
