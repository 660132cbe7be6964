"""Rosters from anywhere: terms, districts, deaths and switches from Popolo; identity that stays in its legislature."""

from datetime import date

from sqlalchemy import select

from crm.extensions import db
from crm.legislature import queries
from crm.legislature.importers import jobs
from crm.legislature.models import (
    Chamber,
    Group,
    GroupMembership,
    LegislativeTerm,
    Legislator,
    Legislature,
    SeatMembership,
)
from tests.legislature.conftest import FIXTURES, read, table_counts

TERMS = FIXTURES / "popolo_terms.json"


def _apply(path, today=date(2026, 1, 15), **options):
    report = jobs.apply_all("popolo", {"main": read(path)}, {"country": "PE", **options}, today=today)
    db.session.commit()
    return report


def _person(name):
    return db.session.execute(select(Legislator).where(Legislator.full_name == name)).scalar_one()


def test_legislative_periods_become_terms_and_date_the_seats():
    report = _apply(TERMS)
    assert report["errors"] == 0, report["problems"]
    legislature = db.session.execute(select(Legislature)).scalar_one()
    assert legislature.name == "Congreso de Prueba"  # from the file's "legislature" organization
    terms = db.session.execute(select(LegislativeTerm.label, LegislativeTerm.start_date, LegislativeTerm.end_date)
                               .order_by(LegislativeTerm.start_date)).all()
    assert terms == [("Periodo 2011–2016", date(2011, 7, 27), date(2016, 7, 26)),
                     ("Periodo 2016–2021", date(2016, 7, 27), date(2021, 7, 26)),
                     ("Periodo 2021–2026", date(2021, 7, 27), None)]
    seats = db.session.execute(select(SeatMembership.start_date, SeatMembership.end_date, SeatMembership.district)
                               .where(SeatMembership.legislator_id == _person("Verónika Mendoza").id)
                               .order_by(SeatMembership.start_date)).all()
    assert seats == [(date(2011, 7, 27), date(2016, 7, 26), "Cusco"), (date(2016, 7, 27), date(2021, 7, 26), "Cusco"),
                     (date(2021, 7, 27), None, "Cusco")]
    assert _person("Verónika Mendoza").district == "Cusco"
    chamber = db.session.execute(select(Chamber)).scalar_one()
    sitting = {r.full_name for r in queries.current_members(chamber.id, today=date(2026, 1, 15))}
    assert sitting == {"Verónika Mendoza", "Luis Quispe", "Carmen Díaz"}  # 3 seats, 3 sitting
    assert len(sitting) <= chamber.seats


def test_a_death_date_ends_open_memberships():
    _apply(TERMS)
    rosa = _person("Rosa Mavila")
    ends = db.session.execute(select(SeatMembership.end_date).where(SeatMembership.legislator_id == rosa.id)
                              .order_by(SeatMembership.start_date)).scalars().all()
    assert ends == [date(2016, 7, 26), date(2018, 5, 10)]
    chamber = db.session.execute(select(Chamber)).scalar_one()
    assert "Rosa Mavila" not in {r.full_name for r in queries.current_members(chamber.id, today=date(2019, 1, 1))}


def test_dated_switch_closes_undated_switch_stays_open_and_reimport_another_day_changes_nothing():
    _apply(TERMS, today=date(2026, 1, 15))
    history = db.session.execute(
        select(Group.name, GroupMembership.start_date, GroupMembership.end_date).join(GroupMembership)
        .where(GroupMembership.legislator_id == _person("Verónika Mendoza").id, Group.kind == "party")
        .order_by(GroupMembership.start_date)).all()
    assert history[-2:] == [("Partido Verde", date(2021, 7, 27), date(2023, 3, 1)), ("Partido Rojo", date(2023, 3, 1), None)]
    luis = db.session.execute(
        select(Group.name, GroupMembership.end_date).join(GroupMembership)
        .where(GroupMembership.legislator_id == _person("Luis Quispe").id, GroupMembership.end_date.is_(None))
        .order_by(Group.name)).all()
    assert luis == [("Partido Azul", None), ("Partido Verde", None)]  # never closed "today"
    again = _apply(TERMS, today=date(2026, 9, 30))
    assert again["counts"] == {"create": 0, "update": 0, "unchanged": 5}, again["details"]


def test_period_picks_one_term():
    _, report = jobs.dry_run("popolo", {"main": read(TERMS)}, {"country": "PE", "period": "2011-2016"})
    assert report["errors"] == 0 and report["total"] == 3  # Verónika, Rosa, Juan
    report = _apply(TERMS, period="term/2016")
    assert report["counts"]["create"] == 3  # Verónika, Rosa, Luis
    assert db.session.execute(select(LegislativeTerm.label)).scalars().all() == ["Periodo 2016–2021"]


def test_unused_organization_without_id_is_a_warning():
    _, report = jobs.dry_run("popolo", {"main": read(TERMS)}, {"country": "PE"})
    warnings = [p for p in report["problems"] if p["where"] == "organizations[4]"]
    assert report["errors"] == 0 and warnings and warnings[0]["severity"] == "warning"


