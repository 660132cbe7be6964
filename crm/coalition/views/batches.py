"""Signature batches: recording, correcting and verifying them, and importing many from a CSV file."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from crm.accounts.queries import partner_choices, staff_choices
from crm.coalition import bp, csv_import, operations
from crm.coalition.forms import BatchForm, ImportConfirmForm, ImportForm, VerifyForm
from crm.coalition.models import PetitionDrive, SignatureBatch
from crm.coalition.views.common import save
from crm.core.forms import choices, form_values
from crm.core.limits import accepts_upload
from crm.core.permissions import manager_required, staff_required
from crm.core.views import acting_user, user_today
from crm.extensions import db

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


# --- Signature batches -------------------------------------------------------------------------------


def _collector_groups():
    staff = [(f"u:{uid}", name) for uid, name in staff_choices()]
    partners = [(f"p:{pid}", name) for pid, name in partner_choices()]
    return [(_("Equipo"), staff), (_("Organizaciones aliadas"), partners)]


def _collector_ids(value: str):
    kind, _sep, raw = (value or "").partition(":")
    ident = int(raw) if raw.isdigit() else None
    return (ident if kind == "u" else None), (ident if kind == "p" else None)


def _batch_form(obj=None):
    """The form and the collector menu's groups, which the template draws as optgroups."""
    form = BatchForm(obj=obj)
    groups = _collector_groups()
    form.collector.choices = choices([("", _("— Elija —"))] + [pair for _group, pairs in groups for pair in pairs])
    return form, groups


def _batch_values(form):
    user_id, partner_id = _collector_ids(form.collector.data)
    return dict(
        collected_on=form.collected_on.data, region=form.region.data, collected=form.collected.data,
        place=form.place.data, place_kind=form.place_kind.data or None, collector_user_id=user_id,
        collector_partner_id=partner_id, notes=form.notes.data,
    )


@bp.route("/petitions/<int:drive_id>/batches/new", methods=["GET", "POST"])
@staff_required
def batch_new(drive_id):
    petition = db.get_or_404(PetitionDrive, drive_id)
    form, collector_groups = _batch_form()
    if request.method == "GET":
        form.collected_on.data = user_today()
        form.collector.data = f"u:{current_user.id}"
    return save(form, "collected", lambda: operations.record_batch(actor=acting_user(), drive=petition, **_batch_values(form)),
                _("Lote de firmas registrado."), url_for("coalition.drive", drive_id=petition.id),
                "coalition/batch_form.html", drive=petition, batch=None,
                collector_groups=collector_groups)


@bp.route("/petitions/batches/<int:batch_id>/edit", methods=["GET", "POST"])
@manager_required
def batch_edit(batch_id):
    batch = db.get_or_404(SignatureBatch, batch_id)
    petition = db.session.get(PetitionDrive, batch.drive_id)
    form, collector_groups = _batch_form(batch)
    if request.method == "GET":
        form.collector.data = f"u:{batch.collector_user_id}" if batch.collector_user_id else f"p:{batch.collector_partner_id}"
    return save(form, "collected", lambda: operations.update_batch(batch, actor=acting_user(), **_batch_values(form)),
                _("Lote corregido."), url_for("coalition.drive", drive_id=petition.id),
                "coalition/batch_form.html", drive=petition, batch=batch,
                collector_groups=collector_groups)


@bp.route("/petitions/batches/<int:batch_id>/verify", methods=["GET", "POST"])
@manager_required
def batch_verify(batch_id):
    batch = db.get_or_404(SignatureBatch, batch_id)
    petition = db.session.get(PetitionDrive, batch.drive_id)
    form = VerifyForm(obj=batch)
    return save(form, "verified",
                lambda: operations.verify_batch(batch, actor=acting_user(), **form_values(form, operations.VERIFY_FIELDS)),
                _("Verificación guardada."), url_for("coalition.drive", drive_id=petition.id),
                "coalition/batch_verify.html", invalid_status=422, batch=batch, drive=petition)


@bp.route("/petitions/<int:drive_id>/import", methods=["GET", "POST"])
@accepts_upload(3 * MAX_UPLOAD_BYTES)  # the confirm step sends the file back form-encoded (up to 3 bytes a byte)
@staff_required
def batch_import(drive_id):
    petition = db.get_or_404(PetitionDrive, drive_id)
    form, confirm = ImportForm(), ImportConfirmForm()
    result, content = None, None
    if request.method == "POST" and len(confirm.content.data or "") > MAX_UPLOAD_BYTES:  # checked before parsing
        form.file.errors = [_("El archivo pasa de 2 MB; divídalo en partes.")]
    elif request.method == "POST" and confirm.validate_on_submit() and confirm.content.data:
        content = confirm.content.data
        result = csv_import.parse(content, today=user_today())
        if result.ok:
            batches = operations.import_batches(actor=acting_user(), drive=petition, rows=result.rows)
            flash(_("Se importaron %(n)s lotes con %(total)s firmas.", n=len(batches),
                    total=sum(b.collected for b in batches)), "success")
            return redirect(url_for("coalition.drive", drive_id=petition.id))
    elif form.validate_on_submit():
        upload = form.file.data
        raw = upload.read(MAX_UPLOAD_BYTES + 1) if upload else b""
        if not raw:
            form.file.errors.append(_("Elija un archivo CSV."))
        elif len(raw) > MAX_UPLOAD_BYTES:
            form.file.errors.append(_("El archivo pasa de 2 MB; divídalo en partes."))
        else:
            content = csv_import.decode(raw)
            result = csv_import.parse(content, today=user_today())
            confirm.content.data = content
    return render_template("coalition/batch_import.html", form=form, confirm=confirm, drive=petition,
                           result=result, header=",".join(csv_import.HEADER))
