"""Follow-up tasks: list, read, create, complete and reopen (staff only, as on the pages)."""

from flask import url_for
from flask.views import MethodView
from marshmallow import Schema, fields, validate
from sqlalchemy import func, select

from crm.api.http import (
    ID_RANGE,
    PageArgs,
    invalid,
    json_response,
    list_response,
    list_schema,
    make_blueprint,
    not_found,
    page_of,
    require_staff,
)
from crm.extensions import db
from crm.outreach.models import TASK_PRIORITIES, TASK_STATUSES, Task
from crm.outreach.operations import OutreachError, create_task, modifiable_tasks, set_task_status

blp = make_blueprint("api_tasks", "/tasks", "Follow-up tasks.")
OPTIONAL_ID = {"load_default": None, "allow_none": True, "validate": ID_RANGE}


class TaskSchema(Schema):
    id = fields.Integer(dump_only=True)
    title = fields.String(required=True, validate=validate.Length(1, 200))
    description = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=5000))
    due_at = fields.AwareDateTime(load_default=None, allow_none=True)
    priority = fields.String(load_default="normal", validate=validate.OneOf(TASK_PRIORITIES))
    status = fields.String(dump_only=True, validate=validate.OneOf(TASK_STATUSES))
    assignee_id = fields.Integer(**OPTIONAL_ID)
    legislator_id = fields.Integer(**OPTIONAL_ID)
    interaction_id = fields.Integer(**OPTIONAL_ID)
    campaign_id = fields.Integer(**OPTIONAL_ID)
    created_by_id = fields.Integer(dump_only=True, allow_none=True)
    completed_by_id = fields.Integer(dump_only=True, allow_none=True)
    completed_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    created_at = fields.AwareDateTime(dump_only=True)


class TaskArgs(PageArgs):
    status = fields.String(load_default=None, validate=validate.OneOf(TASK_STATUSES))


TaskList = list_schema(TaskSchema, "TaskList")


def _task_or_404(user, task_id: int) -> Task:
    task = db.session.execute(select(Task).where(Task.id == task_id, modifiable_tasks(user))).scalar_one_or_none()
    if task is None:
        raise not_found()
    return task


@blp.route("")
class Tasks(MethodView):
    @blp.arguments(TaskArgs, location="query")
    @blp.response(200, TaskList)
    def get(self, args):
        user = require_staff()
        statement = select(Task).where(modifiable_tasks(user))
        if args["status"]:
            statement = statement.where(Task.status == args["status"])
        rows, cursor = page_of(statement, Task.id, args, since=func.coalesce(Task.completed_at, Task.created_at))
        return list_response(TaskSchema(many=True).dump(rows), cursor)

    @blp.arguments(TaskSchema)
    @blp.response(201, TaskSchema)
    @blp.doc(parameters=[{"in": "header", "name": "Idempotency-Key", "required": False,
                          "schema": {"type": "string", "maxLength": 200}}])
    def post(self, data):
        """Create a task (assigned to the token's owner unless `assignee_id` says otherwise)."""
        user = require_staff()
        data["assignee_id"] = data["assignee_id"] or user.id
        try:
            task = create_task(actor=user, **data)
        except OutreachError as error:
            raise invalid(error) from error
        return json_response(TaskSchema().dump(task), 201, {"Location": url_for("api_tasks.TaskItem", task_id=task.id)})


@blp.route("/<int:task_id>")
class TaskItem(MethodView):
    @blp.response(200, TaskSchema)
    def get(self, task_id):
        user = require_staff()
        return json_response(TaskSchema().dump(_task_or_404(user, task_id)))


def _set_status(task_id: int, status: str):
    user = require_staff()
    task = _task_or_404(user, task_id)  # found only among the tasks this user may modify
    set_task_status(task, status, actor=user)
    return json_response(TaskSchema().dump(task))


@blp.route("/<int:task_id>/complete", methods=["POST"])
@blp.response(200, TaskSchema)
def complete(task_id):
    """Mark the task done (who and when are kept)."""
    return _set_status(task_id, "done")


@blp.route("/<int:task_id>/reopen", methods=["POST"])
@blp.response(200, TaskSchema)
def reopen(task_id):
    return _set_status(task_id, "open")
