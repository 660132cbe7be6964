"""Benchmark: importing 500 roll calls of a 435-seat House (217,500 votes) and the forecast page for one of them.

    .venv/bin/python bench/votes.py                      # SQLite in a temp folder
    BENCH_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5433/postgres .venv/bin/python bench/votes.py

It builds a 435-member chamber with bioguide ids, a campaign with a stance history for every member and one
meeting each, writes one unitedstates/congress-style JSON list of 500 roll calls, and then:
1. imports it with `flask crm import-votes` in a child process (its progress bar shows) and prints the time;
2. imports it again (nothing changes) and prints that time;
3. times the forecast page of one vote (server side, Flask test client, logged in as a director) and counts
   its SQL statements.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import event, insert, select  # noqa: E402

from config import TestingConfig  # noqa: E402
from crm import create_app  # noqa: E402
from crm.accounts import operations as accounts  # noqa: E402
from crm.campaigns.models import Campaign, StanceAssessment  # noqa: E402
from crm.core.text import fold  # noqa: E402
from crm.extensions import db  # noqa: E402
from crm.legislature.models import Chamber, Legislator, LegislatorIdentifier, Legislature, SeatMembership  # noqa: E402
from crm.outreach.models import Interaction, interaction_legislators  # noqa: E402
from crm.votes.models import VoteEvent  # noqa: E402

SEATS, EVENTS = 435, 500
LEVELS = ("champion", "supporter", "leaning_yes", "undecided", "leaning_no", "opposed", "hard_opposed")
OPTIONS = {"Yea": 0.45, "Nay": 0.40, "Present": 0.03, "Not Voting": 0.12}
FIRST = datetime(2024, 1, 9, 15, tzinfo=UTC)


def build(rng):
    user = accounts.create_user(email="bench-votes@example.org", name="Bench", role="director",
                                password="una frase bastante larga")
    legislature = Legislature(name="Bench House", country="US", start_date=date(2023, 1, 3))
    db.session.add(legislature)
    db.session.flush()
    chamber = Chamber(legislature_id=legislature.id, name="House", seats=SEATS)
    campaign = Campaign(name="Bench campaign", legislature_id=legislature.id)
    db.session.add_all([chamber, campaign])
    db.session.flush()
    people = [Legislator(full_name=f"Member {i:03d}", sort_name=f"Member {i:03d}", search_name=fold(f"Member {i:03d}"),
                         district=f"D-{i % 50}") for i in range(SEATS)]
    db.session.add_all(people)
    db.session.flush()
    db.session.execute(insert(LegislatorIdentifier), [
        {"legislator_id": p.id, "scheme": "bioguide", "value": f"B{i:06d}"} for i, p in enumerate(people)])
    db.session.execute(insert(SeatMembership), [
        {"legislator_id": p.id, "chamber_id": chamber.id, "start_date": date(2023, 1, 3)} for p in people])
    db.session.execute(insert(StanceAssessment), [
        {"campaign_id": campaign.id, "legislator_id": p.id, "level": rng.choice(LEVELS), "commitment": "private",
         "confidence": rng.randint(20, 95), "assessed_at": FIRST - timedelta(days=rng.randint(1, 300))}
        for p in people for _k in range(3)])
    for p in people:
        meeting = Interaction(kind="meeting", starts_at=FIRST - timedelta(days=rng.randint(1, 90)), created_at=FIRST)
        db.session.add(meeting)
        db.session.flush()
        db.session.execute(insert(interaction_legislators), [{"interaction_id": meeting.id, "legislator_id": p.id}])
    db.session.commit()
    return user.get_id(), campaign.id, chamber.id


def roll_calls(rng) -> list:
    calls = []
    for n in range(EVENTS):
        votes = {label: [] for label in OPTIONS}
        for i in range(SEATS):
            label = rng.choices(list(OPTIONS), weights=list(OPTIONS.values()))[0]
            votes[label].append({"id": f"B{i:06d}", "display_name": f"Member {i:03d}", "party": "X", "state": "ZZ"})
        calls.append({"vote_id": f"h{n + 1}-118.2024", "chamber": "h", "congress": 118, "number": n + 1,
                      "date": (FIRST + timedelta(hours=n)).isoformat(), "question": f"On Passage: H R {n + 1}",
                      "requires": "1/2", "result": "Passed", "bill": {"congress": 118, "number": n + 1, "type": "hr"},
                      "votes": votes})
    return calls


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    folder = tempfile.mkdtemp(prefix="cabildeo-bench-votes-")
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{folder}/bench.sqlite3"
    app = create_app(TestingConfig(SQLALCHEMY_DATABASE_URI=url))
    rng = random.Random(118)
    with app.app_context():
        db.drop_all()
        db.create_all()
        user_key, campaign_id, chamber_id = build(rng)
        path = Path(folder) / "rollcalls.json"
        path.write_text(json.dumps(roll_calls(rng)), encoding="utf-8")
        print(f"database: {db.engine.dialect.name}; file: {path.stat().st_size / 1e6:.1f} MB, {EVENTS} roll calls x {SEATS} members")
        db.session.remove()
    flask = str(Path(sys.executable).with_name("flask"))
    command = [flask, "--app", "wsgi", "crm", "import-votes", str(path), "--format", "congress", "--chamber", str(chamber_id)]
    env = {**os.environ, "DATABASE_URL": url, "CRM_INSTANCE_DIR": folder}
    for label in ("first import", "re-import (no changes)"):
        started = time.perf_counter()
        subprocess.run(command, env=env, check=True, cwd=Path(__file__).resolve().parents[1])  # noqa: S603
        print(f"{label}: {time.perf_counter() - started:.1f} s (including the command's start-up)")
    with app.app_context():
        event_id = db.session.execute(select(VoteEvent.id).order_by(VoteEvent.id.desc()).limit(1)).scalar_one()
    client = app.test_client()
    with client.session_transaction() as session:
        session["_user_id"], session["_fresh"] = user_key, True
    page = f"/votes/campaigns/{campaign_id}/events/{event_id}/forecast"
    client.get(page)
    statements = []
    with app.app_context():
        listener = lambda *a: statements.append(a[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        response = client.get(page)
        event.remove(db.engine, "before_cursor_execute", listener)
    assert response.status_code == 200 and f"Total: {SEATS}" in response.get_data(as_text=True)
    for statement in statements:
        print("  SQL:", " ".join(statement.split())[:100])
    times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        client.get(page)
        times.append(time.perf_counter() - started)
    print(f"forecast page ({SEATS} members): {len(statements)} SQL statements, median {statistics.median(times) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
