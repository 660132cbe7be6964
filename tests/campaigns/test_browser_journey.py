"""A director on a phone: reads the count, moves a legislator in place, sees the count and trend follow."""

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from crm.core.time import utcnow
from crm.extensions import db
from tests.campaigns.conftest import add_campaign, build_world, stance
from tests.conftest import browser_login

pytestmark = pytest.mark.browser


def test_director_updates_a_stance_from_the_target_list(isolated_app, live_server, live_user, phone_page):
    director = live_user("director", name="Diana Directora")
    with isolated_app.app_context():
        world = build_world(size=12, committee_size=3)
        add_campaign(world)
        for i in range(4):
            stance(world, i, "supporter", when=utcnow() - timedelta(days=30))
        stance(world, 5, "undecided", when=utcnow() - timedelta(days=30))
        db.session.commit()
        campaign_id, stage_id = world.campaign.id, world.plenary.id
    page = phone_page
    browser_login(page, live_server, director)
    with page.expect_response(lambda r: "/trend.json" in r.url and r.status == 200):
        page.goto(f"{live_server}/campaigns/{campaign_id}/whip?stage={stage_id}")
    assert page.locator('[data-testid="secured"]').inner_text() == "4"
    assert page.locator("svg.hemicycle circle").count() == 12
    page.wait_for_function("document.getElementById('trend-chart')._chart !== undefined")
    weeks = page.evaluate("document.getElementById('trend-chart')._chart.data.labels")
    assert weeks and not any(label[:4].isdigit() for label in weeks), weeks  # "17 sept", not "2026-09-17"

    row = page.locator("#target-list tr", has_text="Legisladora 005")
    row.get_by_role("button", name="Cambiar").click()
    row.get_by_label("Postura", exact=True).select_option("supporter")
    row.get_by_role("button", name="Guardar").click()
    row.get_by_text("Guardada").wait_for()
    expect(page.locator('[data-testid="secured"]')).to_have_text("5")

    page.get_by_text("Por distrito").click()
    expect(page.locator("details", has_text="Por distrito").get_by_role("cell", name="Distrito 1")).to_be_visible()

    page.reload()
    assert page.locator('[data-testid="secured"]').inner_text() == "5"
    assert page.locator('svg.hemicycle circle[data-level="supporter"]').count() == 5
    # Looking back: a week ago the count was still 4.
    page.fill("#as_of", (utcnow() - timedelta(days=7)).date().isoformat())
    page.get_by_role("button", name="Ver").click()
    page.wait_for_url("**as_of=**")
    assert page.locator('[data-testid="secured"]').inner_text() == "4"
