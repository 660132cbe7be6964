import csv
import io
from datetime import date

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from crm.core.forms import choices, save_submitted
from crm.core.limits import accepts_upload
from crm.core.permissions import deny, manager_required, staff_required
from crm.core.text import neutralise_cell
from crm.core.visibility import can_write
from crm.extensions import db
from crm.legislature import bp, operations, queries
from crm.legislature.forms import (
    GENDER_CHOICES,
    ROLE_CHOICES,
    AideForm,
    ChamberForm,
    CommitteeForm,
    CommitteeMembershipForm,
    GroupSwitchForm,
    ImportForm,
    LegislatorForm,
    LegislatureForm,
    OwnerForm,
    SeatsForm,
)
from crm.legislature.importers import FORMAT_LABELS, STRUCTURE_LABELS, ImportFailed, jobs
from crm.legislature.importers.records import decode_text
from crm.legislature.models import Aide, Chamber, Committee, Group, ImportJob, Legislator, Legislature

MAX_UPLOAD_BYTES = 8 * 1024 * 1024


def _save(form, error_field: str, action, message: str, target: str):
    return save_submitted(form, action, refusal=operations.LegislatureError, error_field=error_field,
                          message=message, target=target)


def _profile_url(legislator_id: int, anchor: str = "") -> str:
    return url_for("legislature.profile", legislator_id=legislator_id) + anchor


def _require_write(obj=None):
    if not can_write(current_user):
        deny("read-only account", obj)


# --- directory ---------------------------------------------------------------------------------------------------
@bp.route("/legislators")
@login_required
def directory():
    filters = queries.DirectoryFilters.from_args(request.args)
    page = queries.directory_page(filters)
    # The menus cost six queries; most visits only search, so they come with the page only when in use.
    show_menus = filters.advanced or request.args.get("more") == "1"
    menus = _directory_menus(queries.filter_choices(filters), filters) if show_menus else None
    return render_template("legislature/directory.html", page=page, filters=filters, menus=menus)


@bp.route("/legislators/filters")
@login_required
def directory_filters():
    """The filter menus alone, fetched when "more filters" is opened."""
    filters = queries.DirectoryFilters.from_args(request.args)
    menus = _directory_menus(queries.filter_choices(filters), filters)
    return render_template("legislature/_directory_filters.html", filters=filters, menus=menus)


def _directory_menus(options: dict, filters) -> dict:
    """(value, label) pairs for each filter menu; the legislature or chamber is named when no chamber is picked."""
    party, bancada = _("partido"), _("bancada")
    wide = not filters.chamber
    return {
        "chamber": [(id_, f"{name} · {legislature}") for id_, name, legislature, _lid in options["chambers"]],
        "group": [
            (id_, f"{name} ({party if kind == 'party' else bancada}{f' · {legislature}' if wide else ''})")
            for id_, name, kind, legislature in options["groups"]
        ],
        "committee": [(id_, f"{name} · {chamber}" if wide else name) for id_, name, chamber in options["committees"]],
        "district": [(d, d) for d in options["districts"]],
        "owner": [(f"u{id_}", name) for id_, name in options["users"]]
        + [(f"p{id_}", name) for id_, name in options["partners"]],
    }


EXPORT_HEADER = ("id", "nombre", "apellidos_nombres", "cámara", "distrito", "bancada", "partido", "correo", "teléfono",
                 "oficina", "responsable", "enlaces")


@bp.route("/legislators/export.csv")
@login_required
def export():
    filters = queries.DirectoryFilters.from_args(request.args)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_HEADER)
    for leg, chamber, bancada, party, owner_user, owner_partner in queries.directory_rows(filters):
        row = (leg.id, leg.full_name, leg.sort_name, chamber, leg.district, bancada, party, leg.email, leg.phone,
               leg.office, owner_user or owner_partner, " ".join(leg.links or []))
        writer.writerow([neutralise_cell(value) if value is not None else "" for value in row])
    return Response(
        "\ufeff" + buffer.getvalue(), mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=legisladores.csv"},
    )


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
        (g.id, f"{g.name} · {_('partido') if g.kind == 'party' else _('bancada')} · {legislature}")
        for g, legislature in queries.groups_for_legislator(legislator.id)
    )
    return {"owner_form": owner_form, "switch_form": switch_form, "committee_form": committee_form}


@bp.context_processor
def profile_labels():
    """The edit forms' own labels, so the profile names every gender and committee role they offer."""
    return {
        "GENDER_LABELS": {c.value: c.label for c in GENDER_CHOICES},
        "COMMITTEE_ROLE_LABELS": {c.value: c.label for c in ROLE_CHOICES},
    }


@bp.route("/legislators/<int:legislator_id>")
@login_required
def profile(legislator_id):
    data = queries.profile(legislator_id)
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
    done = _save(
        form, "full_name",
        lambda: operations.update_legislator(legislator, **{k: getattr(form, k).data for k in operations.EDITABLE_FIELDS}),
        _("Datos guardados."), _profile_url(legislator.id),
    )
    if done is not None:
        return done
    return render_template("legislature/edit.html", form=form, legislator=legislator), 200 if not form.errors else 400


def _profile_post(legislator, form_key: str, form, action, error_field: str, message: str, anchor: str = ""):
    """Handle one of the profile's forms: on success flash and go back to its section, else show the errors."""
    forms = _profile_forms(legislator, **{form_key: form})
    done = _save(form, error_field, action, message, _profile_url(legislator.id, anchor))
    if done is not None:
        return done
    data = queries.profile(legislator.id)
    return render_template("legislature/profile.html", data=data, legislator=legislator, **forms), 400


