"""Follow-up tasks: my tasks, the team's tasks, creating and editing a task, completing and reopening it."""

from datetime import datetime

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from crm.accounts.principal import principal_is_enough
from crm.accounts.queries import staff_choices
from crm.core.forms import choices
from crm.core.frames import framed
from crm.core.pagination import parse_page
from crm.core.permissions import deny, manager_required, staff_required
from crm.core.time import local_to_utc, to_local, utcnow
from crm.core.views import acting_user, int_arg, is_htmx, parse_id
from crm.extensions import db
from crm.legislature.models import Legislator
from crm.outreach import bp, operations, queries
from crm.outreach.forms import DEFAULT_DUE_TIME, EmptyForm, TaskForm
from crm.outreach.models import Task
from crm.outreach.views.common import INVALID, report, tz

# --- Tasks ---


def _task_or_404(task_id: int) -> Task:
    task = db.session.get(Task, task_id)
    if task is None:
        abort(404)
    return task


@bp.route("/tasks")
@staff_required
@principal_is_enough
def my_tasks():
    buckets = queries.my_tasks(acting_user())
    content = Markup(render_template("outreach/_my_tasks_content.html", buckets=buckets, now=utcnow()))  # noqa: S704
    return framed("outreach/my_tasks.html", (), content)


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
                local = to_local(task.due_at, tz())
                form.due_date.data, form.due_time.data = local.date(), local.time().replace(second=0, microsecond=0)
        else:
            form.assignee_id.data = current_user.id
            form.legislator_id.data = request.args.get("legislator", "")
            form.interaction_id.data = request.args.get("interaction", "")
            form.campaign_id.data = int_arg("campaign") or 0
    legislator_id = parse_id(str(form.legislator_id.data or ""))
    interaction_id = parse_id(str(form.interaction_id.data or ""))
    status = 200
    if form.validate_on_submit():
        due_at = None
        if form.due_date.data:
            due_at = local_to_utc(datetime.combine(form.due_date.data, form.due_time.data or DEFAULT_DUE_TIME), tz())
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
            report(form, error)
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
