"""Importing legislators from files: upload and dry run, then applying the job step by step."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from crm.core.forms import form_values
from crm.core.limits import accepts_upload
from crm.core.permissions import manager_required
from crm.core.views import acting_user
from crm.extensions import db
from crm.legislature import bp, queries
from crm.legislature.forms import ImportForm
from crm.legislature.importers import FORMAT_LABELS, STRUCTURE_LABELS, ImportFailed, jobs
from crm.legislature.importers.records import decode_text
from crm.legislature.models import ImportJob

MAX_UPLOAD_BYTES = 8 * 1024 * 1024


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
            options = form_values(form, ("legislature", "country", "chamber", "seats", "period"))
            options, report = jobs.dry_run(form.format.data, files, options)
        except ImportFailed as error:
            failure = str(error)
        else:
            if not report["errors"]:
                job = jobs.create_job(fmt=form.format.data, filename=form.file.data.filename, files=files,
                                      options=options, report=report, actor=acting_user())
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
    jobs.begin_apply(job, acting_user())
    return redirect(url_for("legislature.import_job", job_id=job.id))


@bp.route("/imports/legislators/<int:job_id>/step", methods=["POST"])
@manager_required
def import_step(job_id):
    job = _job_or_404(job_id, lock=True)
    if job.status == "running":
        jobs.run_step(job, acting_user())
    return render_template("legislature/_import_progress.html", job=job)
