"""Partner organisations and petition drives with their totals (read-only here, as the pages allow partners)."""

from flask.views import MethodView
from marshmallow import Schema, fields

from crm.api.http import acting_user, json_response, make_blueprint, not_found
from crm.coalition import queries
from crm.core.time import local_today
from crm.core.visibility import can_see_partner, can_see_partner_notes, own_organisation_only

blp = make_blueprint("api_coalition", "", "Partner organisations and petition drives.")


class PartnerSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    contact_name = fields.String(allow_none=True)
    contact_email = fields.String(allow_none=True)
    contact_phone = fields.String(allow_none=True)
    notes = fields.String(allow_none=True, metadata={"description": "internal: staff only"})
    users = fields.Integer()
    legislators_owned = fields.Integer()


class TotalsSchema(Schema):
    collected = fields.Integer()
    verified = fields.Integer()
    rejected = fields.Integer()
    pending = fields.Integer()
    batches = fields.Integer()


class DriveSchema(Schema):
    id = fields.Integer()
    campaign_id = fields.Integer()
    campaign = fields.String()
    name = fields.String()
    threshold = fields.Integer()
    deadline = fields.Date(allow_none=True)
    totals = fields.Nested(TotalsSchema)


PartnerList = Schema.from_dict({"items": fields.List(fields.Nested(PartnerSchema), required=True)}, name="PartnerList")
DriveList = Schema.from_dict({"items": fields.List(fields.Nested(DriveSchema), required=True)}, name="DriveList")


def _partners(user, only: int | None = None) -> list[dict]:
    own = own_organisation_only(user)
    if own is not None:  # a partner account: its own organisation at most (0 matches none)
        only = own if only in (None, own) else 0
    rows = queries.partners_list(only_partner_id=only)
    notes = can_see_partner_notes(user)
    return [PartnerSchema().dump({
        **{k: getattr(p, k) for k in ("id", "name", "contact_name", "contact_email", "contact_phone")},
        "notes": p.notes if notes else None, "users": users, "legislators_owned": owned,
    }) for p, users, owned in rows]


@blp.route("/partners")
class Partners(MethodView):
    @blp.response(200, PartnerList)
    def get(self):
        """Partner organisations: staff see all of them, a partner account only its own."""
        return json_response({"items": _partners(acting_user())})


@blp.route("/partners/<int:partner_id>")
class PartnerItem(MethodView):
    @blp.response(200, PartnerSchema)
    def get(self, partner_id):
        user = acting_user()
        found = _partners(user, partner_id) if can_see_partner(user, partner_id) else []
        if not found:
            raise not_found()
        return json_response(found[0])


def _drive_data(drive, campaign_name, totals) -> dict:
    return DriveSchema().dump({
        **{k: getattr(drive, k) for k in ("id", "campaign_id", "name", "threshold", "deadline")},
        "campaign": campaign_name,
        "totals": {"collected": totals.collected, "verified": totals.verified, "rejected": totals.rejected,
                   "pending": totals.pending, "batches": totals.batches},
    })


@blp.route("/petitions")
class Drives(MethodView):
    @blp.response(200, DriveList)
    def get(self):
        """Petition drives with their signature totals (every role, as on the pages)."""
        today = local_today(acting_user().timezone)
        return json_response({"items": [_drive_data(*row) for row in queries.drive_summaries(today)]})


@blp.route("/petitions/<int:drive_id>")
class DriveItem(MethodView):
    @blp.response(200, DriveSchema)
    def get(self, drive_id):
        row = queries.drive_with_campaign(drive_id)
        if row is None:
            raise not_found()
        totals = queries.drive_totals(drive_id, local_today(acting_user().timezone))
        return json_response(_drive_data(row[0], row[1], totals))
