"""Vote day on two phones: one officer logs a stance, the director's open board shows it within one poll."""

import pytest
from playwright.sync_api import expect

from crm.extensions import db
from tests.campaigns.conftest import add_campaign, build_world
from tests.conftest import PHONE, browser_login

pytestmark = pytest.mark.browser

POLL_SECONDS = 1


def _phone(browser):
    context = browser.new_context(viewport=PHONE, locale="es-PE", timezone_id="America/Lima", is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    page.set_default_timeout(10_000)
    return context, page


def test_a_stance_logged_on_one_phone_appears_on_the_other_within_one_poll(isolated_app, live_server, live_user,
                                                                            browser):
    isolated_app.config["BOARD_POLL_SECONDS"] = POLL_SECONDS
    director = live_user("director", name="Diana Directora")
    officer = live_user("officer", name="Olga Oficial")
    with isolated_app.app_context():
        world = build_world(size=12, committee_size=3)
        add_campaign(world)
        db.session.commit()
        campaign_id, stage_id = world.campaign.id, world.plenary.id
        target_name = world.legislators[4].full_name
    board_url = f"{live_server}/campaigns/{campaign_id}/whip?stage={stage_id}"
    watching_context, watching = _phone(browser)
    logging_context, logging = _phone(browser)
    try:
        browser_login(watching, live_server, director)
        browser_login(logging, live_server, officer)
        watching.goto(board_url)
        expect(watching.locator('[data-testid="secured"]')).to_have_text("0")
        expect(watching.get_by_test_id("changes-title")).to_have_text("Sin cambios en los últimos 10 minutos")
        # Polls of an unchanged board answer 304 and leave it in place.
        with watching.expect_response(lambda r: "fragment=board" in r.url and r.status == 304):
            pass
        expect(watching.locator("#whip-board")).to_be_visible()
        expect(watching.locator("svg.hemicycle circle")).to_have_count(12)
        watching.evaluate("window.boardNotReloaded = true")

        logging.goto(f"{live_server}/campaigns/{campaign_id}/whip?stage={stage_id}")
        row = logging.locator("#target-list tr", has_text=target_name)
        row.get_by_role("button", name="Cambiar").click()
        row.get_by_label("Postura", exact=True).select_option("champion")
        row.get_by_role("button", name="Guardar").click()
        row.get_by_text("Guardada").wait_for()

        # Within one poll (plus the request itself) the director's board has it, without a reload.
        expect(watching.locator('[data-testid="secured"]')).to_have_text("1", timeout=POLL_SECONDS * 1000 + 3000)
        changes = watching.locator("#board-changes")
        expect(changes).to_contain_text("1 cambio en los últimos 10 minutos")
        expect(changes).to_contain_text(f"Olga Oficial: {target_name} → Impulsa")
        expect(watching.locator('svg.hemicycle circle[data-level="champion"]')).to_have_count(1)
        assert watching.evaluate("window.boardNotReloaded") is True  # the board swapped in place
    finally:
        watching_context.close()
        logging_context.close()
