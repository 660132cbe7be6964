"""Campaigns, their vote stages, the whip count of a stage as of a day, and stance history (read and assess)."""

from flask.views import MethodView
from flask_babel import gettext as _
from marshmallow import Schema, fields, validate
from sqlalchemy import select

from crm.api.http import (
    ID_RANGE,
    ApiError,
    PageArgs,
    acting_user,
    invalid,
    json_response,
    list_response,
    list_schema,
    make_blueprint,
    not_found,
    page_of,
    require_staff,
)
from crm.campaigns import queries, stance
from crm.campaigns.models import COMMITMENTS, STANCE_LEVELS, Campaign, StanceAssessment
from crm.campaigns.operations import CampaignError, record_stance
from crm.campaigns.visibility import can_see_whip_list, whip_list_campaign_ids
from crm.core.time import local_today
from crm.extensions import db
from crm.legislature.models import Legislator

blp = make_blueprint("api_campaigns", "/campaigns", "Campaigns, vote stages, the whip count and stances.")


class StageSchema(Schema):
    id = fields.Integer()
    position = fields.Integer()
    name = fields.String()
    chamber_id = fields.Integer(allow_none=True)
    committee_id = fields.Integer(allow_none=True)
    body = fields.String(metadata={"description": "the chamber or committee that votes"})
    target_date = fields.Date(allow_none=True)
    rule_kind = fields.String()


class CampaignSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    bill_number = fields.String(allow_none=True)
    summary = fields.String(allow_none=True)
    status = fields.String()
    legislature_id = fields.Integer(allow_none=True)
    whip_list = fields.Boolean(metadata={"description": "whether this token may read the per-legislator list"})
    stages = fields.List(fields.Nested(StageSchema))


class MemberSchema(Schema):
    legislator_id = fields.Integer()
    name = fields.String()
    group = fields.String(allow_none=True)
    district = fields.String(allow_none=True)
    level = fields.String()
    assessed_at = fields.AwareDateTime(allow_none=True)


class WhipSchema(Schema):
    campaign_id = fields.Integer()
    stage_id = fields.Integer()
    body = fields.String()
    as_of = fields.Date()
    seats = fields.Integer()
    needed = fields.Integer()
    secured = fields.Integer()
    likely = fields.Integer()
    gap_secured = fields.Integer()
    gap_likely = fields.Integer()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    members = fields.List(fields.Nested(MemberSchema), allow_none=True,
                          metadata={"description": "null unless the token may read the whip list"})


class WhipArgs(Schema):
    as_of = fields.Date(load_default=None, metadata={"description": "the day counted; default today"})


class StanceSchema(Schema):
    id = fields.Integer(dump_only=True)
    campaign_id = fields.Integer(dump_only=True)
    legislator_id = fields.Integer(required=True, validate=ID_RANGE)
    level = fields.String(required=True, validate=validate.OneOf(STANCE_LEVELS))
    commitment = fields.String(load_default="inferred", validate=validate.OneOf(COMMITMENTS))
    confidence = fields.Integer(load_default=50, validate=validate.Range(0, 100))
    evidence = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=5000))
    source_url = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500))
    interaction_id = fields.Integer(dump_only=True, allow_none=True)
    assessed_at = fields.AwareDateTime(dump_only=True)


class StanceArgs(PageArgs):
    legislator_id = fields.Integer(load_default=None, validate=ID_RANGE)


CampaignList = list_schema(CampaignSchema, "CampaignList")
StanceList = list_schema(StanceSchema, "StanceList")


def _campaign_data(campaign: Campaign, bodies, whip_list: bool) -> dict:
    return CampaignSchema().dump({
        **{k: getattr(campaign, k) for k in ("id", "name", "bill_number", "summary", "status", "legislature_id")},
        "whip_list": whip_list,
        "stages": [{**{k: getattr(b.stage, k) for k in ("id", "position", "name", "chamber_id", "committee_id",
                                                        "target_date", "rule_kind")}, "body": b.name} for b in bodies],
    })


def _campaign_or_404(campaign_id: int):
    campaign, bodies = queries.campaign_with_bodies(campaign_id)
    if campaign is None:
        raise not_found()
    return campaign, bodies


