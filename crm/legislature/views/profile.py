"""A legislator's profile and what is edited on it: contact data, the relationship owner, group switches and
committee memberships."""

from flask import abort, flash, redirect, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from crm.core.forms import choices, form_values
from crm.core.permissions import staff_required
from crm.core.views import user_today
from crm.core.visibility import can_write
from crm.extensions import db
from crm.legislature import bp, operations, queries
from crm.legislature.forms import CommitteeMembershipForm, GroupSwitchForm, LegislatorForm, OwnerForm
from crm.legislature.labels import GROUP_KIND
from crm.legislature.models import Committee, Group, Legislator
from crm.legislature.views.common import form_page, profile_url, require_write, submit


# --- profile -----------------------------------------------------------------------------------------------------
def _owner_choices():
    owners = queries.owner_choices()
    return choices([("", _("Sin responsable"))] + [(f"u{i}", name) for i, name in owners["users"]] + [
        (f"p{i}", _("%(name)s (organización aliada)", name=name)) for i, name in owners["partners"]
    ])


def _owner_value(legislator):
    if legislator.owner_user_id:
        return f"u{legislator.owner_user_id}"
    if legislator.owner_partner_id:
        return f"p{legislator.owner_partner_id}"
    return ""


def _profile_forms(legislator, owner_form=None, switch_form=None, committee_form=None):
    if not can_write(current_user):
        return {}
    committee_form = committee_form or CommitteeMembershipForm()
    committee_form.committee_id.choices = choices(
        (cid, f"{name} · {chamber}") for cid, name, chamber in queries.committees_for_legislator(legislator.id)
    )
    owner_form = owner_form or OwnerForm(owner=_owner_value(legislator))
    owner_form.owner.choices = _owner_choices()
    switch_form = switch_form or GroupSwitchForm()
    switch_form.group_id.choices = choices(
        (g.id, f"{g.name} · {GROUP_KIND.text(g.kind)} · {legislature}")
        for g, legislature in queries.groups_for_legislator(legislator.id)
    )
    return {"owner_form": owner_form, "switch_form": switch_form, "committee_form": committee_form}


@bp.route("/legislators/<int:legislator_id>")
@login_required
def profile(legislator_id):
    data = queries.profile(legislator_id, user_today())
    if data is None:
        abort(404)
    return render_template("legislature/profile.html", data=data, legislator=data.legislator,
                           **_profile_forms(data.legislator))


@bp.route("/legislators/<int:legislator_id>/edit", methods=["GET", "POST"])
@staff_required
def edit(legislator_id):
    legislator = db.get_or_404(Legislator, legislator_id)
    form = LegislatorForm(obj=legislator)
    if request.method == "GET":
        form.links.data = "\n".join(legislator.links or [])
    if legislator.gender and legislator.gender not in {c.value for c in form.gender.choices}:
        form.gender.choices = [*form.gender.choices, *choices([(legislator.gender, legislator.gender)])]
    return form_page(
        form, "full_name",
        lambda: operations.update_legislator(legislator, **form_values(form, operations.EDITABLE_FIELDS)),
        _("Datos guardados."), profile_url(legislator.id), "legislature/edit.html", legislator=legislator,
    )


def _profile_post(legislator, form_key: str, form, action, error_field: str, message: str, anchor: str = ""):
    """Handle one of the profile's forms: on success flash and go back to its section, else show the errors."""
    forms = _profile_forms(legislator, **{form_key: form})
    done = submit(form, error_field, action, message, profile_url(legislator.id, anchor))
    if done is not None:
        return done
    data = queries.profile(legislator.id, user_today())
    return render_template("legislature/profile.html", data=data, legislator=legislator, **forms), 400


@bp.route("/legislators/<int:legislator_id>/owner", methods=["POST"])
@login_required
def set_owner(legislator_id):
    legislator = db.get_or_404(Legislator, legislator_id)
    require_write(legislator)
    form = OwnerForm()

    def action():
        value = form.owner.data or ""
        operations.set_owner(
            legislator, user_id=int(value[1:]) if value.startswith("u") else None,
            partner_id=int(value[1:]) if value.startswith("p") else None,
        )

    return _profile_post(legislator, "owner_form", form, action, "owner", _("Responsable de la relación actualizada."))


@bp.route("/legislators/<int:legislator_id>/groups", methods=["POST"])
@login_required
def switch_group(legislator_id):
    legislator = db.get_or_404(Legislator, legislator_id)
    require_write(legislator)
    form = GroupSwitchForm()
    return _profile_post(
        legislator, "switch_form", form,
        lambda: operations.switch_group(legislator, db.session.get(Group, form.group_id.data),
                                        start_date=form.start_date.data),
        "start_date", _("Cambio de grupo registrado; la afiliación anterior queda en el historial."), "#grupos",
    )


@bp.route("/legislators/<int:legislator_id>/committees", methods=["POST"])
@login_required
def add_committee_membership(legislator_id):
    legislator = db.get_or_404(Legislator, legislator_id)
    require_write(legislator)
    form = CommitteeMembershipForm()
    return _profile_post(
        legislator, "committee_form", form,
        lambda: operations.add_committee_membership(legislator, db.session.get(Committee, form.committee_id.data),
                                                    role=form.role.data, start_date=form.start_date.data),
        "committee_id", _("Membresía de comisión registrada."), "#comisiones",
    )


@bp.route("/legislators/<int:legislator_id>/committees/<int:membership_id>/end", methods=["POST"])
@login_required
def end_committee_membership(legislator_id, membership_id):
    legislator = db.get_or_404(Legislator, legislator_id)
    require_write(legislator)
    membership = queries.get_committee_membership(legislator_id, membership_id)
    if membership is None:
        abort(404)
    try:
        operations.end_committee_membership(membership, end_date=user_today())
    except operations.LegislatureError as error:
        flash(str(error), "danger")
    else:
        flash(_("Membresía de comisión terminada hoy; queda en el historial."), "success")
    return redirect(profile_url(legislator.id, "#comisiones"))
