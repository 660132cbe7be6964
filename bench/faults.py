"""Fault injection for the reminder pipeline, run in its production shape. Prints counts; exits 1 if a promise broke.

    .venv/bin/python bench/faults.py            # needs the PostgreSQL binaries (/usr/lib/postgresql/*/bin)

It starts its own PostgreSQL server, an SMTP server (aiosmtpd) that takes 100 ms per message, one scheduler
process and two sender processes (`flask crm scheduler`, `flask crm sender`), then, while mail flows:
1. kills a sender with SIGKILL while the SMTP server holds its message (during DATA), twice, restarting it;
2. restarts PostgreSQL in the middle of a batch;
3. answers every RCPT with 451 for 30 seconds;
4. refuses some recipients with 550 throughout;
5. queues a task whose title carries `\\r\\nReply-To: …`, and an old outbox row whose subject still does.
Then it waits until nothing is pending and prints: delivered + failed = enqueued, rows stuck, extra copies and
whether each is listed as possibly duplicated (at most one per kill), and whether the scheduler still runs and
still enqueues reminders after the database restart.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from crm.core.mail import enqueue_many, outbox_row  # noqa: E402
from crm.core.time import utcnow  # noqa: E402
from crm.extensions import db  # noqa: E402
from crm.reminders.models import OutboundEmail  # noqa: E402
from tests.conftest import make_app  # noqa: E402
from tests.ops.pg_server import PostgresServer  # noqa: E402
from tests.reminders.conftest import free_port  # noqa: E402
from tests.reminders.faults import SlowHandler, flagged_message_ids, outbox_counts, start_server  # noqa: E402

SETTINGS = {
    "CRM_SCHEDULER_TICK_SECONDS": "2", "CRM_MAIL_RETRY_BASE_SECONDS": "2", "CRM_MAIL_RETRY_MAX_SECONDS": "10",
    "CRM_MAIL_LEASE_SECONDS": "30", "CRM_SEND_BATCH": "20", "CRM_MAIL_MAX_ATTEMPTS": "20",
}


def log(text):
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


class Processes:
    def __init__(self, url, smtp_port, folder):
        self.env = {k: v for k, v in os.environ.items() if not k.startswith(("CRM_", "SMTP_", "FLASK_"))}
        self.env.update(SETTINGS, DATABASE_URL=url, CRM_ENV="development", CRM_INSTANCE_DIR=str(folder),
                        FLASK_APP="wsgi", SMTP_HOST="127.0.0.1", SMTP_PORT=str(smtp_port), SMTP_STARTTLS="false",
                        PYTHONUNBUFFERED="1")
        self.folder = folder
        self.count = 0

    def start(self, *args):
        self.count += 1
        out = open(self.folder / f"{args[0]}-{self.count}.log", "w")  # noqa: SIM115 - closed with the process
        return subprocess.Popen([sys.executable, "-m", "flask", "crm", *args], cwd=ROOT, env=self.env, stdout=out,
                                stderr=subprocess.STDOUT)


def enqueue(app, prefix, n, bounce_every=0):
    with app.app_context():
        rows = []
        for i in range(n):
            bounce = bounce_every and i % bounce_every == 0
            rows.append(outbox_row(key=f"{prefix}:{i}", kind="due_soon",
                                   recipient=f"{'bounce' if bounce else 'persona'}{i}.{prefix}@example.org",
                                   subject=f"Tarea {prefix} {i}", text=f"Texto {i}", html=f"<p>{i}</p>"))
        enqueue_many(rows)
        db.session.commit()
        db.session.remove()


def poisoned(app):
    """A task titled with a header injection (cleaned on input), and an old row still carrying one."""
    from crm.accounts.models import User
    from crm.outreach import operations

    with app.app_context():
        user = User(email="oficial@example.org", name="Oficial", role="officer", active=True, language="es_PE",
                    timezone="America/Lima", session_version=1, failed_logins=0, digest_hour=8, created_at=utcnow())
        db.session.add(user)
        db.session.flush()
        operations.create_task(actor=user, title="Llamar a la congresista\r\nReply-To: evil@example.org",
                               assignee_id=user.id, due_at=utcnow() + timedelta(hours=3))
        row = outbox_row(key="legacy:poisoned", kind="due_soon", recipient="legacy@example.org", subject="x", text="t")
        row["subject"] = "Tarea antigua\r\nReply-To: evil@example.org\nBcc: evil@example.org"
        db.session.execute(OutboundEmail.__table__.insert().values(row))
        user_id = user.id
        db.session.commit()
        db.session.remove()
        return user_id


def add_task(app, user_id, title):
    from crm.outreach.models import Task

    with app.app_context():
        now = utcnow()
        db.session.add(Task(title=title, due_at=now + timedelta(hours=2), status="open", priority="normal",
                            assignee_id=user_id, created_at=now))
        db.session.commit()
        db.session.remove()


def count(app, *where):
    with app.app_context():
        value = db.session.execute(select(func.count()).select_from(OutboundEmail).where(*where)).scalar_one()
        db.session.remove()
        return value


def wait_for(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise SystemExit(f"timed out waiting for {what}")
        time.sleep(0.01)


def main() -> int:
    server = PostgresServer()
    server.start()
    try:
        return run(server)
    finally:
        server.stop()


def run(server) -> int:
    folder = Path(tempfile.mkdtemp(prefix="cabildeo-faults."))
    url = server.url
    log(f"PostgreSQL on port {server.port}; logs in {folder}")
    handler = SlowHandler(delay=0.1)
    handler.refuse = lambda address: "550 5.1.1 No such user" if address.startswith("bounce") else None
    smtp_port = free_port()
    controller = start_server(handler, smtp_port)
    app = make_app(url, **{"MAIL_FILE_DIR": str(folder / "mail")})
    with app.app_context():
        db.create_all()
        db.session.remove()
    processes = Processes(url, smtp_port, folder)
    scheduler = processes.start("scheduler")
    senders = []
    kills = 0
    try:
        user_id = poisoned(app)
        wait_for(lambda: count(app, OutboundEmail.kind == "due_soon", OutboundEmail.user_id == user_id) >= 1, 60,
                 "the scheduler's first reminder")

        log("1. two SIGKILLs during DATA (one sender running)")
        enqueue(app, "kill", 150, bounce_every=25)
        senders.append(processes.start("sender", "--interval", "0.2"))
        for _ in range(2):
            wait_for(lambda k=kills: handler.in_data.is_set() and len(handler.messages) > 10 * (k + 1), 120, "DATA")
            senders[0].send_signal(signal.SIGKILL)
            senders[0].wait()
            kills += 1
            log(f"   killed a sender during DATA ({len(handler.messages)} messages received so far)")
            senders[0] = processes.start("sender", "--interval", "0.2")

        log("2. PostgreSQL restart in the middle of a batch (two senders, the scheduler)")
        senders.append(processes.start("sender", "--interval", "0.2"))
        enqueue(app, "restart", 200, bounce_every=40)
        wait_for(lambda: handler.in_data.is_set() and count(app, OutboundEmail.status == "sending") >= 10, 120,
                 "a batch in flight")
        server.restart(down_seconds=5)
        log("   PostgreSQL restarted (down for 5 s)")
        add_task(app, user_id, "Tarea creada después del reinicio")
        wait_for(lambda: count(app, OutboundEmail.kind == "due_soon", OutboundEmail.user_id == user_id) >= 2, 90,
                 "a reminder enqueued by the scheduler after the restart")
        log("   the scheduler enqueued a reminder after the restart")

        log("3. every RCPT answered 451 for 30 s")
        enqueue(app, "greylist", 150, bounce_every=50)
        handler.temporary = "451 4.7.1 Greylisted, try again later"
        time.sleep(30)
        handler.temporary = None
        log("   451 window over; waiting for the queue to empty")
        wait_for(lambda: count(app, OutboundEmail.status.in_(("pending", "sending"))) == 0, 600, "an empty queue")
        scheduler_running = scheduler.poll() is None
    finally:
        for process in [*senders, scheduler]:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in [*senders, scheduler]:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
    scheduler_status = scheduler.returncode

    with app.app_context():
        counts = outbox_counts()
        flagged = flagged_message_ids()
        enqueued = db.session.execute(select(func.count()).select_from(OutboundEmail)
                                      .where(OutboundEmail.status != "missed")).scalar_one()
        reasons = Counter(
            (error or "")[:70] for error in db.session.execute(
                select(OutboundEmail.last_error).where(OutboundEmail.status == "failed")).scalars()
        ).most_common(5)
        legacy = db.session.execute(select(OutboundEmail.status).where(OutboundEmail.idempotency_key == "legacy:poisoned")).scalar_one()
        db.session.remove()
        db.engine.dispose()
    controller.stop()

    copies = handler.copies()
    extra = {message_id: n - 1 for message_id, n in copies.items() if n > 1}
    unlisted = {message_id for message_id in extra if message_id not in flagged}
    injected = sum(1 for m in handler.messages if m["Reply-To"] or m["Bcc"])
    delivered, failed = counts.get("sent", 0), counts.get("failed", 0)
    stuck = counts.get("pending", 0) + counts.get("sending", 0)
    print()
    print(f"enqueued                          {enqueued}")
    print(f"delivered (sent)                  {delivered}")
    print(f"failed (550 and other 5xx)        {failed}")
    print(f"delivered + failed = enqueued     {delivered + failed == enqueued}")
    for reason, n in reasons:
        print(f"  failed because {reason!r}: {n}")
    print(f"stuck (pending or sending)        {stuck}")
    print(f"distinct messages received        {len(copies)}")
    print(f"extra copies received             {sum(extra.values())} (on {len(extra)} messages)")
    print(f"extra copies not listed           {len(unlisted)}  <- duplicates caused by the database restart or 451s")
    print(f"listed as possibly duplicated     {counts['possibly_duplicated']} (sender kills: {kills})")
    print(f"headers injected (Reply-To/Bcc)   {injected}; poisoned legacy row: {legacy}")
    print(f"scheduler still running           {scheduler_running} (exit status after SIGTERM: {scheduler_status})")
    ok = (delivered + failed == enqueued and stuck == 0 and not unlisted and max(extra.values(), default=0) <= 1
          and counts["possibly_duplicated"] <= kills and injected == 0 and legacy == "sent" and scheduler_running)
    print("RESULT", "ok" if ok else "BROKEN PROMISE")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
