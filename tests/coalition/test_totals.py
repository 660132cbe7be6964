"""Totals never double-count: per batch verified + rejected <= collected, and every total adds up."""

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from crm.audit.models import AuditEntry
from crm.coalition import operations, queries
from crm.coalition.models import SignatureBatch
from crm.extensions import db

REGIONS = ("Cusco", "Lima Metropolitana", "Puno", "Callao")


def test_verification_beyond_collected_is_refused_with_a_clear_message(make_drive, make_batch, make_user):
    director = make_user("director")
    batch = make_batch(make_drive(), collected=100)
    with pytest.raises(operations.CoalitionError) as error:
        operations.verify_batch(batch, actor=director, verified=80, rejected_duplicate=15, rejected_other=10)
    assert "105" in str(error.value) and "100" in str(error.value)
    assert (batch.verified, batch.rejected) == (0, 0)


def test_verification_replaces_earlier_results_and_is_audited(make_drive, make_batch, make_user):
    director = make_user("director")
    batch = make_batch(make_drive(), collected=100)
    operations.verify_batch(batch, actor=director, verified=60, rejected_duplicate=10)
    operations.verify_batch(batch, actor=director, verified=70, rejected_duplicate=10, rejected_illegible=5)
    assert (batch.verified, batch.rejected, batch.pending) == (70, 15, 15)
    entries = db.session.execute(
        select(AuditEntry).where(AuditEntry.action == "batch.verify", AuditEntry.object_id == str(batch.id))
        .order_by(AuditEntry.id)
    ).scalars().all()
    assert entries[-1].old_values == {"verified": 60, "rejected_illegible": 0}
    assert entries[-1].new_values == {"verified": 70, "rejected_illegible": 5}


def test_the_database_refuses_over_checked_batches(make_drive, make_batch):
    batch = make_batch(make_drive(), collected=10)
    batch.verified = 8
    batch.rejected_other = 3
    with pytest.raises(IntegrityError):
        with db.session.begin_nested():
            db.session.flush()


batch_specs = st.lists(
    st.tuples(
        st.integers(1, 5000),  # collected
        st.floats(0, 1.2),  # share the verifier tries to mark verified
        st.floats(0, 1.2),  # share rejected
        st.sampled_from(REGIONS),
        st.integers(0, 60),  # days ago
    ),
    min_size=1, max_size=12,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(specs=batch_specs)
def test_totals_add_up_and_never_double_count(specs, make_drive, make_partner, make_user, today):
    director = make_user("director")
    drive = make_drive()
    partner = make_partner()
    accepted = []
    for collected, v_share, r_share, region, days_ago in specs:
        batch = operations.record_batch(
            actor=director, drive=drive, collected_on=today - timedelta(days=days_ago), region=region,
            collected=collected, collector_partner_id=partner.id,
        )
        verified, rejected = int(collected * v_share), int(collected * r_share)
        try:
            operations.verify_batch(batch, actor=director, verified=verified, rejected_invalid_id=rejected)
        except operations.CoalitionError:
            assert verified + rejected > collected
            assert (batch.verified, batch.rejected) == (0, 0)
            accepted.append((batch, collected, 0, 0, days_ago))
        else:
            assert verified + rejected <= collected
            accepted.append((batch, collected, verified, rejected, days_ago))

    totals = queries.drive_totals(drive.id, today)
    assert totals.collected == sum(a[1] for a in accepted)
    assert totals.verified == sum(a[2] for a in accepted)
    assert totals.rejected == sum(a[3] for a in accepted)
    assert totals.pending == totals.collected - totals.verified - totals.rejected >= 0
    assert totals.recent_collected == sum(a[1] for a in accepted if a[4] <= 27)
    assert totals.batches == len(accepted)
    # Every view of the same drive adds up to the same totals: by region and over time.
    regions = queries.by_region(drive.id)
    assert sum(r[1] for r in regions) == totals.collected
    assert sum(r[2] for r in regions) == totals.verified
    assert sum(r[3] for r in regions) == totals.rejected
    series = queries.weekly_series(drive.id)
    assert series[-1][2] == totals.collected and series[-1][3] == totals.verified
    assert sum(s[1] for s in series) == totals.collected
    summary = {d.id: t for d, _name, t in queries.drive_summaries(today)}[drive.id]
    assert summary == totals
    for batch in db.session.execute(select(SignatureBatch).where(SignatureBatch.drive_id == drive.id)).scalars():
        assert batch.verified + batch.rejected <= batch.collected


def test_partial_updates_keep_the_dates_they_do_not_touch(make_user, make_drive, today):
    director = make_user("director")
    drive = make_drive(deadline=today + timedelta(days=30))
    operations.update_drive(drive, actor=director, name="Firmas 2027")
    assert (drive.name, drive.deadline) == ("Firmas 2027", today + timedelta(days=30))
    mention = operations.create_media_mention(actor=director, published_on=today, outlet="La República", kind="press")
    operations.update_media_mention(mention, actor=director, title="Entrevista")
    assert (mention.title, mention.published_on) == ("Entrevista", today)
