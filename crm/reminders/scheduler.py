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

from crm.core.leases import new_owner
from crm.core.logging import error_reason, process_echo
from crm.core.time import utcnow
from crm.extensions import db
from crm.reminders import jobs
from crm.reminders.models import ProcessLock

log = logging.getLogger(__name__)

LOCK_NAME = "scheduler"
# Any fixed 64-bit number works; this one spells "cabildeo" in ASCII so it is recognisable in pg_locks.
ADVISORY_LOCK_KEY = 0x636162696C64656F % (2**63)
HEARTBEAT_SECONDS = 30
STALE_AFTER = timedelta(minutes=2)

# (job id, function in crm.reminders.jobs, interval in ticks of SCHEDULER_TICK_SECONDS, 60 s by default).
# Fixed ids + replace_existing: a restart replaces each job instead of adding a copy, even with a persistent
# job store. The heartbeat runs every half tick (30 s by default).
JOBS = (
    ("reminders.heartbeat", "heartbeat", 0.5),
    ("reminders.due_soon", "run_due_soon", 1),
    ("reminders.overdue", "run_overdue", 1),
    ("reminders.meetings", "run_meetings", 1),
    ("reminders.digests", "run_digests", 1),
    ("reminders.weekly", "run_weekly", 5),
    ("reminders.purge", "purge_old_mail", 360),
)


class SchedulerAlreadyRunning(RuntimeError):
    pass


@dataclass
class SchedulerLock:
    holder: str
    connection: object | None = None  # the PostgreSQL connection that holds the advisory lock
    backend_pid: int | None = None  # its server process; a reconnect would get another one, without the lock
    lost: bool = False  # the lock's connection died and it has not been taken again yet

    def still_held(self) -> bool:
        """On PostgreSQL the lock lives as long as its connection; if that died, another scheduler may start."""
        if self.lost:
            return False
        if self.connection is None:
            return True
        try:
            pid = self.connection.execute(text("SELECT pg_backend_pid()")).scalar()
            self.connection.commit()
        except DBAPIError:
            return False
        return pid == self.backend_pid

    def retake(self) -> str:
        """After the lock's connection died (a database restart): reconnect and take the lock again.

        Returns "held" (we have it again), "taken" (another scheduler has it: this one must stop) or "down"
        (the database does not answer yet: try again at the next heartbeat).
        """
        self._drop_connection()
        try:
            connection, got, pid = _try_advisory_lock()
        except DBAPIError as error:
            self.lost = True
            log.warning("scheduler: the database is unreachable, will try to take the lock again: %s", error_reason(error))
            return "down"
        if not got:
            connection.close()
            self.lost = True
            return "taken"
        self.connection, self.backend_pid, self.lost = connection, pid, False
        _write_lease(self.holder, utcnow(), force=True)
        log.warning("scheduler: reconnected to the database and took the lock again")
        return "held"

    def _drop_connection(self) -> None:
        if self.connection is not None:
            try:
                self.connection.invalidate()
                self.connection.close()
            except DBAPIError:
                pass
            self.connection = None

    def release(self) -> None:
        if self.connection is not None:
            try:
                self.connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_LOCK_KEY})
                self.connection.commit()
            except DBAPIError as error:
                log.warning("scheduler: could not release the advisory lock (it ends with the connection): %s", error_reason(error))
            finally:
                self._drop_connection()
        try:
            db.session.execute(delete(ProcessLock).where(ProcessLock.name == LOCK_NAME, ProcessLock.holder == self.holder))
            db.session.commit()
        except DBAPIError as error:
            db.session.rollback()
            log.warning("scheduler: could not remove its lease row: %s", error_reason(error))


def _try_advisory_lock():
    connection = db.engine.connect()
    try:
        got = connection.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_LOCK_KEY}).scalar()
        pid = connection.execute(text("SELECT pg_backend_pid()")).scalar()
        # The lock belongs to the session, not the transaction: committing keeps it and avoids an idle transaction.
        connection.commit()
    except Exception:
        connection.invalidate()
        connection.close()
        raise
    return connection, got, pid


def acquire_lock(holder: str | None = None, *, now: datetime | None = None) -> SchedulerLock:
    """Take the single-scheduler lock or raise SchedulerAlreadyRunning with who holds it."""
    holder = holder or new_owner()
    now = now or utcnow()
    if db.engine.dialect.name == "postgresql":
        connection, got, pid = _try_advisory_lock()
        if not got:
            connection.close()
            current = db.session.get(ProcessLock, LOCK_NAME)
            db.session.rollback()
            raise SchedulerAlreadyRunning(current.holder if current else "unknown")
        _write_lease(holder, now, force=True)
        return SchedulerLock(holder=holder, connection=connection, backend_pid=pid)
    _write_lease(holder, now, force=False)
    return SchedulerLock(holder=holder)


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


