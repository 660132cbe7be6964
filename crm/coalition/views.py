"""Coalition pages: partners, petition drives and their signature batches, media mentions."""

import csv
import io

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required

from crm.accounts.queries import partner_choices, staff_choices
from crm.coalition import bp, csv_import, operations, queries, talking_points
from crm.coalition.forms import (
    BatchForm,
    DriveForm,
    ImportConfirmForm,
    ImportForm,
    MentionForm,
    PartnerForm,
    VerifyForm,
)
from crm.coalition.models import MediaMention, PartnerOrganisation, PetitionDrive, SignatureBatch
from crm.coalition.projection import project
from crm.core.forms import choices, save_submitted
from crm.core.limits import accepts_upload
from crm.core.pagination import parse_page
from crm.core.permissions import deny, manager_required, staff_required
from crm.core.text import neutralise_cell
from crm.core.time import local_today
from crm.core.visibility import can_see_batch_notes, can_see_partner, can_see_partner_notes, can_write, is_partner
from crm.extensions import db
from crm.legislature.models import Legislator

MAX_UPLOAD_BYTES = 2 * 1024 * 1024


def _me():
    return current_user._get_current_object()


def _today():
    return local_today(current_user.timezone)


def _values(form, names):
    return {name: getattr(form, name).data for name in names}


def _save(form, error_field, write, message, target):
    return save_submitted(form, write, refusal=operations.CoalitionError, error_field=error_field,
                          message=message, target=target)


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
    done = _save(form, "name", lambda: operations.create_partner(actor=_me(), **_values(form, operations.PARTNER_FIELDS)),
                 _("Organización aliada creada."), lambda partner: url_for("coalition.partner", partner_id=partner.id))
    if done:
        return done
    return render_template("coalition/partner_form.html", form=form, partner=None)


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
    done = _save(form, "name",
                 lambda: operations.update_partner(organisation, actor=_me(), **_values(form, operations.PARTNER_FIELDS)),
                 _("Organización aliada actualizada."),
                 url_for("coalition.partner", partner_id=organisation.id))
    if done:
        return done
    return render_template("coalition/partner_form.html", form=form, partner=organisation)


# --- Petition drives ---------------------------------------------------------------------------------


@bp.route("/petitions")
@login_required
def drives():
    today = _today()
    summaries = [
        (drive, campaign, totals, _projection(drive, totals, today))
        for drive, campaign, totals in queries.drive_summaries(today)
    ]
    return render_template("coalition/drives.html", summaries=summaries)


def _projection(drive, totals, today):
    return project(
        threshold=drive.threshold, collected=totals.collected, verified=totals.verified, rejected=totals.rejected,
        recent_collected=totals.recent_collected, today=today, deadline=drive.deadline,
    )


def _drive_form(drive=None):
    form = DriveForm(obj=drive)
    form.campaign_id.choices = choices(
        queries.campaign_choices(without_drive=True, keep_id=drive.campaign_id if drive else None)
    )
    return form


@bp.route("/petitions/new", methods=["GET", "POST"])
@manager_required
def drive_new():
    form = _drive_form()
    done = _save(form, "name", lambda: operations.create_drive(actor=_me(), **_values(form, operations.DRIVE_FIELDS)),
                 _("Recolección de firmas creada."), lambda drive: url_for("coalition.drive", drive_id=drive.id))
    if done:
        return done
    return render_template("coalition/drive_form.html", form=form, drive=None)


@bp.route("/petitions/<int:drive_id>/edit", methods=["GET", "POST"])
@manager_required
def drive_edit(drive_id):
    drive = db.get_or_404(PetitionDrive, drive_id)
    form = _drive_form(drive)
    done = _save(form, "name", lambda: operations.update_drive(drive, actor=_me(), **_values(form, operations.DRIVE_FIELDS)),
                 _("Recolección de firmas actualizada."), url_for("coalition.drive", drive_id=drive.id))
    if done:
        return done
    return render_template("coalition/drive_form.html", form=form, drive=drive)