@bp.route("/legislators/<int:legislator_id>/owner", methods=["POST"])
@login_required
def set_owner(legislator_id):
    legislator = db.get_or_404(Legislator, legislator_id)
    _require_write(legislator)
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
    _require_write(legislator)
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
    _require_write(legislator)
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
    _require_write(legislator)
    membership = queries.get_committee_membership(legislator_id, membership_id)
    if membership is None:
        abort(404)
    try:
        operations.end_committee_membership(membership, end_date=date.today())
    except operations.LegislatureError as error:
        flash(str(error), "danger")
    else:
        flash(_("Membresía de comisión terminada hoy; queda en el historial."), "success")
    return redirect(_profile_url(legislator.id, "#comisiones"))


# --- aides -------------------------------------------------------------------------------------------------------
def _aide_or_404(legislator_id, aide_id) -> Aide:
    aide = queries.get_aide(legislator_id, aide_id)
    if aide is None:
        abort(404)
    return aide


def _aide_page(legislator, aide, write, message: str):
    """The new/edit aide form: `write(**values)` saves it."""
    form = AideForm(obj=aide)
    done = _save(form, "name", lambda: write(**{k: getattr(form, k).data for k in operations.AIDE_FIELDS}), message,
                 _profile_url(legislator.id, "#asesores"))
    if done is not None:
        return done
    return render_template("legislature/aide_form.html", form=form, legislator=legislator, aide=aide), (
        400 if form.errors else 200
    )


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
    return redirect(_profile_url(legislator_id, "#asesores"))


# --- imports -----------------------------------------------------------------------------------------------------
def _read_upload(storage, label) -> str | None:
    if storage is None or not getattr(storage, "filename", ""):
        return None
    try:
        raw = storage.read(MAX_UPLOAD_BYTES + 1)
    finally:
        storage.close()
    if len(raw) > MAX_UPLOAD_BYTES:
        raise ImportFailed(_("%(label)s: el archivo supera 8 MB.", label=label))
    return decode_text(raw, label)


@bp.route("/imports/legislators", methods=["GET", "POST"])
@accepts_upload(3 * MAX_UPLOAD_BYTES)  # the roster and the two optional committee files
@manager_required
def import_start():
    form = ImportForm()
    report = failure = None
    if form.validate_on_submit():
        try:
            files = {"main": _read_upload(form.file.data, _("Archivo de legisladores"))}
            for key in ("committees", "memberships"):
                text = _read_upload(getattr(form, key).data, getattr(form, key).label.text)
                if text is not None:
                    files[key] = text
            options = {k: getattr(form, k).data for k in ("legislature", "country", "chamber", "seats", "period")}
            options, report = jobs.dry_run(form.format.data, files, options)
        except ImportFailed as error:
            failure = str(error)
        else:
            if not report["errors"]:
                job = jobs.create_job(fmt=form.format.data, filename=form.file.data.filename, files=files,
                                      options=options, report=report, actor=current_user._get_current_object())
                return redirect(url_for("legislature.import_job", job_id=job.id))
    status = 422 if (failure or report) else (400 if form.errors else 200)
    return render_template("legislature/import_start.html", form=form, report=report, failure=failure,
                           labels=FORMAT_LABELS, structure_labels=STRUCTURE_LABELS,
                           recent=queries.recent_import_jobs()), status


def _job_or_404(job_id, lock: bool = False) -> ImportJob:
    statement = select(ImportJob).where(ImportJob.id == job_id)
    if lock:
        # Two browser tabs stepping the same job take turns (PostgreSQL row lock; SQLite writes serialise).
        statement = statement.with_for_update()
    return db.one_or_404(statement)


@bp.route("/imports/legislators/<int:job_id>")
@manager_required
def import_job(job_id):
    job = _job_or_404(job_id)
    return render_template("legislature/import_job.html", job=job, report=job.report, labels=FORMAT_LABELS,
                           structure_labels=STRUCTURE_LABELS)


@bp.route("/imports/legislators/<int:job_id>/apply", methods=["POST"])
@manager_required
def import_apply(job_id):
    job = _job_or_404(job_id, lock=True)
    if job.status != "checked":
        flash(_("Esta importación ya se aplicó o está en curso."), "warning")
        return redirect(url_for("legislature.import_job", job_id=job.id))
    jobs.begin_apply(job, current_user._get_current_object())
    return redirect(url_for("legislature.import_job", job_id=job.id))


@bp.route("/imports/legislators/<int:job_id>/step", methods=["POST"])
@manager_required
def import_step(job_id):
    job = _job_or_404(job_id, lock=True)
    if job.status == "running":
        jobs.run_step(job, current_user._get_current_object())
    return render_template("legislature/_import_progress.html", job=job)


# --- structure: legislatures, chambers, committees -------------------------------------------------------------
def _structure_page(bound: dict | None = None, status: int = 200):
    """Render the structure page; `bound` holds the form that failed, keyed like the template expects."""
    bound = bound or {}
    overview = queries.legislatures_overview()
    forms = {"legislature": bound.get("legislature") or LegislatureForm(prefix="new")}
    for legislature, chambers in overview:
        key = f"chamber-{legislature.id}"
        forms[key] = bound.get(key) or ChamberForm(prefix=key)
        for chamber, _committees, _sitting in chambers:
            key = f"seats-{chamber.id}"
            forms[key] = bound.get(key) or SeatsForm(prefix=key, seats=chamber.seats)
            key = f"committee-{chamber.id}"
            forms[key] = bound.get(key) or CommitteeForm(prefix=key)
    return render_template("legislature/structure.html", overview=overview, forms=forms), status


@bp.route("/legislatures")
@manager_required
def structure():
    return _structure_page()


def _apply(form, key, action, message):
    done = _save(form, "name" if hasattr(form, "name") else "seats", action, message, url_for("legislature.structure"))
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
