"""The legislator picker's search-as-you-type results, shared by every form that chooses legislators
(meetings, the quick log, media mentions): templates/legislature/_picker.html and static/js/picker.js."""

from flask import render_template, request

from crm.core.permissions import staff_required
from crm.core.views import user_today
from crm.legislature import bp, queries, scope


@bp.route("/log/legislators")
@staff_required
def legislator_search():
    """htmx: search-as-you-type over folded names, so "veronika" finds "Verónika"."""
    term = request.args.get("q", "")[:100]
    hits = queries.search_legislators(term, user_today(), scope.parse_choice(request.args.get("legislature")))
    return render_template("legislature/_picker_results.html", results=hits, term=term)
