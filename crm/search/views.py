"""The results page (a plain GET form, works without JavaScript) and the panel under the header's box."""

from flask import abort, render_template, request
from flask_login import current_user, login_required

from crm.core.pagination import parse_page
from crm.search import bp, queries
from crm.search.documents import KINDS
from crm.search.labels import REFUSED

SUGGEST_PER_KIND = 3


def _query():
    q = request.args.get("q", "")
    terms, refused = queries.parse(q)
    return q[: queries.MAX_LENGTH], terms, (REFUSED[refused] if refused else None), refused


@bp.route("/search")
@login_required
def results():
    q, terms, message, _refused = _query()
    kind = request.args.get("kind") or None
    if kind is not None and kind not in KINDS:
        abort(404)
    groups, page = [], None
    if terms and kind:
        page = queries.search_kind(current_user, terms, kind, parse_page(request.args.get("page")))
    elif terms:
        groups = queries.search(current_user, terms)
    return render_template("search/results.html", q=q, kind=kind, groups=groups, page=page, message=message)


@bp.route("/search/suggest")
@login_required
def suggest():
    """htmx: the top hits of each kind while the user types; nothing at all for an empty box."""
    q, terms, message, refused = _query()
    if refused == queries.EMPTY or (terms and len("".join(terms)) < 2):
        return ""  # one letter matches nearly everything: wait for the next one
    groups = queries.search(current_user, terms, SUGGEST_PER_KIND) if terms else []
    return render_template("search/_suggest.html", q=q, groups=groups, message=message)
