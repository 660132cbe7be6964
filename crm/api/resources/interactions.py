"""Interactions: list, read, log (with observed stances), update with If-Match, soft-delete.

Who sees which comes from crm.outreach.queries (interaction_visible, show_notes): internal notes never leave
for a partner's token.
"""

from flask import url_for
from flask.views import MethodView
from marshmallow import Schema, fields, validate
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from crm.api.http import (
    ID_RANGE,
    PageArgs,
    acting_user,
    check_if_match,
    forbidden,
    invalid,
    json_response,
    list_response,
    list_schema,
    make_blueprint,
    not_found,
    page_of,
    require_staff,
)
from crm.campaigns.models import STANCE_LEVELS
from crm.outreach.models import INTERACTION_KINDS, Interaction
from crm.outreach.operations import OutreachError
from crm.outreach.operations.interactions import (
    InteractionInput,
    can_edit_interaction,
    delete_interaction,
    log_interaction,
    update_interaction,
)
from crm.outreach.queries.interactions import interaction_for, interaction_visible, show_notes

blp = make_blueprint("api_interactions", "/interactions", "Meetings, calls and other contacts with legislators.")

ID = fields.Integer(validate=ID_RANGE)


class InteractionSchema(Schema):
    id = fields.Integer(dump_only=True)
    kind = fields.String(required=True, validate=validate.OneOf(INTERACTION_KINDS))
    starts_at = fields.AwareDateTime(required=True)
    duration_minutes = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(1, 1440))
    place = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=200))
    campaign_id = fields.Integer(load_default=None, allow_none=True, validate=ID_RANGE)
    legislator_ids = fields.List(ID, required=True, validate=validate.Length(1, 50))
    aide_ids = fields.List(ID, load_default=list, validate=validate.Length(max=50))
    staff_ids = fields.List(ID, load_default=list, validate=validate.Length(max=50))
    partner_ids = fields.List(ID, load_default=list, validate=validate.Length(max=50))
    notes = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=20000),
                          metadata={"description": "null when internal and the token's owner is a partner"})
    notes_internal = fields.Boolean(load_default=False)
    outcome = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=5000),
                            metadata={"description": "null when internal and the token's owner is a partner"})
    author_id = fields.Integer(dump_only=True, allow_none=True)
    created_at = fields.AwareDateTime(dump_only=True)
    updated_at = fields.AwareDateTime(dump_only=True, allow_none=True)
    deleted = fields.Boolean(dump_only=True)


class InteractionCreateSchema(InteractionSchema):
    stances = fields.Dict(keys=fields.String(validate=validate.Regexp(r"^[1-9][0-9]{0,8}$")),
                          values=fields.String(validate=validate.OneOf(STANCE_LEVELS)), load_default=dict,
                          metadata={"description": "legislator id → stance seen in this contact"})


InteractionPatchSchema = InteractionSchema(partial=True)


class InteractionArgs(PageArgs):
    campaign_id = fields.Integer(load_default=None, validate=ID_RANGE)
    kind = fields.String(load_default=None, validate=validate.OneOf(INTERACTION_KINDS))


InteractionList = list_schema(InteractionSchema, "InteractionList")
INPUT_FIELDS = ("kind", "starts_at", "duration_minutes", "place", "campaign_id", "legislator_ids", "aide_ids",
                "staff_ids", "partner_ids", "notes", "notes_internal", "outcome")


def interaction_data(user, interaction: Interaction) -> dict:
    shown = show_notes(user, interaction)  # the "internal" flag covers the outcome too, as on the pages
    return InteractionSchema().dump({
        **{k: getattr(interaction, k) for k in ("id", "kind", "starts_at", "duration_minutes", "place", "campaign_id",
                                                "notes_internal", "author_id", "created_at", "updated_at")},
        "notes": interaction.notes if shown else None,
        "outcome": interaction.outcome if shown else None,
        "legislator_ids": sorted(x.id for x in interaction.legislators),
        "aide_ids": sorted(x.id for x in interaction.aides),
        "staff_ids": sorted(x.id for x in interaction.staff),
        "partner_ids": sorted(x.id for x in interaction.partners),
        "deleted": interaction.deleted_at is not None,
    })


