"""Web imports: the dry run is stored as a job; confirming applies it in chunks the page polls for."""

from datetime import date

from crm.core import audit
from crm.core.time import utcnow
from crm.extensions import db
from crm.legislature.importers import CHUNK, Sync, default_options, parse_roster
from crm.legislature.models import ImportJob


def dry_run(fmt: str, files: dict, options: dict, today: date | None = None) -> tuple[dict, dict]:
    """Parse and compare without writing. Returns (options with defaults, report). May raise ImportFailed."""
    options = default_options(fmt, options)
    roster = parse_roster(fmt, files, options, today)
    sync = Sync(roster, options, write=False, today=today)
    sync.prepare()
    return options, sync.run()  # run() reports last, so problems found by prepare() are included


def check(roster, options, today=None) -> dict | None:
    """Structure problems (a new chamber without seats...) surface without writing; None when all is well."""
    if not roster.has_errors:
        Sync(roster, options, write=False, today=today).prepare()
    if roster.has_errors:
        return Sync(roster, options, write=False, today=today).report.as_dict(roster)
    return None


def create_job(*, fmt: str, filename: str, files: dict, options: dict, report: dict, actor) -> ImportJob:
    job = ImportJob(
        created_by_id=actor.id if actor else None, created_at=utcnow(), format=fmt, filename=filename[:255],
        options=options, files=files, status="checked", report=report, progress_total=report["total"],
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


def run_step(job: ImportJob, actor, today: date | None = None) -> None:
    """Apply the next chunk of people. Re-applying a chunk is harmless: the import is idempotent."""
    roster = parse_roster(job.format, job.files, job.options, today)
    problems = check(roster, job.options, today)
    if problems is not None:
        job.status = "failed"
        job.report = problems
        return
    sync = Sync(roster, job.options, write=True, actor=actor, today=today)
    sync.prepare()
    start = job.progress_done
    stop = min(start + CHUNK, len(roster.persons))
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
        job.files = {}  # the uploaded text is no longer needed
        audit.record(
            "legislature.import", sync.legislature,
            new={"format": job.format, "file": job.filename, "job": job.id, "counts": result}, actor=actor,
        )
    db.session.flush()


def apply_all(fmt: str, files: dict, options: dict, *, actor=None, progress=None, today: date | None = None) -> dict:
    """Apply a whole import in the current transaction (CLI and demo). The caller commits or rolls back."""
    options = default_options(fmt, options)
    roster = parse_roster(fmt, files, options, today)
    problems = check(roster, options, today)
    if problems is not None:
        return problems
    sync = Sync(roster, options, write=True, actor=actor, today=today)
    sync.prepare()
    report = sync.run(progress=progress)
    audit.record("legislature.import", sync.legislature,
                 new={"format": fmt, "options": options, "counts": report["counts"]}, actor=actor)
    report["legislature_id"] = sync.legislature.id
    return report
