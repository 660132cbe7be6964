"""Benchmark: server time of the whip-count page at three database sizes.

    .venv/bin/python bench/whip_count.py                 # SQLite in a temp folder
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5433/postgres .venv/bin/python bench/whip_count.py
    .venv/bin/python bench/whip_count.py --postgres postgresql+psycopg://...  --repeat 40

Data sets (all in one legislature database, one national campaign):
- 190 legislators: Peru's bicameral Congress (130 deputies + 60 senators); the stage votes in the 130-seat chamber.
- 535 legislators: the US Congress (435 + 100); the stage votes in the 435-seat House.
- 7,386 legislators: all US state legislatures (99 chambers) with 200,000 stance assessments; the stage votes
  in the largest chamber (400 seats, like New Hampshire's House), the worst case for the page.

For each size it times the whip page (Flask test client, logged in as a director, server side only) and a
minimal page that lists the same chamber's legislators with one plain query, and prints:
- the median time per size; the ratio 7,386 / 190 (target <= 3x);
- the whip page's throughput as a share of the minimal page's (target >= 0.5 at 190).
The trend chart's JSON (fetched by the browser after the page) and the committee breakdown (loaded when its
section is opened; the district one costs the same or less) are timed and printed separately.
"""

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from flask import g, render_template_string  # noqa: E402
from flask_login import login_required  # noqa: E402
from sqlalchemy import create_engine, insert, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from config import TestingConfig  # noqa: E402
from crm import create_app  # noqa: E402
from crm.extensions import db  # noqa: E402

LEVELS = ("champion", "supporter", "leaning_yes", "undecided", "leaning_no", "opposed", "hard_opposed", "unknown")
SIZES = {
    190: {"chambers": [130, 60], "assessments": 190 * 6},
    535: {"chambers": [435, 100], "assessments": 535 * 8},
    # 99 chambers adding up to 7,386 seats, the largest with 400.
    7386: {"chambers": None, "assessments": 200_000},
}
MINIMAL = """{% extends "base.html" %}{% block content %}<h1>Legisladores</h1><ul>
{% for id, name, district in rows %}<li>{{ name }} · {{ district or "" }}</li>{% endfor %}</ul>{% endblock %}"""


def us_state_chambers(total=7386, chambers=99, largest=400, seed=7):
    rng = random.Random(seed)
    sizes = [largest] + [rng.randint(20, 200) for _ in range(chambers - 1)]
    # Scale the others so the seats add up exactly to the total.
    rest = total - largest
    scaled = [max(20, round(s * rest / sum(sizes[1:]))) for s in sizes[1:]]
    scaled[-1] += rest - sum(scaled)
    return [largest] + scaled


