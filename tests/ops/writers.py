"""Writers that run beside a test: in a thread of the test process, or in separate processes."""

import threading
import traceback

from sqlalchemy import func, select

from crm.audit.models import AuditEntry
from crm.core import audit
from crm.core.time import utcnow
from crm.extensions import db
from crm.outreach.models import Task


def write_one(label: str, n: int) -> None:
    """One transaction: a task and its audit row, committed together."""
    task = Task(title=f"{label} #{n}", created_at=utcnow(), status="open", priority="normal")
    db.session.add(task)
    db.session.flush()
    audit.record("test.write", task, new={"title": task.title})
    db.session.commit()


def consistent_pairs(connection) -> tuple[int, int]:
    """Tasks and their audit rows; equal in any transaction-consistent copy."""
    tasks = connection.execute(select(func.count(Task.id)).where(Task.title.like("% #%"))).scalar_one()
    audits = connection.execute(
        select(func.count(AuditEntry.id)).where(AuditEntry.action == "test.write")
    ).scalar_one()
    return tasks, audits


class BackgroundWriter(threading.Thread):
    """Keeps committing small transactions until stopped; remembers any failure."""

    def __init__(self, app, label="background"):
        super().__init__(daemon=True)
        self.app, self.label = app, label
        self.stop = threading.Event()
        self.written = 0
        self.errors: list[str] = []

    def run(self):
        with self.app.app_context():
            try:
                while not self.stop.is_set():
                    write_one(self.label, self.written)
                    self.written += 1
            except Exception:  # noqa: BLE001 - reported by the test, never swallowed
                self.errors.append(traceback.format_exc())
            finally:
                db.session.remove()


def process_writer(url: str, label: str, count: int, start, results) -> None:
    """Entry point of one writer process: its own app on the shared database, `count` transactions."""
    from config import TestingConfig
    from crm import create_app

    app = create_app(TestingConfig(SQLALCHEMY_DATABASE_URI=url, ACCESS_LOG=False))
    failures = []
    start.wait(timeout=60)
    with app.app_context():
        for n in range(count):
            try:
                write_one(label, n)
            except Exception as error:  # noqa: BLE001 - counted and reported to the parent
                db.session.rollback()
                failures.append(f"{type(error).__name__}: {error}")
        db.session.remove()
        db.engine.dispose()
    results.put((label, failures))
