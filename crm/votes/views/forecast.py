"""The forecast against the outcome for one vote event and one campaign, and its export."""

from flask import abort, render_template
from flask_login import current_user, login_required

from crm.core.visibility import can_see_relationship_owner
from crm.votes import accuracy, bp, exports
from crm.votes.queries import forecast as forecast_queries
from crm.votes.views.common import campaign_or_404, download, event_or_404


def _forecast(campaign_id: int, event_id: int):
    campaign = campaign_or_404(campaign_id)
    event, body, _legislature = event_or_404(event_id)
    members = forecast_queries.members(event, campaign.id, current_user.timezone)
    for m in members:  # a partner sees only its own organisation's relationship owners (as in the directory)
        if not can_see_relationship_owner(current_user, m.owner_partner_id):
            m.owner = m.owner_id = None
    return campaign, event, body, members, accuracy.compute(members)


@bp.route("/votes/campaigns/<int:campaign_id>/events/<int:event_id>/forecast")
@login_required
def forecast(campaign_id, event_id):
    campaign, event, body, members, result = _forecast(campaign_id, event_id)
    return render_template("votes/forecast.html", campaign=campaign, event=event, body=body, f=result,
                           bands=accuracy.BANDS)


@bp.route("/votes/campaigns/<int:campaign_id>/events/<int:event_id>/forecast.<kind>")
@login_required
def forecast_export(campaign_id, event_id, kind):
    if kind not in ("csv", "xlsx"):
        abort(404)
    campaign, event, _body, members, result = _forecast(campaign_id, event_id)
    rows = exports.forecast_rows(result, members)
    body = exports.to_csv(rows) if kind == "csv" else exports.to_xlsx(rows, campaign.name)
    return download(body, f"forecast-{campaign.id}-{event.id}.{kind}", kind)
