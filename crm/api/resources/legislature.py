"""Legislatures (with chambers, committees and groups) and legislators with their dated memberships."""

from collections import defaultdict

from flask.views import MethodView
from marshmallow import Schema, fields, validate
from sqlalchemy import exists, func, select
from sqlalchemy.orm import selectinload

from crm.api.http import (
    ID_RANGE,
    PageArgs,
    acting_user,
    get_or_404,
    json_response,
    list_response,
    list_schema,
    make_blueprint,
    page_of,
)
from crm.core.time import local_today
from crm.extensions import db
from crm.legislature import scope
from crm.legislature.models import (
    Chamber,
    Committee,
    CommitteeMembership,
    Group,
    GroupMembership,
    Legislator,
    LegislatorIdentifier,
    Legislature,
    SeatMembership,
)
from crm.legislature.queries.members import sitting

blp = make_blueprint("api_legislature", "", "Legislatures, chambers, committees, groups and legislators.")


class CommitteeSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    code = fields.String(allow_none=True)
    parent_id = fields.Integer(allow_none=True)


class ChamberSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    seats = fields.Integer()
    committees = fields.List(fields.Nested(CommitteeSchema))


class GroupSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    name = fields.String()
    abbreviation = fields.String(allow_none=True)


class LegislatureSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    country = fields.String()
    period_label = fields.String(allow_none=True)
    start_date = fields.Date(allow_none=True)
    end_date = fields.Date(allow_none=True)
    in_scope = fields.Boolean(metadata={"description": "in the current default scope (pinned or in session)"})
    chambers = fields.List(fields.Nested(ChamberSchema))
    groups = fields.List(fields.Nested(GroupSchema))


class TenureSchema(Schema):
    start_date = fields.Date(allow_none=True)
    end_date = fields.Date(allow_none=True)


class SeatSchema(TenureSchema):
    chamber_id = fields.Integer()
    district = fields.String(allow_none=True)


class GroupMembershipSchema(TenureSchema):
    group_id = fields.Integer()


class CommitteeMembershipSchema(TenureSchema):
    committee_id = fields.Integer()
    role = fields.String()


class IdentifierSchema(Schema):
    scheme = fields.String()
    value = fields.String()


class LegislatorSchema(Schema):
    id = fields.Integer()
    full_name = fields.String()
    sort_name = fields.String()
    gender = fields.String(allow_none=True)
    district = fields.String(allow_none=True)
    email = fields.String(allow_none=True)
    phone = fields.String(allow_none=True)
    office = fields.String(allow_none=True)
    photo_url = fields.String(allow_none=True)
    updated_at = fields.AwareDateTime(allow_none=True)
    identifiers = fields.List(fields.Nested(IdentifierSchema))
    seats = fields.List(fields.Nested(SeatSchema))
    groups = fields.List(fields.Nested(GroupMembershipSchema))
    committees = fields.List(fields.Nested(CommitteeMembershipSchema))


class LegislatorArgs(PageArgs):
    sitting = fields.Boolean(load_default=False, metadata={"description": "only those who sit today"})
    legislature = fields.String(
        load_default=None, validate=validate.Length(max=12),
        metadata={"description": "an id or 'all'; default: the current scope (pinned or in-session legislatures)"},
    )
    chamber_id = fields.Integer(load_default=None, validate=ID_RANGE)


LegislatureList = list_schema(LegislatureSchema, "LegislatureList")
LegislatorList = list_schema(LegislatorSchema, "LegislatorList")


def _legislatures_data(rows, in_scope: set[int]) -> list[dict]:
    groups = defaultdict(list)
    ids = [r.id for r in rows]
    for group in db.session.execute(select(Group).where(Group.legislature_id.in_(ids)).order_by(Group.name)).scalars():
        groups[group.legislature_id].append(group)
    data = []
    for legislature in rows:
        item = LegislatureSchema().dump({
            **{k: getattr(legislature, k) for k in ("id", "name", "country", "period_label", "start_date", "end_date")},
            "in_scope": legislature.id in in_scope,
            "chambers": [{"id": c.id, "name": c.name, "seats": c.seats, "committees": list(c.committees)}
                         for c in legislature.chambers],
            "groups": groups[legislature.id],
        })
        data.append(item)
    return data


def _in_scope() -> set[int]:
    """The legislatures in the default scope today (pinned or in session), as the pages count it."""
    return set(scope.scope_ids(local_today(acting_user().timezone)))


@blp.route("/legislatures")
class Legislatures(MethodView):
    @blp.arguments(PageArgs, location="query")
    @blp.response(200, LegislatureList)
    def get(self, args):
        """Legislatures with their chambers, committees and groups."""
        statement = select(Legislature).options(selectinload(Legislature.chambers).selectinload(Chamber.committees))
        rows, cursor = page_of(statement, Legislature.id, args)
        return list_response(_legislatures_data(rows, _in_scope()), cursor)


@blp.route("/legislatures/<int:legislature_id>")
class LegislatureItem(MethodView):
    @blp.response(200, LegislatureSchema)
    def get(self, legislature_id):
        return json_response(_legislatures_data([get_or_404(Legislature, legislature_id)], _in_scope())[0])


def _memberships(ids: list[int]) -> dict[int, dict]:
    found = {i: {"identifiers": [], "seats": [], "groups": [], "committees": []} for i in ids}
    for kind, model in (("identifiers", LegislatorIdentifier), ("seats", SeatMembership),
                        ("groups", GroupMembership), ("committees", CommitteeMembership)):
        for row in db.session.execute(select(model).where(model.legislator_id.in_(ids)).order_by(model.id)).scalars():
            found[row.legislator_id][kind].append(row)
    return found


def legislators_data(rows) -> list[dict]:
    extra = _memberships([r.id for r in rows])
    return [LegislatorSchema().dump({**{k: getattr(r, k) for k in LegislatorSchema._declared_fields
                                        if hasattr(r, k) and k not in extra[r.id]}, **extra[r.id]}) for r in rows]


@blp.route("/legislators")
class Legislators(MethodView):
    @blp.arguments(LegislatorArgs, location="query")
    @blp.response(200, LegislatorList)
    def get(self, args):
        """Legislators; with `sitting=true`, those who sit today (in the current scope unless `legislature` says)."""
        user = acting_user()
        today = local_today(user.timezone)
        statement = select(Legislator)
        if args["sitting"] or args["chamber_id"]:
            ids = scope.scope_ids(today, scope.parse_choice(args["legislature"]))
            seat = select(SeatMembership.id).join(Chamber, Chamber.id == SeatMembership.chamber_id).where(
                SeatMembership.legislator_id == Legislator.id, scope.chambers_in(ids))
            if args["sitting"]:
                seat = seat.where(sitting(today))
            if args["chamber_id"]:
                seat = seat.where(SeatMembership.chamber_id == args["chamber_id"])
            statement = statement.where(exists(seat))
        rows, cursor = page_of(statement, Legislator.id, args,
                               since=func.coalesce(Legislator.updated_at, Legislator.created_at))
        return list_response(legislators_data(rows), cursor)


@blp.route("/legislators/<int:legislator_id>")
class LegislatorItem(MethodView):
    @blp.response(200, LegislatorSchema)
    def get(self, legislator_id):
        """One legislator with dated seat, group and committee memberships."""
        return json_response(legislators_data([get_or_404(Legislator, legislator_id)])[0])


@blp.route("/committees/<int:committee_id>")
class CommitteeItem(MethodView):
    @blp.response(200, CommitteeSchema)
    def get(self, committee_id):
        return json_response(CommitteeSchema().dump(get_or_404(Committee, committee_id)))
