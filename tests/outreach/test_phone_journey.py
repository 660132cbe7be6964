"""On a 375 px phone: "met X in the corridor, she is leaning yes, send her the legal brief by Friday"."""

from datetime import date

import pytest
from sqlalchemy import select

from crm.campaigns.models import Campaign, StanceAssessment, VoteStage
from crm.core.text import fold
from crm.core.time import to_local
from crm.extensions import db
from crm.legislature.models import Aide, Chamber, Legislator, Legislature, SeatMembership
from crm.outreach.models import Interaction, Task
from tests.conftest import browser_login

pytestmark = pytest.mark.browser


def _seed(isolated_app):
    with isolated_app.app_context():
        legislature = Legislature(name="Congreso", country="PE")
        db.session.add(legislature)
        db.session.flush()
        chamber = Chamber(legislature_id=legislature.id, name="Cámara de Diputados", seats=130)
        db.session.add(chamber)
        db.session.flush()
        ids = {}
        for name in ("Verónika Mendoza", "Rosa Mavila", "Martha Chávez"):
            given, _, family = name.partition(" ")
            legislator = Legislator(full_name=name, sort_name=f"{family}, {given}", search_name=fold(name))
            db.session.add(legislator)
            db.session.flush()
            db.session.add(SeatMembership(legislator_id=legislator.id, chamber_id=chamber.id, start_date=date(2026, 7, 28)))
            db.session.add(Aide(legislator_id=legislator.id, name=f"Asesora de {given}"))
            ids[name] = legislator.id
        campaign = Campaign(name="Despenalización del aborto por violación", status="active", going_cold_days=21)
        db.session.add(campaign)
        db.session.flush()
        db.session.add(VoteStage(campaign_id=campaign.id, position=1, name="Pleno", chamber_id=chamber.id))
        db.session.commit()
        return ids["Verónika Mendoza"], campaign.id


def test_log_a_corridor_meeting_from_a_phone(live_server, live_user, phone_page, isolated_app):
    mendoza_id, campaign_id = _seed(isolated_app)
    user = live_user("officer", name="Óscar Oficial")
    page = phone_page
    browser_login(page, live_server, user)
    page.goto(f"{live_server}/log")

    # Screen 1: who and where.
    page.get_by_label("Legisladores").fill("veronika")
    page.get_by_role("button", name="Verónika Mendoza").click()
    assert page.locator("[data-picked]").inner_text().strip() == "Verónika Mendoza"
    page.get_by_label("Lugar").fill("Pasillo")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("button", name="Siguiente").click()

    # Screen 2: she is leaning yes.
    page.get_by_label("Postura de Verónika Mendoza").select_option("leaning_yes")
    page.get_by_label("Nota", exact=True).fill("Nos cruzamos en el pasillo; se inclina a votar a favor.")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("button", name="Siguiente: tarea").click()

    # Screen 3: send her the legal brief by Friday.
    page.get_by_label("Qué hay que hacer", exact=True).fill("Enviarle el informe legal")
    page.get_by_role("group", name="Para cuándo", exact=True).get_by_text("Viernes").click()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("button", name="Guardar", exact=True).click()
    page.wait_for_url(f"{live_server}/interactions/*")
    assert page.get_by_text("Contacto registrado.").is_visible()
    assert page.get_by_text("Enviarle el informe legal").is_visible()

    with isolated_app.app_context():
        interaction = db.session.execute(select(Interaction)).scalar_one()
        assert interaction.place == "Pasillo" and interaction.kind == "meeting" and interaction.author_id == user["id"]
        assert [x.id for x in interaction.legislators] == [mendoza_id]
        stance = db.session.execute(select(StanceAssessment)).scalar_one()
        assert (stance.legislator_id, stance.campaign_id, stance.level, stance.interaction_id) == (
            mendoza_id, campaign_id, "leaning_yes", interaction.id
        )
        task = db.session.execute(select(Task)).scalar_one()
        assert task.title == "Enviarle el informe legal" and task.assignee_id == user["id"]
        assert task.legislator_id == mendoza_id and task.interaction_id == interaction.id
        assert to_local(task.due_at, "America/Lima").weekday() == 4


def test_full_form_loads_stances_and_aides_for_picked_legislators(live_server, live_user, phone_page, isolated_app):
    _seed(isolated_app)
    user = live_user("officer")
    page = phone_page
    browser_login(page, live_server, user)
    page.goto(f"{live_server}/interactions/new")
    page.get_by_label("Legisladores").fill("mavila")
    page.get_by_role("button", name="Rosa Mavila").click()
    page.get_by_label("Postura de Rosa Mavila").select_option("undecided")
    page.get_by_label("Asesora de Rosa").check()
    page.get_by_label("Notas", exact=True).fill("Primera línea\nhttps://example.org/informe")
    page.get_by_role("button", name="Guardar").click()
    page.wait_for_url(f"{live_server}/interactions/*")
    assert page.get_by_role("link", name="https://example.org/informe").is_visible()
    with isolated_app.app_context():
        interaction = db.session.execute(select(Interaction)).scalar_one()
        assert [a.name for a in interaction.aides] == ["Asesora de Rosa"]
        assert db.session.execute(select(StanceAssessment.level)).scalar_one() == "undecided"
