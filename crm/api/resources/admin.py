"""Users (admins) and the audit trail (admins and directors, as on the pages)."""

from flask.views import MethodView
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from crm.accounts.models import User
from crm.api.http import (
    PageArgs,
    get_or_404,
    json_response,
    list_response,
    list_schema,
    make_blueprint,
    page_of,
    require_roles,
)
from crm.core.audit import AuditEntry
from crm.core.permissions import MANAGER_ROLES, Role

blp = make_blueprint("api_admin", "", "Users and the audit trail.")


class UserSchema(Schema):
    id = fields.Integer()
    email = fields.String()
    name = fields.String()
    role = fields.String()
    active = fields.Boolean()
    language = fields.String()
    timezone = fields.String()
    partner_organisation_id = fields.Integer(allow_none=True)
    last_login_at = fields.AwareDateTime(allow_none=True)
    created_at = fields.AwareDateTime()


class AuditSchema(Schema):
    id = fields.Integer()
    created_at = fields.AwareDateTime()
    actor_id = fields.Integer(allow_none=True)
    action = fields.String()
    object_type = fields.String(allow_none=True)
    object_id = fields.String(allow_none=True)
    old_values = fields.Dict(allow_none=True)
    new_values = fields.Dict(allow_none=True)
    via_token = fields.String(allow_none=True, metadata={"description": "the token's name when written through the API"})


class AuditArgs(PageArgs):
    action = fields.String(load_default=None, validate=validate.Length(max=80))
    object_type = fields.String(load_default=None, validate=validate.Length(max=60))


UserList = list_schema(UserSchema, "UserList")
AuditList = list_schema(AuditSchema, "AuditList")


@blp.route("/users")
class Users(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, UserList)
    def get(self, args):
        require_roles(Role.ADMIN)
        rows, cursor = page_of(select(User), User.id, args)
        return list_response(UserSchema(many=True).dump(rows), cursor)


@blp.route("/users/<int:user_id>")
class UserItem(MethodView):
    @blp.response(200, UserSchema)
    def get(self, user_id):
        require_roles(Role.ADMIN)
        return json_response(UserSchema().dump(get_or_404(User, user_id)))


@blp.route("/audit")
class Audit(MethodView):
    @blp.arguments(AuditArgs, location="query")
    @blp.response(200, AuditList)
    def get(self, args):
        """The audit trail, oldest first; `updated_since` for the rows written since then."""
        require_roles(*MANAGER_ROLES)
        statement = select(AuditEntry)
        if args["action"]:
            statement = statement.where(AuditEntry.action.startswith(args["action"], autoescape=True))
        if args["object_type"]:
            statement = statement.where(AuditEntry.object_type == args["object_type"])
        rows, cursor = page_of(statement, AuditEntry.id, args, since=AuditEntry.created_at)
        return list_response(AuditSchema(many=True).dump(rows), cursor)
