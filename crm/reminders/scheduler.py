"""The scheduler process: one per installation, never inside a web worker.

Only `flask crm scheduler` imports this module, so creating the app (gunicorn, `flask run`) never starts jobs.
On PostgreSQL a session-level advisory lock held on a dedicated connection keeps a second scheduler out; on
SQLite a lease row (holder + heartbeat) does, refreshed by a job and taken over only when it has gone stale.
"""

import logging
import signal
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import Flask
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from crm.core.time import utcnow
from crm.extensions import db
from crm.reminders import jobs
from crm.reminders.models import ProcessLock
from crm.reminders.sender import new_owner

log = logging.getLogger(__name__)

LOCK_NAME = "scheduler"
# Any fixed 64-bit number works; this one spells "cabildeo" in ASCII so it is recognisable in pg_locks.
ADVISORY_LOCK_KEY = 0x636162696C64656F % (2**63)
HEARTBEAT_SECONDS = 30
STALE_AFTER = timedelta(minutes=2)

# (job id, function in crm.reminders.jobs, trigger arguments). Fixed ids + replace_existing: a restart
# replaces each job instead of adding a copy, even with a persistent job store.
JOBS = (
    ("reminders.heartbeat", "heartbeat", {"trigger": "interval", "seconds": HEARTBEAT_SECONDS}),
    ("reminders.due_soon", "run_due_soon", {"trigger": "interval", "minutes": 1}),
    ("reminders.overdue", "run_overdue", {"trigger": "interval", "minutes": 1}),
    ("reminders.meetings", "run_meetings", {"trigger": "interval", "minutes": 1}),
    ("reminders.digests", "run_digests", {"trigger": "interval", "minutes": 1}),
    ("reminders.weekly", "run_weekly", {"trigger": "interval", "minutes": 5}),
    ("reminders.purge", "purge_old_mail", {"trigger": "interval", "hours": 6}),
)


class SchedulerAlreadyRunning(RuntimeError):
    pass


@dataclass
class SchedulerLock:
    holder: str
    connection: object | None = None  # the PostgreSQL connection that holds the advisory lock
    backend_pid: int | None = None  # its server process; a reconnect would get another one, without the lock

    def still_held(self) -> bool:
        """On PostgreSQL the lock lives as long as its connection; if that died, another scheduler may start."""
        if self.connection is None:
            return True
        try:
            pid = self.connection.execute(text("SELECT pg_backend_pid()")).scalar()
            self.connection.commit()
        except DBAPIError:
            return False
        return pid == self.backend_pid

    def release(self) -> None:
        if self.connection is not None:
            try:
                self.connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_LOCK_KEY})
                self.connection.commit()
            finally:
                self.connection.close()
                self.connection = None
        db.session.execute(delete(ProcessLock).where(ProcessLock.name == LOCK_NAME, ProcessLock.holder == self.holder))
        db.session.commit()


def acquire_lock(holder: str | None = None, *, now: datetime | None = None) -> SchedulerLock:
    """Take the single-scheduler lock or raise SchedulerAlreadyRunning with who holds it."""
    holder = holder or new_owner()
    now = now or utcnow()
    connection = None
    if db.engine.dialect.name == "postgresql":
        connection = db.engine.connect()
        got = connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_LOCK_KEY}).scalar()
        backend_pid = connection.execute(text("SELECT pg_backend_pid()")).scalar()
        # The lock belongs to the session, not the transaction: committing keeps it and avoids an idle transaction.
        connection.commit()
        if not got:
            connection.close()
            current = db.session.get(ProcessLock, LOCK_NAME)
            db.session.rollback()
            raise SchedulerAlreadyRunning(current.holder if current else "unknown")
        _write_lease(holder, now, force=True)
    else:
        _write_lease(holder, now, force=False)
    return SchedulerLock(holder=holder, connection=connection, backend_pid=backend_pid if connection else None)


def _write_lease(holder: str, now: datetime, *, force: bool) -> None:
    try:
        # On SQLite the write lock is taken at BEGIN, so this read-then-write cannot interleave with another scheduler.
        current = db.session.execute(select(ProcessLock).where(ProcessLock.name == LOCK_NAME)).scalar_one_or_none()
        if current is None:
            db.session.add(ProcessLock(name=LOCK_NAME, holder=holder, heartbeat_at=now))
        elif force or current.holder == holder or current.heartbeat_at < now - STALE_AFTER:
            if current.holder != holder:
                log.warning("taking over the scheduler lease from %s (last heartbeat %s)", current.holder, current.heartbeat_at)
            current.holder = holder
            current.heartbeat_at = now
        else:
            raise SchedulerAlreadyRunning(f"{current.holder}, last heartbeat {current.heartbeat_at:%Y-%m-%d %H:%M:%S} UTC")
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise


