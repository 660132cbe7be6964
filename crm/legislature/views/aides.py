"""A legislator's aides: adding, editing and removing them from the profile."""

from flask import abort, flash, redirect
from flask_babel import gettext as _

from crm.core.forms import form_values
from crm.core.permissions import staff_required
from crm.extensions import db
from crm.legislature import bp, operations, queries
from crm.legislature.forms import AideForm
from crm.legislature.models import Aide, Legislator
from crm.legislature.views.common import form_page, profile_url


# --- aides -------------------------------------------------------------------------------------------------------
def _aide_or_404(legislator_id, aide_id) -> Aide:
    aide = queries.get_aide(legislator_id, aide_id)
    if aide is None:
        abort(404)
    return aide


def _aide_page(legislator, aide, write, message: str):
    """The new/edit aide form: `write(**values)` saves it."""
    form = AideForm(obj=aide)
    return form_page(form, "name", lambda: write(**form_values(form, operations.AIDE_FIELDS)), message,
                     profile_url(legislator.id, "#asesores"), "legislature/aide_form.html", legislator=legislator,
                     aide=aide)


@bp.route("/legislators/<int:legislator_id>/aides/new", methods=["GET", "POST"])
@staff_required
def add_aide(legislator_id):
    legislator = db.get_or_404(Legislator, legislator_id)
    return _aide_page(legislator, None, lambda **values: operations.add_aide(legislator, **values),
                      _("Asesor o asesora añadida."))


@bp.route("/legislators/<int:legislator_id>/aides/<int:aide_id>/edit", methods=["GET", "POST"])
@staff_required
def edit_aide(legislator_id, aide_id):
    legislator = db.get_or_404(Legislator, legislator_id)
    aide = _aide_or_404(legislator_id, aide_id)
    return _aide_page(legislator, aide, lambda **values: operations.update_aide(aide, **values),
                      _("Datos del asesor o asesora guardados."))


@bp.route("/legislators/<int:legislator_id>/aides/<int:aide_id>/delete", methods=["POST"])
@staff_required
def remove_aide(legislator_id, aide_id):
    aide = _aide_or_404(legislator_id, aide_id)
    operations.remove_aide(aide)
    flash(_("Asesor o asesora eliminada."), "success")
    return redirect(profile_url(legislator_id, "#asesores"))
