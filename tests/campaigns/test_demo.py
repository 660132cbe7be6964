"""The demo campaign on a small stand-in for the legislature demo (the real one lives in its own domain)."""

from datetime import date, timedelta

from sqlalchemy import select

from crm.campaigns import demo, queries
from crm.campaigns.models import Campaign, StanceAssessment
from crm.core.text import fold
from crm.core.time import utcnow
from crm.extensions import db
from crm.legislature.models import Chamber, Committee, CommitteeMembership, Legislator, Legislature, SeatMembership


def person(name):
    row = Legislator(full_name=name, sort_name=name, search_name=fold(name))
    db.session.add(row)
    db.session.flush()
    return row


def seat(legislator, chamber, start, end=None):
    db.session.add(SeatMembership(legislator_id=legislator.id, chamber_id=chamber.id, start_date=start, end_date=end))


def legislature_context(make_user):
    peru_2011 = Legislature(name="Congreso de la República", country="PE", period_label="2011-2016",
                            start_date=date(2011, 7, 27), end_date=date(2016, 7, 26))
    peru_2026 = Legislature(name="Congreso bicameral", country="PE", period_label="2026-2031", start_date=date(2026, 7, 27))
    db.session.add_all([peru_2011, peru_2026])
    db.session.flush()
    chamber = Chamber(legislature_id=peru_2011.id, name="Congreso", seats=130)
    diputados = Chamber(legislature_id=peru_2026.id, name="Cámara de Diputados", seats=130)
    senado = Chamber(legislature_id=peru_2026.id, name="Senado", seats=60)
    db.session.add_all([chamber, diputados, senado])
    db.session.flush()
    justice = Committee(chamber_id=chamber.id, name="Comisión de Justicia y Derechos Humanos")
    db.session.add(justice)
    db.session.flush()
    term = (date(2011, 7, 27), date(2016, 7, 26))
    mendoza, mavila = person("Verónika Fanny Mendoza Frisch"), person("Rosa Delsa Mavila León")
    for p in (mendoza, mavila, *(person(f"Congresista {i}") for i in range(8))):
        seat(p, chamber, *term)
    db.session.add(CommitteeMembership(legislator_id=mavila.id, committee_id=justice.id, start_date=term[0], end_date=term[1]))
    for i in range(12):
        seat(person(f"Diputada {i}"), diputados, date(2026, 7, 27))
    for i in range(6):
        seat(person(f"Senadora {i}"), senado, date(2026, 7, 27))
    db.session.flush()
    users = {"director": make_user("director"), "admin": make_user("admin")}
    return {"users": users, "peru_2011": peru_2011, "peru_2011_chamber": chamber, "peru_2026": peru_2026,
            "diputados": diputados, "senado": senado, "justice_committee_2011": justice}, mendoza, mavila


def test_demo_campaign_stages_and_public_supporters(make_user):
    context, mendoza, mavila = legislature_context(make_user)
    demo.load(context)
    db.session.flush()
    campaign = context["campaign"]
    assert campaign.name == "Déjala Decidir: despenalizar el aborto en casos de violación" and campaign.is_demo
    stages = context["stages"]
    assert [s.name for s in stages] == [
        "Comisión de Justicia y Derechos Humanos (2011–2016)", "Pleno del Congreso (2011–2016)", "Cámara de Diputados", "Senado",
    ]
    _campaign, bodies = queries.campaign_with_bodies(campaign.id)
    assert [queries.needed_for(b.stage, b.legal_seats) for b in bodies[1:]] == [66, 66, 31]
    for legislator in (mendoza, mavila):
        rows = db.session.execute(select(StanceAssessment).where(StanceAssessment.legislator_id == legislator.id)).scalars().all()
        assert len(rows) == 1
        assert (rows[0].level, rows[0].commitment, rows[0].is_demo) == ("supporter", "public", False)
        assert "Déjala Decidir" in rows[0].evidence and "2012–2013" in rows[0].evidence
    others = db.session.execute(
        select(StanceAssessment).where(StanceAssessment.legislator_id.not_in([mendoza.id, mavila.id]))
    ).scalars().all()
    assert others and all(a.is_demo for a in others)
    recent = [a for a in others if a.assessed_at > utcnow() - timedelta(weeks=17)]
    assert {a.assessed_at.isocalendar()[1] for a in recent} and len({a.assessed_at.date() for a in recent}) > 5


def test_demo_whip_pages_work_for_past_and_current_stages(make_user, login_as):
    context, mendoza, _mavila = legislature_context(make_user)
    demo.load(context)
    db.session.commit()
    client = login_as(context["users"]["director"])
    campaign, stages = context["campaign"], context["stages"]
    past = client.get(f"/campaigns/{campaign.id}/whip?stage={stages[1].id}").get_data(as_text=True)
    assert "Verónika Fanny Mendoza Frisch" in past  # the 2011 chamber, counted on its vote day
    current = client.get(f"/campaigns/{campaign.id}/whip").get_data(as_text=True)
    assert "Cámara de Diputados" in current and "Diputada 0" in current
    trend = client.get(f"/campaigns/{campaign.id}/trend.json?stage={stages[2].id}").get_json()
    unknown = next(d["data"] for d in trend["datasets"] if d["level"] == "unknown")
    assert unknown[0] > unknown[-1]  # the trend moves as stances are recorded
    assert client.get(f"/legislators/{mendoza.id}/stances").get_data(as_text=True).count("Déjala Decidir") >= 2


def test_demo_tolerates_a_missing_legislature(make_user):
    context = {"users": {"director": make_user("director")}}
    demo.load(context)
    db.session.flush()
    assert context["stages"] == []
    assert db.session.execute(select(Campaign.name)).scalar_one().startswith("Déjala Decidir")
