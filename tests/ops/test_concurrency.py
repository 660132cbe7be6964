"""Several processes writing at once never see "database is locked"; concurrent stances all land."""

import multiprocessing
import threading

import pytest
from sqlalchemy import select

from crm.audit.models import AuditEntry
from crm.campaigns.models import StanceAssessment
from crm.campaigns.operations import record_stance
from crm.extensions import db
from tests.ops.seed import seed
from tests.ops.writers import consistent_pairs, process_writer

WORKERS = 4
WRITES = 250


@pytest.mark.slow
def test_four_processes_write_250_times_each_without_lock_errors(isolated_app):
    url = isolated_app.config["SQLALCHEMY_DATABASE_URI"]
    if not url.startswith("sqlite"):
        pytest.skip("SQLite's single writer lock is what this checks; PostgreSQL locks rows")
    with isolated_app.app_context():
        db.engine.dispose()  # no parent connection crosses into the children
    # spawn: each worker is a fresh interpreter that builds its own app, as gunicorn workers do.
    context = multiprocessing.get_context("spawn")
    start, results = context.Event(), context.Queue()
    workers = [
        context.Process(target=process_writer, args=(url, f"worker-{n}", WRITES, start, results))
        for n in range(WORKERS)
    ]
    for worker in workers:
        worker.start()
    start.set()
    reports = dict(results.get(timeout=240) for _ in workers)
    for worker in workers:
        worker.join(timeout=30)
        assert worker.exitcode == 0

    failures = [failure for found in reports.values() for failure in found]
    assert [f for f in failures if "locked" in f] == []
    assert failures == []
    with isolated_app.app_context(), db.engine.connect() as connection:
        assert consistent_pairs(connection) == (WORKERS * WRITES, WORKERS * WRITES)


def test_concurrent_stance_updates_to_one_legislator_both_land(isolated_app):
    """Two officers record a stance for the same legislator at the same moment, many times over."""
    rounds = 15
    with isolated_app.app_context():
        ids = seed(legislators=1)
        from crm.accounts import operations as accounts

        second = accounts.create_user(email="otra@example.org", name="Olga Oficial", role="officer",
                                      password="una frase bastante larga")
        db.session.commit()
        actors = [ids["officer"], second.id]
    campaign, legislator = ids["campaign"], ids["legislators"][0]
    barrier = threading.Barrier(2)
    errors = []

    def officer(actor_id, level):
        from crm.accounts.models import User

        with isolated_app.app_context():
            try:
                actor = db.session.get(User, actor_id)
                name = actor.name
                # End the read transaction before waiting: on SQLite every transaction holds the write lock.
                db.session.commit()
                for _ in range(rounds):
                    barrier.wait(timeout=30)
                    record_stance(campaign_id=campaign, legislator_id=legislator, level=level, actor=actor,
                                  commitment="private", evidence=f"Reunión con {name}")
                    db.session.commit()
            except Exception as error:  # noqa: BLE001 - reported below
                errors.append(repr(error))
                barrier.abort()
            finally:
                db.session.remove()

    threads = [threading.Thread(target=officer, args=(actors[0], "supporter")),
               threading.Thread(target=officer, args=(actors[1], "opposed"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []

    with isolated_app.app_context():
        history = db.session.execute(
            select(StanceAssessment.assessed_by_id, StanceAssessment.level)
            .where(StanceAssessment.legislator_id == legislator, StanceAssessment.evidence.like("Reunión con %"))
        ).all()
        assert sorted(history).count((actors[0], "supporter")) == rounds
        assert sorted(history).count((actors[1], "opposed")) == rounds
        audited = db.session.execute(
            select(AuditEntry.actor_id).where(AuditEntry.action == "stance.assess", AuditEntry.actor_id.in_(actors))
        ).scalars().all()
        # Seed stances were audited too: each of the officers' concurrent ones adds exactly one row.
        assert audited.count(actors[1]) == rounds
        db.session.remove()
