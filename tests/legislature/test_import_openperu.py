"""OpenPeru congresistas.json, the real file: counts, quirks, idempotency, broken files."""

import json
from datetime import date

from sqlalchemy import func, select

from crm.extensions import db
from crm.legislature import queries
from crm.legislature.importers import jobs
from crm.legislature.models import (
    Chamber,
    Group,
    GroupMembership,
    Legislator,
    LegislatorIdentifier,
    Legislature,
    SeatMembership,
)
from tests.legislature.conftest import OPENPERU, read, table_counts


def _person(name):
    return db.session.execute(select(Legislator).where(Legislator.full_name == name)).scalar_one()


def test_2011_2016_gives_the_130_seat_congress(import_openperu):
    report = import_openperu("2011-2016")
    assert report["counts"] == {"create": 133, "update": 0, "unchanged": 0}
    legislature = db.session.execute(select(Legislature)).scalar_one()
    assert legislature.name == "Congreso de la República del Perú 2011–2016"
    assert (legislature.start_date, legislature.end_date) == (date(2011, 7, 27), date(2016, 7, 26))
    chamber = db.session.execute(select(Chamber)).scalar_one()
    assert chamber.seats == 130
    # The term ended on 26 July 2016: nobody sits today, 130 sat on the term's last day.
    assert queries.current_members(chamber.id, today=date(2026, 12, 3)) == []
    sitting = queries.current_members(chamber.id, today=date(2016, 7, 26))
    assert len(sitting) == 130
    assert len(queries.current_members(chamber.id, today=date(2016, 7, 27))) == 0
    by_name = {row.full_name: row for row in sitting}
    assert by_name["Verónika Fanny Mendoza Frisch"].district == "Cusco"
    assert by_name["Rosa Delsa Mavila León"].district == "Lima"  # "LIMA" in the file
    assert by_name["Verónika Fanny Mendoza Frisch"].bancada_name == "ACCIÓN POPULAR - FRENTE AMPLIO"


def test_replacements_keep_their_seat_as_ended_history(import_openperu):
    import_openperu("2011-2016")
    diez_canseco = _person("Javier Diez Canseco Cisneros")
    seat = db.session.execute(select(SeatMembership).where(SeatMembership.legislator_id == diez_canseco.id)).scalar_one()
    assert seat.status == "Fallecido"
    assert seat.end_date is not None and seat.end_date <= date(2016, 7, 26)
    assert db.session.execute(select(func.count(SeatMembership.id))).scalar_one() == 133


def test_party_and_bancada_are_separate_groups(import_openperu):
    import_openperu("2011-2016")
    mendoza = _person("Verónika Fanny Mendoza Frisch")
    rows = db.session.execute(
        select(Group.kind, Group.name).join(GroupMembership).where(GroupMembership.legislator_id == mendoza.id)
    ).all()
    assert sorted(rows) == [("bancada", "ACCIÓN POPULAR - FRENTE AMPLIO"), ("party", "Gana Perú")]
    # Trailing spaces are trimmed: "DIGNIDAD Y DEMOCRACIA " becomes one clean group.
    names = db.session.execute(select(Group.name).where(Group.kind == "bancada")).scalars().all()
    assert "DIGNIDAD Y DEMOCRACIA" in names and all(n == n.strip() for n in names)


def test_quirks_are_reported_by_record_and_field(import_openperu):
    report = import_openperu("2016-2021")
    problems = {(p["where"], p["field"]): p for p in report["problems"]}
    implausible = [p for p in report["problems"] if p["field"] == "votation"]
    assert implausible and "8'571,708" in implausible[0]["message"]
    assert all(p["severity"] == "warning" for p in problems.values())
    # Four people appear twice (the 2019 dissolution): one person, two seats.
    assert report["counts"]["create"] == 264
    assert len(report["notes"]) == 4
    costa = _person("Gino Francisco Costa Santolalla")
    seats = db.session.execute(
        select(SeatMembership).where(SeatMembership.legislator_id == costa.id).order_by(SeatMembership.start_date)
    ).scalars().all()
    assert [(s.start_date, s.end_date) for s in seats] == [(date(2016, 7, 1), date(2020, 3, 31)), (date(2020, 4, 1), date(2021, 7, 26))]
    schemes = db.session.execute(
        select(LegislatorIdentifier.value).where(LegislatorIdentifier.legislator_id == costa.id)
    ).scalars().all()
    assert sorted(schemes) == ["734", "901"]
    chamber = db.session.execute(select(Chamber)).scalar_one()
    assert len(queries.current_members(chamber.id, today=date(2021, 7, 26))) == 130


def test_votes_are_parsed_from_text(import_openperu):
    import_openperu("2011-2016")
    seat = db.session.execute(
        select(SeatMembership).join(Legislator).where(Legislator.full_name == "Daniel Fernando Abugattás Majluf")
    ).scalar_one()
    assert seat.votes == 119742


def test_reimport_changes_nothing(import_openperu):
    import_openperu("2011-2016")
    before = table_counts()
    options, report = jobs.dry_run("openperu", {"main": read(OPENPERU)}, {"period": "2011-2016"})
    assert report["counts"] == {"create": 0, "update": 0, "unchanged": 133}
    assert report["structure"] == {}
    again = import_openperu("2011-2016")
    assert again["counts"]["unchanged"] == 133
    after = table_counts()
    assert {k: v for k, v in after.items() if k != "AuditEntry"} == {k: v for k, v in before.items() if k != "AuditEntry"}


def test_broken_file_writes_nothing_and_says_where(import_openperu):
    import_openperu("2011-2016")
    data = json.loads(read(OPENPERU))
    rows = data["Parlamentario 2011 - 2016"]
    rows[4]["nombre"] = "   "
    rows[0]["party_name"] = "Partido Nuevo"  # would be an update if the file were accepted
    before = table_counts()
    report = jobs.apply_all("openperu", {"main": json.dumps(data)}, {"period": "2011-2016"})
    db.session.commit()
    assert report["errors"] == 1
    assert report["problems"][0]["where"].startswith("registro 5") and report["problems"][0]["field"] == "nombre"
    assert table_counts() == before


def test_unknown_period_lists_the_available_ones():
    import pytest

    from crm.legislature.importers import ImportFailed

    with pytest.raises(ImportFailed, match="2011-2016"):
        jobs.dry_run("openperu", {"main": read(OPENPERU)}, {"period": "1980-1985"})
