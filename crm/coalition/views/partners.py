"""Partner organisations: the list, a partner's page, creating and editing them."""

from flask import render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from crm.accounts.models import PartnerOrganisation
from crm.coalition import bp, operations, queries
from crm.coalition.forms import PartnerForm
from crm.coalition.views.common import save
from crm.core.forms import form_values
from crm.core.permissions import deny, manager_required
from crm.core.views import acting_user
from crm.core.visibility import can_see_partner, can_see_partner_notes, is_partner
from crm.extensions import db

# --- Partners ----------------------------------------------------------------------------------------


@bp.route("/partners")
@login_required
def partners():
    if is_partner(current_user):
        rows = queries.partners_list(only_partner_id=current_user.partner_organisation_id or 0)
    else:
        rows = queries.partners_list()
    return render_template("coalition/partners.html", rows=rows)


@bp.route("/partners/new", methods=["GET", "POST"])
@manager_required
def partner_new():
    form = PartnerForm()
    return save(form, "name", lambda: operations.create_partner(actor=acting_user(), **form_values(form, operations.PARTNER_FIELDS)),
                _("Organización aliada creada."), lambda partner: url_for("coalition.partner", partner_id=partner.id),
                "coalition/partner_form.html", partner=None)


@bp.route("/partners/<int:partner_id>")
@login_required
def partner(partner_id):
    organisation = db.get_or_404(PartnerOrganisation, partner_id)
    if not can_see_partner(current_user, organisation.id):
        deny("partner of another organisation", organisation)
    return render_template(
        "coalition/partner.html",
        partner=organisation,
        users=queries.partner_users(organisation.id),
        legislators=queries.partner_legislators(organisation.id),
        batches=queries.partner_batches(organisation.id),
        grants=queries.partner_grants(organisation.id),
        show_notes=can_see_partner_notes(current_user),
    )


@bp.route("/partners/<int:partner_id>/edit", methods=["GET", "POST"])
@manager_required
def partner_edit(partner_id):
    organisation = db.get_or_404(PartnerOrganisation, partner_id)
    form = PartnerForm(obj=organisation)
    return save(form, "name",
                lambda: operations.update_partner(organisation, actor=acting_user(), **form_values(form, operations.PARTNER_FIELDS)),
                _("Organización aliada actualizada."),
                url_for("coalition.partner", partner_id=organisation.id),
                "coalition/partner_form.html", partner=organisation)
