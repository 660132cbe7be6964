"""What the votes pages share: finding the campaign and the event asked for, and sending exports."""

from flask import Response, abort
from flask_login import current_user

from crm.campaigns import queries as campaign_queries
from crm.campaigns.visibility import can_see_whip_list
from crm.core.permissions import require
from crm.votes.queries import forecast as forecast_queries

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def campaign_or_404(campaign_id: int):
    campaign = campaign_queries.get_campaign(campaign_id)
    if campaign is None:
        abort(404)
    require(can_see_whip_list(current_user, campaign.id), "whip list not granted", campaign)
    return campaign


def event_or_404(event_id: int):
    found = forecast_queries.event_with_body(event_id)
    if found is None:
        abort(404)
    return found


def download(body, filename: str, kind: str) -> Response:
    mimetype = "text/csv; charset=utf-8" if kind == "csv" else XLSX
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})
