"""Web imports: the dry run is stored as a job with the parsed roster; confirming applies it in steps the page polls.

The file is parsed once, at the dry run: the job keeps the parsed roster, never the raw text, and each step
applies its share of people. A job takes at most MAX_STEPS steps (bigger files take bigger steps), so the
whole import grows linearly with the number of people. A step that fails for any reason rolls back its own
share and ends the job as "failed" with the reason; a job is never left "running" by an error.
"""

import logging
from datetime import date

from flask_babel import gettext as _

from crm.core import audit
from crm.core.time import utcnow
from crm.extensions import db
from crm.legislature.importers import CHUNK, Sync, default_options, parse_roster
from crm.legislature.importers.records import Problem, Report, Roster, dump_roster, load_roster
from crm.legislature.models import ImportJob

MAX_STEPS = 10
log = logging.getLogger(__name__)


def checked(fmt: str, files: dict, options: dict, today: date | None = None) -> tuple[dict, dict, dict]:
    """Parse and compare without writing: (options with defaults, report, the parsed roster to keep).

    May raise ImportFailed.
    """
    options = default_options(fmt, options)
    roster = parse_roster(fmt, files, options, today)
    if not options.get("legislature") and roster.legislature_name:
        options["legislature"] = roster.legislature_name
    kept = dump_roster(roster)  # before Sync bounds the records by the terms it finds
    sync = Sync(roster, options, write=False, today=today)
    sync.prepare()
    return options, sync.run(), kept  # run() reports last, so problems found by prepare() are included


def dry_run(fmt: str, files: dict, options: dict, today: date | None = None) -> tuple[dict, dict]:
    options, report, _kept = checked(fmt, files, options, today)
    return options, report


def create_job(*, fmt: str, filename: str, roster: dict, options: dict, report: dict, actor) -> ImportJob:
    job = ImportJob(
        created_by_id=actor.id if actor else None, created_at=utcnow(), format=fmt, filename=filename[:255],
        options=options, files={"roster": roster}, status="checked", report=report, progress_total=report["total"],
    )
    db.session.add(job)
    db.session.flush()
    audit.record("legislator_import.check", job, new={"format": fmt, "file": filename, "counts": report["counts"]},
                 actor=actor)
    return job


def begin_apply(job: ImportJob, actor) -> None:
    job.status = "running"
    job.progress_done = 0
    job.result = {"create": 0, "update": 0, "unchanged": 0}
    db.session.flush()
    audit.record("legislator_import.apply", job, new={"format": job.format, "file": job.filename}, actor=actor)


def step_size(total: int) -> int:
    return max(CHUNK // 3, -(-total // MAX_STEPS))


def run_step(job: ImportJob, actor, today: date | None = None) -> None:
    """Apply the next share of people. Re-applying a share is harmless: the import is idempotent."""
    try:
        with db.session.begin_nested():
            _step(job, actor, today)
    except Exception:  # noqa: BLE001 - whatever happened, the job ends and says where
        log.exception("legislator import job %s failed at %s", job.id, job.progress_done)
        _fail(job, actor, Problem(
            _("personas %(first)s a %(last)s", first=job.progress_done + 1,
              last=min(job.progress_done + step_size(job.progress_total), job.progress_total)), "",
            _("La importación se detuvo por un error interno en este bloque, que no se aplicó. Los %(done)s "
              "registros anteriores ya están importados; repetir la importación es seguro.", done=job.progress_done)))


def _fail(job: ImportJob, actor, problem: Problem) -> None:
    job.status = "failed"
    job.finished_at = utcnow()
    job.report = Report(total=job.progress_total).as_dict(Roster(problems=[problem]))
    job.files = {}
    db.session.flush()
    audit.record("legislator_import.fail", job, new={"at": job.progress_done, "message": problem.message}, actor=actor)


def _step(job: ImportJob, actor, today: date | None) -> None:
    roster = load_roster((job.files or {}).get("roster") or {})
    sync = Sync(roster, job.options, write=True, actor=actor, today=today)
    sync.prepare()
    if roster.has_errors:  # the database changed since the dry run (a chamber was removed...)
        job.status, job.finished_at, job.files = "failed", utcnow(), {}
        job.report = sync.report.as_dict(roster)
        return
    start = job.progress_done
    stop = min(start + step_size(len(roster.persons)), len(roster.persons))
    report = sync.run(start, stop)
    result = dict(job.result or {})
    for key, value in report["counts"].items():
        result[key] = result.get(key, 0) + value
    job.result = result
    job.progress_done = stop
    job.progress_total = len(roster.persons)
    if stop >= len(roster.persons):
        job.status = "done"
        job.finished_at = utcnow()
        job.files = {}  # the parsed roster is no longer needed
        audit.record(
            "legislature.import", sync.legislature,
            new={"format": job.format, "file": job.filename, "job": job.id, "counts": result}, actor=actor,
        )
    db.session.flush()


def apply_all(fmt: str, files: dict, options: dict, *, actor=None, progress=None, today: date | None = None) -> dict:
    """Apply a whole import in the current transaction (CLI and demo). The caller commits or rolls back.

    Nothing is written when the roster has errors, including those only the comparison finds (too many renames).
    """
    options = default_options(fmt, options)
    roster = parse_roster(fmt, files, options, today)
    if not options.get("legislature") and roster.legislature_name:
        options["legislature"] = roster.legislature_name
    kept = dump_roster(roster)
    check = Sync(roster, options, write=False, today=today)
    check.prepare()
    report = check.run()
    if roster.has_errors:
        return report
    roster = load_roster(kept)
    sync = Sync(roster, options, write=True, actor=actor, today=today)
    sync.prepare()
    report = sync.run(progress=progress)
    audit.record("legislature.import", sync.legislature,
                 new={"format": fmt, "options": options, "counts": report["counts"]}, actor=actor)
    report["legislature_id"] = sync.legislature.id
    return report
