"""Every main page on a 375 px phone, in Spanish and in English: nothing scrolls sideways, and link-buttons
carry their text in the middle of the button."""

import os
from pathlib import Path

import pytest
from sqlalchemy import select

from crm.demo import DEMO_PASSWORD, load_demo
from crm.extensions import db
from crm.legislature.models import Group, GroupMembership
from tests.conftest import browser_login
from tests.foundation.test_counts_pages import PAGES, _ids

pytestmark = pytest.mark.browser
SHOTS = os.environ.get("CRM_TEST_SCREENSHOTS")  # a folder: each page is saved there to be looked at

OFF_CENTRE = """() => [...document.querySelectorAll('a.btn, button.btn')].filter(b => b.offsetParent && b.innerText.trim())
  .map(b => { const r = document.createRange(); r.selectNodeContents(b); const t = r.getBoundingClientRect(),
              box = b.getBoundingClientRect(); return [b.innerText.trim(), Math.round((t.top - box.top) - (box.bottom - t.bottom))]; })
  .filter(([, skew]) => Math.abs(skew) > 3)"""
WIDER = """() => [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > window.innerWidth + 1
  && getComputedStyle(e).position !== 'fixed' && !e.closest('.table-responsive, .offcanvas, .collapse:not(.show)'))
  .slice(0, 3).map(e => e.tagName + '.' + e.className + ': ' + (e.innerText || '').slice(0, 40))"""


@pytest.fixture
def demo(isolated_app):
    with isolated_app.app_context():
        context = load_demo(progress=lambda *_: None)
        ids = _ids(context)
        # The walk found an English profile 418 px wide because of a long parliamentary-group badge.
        group_id = db.session.execute(
            select(GroupMembership.group_id).where(GroupMembership.legislator_id == ids["mendoza"])
        ).scalars().first()
        db.session.get(Group, group_id).name = "Bancada Parlamentaria Democrática Unida por la Justicia Social y la Soberanía Nacional"
        users = {role: {"email": u.email, "password": DEMO_PASSWORD, "id": u.id} for role, u in context["users"].items()}
        db.session.commit()
    return users, ids


@pytest.mark.parametrize("language", ["es_PE", "en"])
def test_no_page_scrolls_sideways_and_link_buttons_are_centred(live_server, phone_page, demo, isolated_app, language):
    users, ids = demo
    problems = {}
    signed_in = None
    for who, template, _expected in PAGES:
        if template.endswith((".json", ".csv")) or template.startswith(("/log/legislators", "/search/suggest")):
            continue  # data and an htmx fragment, not pages
        if signed_in != who:
            with isolated_app.app_context():
                from crm.accounts.models import User

                db.session.get(User, users[who]["id"]).language = language
                db.session.commit()
            phone_page.goto("about:blank")  # no late response of the last page may set its session cookie again
            phone_page.context.clear_cookies()
            browser_login(phone_page, live_server, users[who])
            signed_in = who
        path = template.format(**ids)
        phone_page.goto(live_server + path)
        if SHOTS:
            Path(SHOTS).mkdir(parents=True, exist_ok=True)
            name = f"{language}-{who}-{path.strip('/').replace('/', '_').replace('?', '_') or 'home'}.png"
            phone_page.screenshot(path=str(Path(SHOTS) / name), full_page=False)
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        if width > 375:
            problems[path] = f"{width} px wide: {phone_page.evaluate(WIDER)}"
        skewed = phone_page.evaluate(OFF_CENTRE)
        if skewed:
            problems[f"{path} buttons"] = skewed
    assert not problems, problems


# Every top item of the header (brand, links, menus, search box, user menu) on one row: the bar is one line.
HEADER_ROWS = """() => { const nav = document.querySelector('nav.navbar');
  const items = [...nav.querySelectorAll('.navbar-brand, .navbar-nav > .nav-item, .site-search')]
    .filter(e => e.offsetParent);
  const box = nav.querySelector('.container-lg'), edge = box.getBoundingClientRect().right
    - parseFloat(getComputedStyle(box).paddingRight);
  return {height: Math.round(nav.getBoundingClientRect().height), items: items.length,
          overflow: Math.round(Math.max(...items.map(e => e.getBoundingClientRect().right)) - edge),
          centres: items.map(e => { const r = e.getBoundingClientRect(); return Math.round(r.top + r.height / 2); })}; }"""


@pytest.mark.parametrize("language", ["es_PE", "en"])
def test_header_is_one_line_at_1366_for_every_role_and_search_stays_in_the_phone_bar(
        browser, live_server, demo, isolated_app, language):
    users, _ids = demo
    from crm.accounts.models import User

    desktop = browser.new_context(viewport={"width": 1366, "height": 800}, locale="es-PE")
    phone = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True)
    try:
        for who in ("admin", "director", "officer", "viewer"):
            with isolated_app.app_context():
                db.session.get(User, users[who]["id"]).language = language
                db.session.commit()
            for context in (desktop, phone):
                context.clear_cookies()
                page = context.new_page()
                browser_login(page, live_server, users[who])
                header = page.evaluate(HEADER_ROWS)
                search = page.locator("#site-search-q")
                if context is desktop:
                    centres = header["centres"]
                    assert max(centres) - min(centres) <= 6 and header["height"] < 70, (who, language, header)
                    assert header["overflow"] <= 1, (who, language, header)  # nothing pushed past the edge
                else:
                    assert search.is_visible(), (who, language)  # in the bar itself, without opening the menu
                    assert page.evaluate("document.documentElement.scrollWidth") <= 375
                    page.get_by_role("button", name="Abrir menú" if language == "es_PE" else "Open menu").click()
                    page.locator(".navbar-collapse.show").first.wait_for()
                search.fill("mavila")
                page.locator("#site-search-panel a").first.wait_for()
                assert "Mavila" in page.locator("#site-search-panel").inner_text()
                search.press("Enter")
                page.wait_for_url("**/search?q=mavila")
                assert page.locator("h2", has_text="(1)").count() >= 1
                page.close()
    finally:
        desktop.close()
        phone.close()
