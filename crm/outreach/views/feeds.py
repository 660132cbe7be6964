"""Feeds: a legislator's timeline, the going-cold list, and the personal calendar subscription."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import login_required
from sqlalchemy import select

from crm.accounts import operations as account_operations
from crm.accounts.models import User
from crm.campaigns.models import DEFAULT_COLD_DAYS, PERSUADABLE, Campaign
from crm.core.compression import not_compressed
from crm.core.pagination import parse_page
from crm.core.permissions import staff_required
from crm.core.time import utcnow
from crm.core.views import acting_user, int_arg, is_htmx, user_today
from crm.extensions import db
from crm.legislature.models import Legislator
from crm.outreach import bp, ics, queries
from crm.outreach.forms import EmptyForm

# --- Timeline, going cold, calendar ---


@bp.route("/legislators/<int:legislator_id>/timeline")
@login_required
def legislator_timeline(legislator_id):
    legislator = db.get_or_404(Legislator, legislator_id)
    page = parse_page(request.args.get("page"))
    entries, has_more = queries.timeline(acting_user(), legislator_id, page=page)
    template = "outreach/_timeline.html" if is_htmx() else "outreach/timeline_page.html"
    return render_template(template, legislator=legislator, entries=entries, has_more=has_more, page=page)


@bp.route("/going-cold")
@bp.route("/campaigns/<int:campaign_id>/going-cold")
@staff_required
def going_cold(campaign_id=None):
    campaigns = queries.campaign_choices()
    campaign_id = campaign_id or int_arg("campaign") or (campaigns[0][0] if campaigns else None)
    campaign = db.session.get(Campaign, campaign_id) if campaign_id else None
    if campaign_id and campaign is None:
        abort(404)
    context = {"campaign": campaign, "campaigns": campaigns, "now": utcnow(), "levels": PERSUADABLE}
    if campaign is not None:
        chambers = queries.campaign_chambers(campaign.id)
        filters = queries.ColdFilters.parse(request.args, {cid for cid, _name in chambers})
        rows = queries.going_cold(campaign.id, context["now"], user_today(), chamber_id=filters.chamber_id)
        context.update(
            chambers=chambers, filters=filters, owners=queries.owner_options(rows),
            page=queries.cold_page(rows, filters, parse_page(request.args.get("page")), context["now"]),
            cold_days=campaign.going_cold_days or DEFAULT_COLD_DAYS,
        )
    return render_template("outreach/going_cold.html", **context)


@bp.route("/calendar", methods=["GET", "POST"])
@not_compressed
@staff_required
def calendar_settings():
    form = EmptyForm()
    user = acting_user()
    if form.validate_on_submit():
        if request.form.get("action") == "revoke":
            account_operations.revoke_calendar_token(user, actor=user)
            flash(_("La dirección del calendario fue revocada."), "info")
        else:
            had_one = bool(user.calendar_token)
            account_operations.new_calendar_token(user, actor=user)
            if had_one:
                flash(_("Nueva dirección creada. La anterior dejó de funcionar."), "success")
            else:
                flash(_("Dirección del calendario creada."), "success")
        return redirect(url_for("outreach.calendar_settings"))
    feed_url = None
    if user.calendar_token:
        feed_url = url_for("outreach.calendar_feed", token=user.calendar_token, _external=True)
    return render_template("outreach/calendar.html", form=form, feed_url=feed_url)


@bp.route("/calendar/<token>.ics")
def calendar_feed(token):
    """No login: the secret in the URL is the credential, so calendar apps can subscribe."""
    if not token or len(token) > 64:
        abort(404)
    user = db.session.execute(select(User).where(User.calendar_token == token)).scalar_one_or_none()
    if user is None or not user.active:
        abort(404)
    response = Response(ics.build_feed(user), mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="cabildeo.ics"'
    response.headers["Cache-Control"] = "private, max-age=300"
    return response
