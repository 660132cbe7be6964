"""The Popolo and plain CSV importers on small files written for the tests."""

from datetime import date

import pytest
from sqlalchemy import func, select

from crm.extensions import db
from crm.legislature import queries
from crm.legislature.importers import ImportFailed, jobs
from crm.legislature.models import (
    Chamber,
    Committee,
    CommitteeMembership,
    Group,
    GroupMembership,
    Legislator,
)
from tests.legislature.conftest import FIXTURES, read, table_counts

OPTIONS = {"legislature": "Congreso de prueba 2026–2031", "country": "PE"}


def _apply(fmt, text, **options):
    report = jobs.apply_all(fmt, {"main": text}, {**OPTIONS, **options})
    db.session.commit()
    return report


def test_popolo_persons_organizations_memberships():
    report = _apply("popolo", read(FIXTURES / "popolo_sample.json"))
    assert report["errors"] == 0 and report["counts"]["create"] == 3
    chamber = db.session.execute(select(Chamber)).scalar_one()
    assert (chamber.name, chamber.seats) == ("Cámara de Diputados", 130)
    rows = {r.full_name: r for r in queries.current_members(chamber.id, today=date(2026, 11, 1))}
    assert set(rows) == {"Ana Lucía Quispe Mamani", "José Ramírez Torres"}  # Carmen left on 2026-10-01
    # Her switch to Bancada Independiente is dated 2027-03-01: on 1 November 2026 she is still in Bancada Verde.
    assert rows["Ana Lucía Quispe Mamani"].bancada_name == "Bancada Verde"
    later = {r.full_name: r for r in queries.current_members(chamber.id, today=date(2027, 3, 2))}
    assert later["Ana Lucía Quispe Mamani"].bancada_name == "Bancada Independiente"
    ana = db.session.execute(select(Legislator).where(Legislator.full_name.like("Ana%"))).scalar_one()
    assert (ana.email, ana.phone, ana.district) == ("aquispe@example.org", "+51 1 311 7000", "Cusco")
    assert ana.gender == "F"  # "female" in the file
    history = db.session.execute(
        select(Group.name, Group.kind, GroupMembership.start_date, GroupMembership.end_date)
        .join(GroupMembership).where(GroupMembership.legislator_id == ana.id).order_by(Group.kind, GroupMembership.start_date)
    ).all()
    assert history == [
        ("Bancada Verde", "bancada", date(2026, 7, 28), date(2027, 3, 1)),
        ("Bancada Independiente", "bancada", date(2027, 3, 1), None),
        ("Partido Verde Andino", "party", date(2026, 7, 28), None),
    ]
    role = db.session.execute(
        select(CommitteeMembership.role).where(CommitteeMembership.legislator_id == ana.id)
    ).scalar_one()
    assert role == "chair"
    again = _apply("popolo", read(FIXTURES / "popolo_sample.json"))
    assert again["counts"] == {"create": 0, "update": 0, "unchanged": 3}


def test_popolo_broken_membership_names_the_record():
    text = read(FIXTURES / "popolo_sample.json").replace('"person_id": "p-3"', '"person_id": "p-404"')
    before = table_counts()
    report = _apply("popolo", text)
    assert report["errors"] == 1
    assert report["problems"][0]["where"] == "memberships[7]" and report["problems"][0]["field"] == "person_id"
    assert table_counts() == before


def test_popolo_not_json():
    with pytest.raises(ImportFailed, match="JSON"):
        jobs.dry_run("popolo", {"main": "{persons: ["}, OPTIONS)


def test_plain_csv_documented_format():
    report = _apply("csv", read(FIXTURES / "plain.csv"))
    assert report["errors"] == 0 and report["counts"]["create"] == 3
    chambers = {c.name: c.seats for c in db.session.execute(select(Chamber)).scalars()}
    assert chambers == {"Cámara de Diputados": 130, "Senado": 60}
    committee = db.session.execute(select(Committee)).scalar_one()
    assert committee.name == "Comisión de Justicia y Derechos Humanos"
    members = queries.current_members(committee_id=committee.id)
    assert {(m.full_name, m.role) for m in members} == {
        ("Ana Lucía Quispe Mamani", "chair"), ("José Ramírez Torres", "member"),
    }
    # Rows without identifiers are matched by normalised name within the legislature.
    shouted = read(FIXTURES / "plain.csv").replace("José Ramírez Torres", "JOSE  RAMIREZ TORRES ")
    again = _apply("csv", shouted)
    assert again["counts"]["create"] == 0
    assert db.session.execute(select(func.count(Legislator.id))).scalar_one() == 3


def test_plain_csv_errors_by_line_and_field():
    text = read(FIXTURES / "plain.csv").replace("2026-07-28,,,wikidata", "28/07/2026,,,wikidata")
    text = text.replace("José Ramírez Torres,José", ",José")
    before = table_counts()
    report = _apply("csv", text)
    found = {(p["where"], p["field"]) for p in report["problems"] if p["severity"] == "error"}
    assert found == {("línea 2", "start_date"), ("línea 3", "full_name")}
    assert table_counts() == before


def test_plain_csv_unknown_column_is_refused():
    with pytest.raises(ImportFailed, match="desconocidas: apodo"):
        jobs.dry_run("csv", {"main": "full_name,apodo\nAna,Anita\n"}, OPTIONS)


def test_new_chamber_needs_seats():
    _, report = jobs.dry_run("csv", {"main": "full_name\nAna Pérez\n"}, {**OPTIONS, "chamber": "Pleno"})
    assert report["errors"] == 1 and report["problems"][0]["field"] == "seats"


def test_dry_run_details_name_what_changes():
    _apply("csv", "full_name,chamber,chamber_seats,email\nAna Pérez,Pleno,130,ana@example.org\n")
    text = "full_name,chamber,email,phone,bancada\nAna Pérez,Pleno,ana@example.pe,+51 1 311 7000,Bancada Verde\n"
    _, report = jobs.dry_run("csv", {"main": text}, OPTIONS)
    assert report["counts"]["update"] == 1
    assert report["details"] == [{"where": "línea 2", "name": "Ana Pérez", "changes": ["email", "groups", "phone"]}]


def test_plain_csv_reports_every_error_of_a_row_in_the_users_language(app):
    from flask_babel import force_locale

    text = (
        "full_name,chamber_seats,email,birth_date,start_date,committees\n"
        "Ana Pérez,130,no-es-correo,1970-02-30,2011-13-01,Comisión X=boss\n"
    )
    _, report = jobs.dry_run("csv", {"main": text}, OPTIONS)
    found = {p["field"]: p["message"] for p in report["problems"] if p["severity"] == "error"}
    assert set(found) == {"email", "birth_date", "start_date", "committees"}
    assert found["start_date"] == "«2011-13-01» no es una fecha AAAA-MM-DD."
    assert "Rol «boss» no válido" in found["committees"]
    assert not any("must be" in m or "callable" in m for m in found.values())
    with app.test_request_context(), force_locale("en"):
        _, english = jobs.dry_run("csv", {"main": text}, OPTIONS)
    messages = [p["message"] for p in english["problems"] if p["severity"] == "error"]
    assert len(messages) == 4
    assert any("is not a date" in m or "YYYY-MM-DD" in m for m in messages), messages
    assert not any("no es" in m or "no válido" in m for m in messages), messages