def refresh_lease(holder: str, *, now: datetime | None = None) -> bool:
    """Heartbeat; False means another scheduler took the lease over, so this one must stop."""
    result = db.session.execute(
        update(ProcessLock)
        .where(ProcessLock.name == LOCK_NAME, ProcessLock.holder == holder)
        .values(heartbeat_at=now or utcnow()),
        execution_options={"synchronize_session": False},
    )
    db.session.commit()
    return result.rowcount == 1


def scheduler_status(now: datetime | None = None) -> dict:
    """For the admin page: who holds the lease and whether its heartbeat is recent."""
    now = now or utcnow()
    row = db.session.get(ProcessLock, LOCK_NAME)
    if row is None:
        return {"running": False, "holder": None, "heartbeat_at": None}
    return {"running": row.heartbeat_at >= now - STALE_AFTER, "holder": row.holder, "heartbeat_at": row.heartbeat_at}


# --- APScheduler wiring -----------------------------------------------------------------------------

_app: Flask | None = None
_holder: str | None = None
_lock: SchedulerLock | None = None
_on_lost_lease = None


def run_job(name: str) -> None:
    """Entry point APScheduler calls: one app context and one commit per job run."""
    assert _app is not None, "the scheduler app is not set"
    with _app.app_context():
        try:
            if name == "heartbeat":
                if not ((_lock is None or _lock.still_held()) and refresh_lease(_holder)):
                    log.error("this scheduler lost its lock (taken over, or its database connection died); stopping")
                    if _on_lost_lease:
                        _on_lost_lease()
                return
            getattr(jobs, name)()
            db.session.commit()
        except Exception:
            db.session.rollback()
            log.exception("job %s failed", name)
        finally:
            db.session.remove()


def register_jobs(scheduler, *, start_now: bool = False) -> list:
    extra = {"next_run_time": utcnow()} if start_now else {}
    for job_id, function, trigger in JOBS:
        scheduler.add_job(
            run_job,
            id=job_id,
            name=job_id,
            args=[function],
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            misfire_grace_time=60,
            **trigger,
            **extra,
        )
    return scheduler.get_jobs()


def build_scheduler(app: Flask, holder: str, *, blocking: bool = True, jobstore=None):
    from apscheduler.schedulers.background import BackgroundScheduler
    from apscheduler.schedulers.blocking import BlockingScheduler

    global _app, _holder
    _app, _holder = app, holder
    # APScheduler logs every job run at INFO: once a minute per job is noise.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    cls = BlockingScheduler if blocking else BackgroundScheduler
    jobstores = {"default": jobstore} if jobstore is not None else None
    scheduler = cls(timezone="UTC", jobstores=jobstores) if jobstores else cls(timezone="UTC")
    return scheduler


def describe_jobs(scheduler) -> list[tuple[str, str, str]]:
    return sorted((job.id, job.name, str(job.trigger)) for job in scheduler.get_jobs())


def run_scheduler(app: Flask, echo=print) -> int:
    """Hold the lock, run the jobs in the foreground until SIGINT/SIGTERM. Returns the exit status."""
    try:
        lock = acquire_lock()
    except SchedulerAlreadyRunning as error:
        echo(f"Another scheduler is already running ({error}). Only one may run; this one exits.")
        return 1
    global _on_lost_lease, _lock
    _lock = lock
    scheduler = build_scheduler(app, lock.holder)
    # Every job runs once right away, so a restart catches up without waiting a full interval.
    register_jobs(scheduler, start_now=True)
    stopping = threading.Event()

    def stop(*_args):
        if not stopping.is_set():
            stopping.set()
            scheduler.shutdown(wait=False)

    _on_lost_lease = stop
    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    echo(f"Scheduler {lock.holder} started with jobs: {', '.join(job_id for job_id, _f, _t in JOBS)}")
    try:
        scheduler.start()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        if scheduler.running:
            scheduler.shutdown(wait=False)
        with app.app_context():
            lock.release()
        echo("Scheduler stopped.")
    return 0
