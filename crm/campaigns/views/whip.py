"""The whip count of a campaign: the page with its hemicycle, breakdowns and targets, the trend, the list and exports."""

from datetime import timedelta
from urllib.parse import quote

from flask import Response, abort, current_app, g, jsonify, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from crm.campaigns import board, bp, exports, fragments, hemicycle, queries, stance
from crm.campaigns.forms import BulkStanceForm
from crm.campaigns.labels import STANCE
from crm.campaigns.models import STANCE_LEVELS
from crm.campaigns.views.common import (
    as_of_day,
    campaign_and_bodies_or_404,
    count_for_request,
    labels,
    pick_body,
    require_whip_list,
)
from crm.campaigns.visibility import can_see_whip_list
from crm.core import versions
from crm.core.jinja import localdate, url_with
from crm.core.permissions import deny
from crm.core.time import utcnow, zone
from crm.core.views import int_arg, user_today
from crm.core.visibility import can_see_internal_notes, can_write
from crm.extensions import db

# --- the whip count -----------------------------------------------------------------------------------


def _seating(count):
    """Members in hemicycle order: most supportive bancadas on the left, then by stance within each."""
    share = {b.key: (b.likely / b.total if b.total else 0) for b in count.by_group}
    rank = queries.LEVEL_RANK
    return sorted(
        count.members,
        key=lambda m: (
            m.group_id is None,
            -share.get(str(m.group_id or ""), 0),
            m.group_name or "",
            rank[m.level],
            m.sort_name,
        ),
    )


TARGETS_SHOWN = 25


def _breakdown_fragment(campaign, bodies, detail):
    """One breakdown table (by district or by committee), loaded in place when its section is opened."""
    by = request.args.get("by")
    if by not in ("district", "committee"):
        abort(404)
    if not detail:
        deny("whip list not granted", campaign)
    count = count_for_request(campaign, bodies, (by,))[1]
    if count is None:
        abort(404)
    row_labels = labels()["ROW_LABELS"]
    rows = count.by_district if by == "district" else count.by_committee
    return render_template(
        "campaigns/_breakdown.html",
        title=row_labels["breakdowns"][by][1],
        rows=fragments.breakdown_rows(rows, row_labels["no_data"]),
    )


@bp.route("/campaigns/<int:campaign_id>/whip")
@login_required
def whip(campaign_id):
    """The whip page, or its live board (?fragment=board, polled): both served from the board cache."""
    fragment = request.args.get("fragment")
    if fragment in ("breakdown", "summary"):
        return _uncached_fragment(campaign_id, fragment)
    key = board.key_for(campaign_id, g.pop("board_tokens", None))
    store = board.cache()
    fresh = versions.pending(db.session)  # this request's own uncommitted writes: not under the current key
    entry = None if fresh else store.get(key, utcnow())
    if entry is None:
        flashed = len(session.get("_flashes", ()))
        entry = _render(campaign_id)
        # A page that warned about its input (a bad "as of" day) must warn again next time: not cached.
        if len(session.get("_flashes", ())) == flashed and not fresh:
            store.put(key, entry)
    return board.respond(entry, key)


def _uncached_fragment(campaign_id, fragment):
    campaign, bodies = campaign_and_bodies_or_404(campaign_id)
    detail = can_see_whip_list(current_user, campaign.id)
    if fragment == "breakdown":
        return _breakdown_fragment(campaign, bodies, detail)
    body, count, as_of = count_for_request(campaign, bodies)
    if count is None:
        abort(404)
    return render_template("campaigns/_summary.html", campaign=campaign, body=body, count=count, as_of=as_of,
                           today=user_today())


def _render(campaign_id) -> board.Rendered:
    """Everything on the page that is the same for every reader with the same cache key."""
    campaign, bodies = campaign_and_bodies_or_404(campaign_id)
    detail = can_see_whip_list(current_user, campaign.id)
    body, count, as_of = count_for_request(campaign, bodies, ("group",) if detail else ())
    today = user_today()
    context = {"campaign": campaign, "bodies": bodies, "body": body, "count": count, "as_of": as_of,
               "detail": detail, "today": today,
               # A stance recorded now would not show in a past count: offer edits on today's view only.
               "can_edit": can_write(current_user) and as_of == today}
    if count is not None and detail:
        context.update(_detail_context(campaign, body, count, as_of, context["can_edit"]))
    board_html, expires_at = None, None
    if count is not None:
        live = as_of == today
        context.update(live=live, poll_seconds=current_app.config["BOARD_POLL_SECONDS"])
        if live:
            total, oldest, changes = queries.recent_changes(campaign.id, board.recent_since())
            context.update(changes_total=total, changes=changes, show_who=can_see_internal_notes(current_user))
            expires_at = board.expiry(oldest)
        board_html = Markup(render_template("campaigns/_board.html", **context))  # noqa: S704 - rendered by Jinja
    content = Markup(render_template("campaigns/_whip_content.html", board=board_html, **context))  # noqa: S704
    return board.Rendered(title=f"{_('Recuento')} · {campaign.name}", content=content, board=board_html,
                          etag=board.etag_of(board_html), expires_at=expires_at, encoded=content.encode())


