"""Web import time at 1x, 2x and 4x people: the file is parsed once per job, so time grows linearly.

Run: .venv/bin/python bench/import_scaling.py [PEOPLE]  (default 1,500 people at 1x)

A synthetic Popolo file (3 legislative periods, areas, party switches) goes through the web path: the dry
run (parse, compare, store the parsed roster in the job), then every step until the job is done, each step
committed as the page's requests would. Prints seconds per size and the ratios to 1x.
"""

import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from config import TestingConfig  # noqa: E402
from crm import create_app  # noqa: E402
from crm.extensions import db  # noqa: E402
from crm.legislature.importers import jobs  # noqa: E402
from crm.legislature.models import ImportJob  # noqa: E402


def popolo(people: int) -> str:
    terms = [{"id": f"t{y}", "classification": "legislative period", "name": f"Periodo {y}",
              "start_date": f"{y}-01-01", "end_date": f"{y + 4}-12-31"} for y in (2010, 2015, 2020)]
    orgs = [{"id": "leg", "classification": "legislature", "name": "Bench", "seats": min(people, 3000)}]
    orgs += [{"id": f"party{i}", "classification": "party", "name": f"Partido {i}"} for i in range(8)]
    areas = [{"id": f"a{i}", "name": f"Distrito {i}"} for i in range(50)]
    persons, memberships = [], []
    for n in range(people):
        persons.append({"id": f"p{n}", "name": f"Persona {n} Apellido", "identifiers": [
            {"scheme": "wikidata", "identifier": f"Q{900000 + n}"}]})
        for term in terms:
            memberships.append({"person_id": f"p{n}", "organization_id": "leg", "legislative_period_id": term["id"],
                                "area_id": f"a{n % 50}", "on_behalf_of_id": f"party{n % 8}"})
        memberships.append({"person_id": f"p{n}", "organization_id": f"party{(n + 1) % 8}",
                            "legislative_period_id": "t2020", "start_date": "2022-06-01"})
    return json.dumps({"persons": persons, "organizations": orgs, "areas": areas, "events": terms,
                       "memberships": memberships})


def run(people: int) -> float:
    folder = tempfile.mkdtemp()

    class Config(TestingConfig):
        SQLALCHEMY_DATABASE_URI = f"sqlite:///{folder}/bench.sqlite3"

    app = create_app(Config)
    with app.app_context():
        db.create_all()
        text = popolo(people)
        began = time.perf_counter()
        options, report, roster = jobs.checked("popolo", {"main": text}, {"country": "PE"})
        assert not report["errors"], report["problems"][:3]
        job = jobs.create_job(fmt="popolo", filename="bench.json", roster=roster, options=options, report=report,
                              actor=None)
        jobs.begin_apply(job, None)
        db.session.commit()
        steps = 0
        while job.status == "running":
            jobs.run_step(db.session.get(ImportJob, job.id), None)
            db.session.commit()
            steps += 1
        elapsed = time.perf_counter() - began
        assert job.status == "done", job.report
        print(f"{people:7,d} people  {steps:3d} steps  {elapsed:7.2f} s")
        db.session.remove()
    return elapsed


if __name__ == "__main__":
    base = int(sys.argv[1]) if len(sys.argv) > 1 else 1500
    times = {k: run(base * k) for k in (1, 2, 4)}
    print(f"ratios: 2x/1x = {times[2] / times[1]:.2f}   4x/1x = {times[4] / times[1]:.2f}   (linear: 2 and 4)")