@bp.route("/petitions/<int:drive_id>")
@login_required
def drive(drive_id):
    found = queries.drive_with_campaign(drive_id)
    if found is None:
        abort(404)
    petition, campaign_name = found
    today = _today()
    totals = queries.drive_totals(petition.id, today)
    regions = queries.by_region(petition.id)
    series = queries.weekly_series(petition.id)
    return render_template(
        "coalition/drive.html",
        drive=petition,
        campaign_name=campaign_name,
        totals=totals,
        projection=_projection(petition, totals, today),
        regions=regions,
        series=series,
        region_chart=_region_chart(regions),
        time_chart=_time_chart(series),
        page=queries.batches_page(petition.id, parse_page(request.args.get("page"))),
        verify_form=VerifyForm(),
        show_notes=can_see_batch_notes(current_user),
    )


def _region_chart(regions):
    return {
        "type": "bar",
        "labels": [r[0] for r in regions],
        "datasets": [
            {"label": _("Verificadas"), "data": [int(r[2]) for r in regions], "color": "success"},
            {"label": _("Rechazadas"), "data": [int(r[3]) for r in regions], "color": "danger"},
            {"label": _("Pendientes"), "data": [int(r[1] - r[2] - r[3]) for r in regions], "color": "secondary"},
        ],
        "stacked": True,
        "horizontal": True,
    }


def _time_chart(series):
    return {
        "type": "line",
        "labels": [format_date(monday, "d MMM yy") for monday, *_rest in series],
        "datasets": [
            {"label": _("Recolectadas (acumulado)"), "data": [s[2] for s in series], "color": "primary"},
            {"label": _("Verificadas (acumulado)"), "data": [s[3] for s in series], "color": "success"},
        ],
    }


EXPORT_HEADER = (
    "fecha", "lugar", "tipo_lugar", "region", "recolector", "recolectadas", "verificadas", "rechazadas_duplicado",
    "rechazadas_dni_invalido", "rechazadas_ilegible", "rechazadas_otro", "pendientes",
)


@bp.route("/petitions/<int:drive_id>/batches.csv")
@login_required
def drive_export(drive_id):
    """All batches of a drive as CSV (no notes: they are internal), cells neutralised against formulas."""
    petition = db.get_or_404(PetitionDrive, drive_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_HEADER)
    for batch, staff_name, partner_name in queries.batches_for_export(petition.id):
        writer.writerow([neutralise_cell(v) for v in (
            batch.collected_on.isoformat(), batch.place or "", batch.place_kind or "", batch.region,
            staff_name or partner_name or "", batch.collected, batch.verified, batch.rejected_duplicate,
            batch.rejected_invalid_id, batch.rejected_illegible, batch.rejected_other, batch.pending,
        )])
    response = make_response("\ufeff" + out.getvalue())
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f"attachment; filename=firmas-{petition.id}.csv"
    return response


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
        form.collected_on.data = _today()
        form.collector.data = f"u:{current_user.id}"
    done = _save(form, "collected", lambda: operations.record_batch(actor=_me(), drive=petition, **_batch_values(form)),
                 _("Lote de firmas registrado."), url_for("coalition.drive", drive_id=petition.id))
    if done:
        return done
    return render_template("coalition/batch_form.html", form=form, drive=petition, batch=None,
                           collector_groups=collector_groups)


@bp.route("/petitions/batches/<int:batch_id>/edit", methods=["GET", "POST"])
@manager_required
def batch_edit(batch_id):
    batch = db.get_or_404(SignatureBatch, batch_id)
    petition = db.session.get(PetitionDrive, batch.drive_id)
    form, collector_groups = _batch_form(batch)
    if request.method == "GET":
        form.collector.data = f"u:{batch.collector_user_id}" if batch.collector_user_id else f"p:{batch.collector_partner_id}"
    done = _save(form, "collected", lambda: operations.update_batch(batch, actor=_me(), **_batch_values(form)),
                 _("Lote corregido."), url_for("coalition.drive", drive_id=petition.id))
    if done:
        return done
    return render_template("coalition/batch_form.html", form=form, drive=petition, batch=batch,
                           collector_groups=collector_groups)