def _detail_context(campaign, body, count, as_of, can_edit) -> dict:
    """The per-legislator parts: hemicycle, seat table, breakdowns and the ranked targets."""
    context = {}
    seated = _seating(count)
    row_labels = labels()["ROW_LABELS"]
    level_labels, no_group = row_labels["levels"], row_labels["no_group"]
    seats, context["seat_rows"] = hemicycle.seats_for(seated, no_group, level_labels)
    context["svg"] = hemicycle.render(seats, row_labels["hemicycle"] % {"body": body.name})
    titles = row_labels["breakdowns"]
    # The bancada breakdown comes with the page; district and committee load when opened.
    context["breakdowns"] = [
        (*titles["group"], fragments.breakdown_rows(count.by_group, no_group), None),
        (*titles["district"], None, "district"),
        (*titles["committee"], None, "committee"),
    ]
    owner_user, owner_partner = int_arg("owner_user"), int_arg("owner_partner")
    ranked = queries.targets(count.members, owner_user_id=owner_user, owner_partner_id=owner_partner)
    shown = ranked if request.args.get("targets") == "all" else ranked[:TARGETS_SHOWN]
    context["target_rows"] = fragments.target_rows(
        shown,
        as_of=as_of,
        cold_days=campaign.going_cold_days,
        tz=zone(current_user.timezone),
        day_text=localdate,
        labels=row_labels,
        colours=hemicycle.COLOURS,
        stance_url=url_for("campaigns.index") + f"/{campaign.id}/legislators/",
        can_edit=can_edit,
        profile_url=url_for("legislature.directory") + "/",
        # The page's own address even when a poll renders the board: both share one cached copy.
        # The page's own address even when a poll renders the board: both share one cached copy.
        back=quote(url_with(fragment=None), safe=""),
    )
    context.update(
        targets=shown,
        targets_total=len(ranked),
        owners=queries.owners(count.members),
        owner_user=owner_user,
        owner_partner=owner_partner,
    )
    return context


@bp.route("/campaigns/<int:campaign_id>/trend.json")
@login_required
def trend(campaign_id):
    """Week-by-week counts for the chart; aggregate data, so partners may see it."""
    campaign, bodies = campaign_and_bodies_or_404(campaign_id)
    body = pick_body(bodies)
    if body is None:
        return jsonify({"labels": [], "datasets": [], "needed": None})
    as_of = as_of_day(body)
    cutoffs = queries.week_cutoffs(stance.cutoff_for_day(as_of, current_user.timezone))
    series = queries.trend(campaign.id, body.stage, as_of, cutoffs)
    members = sum(series[lv][-1] for lv in STANCE_LEVELS)
    n = len(cutoffs)
    return jsonify(
        {
            "labels": [(as_of - timedelta(weeks=n - 1 - i)).isoformat() for i in range(n)],
            "datasets": [
                {"level": lv, "label": STANCE.text(lv), "color": hemicycle.COLOURS[lv], "data": series[lv]}
                for lv in STANCE_LEVELS
            ],
            "needed": queries.needed_for(body.stage, body.legal_seats or members),
            "needed_label": _("Votos necesarios"),
        }
    )


@bp.route("/campaigns/<int:campaign_id>/list")
@login_required
def whip_list(campaign_id):
    campaign, bodies = campaign_and_bodies_or_404(campaign_id)
    require_whip_list(campaign)
    body, count, as_of = count_for_request(campaign, bodies)
    members = sorted(count.members, key=lambda m: m.sort_name) if count else []
    return render_template(
        "campaigns/whip_list.html", campaign=campaign, bodies=bodies, body=body, count=count, as_of=as_of,
        members=members, can_edit=can_write(current_user) and as_of == user_today(), bulk_form=BulkStanceForm(formdata=None),
        today=user_today(),
    )



# --- exports ------------------------------------------------------------------------------------------


@bp.route("/campaigns/<int:campaign_id>/export.<fmt>")
@login_required
def export(campaign_id, fmt):
    campaign, bodies = campaign_and_bodies_or_404(campaign_id)
    if fmt not in ("csv", "xlsx"):
        abort(404)
    require_whip_list(campaign)
    body, count, as_of = count_for_request(campaign, bodies)
    if count is None:
        abort(404)
    rows = exports.whip_rows(count, current_user.timezone)
    name = f"whip-{campaign.id}-{body.stage.id}-{as_of.isoformat()}"
    if fmt == "csv":
        return Response(
            exports.to_csv(rows),
            mimetype="text/csv",
            headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
        )
    return Response(
        exports.to_xlsx(rows, title=campaign.name, summary=exports.whip_summary(count)),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="{name}.xlsx"'},
    )
