"""The structure of legislatures: creating legislatures, chambers (and their seats) and committees."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from crm.core.permissions import manager_required
from crm.core.views import acting_user, user_today
from crm.extensions import db
from crm.legislature import bp, operations, queries, scope
from crm.legislature.forms import ChamberForm, CommitteeForm, LegislatureForm, SeatsForm
from crm.legislature.models import Chamber, Legislature
from crm.legislature.views.common import submit


# --- structure: legislatures, chambers, committees -------------------------------------------------------------
def _structure_page(bound: dict | None = None, status: int = 200):
    """Render the structure page; `bound` holds the form that failed, keyed like the template expects."""
    bound = bound or {}
    overview = queries.legislatures_overview(user_today())
    forms = {"legislature": bound.get("legislature") or LegislatureForm(prefix="new")}
    for legislature, chambers in overview:
        key = f"chamber-{legislature.id}"
        forms[key] = bound.get(key) or ChamberForm(prefix=key)
        for chamber, _committees, _sitting in chambers:
            key = f"seats-{chamber.id}"
            forms[key] = bound.get(key) or SeatsForm(prefix=key, seats=chamber.seats)
            key = f"committee-{chamber.id}"
            forms[key] = bound.get(key) or CommitteeForm(prefix=key)
    in_session = {o.id: o for o in scope.legislature_options(user_today())}
    return render_template("legislature/structure.html", overview=overview, forms=forms, in_session=in_session), status


@bp.route("/legislatures")
@manager_required
def structure():
    return _structure_page()


def _apply(form, key, action, message):
    done = submit(form, "name" if hasattr(form, "name") else "seats", action, message, url_for("legislature.structure"))
    if done is not None:
        return done
    return _structure_page({key: form}, 400)


@bp.route("/legislatures", methods=["POST"])
@manager_required
def create_legislature():
    form = LegislatureForm(prefix="new")
    return _apply(form, "legislature", lambda: operations.create_legislature(
        name=form.name.data, country=form.country.data, period_label=form.period_label.data,
        start_date=form.start_date.data, end_date=form.end_date.data,
    ), _("Legislatura creada. Añada sus cámaras."))


@bp.route("/legislatures/<int:legislature_id>/chambers", methods=["POST"])
@manager_required
def add_chamber(legislature_id):
    legislature = db.get_or_404(Legislature, legislature_id)
    key = f"chamber-{legislature.id}"
    form = ChamberForm(prefix=key)
    return _apply(form, key, lambda: operations.add_chamber(legislature, name=form.name.data, seats=form.seats.data),
                  _("Cámara añadida."))


@bp.route("/chambers/<int:chamber_id>/seats", methods=["POST"])
@manager_required
def set_chamber_seats(chamber_id):
    chamber = db.get_or_404(Chamber, chamber_id)
    key = f"seats-{chamber.id}"
    form = SeatsForm(prefix=key)
    return _apply(form, key, lambda: operations.set_chamber_seats(chamber, seats=form.seats.data),
                  _("Número de escaños guardado."))


@bp.route("/chambers/<int:chamber_id>/committees", methods=["POST"])
@manager_required
def add_committee(chamber_id):
    chamber = db.get_or_404(Chamber, chamber_id)
    key = f"committee-{chamber.id}"
    form = CommitteeForm(prefix=key)
    return _apply(form, key, lambda: operations.add_committee(chamber, name=form.name.data), _("Comisión añadida."))


@bp.route("/legislatures/<int:legislature_id>/pin", methods=["POST"])
@manager_required
def pin_legislature(legislature_id):
    """Pin (or unpin) a legislature as one of "ours": lists and pickers then open on the pinned ones."""
    legislature = db.get_or_404(Legislature, legislature_id)
    pinned = request.form.get("pinned") == "1"
    operations.set_pinned(legislature, pinned, actor=acting_user())
    flash(_("«%(name)s» fijada como nuestra.", name=legislature.name) if pinned
          else _("«%(name)s» ya no está fijada.", name=legislature.name), "success")
    return redirect(url_for("legislature.structure"))