def build(size: int, seed=42):
    """Insert one data set with bulk statements; returns (campaign_id, stage_id, chamber_id, user)."""
    from crm.accounts import operations as accounts
    from crm.campaigns.models import Campaign, StanceAssessment, VoteStage
    from crm.legislature.models import (
        Chamber,
        Committee,
        CommitteeMembership,
        Group,
        GroupMembership,
        Legislator,
        Legislature,
        SeatMembership,
    )
    from crm.outreach.models import Interaction, Task, interaction_legislators

    rng = random.Random(seed)
    spec = SIZES[size]
    chamber_sizes = spec["chambers"] or us_state_chambers()
    assert sum(chamber_sizes) == size, (sum(chamber_sizes), size)
    now = datetime.now(UTC)
    user = accounts.create_user(email=f"bench-{uuid.uuid4().hex[:6]}@example.org", name="Bench", role="director", password="una frase bastante larga")
    legislature = Legislature(name=f"Bench {size}", country="US", start_date=date(2020, 1, 1))
    db.session.add(legislature)
    db.session.flush()
    chambers = [Chamber(legislature_id=legislature.id, name=f"Chamber {i}", seats=n) for i, n in enumerate(chamber_sizes)]
    db.session.add_all(chambers)
    db.session.flush()
    groups = [Group(legislature_id=legislature.id, kind="bancada", name=f"Group {i}", abbreviation=f"G{i}") for i in range(8)]
    db.session.add_all(groups)
    committees = [Committee(chamber_id=c.id, name=f"Committee {c.id}-{k}") for c in chambers for k in range(max(2, c.seats // 20))]
    db.session.add_all(committees)
    db.session.flush()
    committees_of = {}
    for committee in committees:
        committees_of.setdefault(committee.chamber_id, []).append(committee.id)

    db.session.execute(
        insert(Legislator),
        [
            {"full_name": f"Legislator {i}", "sort_name": f"Legislator {i:05d}", "search_name": f"legislator {i}",
             "district": f"District {i % 97}", "owner_user_id": user.id if i % 5 == 0 else None}
            for i in range(size)
        ],
    )
    ids = list(db.session.execute(select(Legislator.id).where(Legislator.full_name.like("Legislator %")).order_by(Legislator.id)).scalars())[-size:]
    seat_rows, group_rows, committee_rows, chamber_of = [], [], [], {}
    position = 0
    for chamber in chambers:
        for _ in range(chamber.seats):
            legislator_id = ids[position]
            position += 1
            chamber_of[legislator_id] = chamber.id
            seat_rows.append({"legislator_id": legislator_id, "chamber_id": chamber.id, "start_date": date(2020, 1, 1), "district": f"D{position % 50}"})
            group_rows.append({"legislator_id": legislator_id, "group_id": groups[rng.randrange(len(groups))].id, "start_date": date(2020, 1, 1)})
            for committee_id in rng.sample(committees_of[chamber.id], 2):
                committee_rows.append({"legislator_id": legislator_id, "committee_id": committee_id, "role": "member"})
    db.session.execute(insert(SeatMembership), seat_rows)
    db.session.execute(insert(GroupMembership), group_rows)
    db.session.execute(insert(CommitteeMembership), committee_rows)

    campaign = Campaign(name=f"Bench campaign {size}", status="active", created_at=now)
    db.session.add(campaign)
    db.session.flush()
    target = chambers[0]
    stages = [
        VoteStage(campaign_id=campaign.id, position=1, name="Committee", committee_id=committees_of[target.id][0], rule_kind="simple_majority"),
        VoteStage(campaign_id=campaign.id, position=2, name="Floor", chamber_id=target.id, rule_kind="absolute_majority",
                  target_date=date.today() + timedelta(days=60)),
    ]
    db.session.add_all(stages)
    db.session.flush()

    # Assessments spread over two years, a little more often lately so the trend moves.
    rows = []
    for n in range(spec["assessments"]):
        legislator_id = ids[n % size]
        days_ago = rng.triangular(0, 730, 0)
        rows.append({
            "campaign_id": campaign.id, "legislator_id": legislator_id, "level": rng.choice(LEVELS),
            "commitment": "inferred", "confidence": rng.randint(10, 100),
            # A quarter of an hour old at least: the live board's "last 10 minutes" stays still while benches run.
            "assessed_at": now - timedelta(days=days_ago, minutes=15, seconds=rng.randint(0, 86_000)),
        })
    for start in range(0, len(rows), 20_000):
        db.session.execute(insert(StanceAssessment), rows[start : start + 20_000])

    interactions = [{"kind": "meeting", "starts_at": now - timedelta(days=rng.randint(1, 200)), "created_at": now} for _ in range(size // 2)]
    db.session.execute(insert(Interaction), interactions)
    interaction_ids = list(db.session.execute(select(Interaction.id).order_by(Interaction.id.desc()).limit(len(interactions))).scalars())
    db.session.execute(
        insert(interaction_legislators),
        [{"interaction_id": iid, "legislator_id": ids[(k * 2) % size]} for k, iid in enumerate(interaction_ids)],
    )
    db.session.execute(
        insert(Task),
        [{"title": "Follow up", "status": "open", "priority": "normal", "legislator_id": ids[k * 3 % size],
          "due_at": now + timedelta(days=rng.randint(1, 30)), "created_at": now} for k in range(size // 3)],
    )
    db.session.commit()
    return campaign.id, stages[1].id, target.id, user


def add_minimal_page(app):
    from crm.legislature.models import Legislator, SeatMembership

    @login_required
    def minimal(chamber_id):
        rows = db.session.execute(
            select(Legislator.id, Legislator.full_name, Legislator.district)
            .join(SeatMembership, SeatMembership.legislator_id == Legislator.id)
            .where(SeatMembership.chamber_id == chamber_id)
            .order_by(Legislator.sort_name)
        ).all()
        return render_template_string(MINIMAL, rows=rows)

    app.add_url_rule("/bench/minimal/<int:chamber_id>", "bench_minimal", minimal)


def timed(client, url, repeat):
    """Median wall time and median CPU time of one request (CPU time is steadier on a shared machine)."""
    def get():
        # The benchmark holds one app context; start each request with an empty `g`, as a real request does.
        g.__dict__.clear()
        return client.get(url)

    for _ in range(3):
        response = get()
        assert response.status_code == 200, (url, response.status_code)
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        response = get()
        cpu.append(time.process_time() - start_cpu)
        wall.append(time.perf_counter() - start)
        assert response.status_code == 200
    return statistics.median(wall), statistics.median(cpu)


def run(url: str, repeat: int) -> dict:
    app = create_app(TestingConfig(SQLALCHEMY_DATABASE_URI=url))
    add_minimal_page(app)
    results = {}
    with app.app_context():
        db.drop_all()
        db.create_all()
        for size in SIZES:
            started = time.perf_counter()
            campaign_id, stage_id, chamber_id, user = build(size)
            built = time.perf_counter() - started
            user_key = user.get_id()
            db.session.commit()
            db.session.remove()
            if db.engine.dialect.name == "postgresql":
                with db.engine.connect() as conn:
                    conn.execute(text("ANALYZE"))
                    conn.commit()
            else:
                with db.engine.connect() as conn:
                    conn.exec_driver_sql("ANALYZE")
                    conn.commit()
            client = app.test_client()
            with client.session_transaction() as session:
                session["_user_id"] = user_key
                session["_fresh"] = True
            db.session.remove()
            whip = timed(client, f"/campaigns/{campaign_id}/whip?stage={stage_id}", repeat)
            minimal = timed(client, f"/bench/minimal/{chamber_id}", repeat)
            trend = timed(client, f"/campaigns/{campaign_id}/trend.json?stage={stage_id}", max(5, repeat // 3))
            by_committee = timed(
                client, f"/campaigns/{campaign_id}/whip?stage={stage_id}&fragment=breakdown&by=committee", max(5, repeat // 3)
            )
            seats = SIZES[size]["chambers"][0] if SIZES[size]["chambers"] else 400
            results[size] = {"whip": whip, "minimal": minimal, "trend": trend, "built": built, "seats": seats,
                             "by_committee": by_committee}
            print(
                f"  {size:>5} legislators (stage chamber {seats} seats), wall/CPU ms: "
                f"whip {whip[0] * 1000:6.1f}/{whip[1] * 1000:5.1f} | minimal {minimal[0] * 1000:5.1f}/{minimal[1] * 1000:5.1f} | "
                f"trend JSON {trend[0] * 1000:5.1f}/{trend[1] * 1000:5.1f} | "
                f"committee breakdown {by_committee[0] * 1000:5.1f}/{by_committee[1] * 1000:5.1f} | data built in {built:4.1f} s",
                flush=True,
            )
            db.session.remove()
    with app.app_context():
        db.engine.dispose()
    return results


def report(label, results):
    if 190 not in results or 7386 not in results:
        if 190 in results:
            print(f"{label}: throughput share at 190 (wall, CPU) = "
                  f"{results[190]['minimal'][0] / results[190]['whip'][0]:.2f}, {results[190]['minimal'][1] / results[190]['whip'][1]:.2f}")
        return
    small, large = results[190], results[7386]
    for i, kind in enumerate(("wall", "CPU")):
        ratio = large["whip"][i] / small["whip"][i]
        share = small["minimal"][i] / small["whip"][i]
        print(f"{label} ({kind}): whip time 7386/190 = {ratio:.2f}x (target <= 3x) {'OK' if ratio <= 3 else 'MISSED'}")
        print(
            f"{label} ({kind}): throughput at 190, whip {1 / small['whip'][i]:.0f} req/s vs minimal "
            f"{1 / small['minimal'][i]:.0f} req/s = {share:.2f} (target >= 0.5) {'OK' if share >= 0.5 else 'MISSED'}"
        )


def postgres_database(base_url):
    name = f"bench_whip_{uuid.uuid4().hex[:8]}"
    admin = create_engine(make_url(base_url).set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(base_url).set(database=name).render_as_string(hide_password=False)

    def drop():
        with admin.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"), {"n": name})
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()

    return url, drop


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", default=os.environ.get("BENCH_DATABASE_URL"), help="PostgreSQL server URL (a temp database is created on it)")
    parser.add_argument("--repeat", type=int, default=30, help="timed requests per page and size")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument("--sizes", default="190,535,7386", help="comma-separated subset of 190,535,7386")
    args = parser.parse_args()
    wanted = {int(x) for x in args.sizes.split(",")}
    for size in list(SIZES):
        if size not in wanted:
            del SIZES[size]
    if not args.no_sqlite:
        with tempfile.TemporaryDirectory() as folder:
            print("SQLite")
            report("SQLite", run(f"sqlite:///{folder}/bench.sqlite3", args.repeat))
    if args.postgres:
        url, drop = postgres_database(args.postgres)
        try:
            print("PostgreSQL")
            report("PostgreSQL", run(url, args.repeat))
        finally:
            drop()


if __name__ == "__main__":
    main()
