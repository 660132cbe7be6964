"""Demo data for the legislature domain; everything invented is flagged is_demo.

Real: Peru's 2011-2016 Congress from the shipped OpenPeru copy (data/openperu, MIT, see ATTRIBUTION.md).
Invented (is_demo): the Justice committee memberships, relationship owners, aides, and every member of the
bicameral 2026-2031 Congress, whose names all start with "Demo".
"""

import random
from datetime import date
from pathlib import Path

from sqlalchemy import select, update

from crm.core.time import local_today
from crm.extensions import db
from crm.legislature.importers import Sync, default_options
from crm.legislature.importers.openperu import parse as parse_openperu
from crm.legislature.importers.records import (
    ChamberRecord,
    GroupRecord,
    PersonRecord,
    Roster,
    SeatRecord,
)
from crm.legislature.models import (
    Aide,
    Chamber,
    Committee,
    CommitteeMembership,
    Legislator,
    LegislatorIdentifier,
    Legislature,
    SeatMembership,
)

DATA = Path(__file__).parent / "data" / "openperu" / "congresistas.json"
PERU_2011 = "Congreso de la República del Perú 2011–2016"
PERU_2026 = "Congreso de la República del Perú 2026–2031"
JUSTICE = "Comisión de Justicia y Derechos Humanos"
# Real members of the 2011-2016 Congress placed on the demo Justice committee (the roles are invented).
JUSTICE_2011 = (
    ("Rosa Delsa Mavila León", "chair"),
    ("Verónika Fanny Mendoza Frisch", "vice_chair"),
    ("María Soledad Pérez Tello De Rodríguez", "secretary"),
    ("Daniel Fernando Abugattás Majluf", "member"),
    ("Luz Filomena Salgado Rubianes", "member"),
    ("Juan Carlos Eguren Neuenschwander", "member"),
    ("Angel Javier Velásquez Quesquén", "member"),
    ("Yonhy Lescano Ancieta", "member"),
    ("Martha Gladys Chávez Cossío", "member"),
    ("Humberto Lay Sun", "member"),
    ("Cecilia Isabel Chacón De Vettori", "member"),
)
DISTRICTS = (
    "Amazonas", "Áncash", "Apurímac", "Arequipa", "Ayacucho", "Cajamarca", "Callao", "Cusco", "Huancavelica",
    "Huánuco", "Ica", "Junín", "La Libertad", "Lambayeque", "Lima Metropolitana", "Lima Provincias", "Loreto",
    "Madre de Dios", "Moquegua", "Pasco", "Piura", "Puno", "San Martín", "Tacna", "Tumbes", "Ucayali",
    "Peruanos en el Extranjero",
)
BANCADAS_2026 = (
    ("Bancada Demo Progresista", 0.18), ("Bancada Demo Liberal", 0.14), ("Bancada Demo Popular", 0.22),
    ("Bancada Demo Conservadora", 0.2), ("Bancada Demo Regional", 0.16), ("No agrupados (demo)", 0.1),
)
GIVEN = ("Ana", "Luis", "Rosa", "Jorge", "María", "Carlos", "Elena", "Pedro", "Lucía", "Miguel", "Julia", "Raúl",
         "Carmen", "José", "Sofía", "Víctor", "Patricia", "Hugo", "Gladys", "Iván")
FAMILY = ("Quispe", "Huamán", "Flores", "Mamani", "Rojas", "Torres", "Vargas", "Castillo", "Chávez", "Ramos",
          "Díaz", "Sánchez", "Mendoza", "Ccori", "Paredes", "Salazar", "Cárdenas", "Villanueva", "Apaza", "Ríos")


def _find(chamber_id: int, names) -> dict:
    rows = db.session.execute(
        select(Legislator).join(SeatMembership, SeatMembership.legislator_id == Legislator.id)
        .where(SeatMembership.chamber_id == chamber_id, Legislator.full_name.in_(names))
    ).scalars()
    return {leg.full_name: leg for leg in rows}