def test_second_country_with_colliding_ids_leaves_the_first_untouched():
    _apply(FIXTURES / "popolo_collide_pe.json")
    before = {leg.id: (leg.full_name, leg.email) for leg in db.session.execute(select(Legislator)).scalars()}
    _, dry = jobs.dry_run("popolo", {"main": read(FIXTURES / "popolo_collide_bg.json")}, {})
    assert dry["counts"] == {"create": 5, "update": 0, "unchanged": 0} and dry["errors"] == 0
    report = jobs.apply_all("popolo", {"main": read(FIXTURES / "popolo_collide_bg.json")}, {})
    db.session.commit()
    assert report["counts"]["create"] == 5
    after = {leg.id: (leg.full_name, leg.email) for leg in db.session.execute(select(Legislator)).scalars()}
    assert {k: after[k] for k in before} == before
    bulgaria = db.session.execute(select(Legislature).where(Legislature.country == "BG")).scalar_one()
    assert bulgaria.name == "Народно събрание"
    # Both re-import as no-ops, each matching its own people by its own ids.
    for name in ("pe", "bg"):
        again = jobs.apply_all("popolo", {"main": read(FIXTURES / f"popolo_collide_{name}.json")}, {"country": "PE"})
        assert again["counts"]["unchanged"] == 5, again


def test_many_renames_need_allow_renames():
    _apply(FIXTURES / "popolo_collide_pe.json")
    text = read(FIXTURES / "popolo_collide_bg.json").replace("Народно събрание", "Congreso de la República del Perú")
    before = table_counts()
    _, report = jobs.dry_run("popolo", {"main": text}, {})
    assert report["errors"] == 1 and report["problems"][-1]["field"] == "allow_renames"
    assert {"where": "persons[0] (1)", "old": "AMADOR MOLINA", "new": "IVAN ATANASOV KOLCHAKOV"} in report["renames"]
    assert jobs.apply_all("popolo", {"main": text}, {})["errors"] == 1
    db.session.commit()
    assert table_counts() == before
    report = jobs.apply_all("popolo", {"main": text}, {"allow_renames": True})
    assert report["errors"] == 0 and report["counts"]["update"] == 5


def test_duplicate_identifiers_name_both_people():
    text = read(FIXTURES / "popolo_terms.json").replace('"name": "Juan Pérez"',
                                                        '"name": "Juan Pérez", "identifiers": [{"scheme": "wikidata", "identifier": "Q7922001"}]')
    _, report = jobs.dry_run("popolo", {"main": text}, {"country": "PE"})
    errors = [p for p in report["problems"] if p["severity"] == "error"]
    assert len(errors) == 1 and "Verónika Mendoza" in errors[0]["message"] and "Juan Pérez" in errors[0]["message"]


def test_duplicate_person_id_is_one_error_not_a_cascade():
    text = read(FIXTURES / "popolo_terms.json").replace('"id": "p3"', '"id": "p2"')
    _, report = jobs.dry_run("popolo", {"main": text}, {"country": "PE"})
    errors = [p for p in report["problems"] if p["severity"] == "error"]
    assert errors[0]["where"] == "persons[2]" and "Rosa Mavila" in errors[0]["message"]
    # Juan's memberships now point at a missing "p3"; Rosa's ("p2") are never reported as missing.
    assert not [p for p in errors if "«p2» no existe" in p["message"]]


def test_country_is_required_and_validated():
    _, report = jobs.dry_run("csv", {"main": "full_name\nAna Pérez\n"}, {"legislature": "X", "seats": 5})
    assert [p["field"] for p in report["problems"]] == ["country"]
    _, report = jobs.dry_run("csv", {"main": "full_name\nAna Pérez\n"}, {"legislature": "X", "seats": 5,
                                                                         "country": "Germany"})
    assert "DE" in report["problems"][0]["message"] and "Germany" in report["problems"][0]["message"]
    _, report = jobs.dry_run("csv", {"main": "full_name\nAna Pérez\n"}, {"legislature": "X", "seats": 5,
                                                                         "country": "de"})
    assert report["errors"] == 0


def test_seats_option_fills_a_popolo_chamber_and_the_cap_fits_china():
    text = '{"organizations": [{"id": "c", "classification": "chamber", "name": "NPC"}], "persons": [{"id": "1", "name": "Li"}], "memberships": [{"person_id": "1", "organization_id": "c"}]}'
    report = jobs.apply_all("popolo", {"main": text}, {"country": "CN", "legislature": "NPC", "seats": 2987})
    assert report["errors"] == 0
    assert db.session.execute(select(Chamber.seats)).scalar_one() == 2987


def test_more_sitting_than_seats_is_warned():
    text = read(TERMS).replace('"seats": 3', '"seats": 2')
    _, report = jobs.dry_run("popolo", {"main": text}, {"country": "PE"}, today=date(2026, 1, 15))
    assert any(p["field"] == "seats" and "3" in p["message"] for p in report["problems"])


def test_bad_dates_show_the_value_in_spanish():
    text = read(TERMS).replace('"start_date": "2023-03-01"', '"start_date": "2023-13-01"')
    _, report = jobs.dry_run("popolo", {"main": text}, {"country": "PE"})
    problem = next(p for p in report["problems"] if p["severity"] == "error")
    assert problem["field"] == "start_date" and "2023-13-01" in problem["message"] and "month" not in problem["message"]
