"""The quick log: a meeting logged from a phone in at most three screens."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm.accounts.queries import staff_choices
from crm.core.forms import choices
from crm.core.permissions import staff_required
from crm.core.time import local_to_utc, to_local, utcnow
from crm.core.views import acting_user, user_today
from crm.legislature import scope
from crm.outreach import bp, operations, queries
from crm.outreach.forms import QuickLogForm, parse_ids, parse_stances, parse_task_slots
from crm.outreach.models import INTERACTION_KINDS, Interaction
from crm.outreach.views.common import INVALID, report, tz

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
    if form.starts_at.data:
        # Said on the first screen, where the date is, rather than after the stances and tasks.
        try:
            operations.check_starts_at(local_to_utc(form.starts_at.data, tz()))
        except operations.OutreachError as error:
            form.starts_at.errors = list(form.starts_at.errors) + [str(error)]
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
        form.starts_at.data = to_local(utcnow(), tz()).replace(tzinfo=None, second=0, microsecond=0)
    _drafts, task_errors, task_raw = parse_task_slots(request.form, tz(), current_user.id, legislator_ids)
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
            legislatures=scope.legislature_options(user_today()) if step == "1" else [],
        ),
        status,
    )


def _quick_save(form, legislator_ids, stances, *, with_tasks: bool):
    """Save from screen 2 or 3; on a refusal return the screen that must show the error."""
    drafts = []
    if with_tasks:
        drafts, task_errors, _raw = parse_task_slots(request.form, tz(), current_user.id, legislator_ids)
        if task_errors:
            form._task_errors = task_errors
            return "3"
    data = operations.InteractionInput(
        kind=form.kind.data,
        starts_at=local_to_utc(form.starts_at.data, tz()) if form.starts_at.data else utcnow(),
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
            report(form, error)
            return "1" if error.field != "campaign_id" or not stances else "2"
        if error.field in ("title", "due_at", "assignee_id", "priority"):
            form._task_errors = {0: str(error)}
            return "3"
        flash(str(error), "danger")
        return "2"
