"""Benchmark: the header's search at 7,386 legislators and 10,000 meetings, on SQLite (and PostgreSQL).

    .venv/bin/python bench/search.py                                   # SQLite in a temp folder
    .venv/bin/python bench/search.py --postgres postgresql+psycopg://postgres@127.0.0.1:5433/postgres
    .venv/bin/python bench/search.py --repeat 30

Data set (one database per engine, built through the ORM so the index is written by the same session hook
as in production, and the build time includes that cost):
- 7,386 legislators, the size of the load test's set. Their names come from /work/shared/data: the 1,114 rows
  of openperu/congresistas.json and the 537 of us-congress-legislators/legislators-current.csv verbatim
  (Rosa Delsa Mavila León among them), then real given names and surnames recombined up to 7,386;
- 10,000 meetings with one or two of them, a place and notes drawn from a Spanish vocabulary (one in five
  internal), 3,000 tasks and 300 aides.

Then it times the search behind both the results page and the panel under the box (crm.search.queries.search,
server side, one statement), for a staff account and a partner account, over four families of queries:
common names, rare words, accented or capitalised input, and short prefixes. Each query runs --repeat times;
it prints the median and p95 per family and overall, and the full results page through the test client.
"""

import argparse
import csv
import json
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from config import TestingConfig  # noqa: E402
from crm import create_app  # noqa: E402
from crm.extensions import db  # noqa: E402

DATA = Path("/work/shared/data")
LEGISLATORS = 7386
MEETINGS = 10_000
TASKS = 3_000
AIDES = 300
VOCABULARY = ("dictamen comisión justicia aborto violación despenalización firmas iniciativa ciudadana pleno votación "
              "bancada apoyo duda reunión seguimiento informe legal presupuesto salud mujeres niñas víctimas "
              "audiencia agenda asesora propuesta enmienda calendario región Cusco Lima Arequipa Puno").split()
RARE = ("zanahoria", "alcachofa", "berenjena", "pimiento", "remolacha")
QUERIES = {
    "common names": ["garcia", "rodriguez", "maria", "smith", "lopez", "john", "flores", "juan carlos"],
    "rare words": list(RARE) + ["mavila", "cantwell", "ocasio"],
    "accented input": ["PÉREZ", "Núñez", "Mavila León", "josé", "Víctimas", "ÁLVAREZ", "Muñoz", "peña"],
    "prefixes": ["ro", "ma", "gar", "sm", "dict", "vio", "jo", "fl"],
}


def real_names() -> list[str]:
    rows = json.loads((DATA / "openperu" / "congresistas.json").read_text(encoding="utf-8"))
    names = [row["nombre"].strip() for period in rows.values() for row in period if row.get("nombre")]
    with open(DATA / "us-congress-legislators" / "legislators-current.csv", newline="", encoding="utf-8") as f:
        names += [r["full_name"].strip() or f"{r['first_name']} {r['last_name']}" for r in csv.DictReader(f)]
    return names


def legislator_names(rng) -> list[str]:
    names = real_names()
    parts = [n.split() for n in names if len(n.split()) >= 2]
    given = [p[0] for p in parts]
    family = [p[-1] for p in parts] + [p[-2] for p in parts if len(p) >= 4]
    while len(names) < LEGISLATORS:
        names.append(f"{rng.choice(given)} {rng.choice(given)} {rng.choice(family)} {rng.choice(family)}")
    return names[:LEGISLATORS]


