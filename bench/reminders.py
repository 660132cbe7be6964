"""Reminder benchmark: delivery throughput and digest cost.

    .venv/bin/python bench/reminders.py                      # SQLite in a temporary folder
    .venv/bin/python bench/reminders.py --database postgresql+psycopg://postgres@127.0.0.1:5433/bench

1. Delivery: 10,000 due-soon reminders (written by the real job from 10,000 tasks) delivered to a local aiosmtpd
   server running in its own process, by several sender processes at once. Prints messages/second and
   received ÷ enqueued, which must be exactly 1.000 (no loss, no duplicate).
2. Digests: 200 users over a 7,386-legislator data set (sitting members, 200,000 stance assessments,
   interactions, tasks). Prints the time to build and enqueue every digest and the number of SQL statements.
"""

import argparse
import multiprocessing
import os
import random
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

SPAWN = multiprocessing.get_context("spawn")
NOW = datetime(2026, 5, 4, 13, 0, tzinfo=UTC)  # 08:00 in Lima, a Monday


def make_app(url: str, **overrides):
    from config import TestingConfig
    from crm import create_app

    return create_app(TestingConfig(SQLALCHEMY_DATABASE_URI=url, **overrides))


@contextmanager
def counting(engine):
    from sqlalchemy import event

    statements = []

    def listener(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listener)


# --- SMTP server in its own process -----------------------------------------------------------------


def smtp_server(port, ready, stop, results):
    import asyncio  # noqa: F401 - aiosmtpd needs it loaded in this process

    from aiosmtpd.controller import Controller

    class Handler:
        def __init__(self):
            self.ids = []

        async def handle_DATA(self, server, session, envelope):
            for line in envelope.content.split(b"\r\n"):
                if line.lower().startswith(b"message-id:"):
                    self.ids.append(line.split(b":", 1)[1].strip().decode())
                    break
            else:
                self.ids.append(None)
            return "250 OK"

    handler = Handler()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    stop.wait()
    controller.stop()
    results.put(handler.ids)


def sender_process(url, port, name, done):
    app = make_app(url, SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_STARTTLS=False, SEND_BATCH=100)
    from crm.reminders import sender

    with app.app_context():
        stats = sender.deliver_all(owner=name)
    done.put((name, stats.sent, stats.retried, stats.failed))


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- data -------------------------------------------------------------------------------------------


def reset(app):
    from crm.extensions import db

    with app.app_context():
        db.drop_all()
        db.create_all()


def insert(table, rows, chunk=5000):
    from crm.extensions import db

    for i in range(0, len(rows), chunk):
        db.session.execute(table.insert(), rows[i : i + chunk])


def add_users(n, created_at):
    from crm.accounts.models import User

    rows = [
        dict(
            id=i + 1, email=f"persona{i + 1}@example.org", name=f"Persona {i + 1}",
            role="director" if i % 20 == 0 else "officer", active=True, language="en" if i % 5 == 0 else "es_PE",
            timezone="America/Lima" if i % 3 else "America/New_York", session_version=1, failed_logins=0,
            digest_hour=8, created_at=created_at, notify_due_soon=True, notify_overdue=True, notify_meetings=True,
            notify_digest=True, notify_weekly=True, is_demo=False,
        )
        for i in range(n)
    ]
    insert(User.__table__, rows)
    return [r["id"] for r in rows]


def build_delivery_data(app, messages, users):
    from crm.extensions import db
    from crm.outreach.models import Task

    with app.app_context():
        user_ids = add_users(users, NOW - timedelta(days=30))
        insert(Task.__table__, [
            dict(title=f"Llamar a la oficina {i}", due_at=NOW + timedelta(minutes=5 + i % 1400), priority="normal",
                 status="open", assignee_id=user_ids[i % len(user_ids)], created_at=NOW - timedelta(days=1), is_demo=False)
            for i in range(messages)
        ])
        db.session.commit()


