"""Several processes and connections: two senders at once, one scheduler only, restarts, web workers."""

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from crm.core.mail import enqueue_many, outbox_row
from crm.core.time import utcnow
from crm.extensions import db
from crm.reminders import scheduler as sched
from crm.reminders import sender
from crm.reminders.models import OutboundEmail
from tests.conftest import make_app
from tests.reminders.conftest import smtp_settings

ROOT = Path(__file__).resolve().parents[2]


def _fill(app, n):
    with app.app_context():
        enqueue_many([
            outbox_row(key=f"due_soon:{i}:20260504T190000Z", kind="due_soon", recipient=f"p{i}@example.org",
                       subject=f"Tarea {i}", text=f"Texto {i}", html=f"<p>{i}</p>")
            for i in range(n)
        ])
        db.session.commit()


def test_500_reminders_two_senders_at_once_arrive_exactly_once(isolated_app, smtp_server):
    _fill(isolated_app, 500)
    url = isolated_app.config["SQLALCHEMY_DATABASE_URI"]
    results, errors = {}, []

    # Build both apps here: Python 3.11's ast.parse, which Werkzeug uses to compile routes, is not thread-safe,
    # and creating apps is not what this test is about.
    apps = {f"sender-{i}": make_app(url, SEND_BATCH=25, **smtp_settings(smtp_server.port)) for i in (1, 2)}

    def run(name):
        app = apps[name]
        try:
            with app.app_context():
                results[name] = sender.deliver_all(owner=name)
                db.session.remove()
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            with app.app_context():
                db.engine.dispose()

    threads = [threading.Thread(target=run, args=(f"sender-{i}",)) for i in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not [thread.name for thread in threads if thread.is_alive()], "a sender was still running after 300 s"
    assert not errors
    ids = smtp_server.message_ids()
    assert len(ids) == 500 and len(set(ids)) == 500
    assert results["sender-1"].sent + results["sender-2"].sent == 500
    # Both senders really took part.
    assert results["sender-1"].sent > 0 and results["sender-2"].sent > 0
    with isolated_app.app_context():
        statuses = dict(db.session.execute(select(OutboundEmail.status, func.count()).group_by(OutboundEmail.status)).all())
        expected = set(db.session.execute(select(OutboundEmail.message_id)).scalars())
    assert statuses == {"sent": 500}
    assert set(ids) == expected


def test_only_one_scheduler_holds_the_lock(isolated_app):
    url = isolated_app.config["SQLALCHEMY_DATABASE_URI"]
    other = make_app(url)
    with isolated_app.app_context():
        first = sched.acquire_lock("first")
    try:
        with other.app_context():
            with pytest.raises(sched.SchedulerAlreadyRunning, match="first"):
                sched.acquire_lock("second")
        result = other.test_cli_runner().invoke(args=["crm", "scheduler"])
        assert result.exit_code == 1
        assert "Another scheduler is already running" in result.output
    finally:
        with isolated_app.app_context():
            first.release()
    with other.app_context():
        second = sched.acquire_lock("second")
        assert sched.scheduler_status()["holder"] == "second"
        second.release()
        db.engine.dispose()


def test_a_dead_schedulers_lock_is_freed_on_postgres(isolated_app):
    with isolated_app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL advisory lock")
        crashed = sched.acquire_lock("crashed")
        assert crashed.still_held()
        with pytest.raises(sched.SchedulerAlreadyRunning):
            sched.acquire_lock("new")
        # Its connection dies (server restart, network): the server drops the advisory lock with it,
        # and the old scheduler learns so at its next heartbeat.
        db.session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": crashed.backend_pid})
        db.session.commit()
        assert not crashed.still_held()
        lock = sched.acquire_lock("new")
        assert sched.scheduler_status()["holder"] == "new"
        lock.release()


def test_a_stale_sqlite_lease_can_be_taken_over(isolated_app):
    with isolated_app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("on PostgreSQL the advisory lock ends with the holder's connection")
        start = utcnow()
        sched.acquire_lock("crashed", now=start)
        with pytest.raises(sched.SchedulerAlreadyRunning):
            sched.acquire_lock("new", now=start + timedelta(seconds=90))
        lock = sched.acquire_lock("new", now=start + timedelta(minutes=3))
        # The crashed one, if it wakes up, learns from its heartbeat that it must stop.
        assert sched.refresh_lease("crashed") is False
        assert sched.refresh_lease("new") is True
        lock.release()


def test_three_restarts_keep_the_same_job_list(tmp_path, isolated_app):
    from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore

    store_url = f"sqlite:///{tmp_path / 'jobs.sqlite3'}"
    seen = []
    for _restart in range(4):
        # A persistent job store remembers the previous run's jobs; fixed ids replace them instead of adding copies.
        scheduler = sched.build_scheduler(isolated_app, "test", blocking=False, jobstore=SQLAlchemyJobStore(url=store_url))
        scheduler.start(paused=True)
        sched.register_jobs(scheduler)
        seen.append(sched.describe_jobs(scheduler))
        scheduler.shutdown(wait=False)
    assert seen[0] == seen[1] == seen[2] == seen[3]
    assert [job_id for job_id, _n, _t in seen[0]] == sorted(job_id for job_id, _f, _t in sched.JOBS)


def _env(database_url, tmp_path):
    env = dict(os.environ)
    env.update({
        "DATABASE_URL": database_url, "CRM_INSTANCE_DIR": str(tmp_path / "instance"), "SMTP_HOST": "",
        "FLASK_APP": "wsgi", "CRM_ENV": "development", "PYTHONUNBUFFERED": "1",
    })
    return env


def _start(args, env):
    return subprocess.Popen([sys.executable, "-m", "flask", "crm", *args], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _wait_for_line(process, needle, timeout=30):
    deadline = time.monotonic() + timeout
    seen = []
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if not line:
            break
        seen.append(line)
        if needle in line:
            return "".join(seen)
    raise AssertionError(f"{needle!r} not printed; got: {''.join(seen)}")


@pytest.mark.slow
def test_scheduler_and_sender_processes(isolated_app, tmp_path):
    """`flask crm scheduler` runs in the foreground; a second one exits 1; the sender writes .eml files."""
    env = _env(isolated_app.config["SQLALCHEMY_DATABASE_URI"], tmp_path)
    first = _start(["scheduler"], env)
    sender_process = None
    try:
        _wait_for_line(first, "started")
        second = subprocess.run([sys.executable, "-m", "flask", "crm", "scheduler"], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=60)
        assert second.returncode == 1
        assert "Another scheduler is already running" in second.stdout + second.stderr

        _fill(isolated_app, 3)
        sender_process = _start(["sender", "--interval", "0.2"], env)
        _wait_for_line(sender_process, "sent 3")
        assert len(list((tmp_path / "instance" / "mail").glob("*.eml"))) == 3
    finally:
        for process in (first, sender_process):
            if process is not None and process.poll() is None:
                process.send_signal(signal.SIGTERM)
    codes = []
    for process in (first, sender_process):
        if process is not None:
            codes.append(process.wait(timeout=20))
            process.stdout.close()
    assert codes == [0, 0]
    with isolated_app.app_context():
        # Stopping releases the lease, so the next start is immediate.
        assert sched.scheduler_status()["holder"] is None


def test_creating_the_app_starts_no_scheduler(tmp_path):
    """Web workers import wsgi; that must not import APScheduler, let alone start it."""
    code = "import sys, threading, wsgi; print('apscheduler' in sys.modules, threading.active_count())"
    env = _env(f"sqlite:///{tmp_path / 'web.sqlite3'}", tmp_path)
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert result.stdout.split() == ["False", "1"], result.stderr


def test_scheduler_jobs_commit_their_rows_and_heartbeat(isolated_app, tmp_path):
    from crm.accounts.models import User
    from crm.outreach.models import Task

    now = utcnow()
    with isolated_app.app_context():
        user = User(email="o@example.org", name="O", role="officer", active=True, language="es_PE",
                    timezone="America/Lima", session_version=1, failed_logins=0, digest_hour=8, created_at=now)
        db.session.add(user)
        db.session.flush()
        db.session.add(Task(title="Llamar", due_at=now + timedelta(hours=1), status="open", priority="normal",
                            assignee_id=user.id, created_at=now))
        db.session.commit()
        lock = sched.acquire_lock("job-test", now=now - timedelta(seconds=40))
    sched.build_scheduler(isolated_app, "job-test", blocking=False)
    sched.run_job("run_due_soon")
    sched.run_job("run_due_soon")
    sched.run_job("heartbeat")
    with isolated_app.app_context():
        keys = db.session.execute(select(OutboundEmail.kind)).scalars().all()
        assert keys == ["due_soon"]
        status = sched.scheduler_status()
        assert status["running"] and status["heartbeat_at"] > now - timedelta(seconds=5)
        lock.release()