@bp.route("/petitions/batches/<int:batch_id>/verify", methods=["GET", "POST"])
@manager_required
def batch_verify(batch_id):
    batch = db.get_or_404(SignatureBatch, batch_id)
    petition = db.session.get(PetitionDrive, batch.drive_id)
    form = VerifyForm(obj=batch)
    done = _save(form, "verified",
                 lambda: operations.verify_batch(batch, actor=_me(), **_values(form, operations.VERIFY_FIELDS)),
                 _("Verificación guardada."), url_for("coalition.drive", drive_id=petition.id))
    if done:
        return done
    status = 422 if request.method == "POST" else 200
    return render_template("coalition/batch_verify.html", form=form, batch=batch, drive=petition), status


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
        result = csv_import.parse(content, today=_today())
        if result.ok:
            batches = operations.import_batches(actor=_me(), drive=petition, rows=result.rows)
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
            result = csv_import.parse(content, today=_today())
            confirm.content.data = content
    return render_template("coalition/batch_import.html", form=form, confirm=confirm, drive=petition,
                           result=result, header=",".join(csv_import.HEADER))


# --- Signatures meet legislators ---------------------------------------------------------------------


@bp.route("/legislators/<int:legislator_id>/signatures")
@login_required
def legislator_signatures(legislator_id):
    legislator = db.get_or_404(Legislator, legislator_id)
    regions, points = talking_points.for_district(legislator.district)
    # The profile loads the fragment with htmx; a direct visit (or no JavaScript) gets a whole page.
    template = "coalition/_legislator_signatures.html" if request.headers.get("HX-Request") else (
        "coalition/legislator_signatures_page.html"
    )
    return render_template(template, legislator=legislator, regions=regions, points=points,
                           can_log=can_write(current_user))


# --- Media mentions ----------------------------------------------------------------------------------


@bp.route("/media")
@staff_required
def mentions():
    campaign_id = request.args.get("campaign", type=int)
    kind = request.args.get("kind") or None
    page = queries.mentions_page(parse_page(request.args.get("page")), campaign_id=campaign_id, kind=kind)
    return render_template("coalition/mentions.html", page=page, campaigns=queries.campaign_choices(),
                           campaign_id=campaign_id, kind=kind)


def _mention_form(mention=None):
    form = MentionForm(obj=mention)
    form.campaign_id.choices = choices([(0, _("— Ninguna —"))] + queries.campaign_choices())
    form.legislator_ids.choices = choices(queries.legislator_choices())
    if request.method == "GET" and mention is not None:
        form.campaign_id.data = mention.campaign_id or 0
        form.legislator_ids.data = [leg.id for leg in mention.legislators]
    return form


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
        form.published_on.data = _today()
    done = _save(form, "outlet", lambda: operations.create_media_mention(actor=_me(), **_mention_values(form)),
                 _("Mención en medios registrada."), url_for("coalition.mentions"))
    if done:
        return done
    return render_template("coalition/mention_form.html", form=form, mention=None)


@bp.route("/media/<int:mention_id>/edit", methods=["GET", "POST"])
@staff_required
def mention_edit(mention_id):
    mention = db.get_or_404(MediaMention, mention_id)
    form = _mention_form(mention)
    done = _save(form, "outlet", lambda: operations.update_media_mention(mention, actor=_me(), **_mention_values(form)),
                 _("Mención en medios actualizada."), url_for("coalition.mentions"))
    if done:
        return done
    return render_template("coalition/mention_form.html", form=form, mention=mention)
