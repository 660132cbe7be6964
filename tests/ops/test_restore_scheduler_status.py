"""A restored instance does not claim a scheduler is running on the strength of a heartbeat from the backup."""

from sqlalchemy import text

from crm.extensions import db
from crm.reminders import scheduler as sched


def _backup_with_a_fresh_heartbeat(live, path):
    with live.app_context():
        lock = sched.acquire_lock("scheduler-at-backup-time")
        assert sched.scheduler_status()["running"]
    result = live.test_cli_runner().invoke(args=["crm", "backup", str(path)])
    assert result.exit_code == 0, result.output
    with live.app_context():
        lock.release()
        db.session.remove()


def test_a_restored_sqlite_instance_shows_no_running_scheduler(app_for, tmp_path):
    live = app_for(f"sqlite:///{tmp_path / 'live.sqlite3'}")
    _backup_with_a_fresh_heartbeat(live, tmp_path / "b.sqlite3")
    restored = app_for(f"sqlite:///{tmp_path / 'restored.sqlite3'}", create=False)
    result = restored.test_cli_runner().invoke(args=["crm", "restore", str(tmp_path / "b.sqlite3"), "--yes"])
    assert result.exit_code == 0, result.output
    with restored.app_context():
        assert sched.scheduler_status()["running"] is False
        # A scheduler can start at once instead of waiting for the copied lease to go stale.
        sched.acquire_lock("after-restore").release()


def test_on_postgres_only_a_held_advisory_lock_counts_as_running(app_for, new_postgres_database):
    app = app_for(new_postgres_database())
    with app.app_context():
        # A lease row with a fresh heartbeat but no lock held: what a restore (or a crash) leaves behind.
        lock = sched.acquire_lock("holder")
        assert sched.scheduler_status()["running"] is True
        db.session.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": lock.backend_pid})
        db.session.commit()
        status = sched.scheduler_status()
        assert status["holder"] == "holder" and status["running"] is False
        db.session.remove()

