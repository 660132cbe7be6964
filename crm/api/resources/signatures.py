"""Signature batches of a petition drive (read; managers record verification) and media mentions (staff)."""

from flask.views import MethodView
from marshmallow import Schema, fields, validate
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from crm.api.http import (
    PageArgs,
    acting_user,
    get_or_404,
    invalid,
    json_response,
    list_response,
    list_schema,
    make_blueprint,
    page_of,
    require_roles,
    require_staff,
)
from crm.coalition.models import MediaMention, PetitionDrive, SignatureBatch
from crm.coalition.operations import CoalitionError, verify_batch
from crm.core.permissions import MANAGER_ROLES
from crm.core.visibility import can_see_batch_notes

blp = make_blueprint("api_signatures", "", "Signature batches and media mentions.")
COUNT = {"validate": validate.Range(0, 10_000_000)}


class BatchSchema(Schema):
    id = fields.Integer()
    drive_id = fields.Integer()
    collected_on = fields.Date()
    place = fields.String(allow_none=True)
    region = fields.String()
    collected = fields.Integer()
    verified = fields.Integer()
    rejected_duplicate = fields.Integer()
    rejected_invalid_id = fields.Integer()
    rejected_illegible = fields.Integer()
    rejected_other = fields.Integer()
    notes = fields.String(allow_none=True, metadata={"description": "internal: staff only"})


class VerifySchema(Schema):
    verified = fields.Integer(required=True, **COUNT)
    rejected_duplicate = fields.Integer(load_default=0, **COUNT)
    rejected_invalid_id = fields.Integer(load_default=0, **COUNT)
    rejected_illegible = fields.Integer(load_default=0, **COUNT)
    rejected_other = fields.Integer(load_default=0, **COUNT)


class MentionSchema(Schema):
    id = fields.Integer()
    published_on = fields.Date()
    outlet = fields.String()
    kind = fields.String()
    title = fields.String(allow_none=True)
    url = fields.String(allow_none=True)
    campaign_id = fields.Integer(allow_none=True)
    legislator_ids = fields.List(fields.Integer())


BatchList = list_schema(BatchSchema, "BatchList")
MentionList = list_schema(MentionSchema, "MentionList")


def batch_data(user, batch: SignatureBatch) -> dict:
    data = BatchSchema().dump(batch)
    if not can_see_batch_notes(user):
        data["notes"] = None
    return data


@blp.route("/petitions/<int:drive_id>/batches")
class Batches(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, BatchList)
    def get(self, args, drive_id):
        """A drive's batches (every role, as on the drive page; notes for staff only)."""
        user = acting_user()
        get_or_404(PetitionDrive, drive_id)
        statement = select(SignatureBatch).where(SignatureBatch.drive_id == drive_id)
        rows, cursor = page_of(statement, SignatureBatch.id, args, since=SignatureBatch.created_at)
        return list_response([batch_data(user, b) for b in rows], cursor)


@blp.route("/batches/<int:batch_id>/verification", methods=["PUT"])
@blp.arguments(VerifySchema)
@blp.response(200, BatchSchema)
def verify(data, batch_id):
    """Set a batch's verification results (directors and admins); sends signatures.verified."""
    user = require_roles(*MANAGER_ROLES)
    batch = get_or_404(SignatureBatch, batch_id)
    try:
        verify_batch(batch, actor=user, **data)
    except CoalitionError as error:
        raise invalid(error) from error
    return json_response(batch_data(user, batch))


@blp.route("/media")
class Mentions(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, MentionList)
    def get(self, args):
        """Media mentions (staff, as on the media page)."""
        require_staff()
        statement = select(MediaMention).options(selectinload(MediaMention.legislators))
        rows, cursor = page_of(statement, MediaMention.id, args)
        return list_response([MentionSchema().dump({
            **{k: getattr(m, k) for k in ("id", "published_on", "outlet", "kind", "title", "url", "campaign_id")},
            "legislator_ids": sorted(x.id for x in m.legislators)}) for m in rows], cursor)
