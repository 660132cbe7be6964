"""Petition drives: the list with projections, a drive's page and charts, editing, the CSV export, and the
petition figures for a legislator's district."""

import csv
import io

from flask import abort, make_response, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user, login_required

from crm.coalition import bp, operations, queries, talking_points
from crm.coalition.forms import DriveForm, VerifyForm
from crm.coalition.models import PetitionDrive
from crm.coalition.projection import project
from crm.coalition.views.common import save
from crm.core.forms import choices, form_values
from crm.core.pagination import parse_page
from crm.core.permissions import manager_required
from crm.core.text import neutralise_cell
from crm.core.views import acting_user, is_htmx, user_today
from crm.core.visibility import can_see_batch_notes, can_write
from crm.extensions import db
from crm.legislature.models import Legislator

# --- Petition drives ---------------------------------------------------------------------------------


@bp.route("/petitions")
@login_required
def drives():
    today = user_today()
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
    return save(form, "name", lambda: operations.create_drive(actor=acting_user(), **form_values(form, operations.DRIVE_FIELDS)),
                _("Recolección de firmas creada."), lambda drive: url_for("coalition.drive", drive_id=drive.id),
                "coalition/drive_form.html", drive=None)


@bp.route("/petitions/<int:drive_id>/edit", methods=["GET", "POST"])
@manager_required
def drive_edit(drive_id):
    drive = db.get_or_404(PetitionDrive, drive_id)
    form = _drive_form(drive)
    return save(form, "name", lambda: operations.update_drive(drive, actor=acting_user(), **form_values(form, operations.DRIVE_FIELDS)),
                _("Recolección de firmas actualizada."), url_for("coalition.drive", drive_id=drive.id),
                "coalition/drive_form.html", drive=drive)


@bp.route("/petitions/<int:drive_id>")
@login_required
def drive(drive_id):
    found = queries.drive_with_campaign(drive_id)
    if found is None:
        abort(404)
    petition, campaign_name = found
    today = user_today()
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



# --- Signatures meet legislators ---------------------------------------------------------------------


@bp.route("/legislators/<int:legislator_id>/signatures")
@login_required
def legislator_signatures(legislator_id):
    legislator = db.get_or_404(Legislator, legislator_id)
    regions, points = talking_points.for_district(legislator.district)
    # The profile loads the fragment with htmx; a direct visit (or no JavaScript) gets a whole page.
    template = "coalition/_legislator_signatures.html" if is_htmx() else (
        "coalition/legislator_signatures_page.html"
    )
    return render_template(template, legislator=legislator, regions=regions, points=points,
                           can_log=can_write(current_user))
