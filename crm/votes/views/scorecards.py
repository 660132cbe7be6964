"""Scorecards: a director picks vote events and the position we wanted on each; each legislator's share of those
votes cast our way, absences apart; sorted and filtered by chamber, group and district; CSV and XLSX."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from crm.core.permissions import manager_required
from crm.core.views import acting_user, int_arg, user_today
from crm.extensions import db
from crm.votes import bp, exports, operations
from crm.votes.forms import ScorecardForm
from crm.votes.models import POSITIONS
from crm.votes.queries import bills as bill_queries
from crm.votes.queries import scorecards as scorecard_queries
from crm.votes.views.common import download


@bp.route("/scorecards")
@login_required
def scorecards():
    return render_template("votes/scorecards.html", cards=scorecard_queries.scorecard_list(),
                           can_manage=current_user.is_manager)


@bp.route("/scorecards/new", methods=["GET", "POST"])
@manager_required
def new_scorecard():
    form = ScorecardForm()
    events = bill_queries.events(limit=500)
    if form.validate_on_submit():
        items = {}
        for event, _body, _number in events:
            position = request.form.get(f"position-{event.id}", "")
            if position in POSITIONS:
                items[event.id] = position
        try:
            card = operations.create_scorecard(name=form.name.data, items=items, actor=acting_user())
        except operations.VotesError as error:
            db.session.rollback()
            flash(str(error), "danger")
        else:
            return redirect(url_for("votes.scorecard", scorecard_id=card.id))
    return render_template("votes/scorecard_form.html", form=form, events=events, positions=POSITIONS)


def _filtered(scorecard_id):
    card = scorecard_queries.scorecard(scorecard_id)
    if card is None:
        abort(404)
    filters = {"chamber_id": int_arg("chamber"), "group_id": int_arg("group"),
               "district": request.args.get("district", "").strip()[:120] or None}
    sort = request.args.get("sort", "score")
    sort = sort if sort in scorecard_queries.SORTS else "score"
    return card, filters, sort, scorecard_queries.rows(card.id, user_today(), sort=sort, **filters)


@bp.route("/scorecards/<int:scorecard_id>")
@login_required
def scorecard(scorecard_id):
    card, filters, sort, rows = _filtered(scorecard_id)
    chambers, groups, districts = scorecard_queries.filter_choices(user_today())
    return render_template("votes/scorecard.html", card=card, rows=rows, filters=filters, sort=sort, sorts=scorecard_queries.SORTS,
                           chambers=chambers, groups=groups, districts=districts)


@bp.route("/scorecards/<int:scorecard_id>/export.<kind>")
@login_required
def scorecard_export(scorecard_id, kind):
    if kind not in ("csv", "xlsx"):
        abort(404)
    card, _filters, _sort, rows = _filtered(scorecard_id)
    table = exports.scorecard_rows(rows)
    body = exports.to_csv(table) if kind == "csv" else exports.to_xlsx(table, card.name)
    return download(body, f"scorecard-{card.id}.{kind}", kind)



