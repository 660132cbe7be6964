"""On a 375 px phone, a press mention names two legislators through the search picker, and one is removed."""

from datetime import date

import pytest
from sqlalchemy import select

from crm.coalition.models import MediaMention
from crm.core.text import fold
from crm.extensions import db
from crm.legislature.models import Chamber, Legislator, Legislature, SeatMembership
from tests.conftest import browser_login

pytestmark = pytest.mark.browser


def _seed(isolated_app) -> dict[str, int]:
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
            ids[name] = legislator.id
        db.session.commit()
        return ids


def test_pick_two_remove_one_and_edit_keeps_the_rest_on_a_phone(live_server, live_user, phone_page, isolated_app):
    ids = _seed(isolated_app)
    page = phone_page
    browser_login(page, live_server, live_user("officer"))
    page.goto(f"{live_server}/media/new")
    page.get_by_label("Medio").fill("La República")
    search = page.get_by_label("Legisladores mencionados")
    search.fill("veronika")
    page.get_by_role("button", name="Verónika Mendoza").click()
    search.fill("mavila")
    page.get_by_role("button", name="Rosa Mavila").click()
    search.fill("chavez")
    page.get_by_role("button", name="Martha Chávez").click()
    page.get_by_role("button", name="Quitar a Rosa Mavila").click()
    chips = page.locator("[data-picked]").inner_text()
    assert "Verónika Mendoza" in chips and "Martha Chávez" in chips and "Rosa Mavila" not in chips
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    page.get_by_role("button", name="Guardar").click()
    page.wait_for_url(f"{live_server}/media")
    with isolated_app.app_context():
        mention = db.session.execute(select(MediaMention)).scalar_one()
        assert {x.id for x in mention.legislators} == {ids["Verónika Mendoza"], ids["Martha Chávez"]}
        mention_id = mention.id

    page.goto(f"{live_server}/media/{mention_id}/edit")
    assert page.locator("[data-picked] [data-chip]").count() == 2
    page.get_by_role("button", name="Quitar a Martha Chávez").click()
    page.get_by_role("button", name="Guardar").click()
    page.wait_for_url(f"{live_server}/media")
    with isolated_app.app_context():
        mention = db.session.get(MediaMention, mention_id)
        assert [x.id for x in mention.legislators] == [ids["Verónika Mendoza"]]
