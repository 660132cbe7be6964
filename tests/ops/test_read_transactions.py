"""On SQLite, reads begin deferred and never take the write lock; writes still take it up front."""

import sqlite3
import threading

import pytest
from sqlalchemy import func, select

from crm.accounts import operations as accounts
from crm.accounts.models import User
from crm.core.database import DeferredWriteWarning, reading_only, writing
from crm.extensions import db
from tests.conftest import make_app


@pytest.fixture
def sqlite_app(isolated_app):
    url = isolated_app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("sqlite"):
        pytest.skip("deferred and immediate transactions are SQLite's; PostgreSQL never locks the database")
    # The same committed database with a short busy timeout: a reader queueing for the write lock would fail.
    application = make_app(url, SQLITE_BUSY_TIMEOUT_MS=300)
    with application.app_context():
        accounts.create_user(email="lectora@example.org", name="Lucía Lectora", role="officer",
                             password="una frase bastante larga")
        db.session.commit()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def _lock_is_free(path: str) -> bool:
    """Whether another connection could take the write lock right now."""
    probe = sqlite3.connect(path, timeout=0.05, isolation_level=None)
    try:
        probe.execute("BEGIN IMMEDIATE")
        probe.execute("ROLLBACK")
        return True
    except sqlite3.OperationalError as error:
        assert "locked" in str(error)
        return False
    finally:
        probe.close()


def _path(app) -> str:
    return app.config["SQLALCHEMY_DATABASE_URI"].split("sqlite:///", 1)[1]


def test_two_long_reads_run_at_the_same_time(sqlite_app):
    """Each GET holds its read transaction open while the other one reads; a writer commits meanwhile."""
    both_reading = threading.Barrier(3, timeout=10)
    written = threading.Barrier(3, timeout=10)
    seen, errors = {}, []

    def reader(name):
        with sqlite_app.test_request_context("/tasks", method="GET"):
            try:
                first = db.session.scalar(select(func.count()).select_from(User))
                both_reading.wait()  # the other reader's transaction is open too
                written.wait()
                # Still the snapshot this transaction began with: a reader is never disturbed by a writer.
                seen[name] = (first, db.session.scalar(select(func.count()).select_from(User)))
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(repr(error))
                both_reading.abort()
                written.abort()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=reader, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    both_reading.wait()
    assert _lock_is_free(_path(sqlite_app))
    with sqlite_app.test_request_context("/admin/users/invite", method="POST"):
        accounts.create_user(email="nueva@example.org", name="Nora Nueva", role="officer",
                             password="una frase bastante larga")
        db.session.commit()
    written.wait()
    for thread in threads:
        thread.join(timeout=10)
    assert errors == []
    assert seen == {"a": (1, 1), "b": (1, 1)}
    with sqlite_app.app_context():
        assert db.session.scalar(select(func.count()).select_from(User)) == 2


@pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
def test_a_writing_request_takes_the_lock_before_its_first_read(sqlite_app, method):
    with sqlite_app.test_request_context("/tasks", method=method):
        db.session.scalar(select(func.count()).select_from(User))
        assert not _lock_is_free(_path(sqlite_app))
        db.session.rollback()
        assert _lock_is_free(_path(sqlite_app))


def test_read_requests_and_read_only_commands_leave_the_lock_free(sqlite_app):
    for method in ("GET", "HEAD"):
        with sqlite_app.test_request_context("/tasks", method=method):
            db.session.scalar(select(func.count()).select_from(User))
            assert _lock_is_free(_path(sqlite_app))
            db.session.rollback()
    with sqlite_app.app_context(), reading_only():
        db.session.scalar(select(func.count()).select_from(User))
        assert _lock_is_free(_path(sqlite_app))
        db.session.rollback()


def test_commands_and_jobs_take_the_lock_up_front(sqlite_app):
    with sqlite_app.app_context():
        db.session.scalar(select(func.count()).select_from(User))
        assert not _lock_is_free(_path(sqlite_app))
        db.session.rollback()


def test_a_read_request_that_says_it_writes_takes_the_lock(sqlite_app):
    with sqlite_app.test_request_context("/tasks", method="GET"):
        with writing():
            user = db.session.scalar(select(User))
            assert not _lock_is_free(_path(sqlite_app))
            user.name = "Lucía Lectora Ruiz"
            db.session.commit()
        db.session.scalar(select(func.count()).select_from(User))
        assert _lock_is_free(_path(sqlite_app))
        db.session.rollback()


def test_a_read_request_that_writes_unannounced_is_caught(sqlite_app):
    with sqlite_app.test_request_context("/tasks", method="GET"):
        user = db.session.scalar(select(User))
        user.name = "Sin aviso"
        with pytest.warns(DeferredWriteWarning, match="GET outreach"):
            db.session.flush()
        db.session.rollback()