def _advisory_lock_held() -> bool:
    """Whether some session of this database holds the scheduler's advisory lock right now (PostgreSQL)."""
    return bool(
        db.session.execute(
            text(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = :high"
                " AND objid = :low AND objsubid = 1"
                " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            ),
            {"high": ADVISORY_LOCK_KEY >> 32, "low": ADVISORY_LOCK_KEY & 0xFFFFFFFF},
        ).scalar()
    )


def scheduler_status(now: datetime | None = None) -> dict:
    """For the admin page: who holds the lease and whether its heartbeat is recent.

    On PostgreSQL "running" also needs the advisory lock to be held now: a lease row restored from a backup
    carries a recent heartbeat that no running scheduler wrote.
    """
    now = now or utcnow()
    row = db.session.get(ProcessLock, LOCK_NAME)
    if row is None:
        return {"running": False, "holder": None, "heartbeat_at": None}
    running = row.heartbeat_at >= now - STALE_AFTER
    if running and db.session.get_bind().dialect.name == "postgresql":
        running = _advisory_lock_held()
    return {"running": running, "holder": row.holder, "heartbeat_at": row.heartbeat_at}


# --- APScheduler wiring -----------------------------------------------------------------------------

_app: Flask | None = None
_holder: str | None = None
_lock: SchedulerLock | None = None
_on_lost_lease = None
# Why the scheduler stopped on its own (another one took over), printed as its last line; exit status 1.
_stopped_because: str | None = None


def _heartbeat() -> None:
    """Keep the lock: after a database restart take it again; stop only if another scheduler has it."""
    if _lock is not None and not _lock.still_held():
        state = _lock.retake()
        if state == "down":
            return
        if state == "taken":
            _stop(f"another scheduler took the lock while the database connection was down ({_current_holder()})")
            return
    if refresh_lease(_holder):
        return
    if _lock is not None and _lock.connection is not None:
        # PostgreSQL: the advisory lock is ours, so the lease row is just out of date (a restore replaced it).
        _write_lease(_holder, utcnow(), force=True)
        return
    _stop(f"another scheduler took the lease over ({_current_holder()})")


def _current_holder() -> str:
    try:
        row = db.session.get(ProcessLock, LOCK_NAME)
        return row.holder if row else "unknown"
    except DBAPIError:
        db.session.rollback()
        return "unknown"


def _stop(reason: str) -> None:
    global _stopped_because
    _stopped_because = reason
    log.error("scheduler stopping: %s", reason)
    if _on_lost_lease:
        _on_lost_lease()


def run_job(name: str) -> None:
    """Entry point APScheduler calls: one app context and one commit per job run."""
    assert _app is not None, "the scheduler app is not set"
    with _app.app_context():
        try:
            if name == "heartbeat":
                _heartbeat()
                return
            if _lock is not None and _lock.lost:
                return  # not ours until the heartbeat takes the lock again
            getattr(jobs, name)()
            db.session.commit()
        except DBAPIError as error:
            # A database restart: the pool replaces the dead connections and the next run goes on.
            db.session.rollback()
            log.warning("job %s failed, the database is unavailable: %s", name, error_reason(error))
        except Exception:
            db.session.rollback()
            log.exception("job %s failed", name)
        finally:
            db.session.remove()


def register_jobs(scheduler, *, start_now: bool = False, tick: float = 60) -> list:
    extra = {"next_run_time": utcnow()} if start_now else {}
    for job_id, function, ticks in JOBS:
        trigger = {"trigger": "interval", "seconds": max(1.0, ticks * tick)}
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
    from apscheduler.executors.pool import ThreadPoolExecutor

    cls = BlockingScheduler if blocking else BackgroundScheduler
    # Three jobs at a time: with the lock's connection the scheduler never needs more than the pool's 5.
    options = {"timezone": "UTC", "executors": {"default": ThreadPoolExecutor(3)}}
    if jobstore is not None:
        options["jobstores"] = {"default": jobstore}
    return cls(**options)


def describe_jobs(scheduler) -> list[tuple[str, str, str]]:
    return sorted((job.id, job.name, str(job.trigger)) for job in scheduler.get_jobs())


def run_scheduler(app: Flask, echo=print) -> int:
    """Hold the lock, run the jobs in the foreground until SIGINT/SIGTERM. Returns the exit status:
    0 when stopped, 1 when another scheduler holds (or took over) the lock."""
    echo = process_echo(echo)
    try:
        lock = acquire_lock()
    except SchedulerAlreadyRunning as error:
        echo(f"Another scheduler is already running ({error}). Only one may run; this one exits.")
        return 1
    global _on_lost_lease, _lock, _stopped_because
    _lock, _stopped_because = lock, None
    scheduler = build_scheduler(app, lock.holder)
    # Every job runs once right away, so a restart catches up without waiting a full interval.
    register_jobs(scheduler, start_now=True, tick=app.config.get("SCHEDULER_TICK_SECONDS", 60))
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
            if _stopped_because is None:
                lock.release()
            else:
                lock._drop_connection()
    if _stopped_because is not None:
        echo(f"Scheduler stopped: {_stopped_because}.")
        return 1
    echo("Scheduler stopped.")
    return 0