def build_legislature(app, legislators, users, assessments, seed=7):
    """A synthetic data set the size of every US state legislature combined."""
    from crm.campaigns.models import Campaign, StanceAssessment
    from crm.extensions import db
    from crm.legislature.models import Chamber, Legislator, Legislature, SeatMembership
    from crm.outreach.models import Interaction, Task, interaction_legislators, interaction_staff

    rng = random.Random(seed)
    levels = ["champion", "supporter", "leaning_yes", "undecided", "leaning_no", "opposed", "hard_opposed", "unknown"]
    with app.app_context():
        user_ids = add_users(users, NOW - timedelta(days=30))
        db.session.add(Legislature(id=1, name="Legislaturas estatales", country="US"))
        db.session.flush()
        chambers = 99
        insert(Chamber.__table__, [dict(id=c + 1, legislature_id=1, name=f"Cámara {c + 1}", seats=legislators // chambers + 1) for c in range(chambers)])
        insert(Legislator.__table__, [
            dict(id=i + 1, full_name=f"Legisladora {i + 1:05d}", sort_name=f"Legisladora {i + 1:05d}",
                 search_name=f"legisladora {i + 1:05d}", owner_user_id=user_ids[i % len(user_ids)] if i % 4 else None,
                 is_demo=False)
            for i in range(legislators)
        ])
        insert(SeatMembership.__table__, [
            dict(legislator_id=i + 1, chamber_id=i % chambers + 1, start_date=date(2025, 1, 1), end_date=None)
            for i in range(legislators)
        ])
        insert(Campaign.__table__, [
            dict(id=1, name="Despenalización en casos de violación", status="active", legislature_id=1,
                 going_cold_days=21, is_demo=False, created_at=NOW - timedelta(days=400)),
            dict(id=2, name="Educación sexual integral", status="active", legislature_id=1,
                 going_cold_days=30, is_demo=False, created_at=NOW - timedelta(days=400)),
        ])
        insert(StanceAssessment.__table__, [
            dict(campaign_id=1 + (k % 2), legislator_id=rng.randrange(legislators) + 1, level=rng.choice(levels),
                 commitment="inferred", confidence=50, assessed_at=NOW - timedelta(minutes=rng.randrange(400 * 24 * 60)),
                 is_demo=False)
            for k in range(assessments)
        ])
        interactions = legislators * 3
        insert(Interaction.__table__, [
            dict(id=k + 1, kind="meeting", starts_at=NOW - timedelta(hours=rng.randrange(-48, 90 * 24)),
                 author_id=user_ids[k % len(user_ids)], created_at=NOW - timedelta(days=100), notes_internal=False,
                 is_demo=False)
            for k in range(interactions)
        ])
        insert(interaction_legislators, [
            dict(interaction_id=k + 1, legislator_id=rng.randrange(legislators) + 1) for k in range(interactions)
        ])
        insert(interaction_staff, [
            dict(interaction_id=k + 1, user_id=user_ids[(k * 7) % len(user_ids)]) for k in range(0, interactions, 3)
        ])
        insert(Task.__table__, [
            dict(title=f"Seguimiento {k}", due_at=NOW + timedelta(hours=rng.randrange(-72, 72)), priority="normal",
                 status="open", assignee_id=user_ids[k % len(user_ids)], legislator_id=rng.randrange(legislators) + 1,
                 created_at=NOW - timedelta(days=10), is_demo=False)
            for k in range(users * 15)
        ])
        db.session.commit()


# --- the two measurements ---------------------------------------------------------------------------


def bench_delivery(url, messages, users, senders):
    from sqlalchemy import func, select

    from crm.core.outbox import OutboundEmail
    from crm.extensions import db
    from crm.reminders import jobs

    app = make_app(url)
    reset(app)
    build_delivery_data(app, messages, users)
    with app.app_context():
        started = time.perf_counter()
        enqueued = jobs.run_due_soon(NOW)
        db.session.commit()
        enqueue_seconds = time.perf_counter() - started
        # The job wrote them as of NOW; make them due for the real clock the senders use.
        db.session.execute(OutboundEmail.__table__.update().values(next_attempt_at=datetime.now(UTC) - timedelta(seconds=1)))
        db.session.commit()
        db.engine.dispose()
    print(f"enqueued {enqueued:,} due-soon reminders (rendered text + HTML) in {enqueue_seconds:.1f} s "
          f"({enqueued / enqueue_seconds:,.0f}/s)")

    port = free_port()
    ready, stop, results, done = SPAWN.Event(), SPAWN.Event(), SPAWN.Queue(), SPAWN.Queue()
    server = SPAWN.Process(target=smtp_server, args=(port, ready, stop, results))
    server.start()
    ready.wait(30)
    workers = [SPAWN.Process(target=sender_process, args=(url, port, f"bench-sender-{i}", done)) for i in range(senders)]
    started = time.perf_counter()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - started
    stop.set()
    ids = results.get(timeout=30)
    server.join()
    per_sender = sorted(done.get() for _ in workers)

    with app.app_context():
        statuses = dict(db.session.execute(select(OutboundEmail.status, func.count()).group_by(OutboundEmail.status)).all())
        db.engine.dispose()
    print(f"delivered by {senders} sender processes in {elapsed:.1f} s (includes their start-up): "
          f"{len(ids) / elapsed:,.0f} messages/second")
    print("  per sender: " + ", ".join(f"{name}: {sent:,}" for name, sent, _r, _f in per_sender))
    print(f"  received {len(ids):,}, distinct Message-IDs {len(set(ids)):,}, outbox statuses {statuses}")
    print(f"  received ÷ enqueued = {len(ids) / enqueued:.3f}")
    return len(ids) / enqueued


def bench_digests(url, users, legislators, assessments):
    from sqlalchemy import func, select

    from crm.core.outbox import OutboundEmail
    from crm.extensions import db
    from crm.reminders import jobs
    from crm.reminders.digests import build_digests

    app = make_app(url)
    reset(app)
    started = time.perf_counter()
    build_legislature(app, legislators, users, assessments)
    print(f"built {legislators:,} legislators, {assessments:,} stance assessments, "
          f"{legislators * 3:,} interactions, {users} users in {time.perf_counter() - started:.1f} s")
    with app.app_context():
        from crm.accounts.models import User

        people = db.session.execute(select(User).order_by(User.id)).scalars().all()
        with counting(db.engine) as build_statements:
            started = time.perf_counter()
            digests = build_digests(people, NOW)
            build_seconds = time.perf_counter() - started
        cold = sum(d.going_cold_total for d in digests.values())
        db.session.rollback()
        db.session.execute(OutboundEmail.__table__.delete())
        db.session.commit()
        # Users in New York are at 09:00 at NOW; everyone is past their digest hour.
        with counting(db.engine) as job_statements:
            started = time.perf_counter()
            jobs.run_digests(NOW)
            db.session.commit()
            job_seconds = time.perf_counter() - started
        written = db.session.execute(
            select(func.count()).select_from(OutboundEmail).where(OutboundEmail.kind == "digest", OutboundEmail.status == "pending")
        ).scalar_one()
        db.engine.dispose()
    print(f"digest data for {len(people)} users: {build_seconds:.2f} s, {len(build_statements)} SQL statements "
          f"({cold:,} going-cold lines found)")
    print(f"digest job (data + rendering {written} emails in two languages + one insert): {job_seconds:.2f} s, "
          f"{len(job_statements)} SQL statements")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", help="SQLAlchemy URL of an empty database it may wipe (default: temporary SQLite)")
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--senders", type=int, default=2)
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--legislators", type=int, default=7_386)
    parser.add_argument("--assessments", type=int, default=200_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        os.environ.setdefault("CRM_INSTANCE_DIR", folder)
        url = args.database or f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        print(f"database: {url.split('@')[-1]}")
        total = time.perf_counter()
        ratio = bench_delivery(url, args.messages, args.users, args.senders)
        print()
        bench_digests(url, args.users, args.legislators, args.assessments)
        print(f"\ntotal {time.perf_counter() - total:.0f} s")
    if ratio != 1.0:
        sys.exit(1)


if __name__ == "__main__":
    main()