def _load_2011(context, today) -> None:
    options = default_options("openperu", {"period": "2011-2016", "legislature": PERU_2011})
    roster = parse_openperu({"main": DATA.read_text(encoding="utf-8")}, options, today)
    sync = Sync(roster, options, write=True, today=today)
    sync.prepare()
    sync.run()
    chamber = sync.chambers["main"]
    committee = Committee(chamber_id=chamber.id, name=JUSTICE, is_demo=True)
    db.session.add(committee)
    db.session.flush()
    people = _find(chamber.id, [name for name, _ in JUSTICE_2011])
    for name, role in JUSTICE_2011:
        if name in people:
            db.session.add(CommitteeMembership(
                legislator_id=people[name].id, committee_id=committee.id, role=role,
                start_date=date(2011, 8, 15), end_date=sync.term.end_date, is_demo=True,
            ))
    users = context.get("users", {})
    owners = {
        "Verónika Fanny Mendoza Frisch": users.get("officer"), "Rosa Delsa Mavila León": users.get("officer"),
        "María Soledad Pérez Tello De Rodríguez": users.get("officer2"), "Luz Filomena Salgado Rubianes": users.get("director"),
        "Daniel Fernando Abugattás Majluf": users.get("officer2"),
    }
    for name, user in owners.items():
        if user is not None and name in people:
            people[name].owner_user_id, people[name].owner_is_demo = user.id, True
    for name, aide, title in (
        ("Verónika Fanny Mendoza Frisch", "Demo · Carla Asesora Ruiz", "Asesora legislativa"),
        ("Rosa Delsa Mavila León", "Demo · Mario Asesor Pinto", "Jefe de despacho"),
    ):
        if name in people:
            db.session.add(Aide(legislator_id=people[name].id, name=aide, title=title,
                                email=f"{aide.split()[2].lower()}@cabildeo.demo", phone="+51 1 311-7777", is_demo=True))
    context.update(
        peru_2011=sync.legislature, peru_2011_chamber=chamber, justice_committee_2011=committee,
        mendoza=people.get("Verónika Fanny Mendoza Frisch"), mavila=people.get("Rosa Delsa Mavila León"),
    )


def _demo_roster(rng) -> Roster:
    roster = Roster(period_label="2026–2031", legislature_start=date(2026, 7, 28), legislature_end=date(2031, 7, 26))
    roster.chambers["diputados"] = ChamberRecord("Cámara de Diputados", 130)
    roster.chambers["senado"] = ChamberRecord("Senado", 60)
    names, weights = zip(*BANCADAS_2026, strict=True)
    for key, count, prefix in (("diputados", 130, "D"), ("senado", 60, "S")):
        for n in range(1, count + 1):
            given, family = rng.choice(GIVEN), f"{rng.choice(FAMILY)} {rng.choice(FAMILY)}"
            district = DISTRICTS[(n - 1) % len(DISTRICTS)] if key == "diputados" else rng.choice(DISTRICTS)
            person = PersonRecord(
                where=f"demo {prefix}{n:03d}", full_name=f"Demo {given} {family}",
                identifiers=[("demo", f"2026-{prefix}{n:03d}")], given_name=f"Demo {given}", family_name=family,
                sort_name=f"{family}, Demo {given}", gender="F" if given[-1] == "a" else "M", district=district,
            )
            person.seats.append(SeatRecord(key, district, date(2026, 7, 28)))
            person.groups.append(GroupRecord("bancada", rng.choices(names, weights)[0], date(2026, 7, 28)))
            roster.persons.append(person)
    return roster


def _load_2026(context, today, rng) -> None:
    roster = _demo_roster(rng)
    sync = Sync(roster, {"legislature": PERU_2026, "country": "PE"}, write=True, today=today)
    sync.prepare()
    sync.run()
    sync.legislature.is_demo = True
    diputados, senado = sync.chambers["diputados"], sync.chambers["senado"]
    ids = select(LegislatorIdentifier.legislator_id).where(LegislatorIdentifier.scheme == "demo")
    db.session.execute(update(Legislator).where(Legislator.id.in_(ids)).values(is_demo=True))
    committee = Committee(chamber_id=diputados.id, name=JUSTICE, is_demo=True)
    db.session.add(committee)
    db.session.flush()
    members = db.session.execute(
        select(SeatMembership.legislator_id).where(SeatMembership.chamber_id == diputados.id)
        .order_by(SeatMembership.legislator_id).limit(15)
    ).scalars().all()
    for index, legislator_id in enumerate(members):
        role = ("chair", "vice_chair", "secretary")[index] if index < 3 else "member"
        db.session.add(CommitteeMembership(legislator_id=legislator_id, committee_id=committee.id, role=role,
                                           start_date=date(2026, 8, 20), end_date=sync.term.end_date, is_demo=True))
    db.session.flush()
    context.update(peru_2026=sync.legislature, diputados=diputados, senado=senado, justice_committee_2026=committee)


def load(context: dict) -> None:
    """Add this domain's demo rows to the session; crm.demo commits once at the end."""
    today = local_today(None)
    _load_2011(context, today)
    _load_2026(context, today, random.Random(2026))
    db.session.flush()
    assert isinstance(context["peru_2011_chamber"], Chamber) and isinstance(context["peru_2026"], Legislature)
