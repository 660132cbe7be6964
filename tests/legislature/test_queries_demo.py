"""current_members() for other domains, and the demo data."""

import time
from datetime import date, timedelta

from sqlalchemy import func, select

from crm.extensions import db
from crm.legislature import demo, queries
from crm.legislature.models import (
    Aide,
    Chamber,
    CommitteeMembership,
    Group,
    GroupMembership,
    Legislator,
    SeatMembership,
)


def test_current_members_semantics(make_legislators, count_queries):
    chamber, people = make_legislators(4, prefix="Sesión")
    yesterday, tomorrow = date.today() - timedelta(days=1), date.today() + timedelta(days=1)
    seats = {s.legislator_id: s for s in db.session.execute(select(SeatMembership)).scalars()}
    seats[people[0].id].end_date = yesterday  # left: not sitting
    seats[people[1].id].end_date = tomorrow  # still sitting today
    other = Group(legislature_id=chamber.legislature_id, kind="bancada", name="Otra Bancada")
    db.session.add(other)
    db.session.flush()
    gm = db.session.execute(select(GroupMembership).where(GroupMembership.legislator_id == people[2].id)).scalar_one()
    gm.end_date = date(2026, 1, 1)
    db.session.add(GroupMembership(legislator_id=people[2].id, group_id=other.id, start_date=date(2026, 1, 1)))
    db.session.commit()
    chamber_id = chamber.id
    with count_queries() as sql:
        rows = queries.current_members(chamber_id=chamber_id)
    assert len(sql) == 1
    assert [r.full_name for r in rows] == ["Sesión 001", "Sesión 002", "Sesión 003"]
    assert {r.full_name: r.bancada_name for r in rows}["Sesión 002"] == "Otra Bancada"
    assert rows[0].chamber_id == chamber_id


def test_demo_loads_real_roster_and_bicameral_congress(make_user):
    context = {"users": {"officer": make_user("officer"), "officer2": make_user("officer"),
                         "director": make_user("director")}}
    started = time.monotonic()
    demo.load(context)
    db.session.commit()
    assert time.monotonic() - started < 10
    assert context["peru_2011"].name == "Congreso de la República del Perú 2011–2016"
    assert context["peru_2011_chamber"].seats == 130
    # The 2011–2016 Congress ended on 26 July 2016: its 130 sat then, none sits today.
    assert context["peru_2011"].terms[0].end_date == date(2016, 7, 26)
    assert len(queries.current_members(context["peru_2011_chamber"].id, today=date(2016, 7, 26))) == 130
    assert queries.current_members(context["peru_2011_chamber"].id, today=date(2016, 7, 27)) == []
    assert {c.name: c.seats for c in db.session.execute(
        select(Chamber).where(Chamber.legislature_id == context["peru_2026"].id)).scalars()} == {
        "Cámara de Diputados": 130, "Senado": 60}
    assert context["diputados"].seats == 130 and context["senado"].seats == 60
    for key in ("justice_committee_2011", "justice_committee_2026"):
        assert context[key].name == "Comisión de Justicia y Derechos Humanos" and context[key].is_demo
    justice = queries.current_members(committee_id=context["justice_committee_2011"].id, today=date(2015, 1, 1))
    assert {"Verónika Fanny Mendoza Frisch", "Rosa Delsa Mavila León"} <= {r.full_name for r in justice}
    assert all(cm.is_demo for cm in db.session.execute(select(CommitteeMembership)).scalars())
    # Real people are not demo; invented ones are, and say so in their name.
    mendoza = context["mendoza"]
    assert not mendoza.is_demo and mendoza.owner_is_demo and mendoza.owner_user_id == context["users"]["officer"].id
    invented = db.session.execute(select(Legislator).where(Legislator.is_demo.is_(True))).scalars().all()
    assert len(invented) == 190 and all(leg.full_name.startswith("Demo ") for leg in invented)
    assert all(a.is_demo for a in db.session.execute(select(Aide)).scalars())
    assert db.session.execute(select(func.count(Legislator.id))).scalar_one() == 133 + 190
