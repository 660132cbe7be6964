"""Media mentions: the list, recording and editing them."""

from flask import render_template, request, url_for
from flask_babel import gettext as _

from crm.coalition import bp, operations, queries
from crm.coalition.forms import MentionForm
from crm.coalition.models import MediaMention
from crm.coalition.views.common import save
from crm.core.forms import choices
from crm.core.pagination import parse_page
from crm.core.permissions import staff_required
from crm.core.views import acting_user, int_arg, user_today
from crm.extensions import db
from crm.legislature import queries as legislature_queries
from crm.legislature import scope

# --- Media mentions ----------------------------------------------------------------------------------


@bp.route("/media")
@staff_required
def mentions():
    campaign_id = int_arg("campaign")
    kind = request.args.get("kind") or None
    page = queries.mentions_page(parse_page(request.args.get("page")), campaign_id=campaign_id, kind=kind)
    return render_template("coalition/mentions.html", page=page, campaigns=queries.campaign_choices(),
                           campaign_id=campaign_id, kind=kind)


def _mention_form(mention=None):
    form = MentionForm(obj=mention)
    form.campaign_id.choices = choices([(0, _("— Ninguna —"))] + queries.campaign_choices())
    if request.method == "GET" and mention is not None:
        form.campaign_id.data = mention.campaign_id or 0
        form.legislator_ids.data = [leg.id for leg in mention.legislators]
    return form


def _picker_context(form) -> dict:
    """What the legislator picker shows: the people chosen so far (kept when the form comes back with errors)."""
    return {
        "picked": legislature_queries.picked_legislators(form.legislator_ids.data or []),
        "legislatures": scope.legislature_options(user_today()),
    }


def _mention_values(form):
    return dict(
        published_on=form.published_on.data, outlet=form.outlet.data, kind=form.kind.data, title=form.title.data,
        url=form.url.data, campaign_id=form.campaign_id.data or None, legislator_ids=form.legislator_ids.data or [],
    )


@bp.route("/media/new", methods=["GET", "POST"])
@staff_required
def mention_new():
    form = _mention_form()
    if request.method == "GET":
        form.published_on.data = user_today()
    return save(form, "outlet", lambda: operations.create_media_mention(actor=acting_user(), **_mention_values(form)),
                _("Mención en medios registrada."), url_for("coalition.mentions"),
                "coalition/mention_form.html", mention=None, **_picker_context(form))


@bp.route("/media/<int:mention_id>/edit", methods=["GET", "POST"])
@staff_required
def mention_edit(mention_id):
    mention = db.get_or_404(MediaMention, mention_id)
    form = _mention_form(mention)
    return save(form, "outlet", lambda: operations.update_media_mention(mention, actor=acting_user(), **_mention_values(form)),
                _("Mención en medios actualizada."), url_for("coalition.mentions"),
                "coalition/mention_form.html", mention=mention, **_picker_context(form))