def _visible_or_404(user, interaction_id: int) -> Interaction:
    interaction = interaction_for(user, interaction_id)
    if interaction is None:
        raise not_found()
    return interaction


def _editable_or_403(user, interaction_id: int) -> Interaction:
    interaction = _visible_or_404(user, interaction_id)
    if not can_edit_interaction(user, interaction):
        raise forbidden()
    return interaction


@blp.route("")
class Interactions(MethodView):
    @blp.arguments(InteractionArgs, location="query")
    @blp.response(200, InteractionList)
    def get(self, args):
        """Interactions this token's owner may see, as on the pages."""
        user = acting_user()
        statement = select(Interaction).where(interaction_visible(user)).options(
            selectinload(Interaction.legislators), selectinload(Interaction.aides),
            selectinload(Interaction.staff), selectinload(Interaction.partners))
        if args["campaign_id"]:
            statement = statement.where(Interaction.campaign_id == args["campaign_id"])
        if args["kind"]:
            statement = statement.where(Interaction.kind == args["kind"])
        rows, cursor = page_of(statement, Interaction.id, args,
                               since=func.coalesce(Interaction.updated_at, Interaction.created_at))
        return list_response([interaction_data(user, x) for x in rows], cursor)

    @blp.arguments(InteractionCreateSchema)
    @blp.response(201, InteractionSchema)
    @blp.doc(parameters=[{"in": "header", "name": "Idempotency-Key", "required": False,
                          "schema": {"type": "string", "maxLength": 200},
                          "description": "a retried POST with the same key returns the first answer"}])
    def post(self, data):
        """Log an interaction (with the stances observed). Send an Idempotency-Key so a retry never logs it twice."""
        user = require_staff()
        stances = data.pop("stances", {})
        try:
            interaction = log_interaction(InteractionInput(**{k: data[k] for k in INPUT_FIELDS}), actor=user,
                                          stances={int(k): v for k, v in stances.items()})
        except OutreachError as error:
            raise invalid(error) from error
        location = url_for("api_interactions.InteractionItem", interaction_id=interaction.id)
        return json_response(interaction_data(user, interaction), 201, {"Location": location})


@blp.route("/<int:interaction_id>")
class InteractionItem(MethodView):
    @blp.response(200, InteractionSchema)
    def get(self, interaction_id):
        user = acting_user()
        return json_response(interaction_data(user, _visible_or_404(user, interaction_id)))

    @blp.arguments(InteractionPatchSchema)
    @blp.response(200, InteractionSchema)
    @blp.doc(parameters=[{"in": "header", "name": "If-Match", "required": False, "schema": {"type": "string"},
                          "description": "the ETag read; 412 when the interaction changed since"}])
    def patch(self, data, interaction_id):
        """Change some fields; send If-Match with the ETag you read to refuse a lost update (412)."""
        user = require_staff()
        interaction = _editable_or_403(user, interaction_id)
        current = interaction_data(user, interaction)
        check_if_match(current)
        stored = {k: getattr(interaction, k) for k in INPUT_FIELDS if not k.endswith("_ids")}
        stored.update({k: current[k] for k in INPUT_FIELDS if k.endswith("_ids")})
        merged = {k: data.get(k, stored[k]) for k in INPUT_FIELDS}
        try:
            update_interaction(interaction, InteractionInput(**merged), actor=user)
        except OutreachError as error:
            raise invalid(error) from error
        return json_response(interaction_data(user, interaction))

    @blp.response(204)
    def delete(self, interaction_id):
        """Soft delete: an admin can restore it from the pages."""
        user = require_staff()
        interaction = _editable_or_403(user, interaction_id)
        delete_interaction(interaction, actor=user)
        return "", 204

