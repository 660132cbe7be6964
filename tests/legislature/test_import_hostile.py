"""Hostile inputs end with one clear error, write nothing, and web jobs always finish."""

import importlib.util
from pathlib import Path

import pytest

from crm.extensions import db
from crm.legislature.importers import ImportFailed, jobs
from crm.legislature.models import ImportJob
from tests.legislature.conftest import FIXTURES, read, table_counts

CSV_OPTIONS = {"country": "PE", "legislature": "X", "seats": 5}


@pytest.mark.parametrize(("fmt", "name", "options", "expected"), [
    ("popolo", "hostile_deep.json", {}, "anida más de 64 niveles"),
    ("popolo", "hostile_seats.json", {"country": "PE"}, "«1000000000000000000000000000000» es demasiado grande"),
    ("popolo", "hostile_number.json", {}, "es demasiado grande"),
    ("csv", "hostile_field.csv", CSV_OPTIONS, "línea 2: un campo supera 128 KB"),
    ("congress-legislators", "hostile_laughs.yaml", {}, r"los alias de YAML \(«\*a»\) no se admiten"),
])
def test_hostile_input_is_one_clear_error(fmt, name, options, expected):
    before = table_counts()
    with pytest.raises(ImportFailed, match=expected):
        jobs.apply_all(fmt, {"main": read(FIXTURES / name)}, options)
    assert table_counts() == before


def test_seats_beyond_the_cap_are_refused_by_the_dry_run():
    text = read(FIXTURES / "hostile_seats.json").replace("1000000000000000000000000000000", "5000")
    _, report = jobs.dry_run("popolo", {"main": text}, {"country": "PE", "legislature": "X"})
    assert report["errors"] == 1 and report["problems"][0]["field"] == "seats" and "5000" in report["problems"][0]["message"]


def test_broken_json_is_named_in_spanish():
    with pytest.raises(ImportFailed) as failure:
        jobs.dry_run("popolo", {"main": '{"persons": [\n  {"id": 1,, }]}'}, {"country": "PE"})
    assert "línea 2" in str(failure.value) and "Expecting" not in str(failure.value)


def test_a_web_step_that_breaks_ends_the_job_as_failed(make_user, monkeypatch):
    admin = make_user(role="admin")
    options, report, roster = jobs.checked("popolo", {"main": read(FIXTURES / "popolo_terms.json")}, {"country": "PE"})
    job = jobs.create_job(fmt="popolo", filename="x.json", roster=roster, options=options, report=report, actor=admin)
    jobs.begin_apply(job, admin)
    db.session.commit()

    def explode(*args, **kwargs):
        raise OverflowError("Python int too large to convert to SQLite INTEGER")

    monkeypatch.setattr(jobs.Sync, "run", explode)
    jobs.run_step(job, admin)
    db.session.commit()
    job = db.session.get(ImportJob, job.id)
    assert job.status == "failed" and job.finished_at is not None
    assert "error interno" in job.report["problems"][0]["message"]


def _bench():
    path = Path(__file__).resolve().parents[2] / "bench" / "hostile_imports.py"
    spec = importlib.util.spec_from_file_location("hostile_imports", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("case", ["deep JSON nesting", "YAML billion laughs", "CSV field of 200 KB"])
def test_hostile_input_in_bounded_memory_and_time(case):
    bench = _bench()
    result = bench.measure(*bench.CASES[case])
    assert result["peak_mb"] is not None and result["peak_mb"] < 200, result
    assert result["seconds"] < 10, result