@blp.route("")
class Campaigns(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, CampaignList)
    def get(self, args):
        """Every campaign with its stages (every signed-in role sees the list, as on the pages)."""
        allowed = whip_list_campaign_ids(acting_user())  # None: all of them
        rows, cursor = page_of(select(Campaign), Campaign.id, args)
        return list_response([_campaign_data(c, queries.campaign_with_bodies(c.id)[1], allowed is None or c.id in allowed)
                              for c in rows], cursor)


@blp.route("/<int:campaign_id>")
class CampaignItem(MethodView):
    @blp.response(200, CampaignSchema)
    def get(self, campaign_id):
        campaign, bodies = _campaign_or_404(campaign_id)
        return json_response(_campaign_data(campaign, bodies, can_see_whip_list(acting_user(), campaign.id)))


@blp.route("/<int:campaign_id>/stages/<int:stage_id>/whip")
class Whip(MethodView):
    @blp.arguments(WhipArgs, location="query")
    @blp.response(200, WhipSchema)
    def get(self, args, campaign_id, stage_id):
        """The whip count of a stage as of a day (the same count as the whip page); members only with a whip list."""
        user = acting_user()
        campaign, bodies = _campaign_or_404(campaign_id)
        body = next((b for b in bodies if b.stage.id == stage_id), None)
        if body is None:
            raise not_found()
        today = local_today(user.timezone)
        as_of = args["as_of"] or today
        if as_of > today:
            # As on the whip page: nobody knows tomorrow's stances, and a silent "today" would pass for the day asked.
            raise ApiError(422, "invalid", _("No hay recuento de un día futuro: pida hoy o un día pasado."),
                           field="as_of")
        count = queries.whip_count(campaign, body, as_of, stance.cutoff_for_day(as_of, user.timezone))
        return json_response(whip_data(count, can_see_whip_list(user, campaign.id)))


def whip_data(count, detail: bool) -> dict:
    members = None
    if detail:
        members = [{"legislator_id": m.id, "name": m.name, "group": m.group_name, "district": m.district,
                    "level": m.level, "assessed_at": m.assessed_at} for m in count.members]
    return WhipSchema().dump({
        "campaign_id": count.campaign.id, "stage_id": count.body.stage.id, "body": count.body.name,
        "as_of": count.as_of, "seats": count.seats, "needed": count.needed, "secured": count.secured,
        "likely": count.likely, "gap_secured": count.gap_secured, "gap_likely": count.gap_likely,
        "counts": dict(count.counts), "members": members,
    })


@blp.route("/<int:campaign_id>/stances")
class Stances(MethodView):
    @blp.arguments(StanceArgs, location="query")
    @blp.response(200, StanceList)
    def get(self, args, campaign_id):
        """Stance history (every assessment, oldest first); `updated_since` gives what changed since then."""
        user = acting_user()
        _campaign_or_404(campaign_id)
        if not can_see_whip_list(user, campaign_id):
            raise ApiError(403, "whip_list_not_granted", _("Su organización no tiene acceso a la lista de esta campaña."))
        statement = select(StanceAssessment).where(StanceAssessment.campaign_id == campaign_id)
        if args["legislator_id"]:
            statement = statement.where(StanceAssessment.legislator_id == args["legislator_id"])
        rows, cursor = page_of(statement, StanceAssessment.id, args, since=StanceAssessment.assessed_at)
        return list_response(StanceSchema(many=True).dump(rows), cursor)

    @blp.arguments(StanceSchema)
    @blp.response(201, StanceSchema)
    def post(self, data, campaign_id):
        """Record a new assessment (history is never edited); audited as on the pages."""
        user = require_staff()
        _campaign_or_404(campaign_id)
        if db.session.get(Legislator, data["legislator_id"]) is None:
            raise ApiError(422, "invalid", _("Legislador desconocido."), field="legislator_id")
        try:
            assessment = record_stance(campaign_id=campaign_id, actor=user, **data)
        except CampaignError as error:
            raise invalid(error) from error
        return json_response(StanceSchema().dump(assessment), 201)