def build(rng) -> tuple:
    from crm.accounts import operations as accounts
    from crm.accounts.models import PartnerOrganisation
    from crm.core.text import fold
    from crm.legislature.models import Aide, Legislator
    from crm.outreach.models import Interaction, Task

    began = time.perf_counter()
    partner_org = PartnerOrganisation(name="Colectiva Bench")
    db.session.add(partner_org)
    db.session.flush()
    staff = accounts.create_user(email=f"bench-{uuid.uuid4().hex[:6]}@example.org", name="Bench", role="director",
                                 password="una frase bastante larga")
    partner = accounts.create_user(email=f"partner-{uuid.uuid4().hex[:6]}@example.org", name="Aliada",
                                   role="viewer", password="una frase bastante larga",
                                   partner_organisation_id=partner_org.id)
    people = []
    for name in legislator_names(rng):
        words = name.split()
        people.append(Legislator(full_name=name, given_name=words[0], family_name=" ".join(words[1:]),
                                 sort_name=name, search_name=fold(name), district=rng.choice(VOCABULARY[-5:])))
    db.session.add_all(people)
    db.session.flush()
    db.session.add_all(Aide(legislator_id=rng.choice(people).id, name=f"{rng.choice(people).given_name} Asesora",
                            title="Jefa de despacho") for _ in range(AIDES))
    now = datetime.now(UTC)
    for start in range(0, MEETINGS, 1000):
        batch = []
        for n in range(start, start + 1000):
            notes = " ".join(rng.choice(VOCABULARY) for _ in range(rng.randint(8, 40)))
            if n % 997 == 0:
                notes += " " + RARE[n % len(RARE)]
            meeting = Interaction(kind="meeting", starts_at=now - timedelta(days=rng.randint(1, 700)), created_at=now,
                                  notes=notes, outcome=rng.choice(("apoyo", "duda", "seguimiento", None)),
                                  notes_internal=n % 5 == 0, place=rng.choice(VOCABULARY[-5:]))
            meeting.legislators = rng.sample(people, rng.randint(1, 2))
            batch.append(meeting)
        db.session.add_all(batch)
        db.session.flush()
    db.session.add_all(Task(title=f"Seguimiento {rng.choice(VOCABULARY)}", status="open", priority="normal",
                            legislator_id=rng.choice(people).id, created_at=now) for _ in range(TASKS))
    db.session.commit()
    return staff, partner, time.perf_counter() - began


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def measure(app, label: str, repeat: int) -> None:
    from crm.search import queries
    from crm.search.models import SearchDocument

    rng = random.Random(7386)
    with app.app_context():
        db.create_all()
        staff, partner, seconds = build(rng)
        counts = dict(db.session.execute(select(SearchDocument.kind, func.count()).group_by(SearchDocument.kind)).all())
        print(f"\n{label}: built and indexed in {seconds:.1f} s; index rows: {counts}")
        everything = []
        for who, user in (("staff", staff), ("partner", partner)):
            for family, words in QUERIES.items():
                times = []
                for q in words:
                    terms, _ = queries.parse(q)
                    queries.search(user, terms)  # warm the statement cache once per query
                    for _ in range(repeat):
                        began = time.perf_counter()
                        queries.search(user, terms)
                        times.append((time.perf_counter() - began) * 1000)
                everything += times
                print(f"  {who:7s} {family:15s} median {statistics.median(times):6.2f} ms   "
                      f"p95 {percentile(times, 0.95):6.2f} ms   ({len(times)} queries)")
        print(f"  all              median {statistics.median(everything):6.2f} ms   "
              f"p95 {percentile(everything, 0.95):6.2f} ms   ({len(everything)} queries)")
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"] = staff.get_id()
            session["_fresh"] = True
        pages = []
        for q in ("mavila", "garcia", "PÉREZ", "ro"):
            client.get("/search", query_string={"q": q})
            for _ in range(repeat):
                began = time.perf_counter()
                assert client.get("/search", query_string={"q": q}).status_code == 200
                pages.append((time.perf_counter() - began) * 1000)
        print(f"  results page (test client, staff)  median {statistics.median(pages):6.2f} ms   "
              f"p95 {percentile(pages, 0.95):6.2f} ms")
        db.session.remove()
        db.engine.dispose()


def app_for(url: str):
    return create_app(TestingConfig(SQLALCHEMY_DATABASE_URI=url, MAIL_FILE_DIR=tempfile.mkdtemp()))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--postgres", help="a PostgreSQL URL; a throwaway database is created there")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    measure(app_for(f"sqlite:///{tempfile.mkdtemp()}/bench.sqlite3"), "SQLite", args.repeat)
    if args.postgres:
        name = f"bench_search_{uuid.uuid4().hex[:8]}"
        admin = create_engine(make_url(args.postgres).set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            measure(app_for(make_url(args.postgres).set(database=name).render_as_string(hide_password=False)),
                    "PostgreSQL", args.repeat)
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
            admin.dispose()


if __name__ == "__main__":
    main()
