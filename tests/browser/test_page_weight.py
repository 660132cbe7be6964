"""Bytes on the wire, as Chromium counts them on the demo: a phone's first quick log, a repeat view, a 400-seat board.

Budgets: first load of the quick log (page and every asset) at most 150 KB; the same page viewed again at most
20 KB (assets come from the browser's cache without a request); the HTML of a 400-seat whip page at most 40 KB.
Run with -s to see the figures.
"""

import pytest

from crm.campaigns import operations
from crm.demo import DEMO_PASSWORD, load_demo
from crm.extensions import db
from tests.campaigns.conftest import build_world
from tests.conftest import browser_login

pytestmark = pytest.mark.browser
KB = 1024
LEVELS = ("champion", "supporter", "leaning_yes", "undecided", "leaning_no", "opposed", "hard_opposed")


class Wire:
    """Encoded bytes received per request (headers and compressed body), from Chromium's network events."""

    def __init__(self, page):
        self.session = page.context.new_cdp_session(page)
        self.session.send("Network.enable")
        self.urls, self.received, self.encodings = {}, {}, {}
        self.session.on("Network.responseReceived", self._response)
        self.session.on("Network.loadingFinished", self._finished)

    def _response(self, event):
        self.urls[event["requestId"]] = event["response"]["url"]
        headers = {k.lower(): v for k, v in event["response"]["headers"].items()}
        self.encodings[event["requestId"]] = headers.get("content-encoding", "identity")

    def _finished(self, event):
        self.received[event["requestId"]] = event["encodedDataLength"]

    def reset(self):
        self.urls.clear()
        self.received.clear()
        self.encodings.clear()

    def clear_cache(self):
        self.session.send("Network.clearBrowserCache")

    def total(self) -> int:
        return sum(self.received.values())

    def of(self, path: str) -> int:
        return sum(size for rid, size in self.received.items() if self.urls.get(rid, "").split("?")[0].endswith(path))

    def report(self) -> str:
        rows = sorted(((self.urls.get(rid, rid).split("/", 3)[-1], self.encodings.get(rid), size)
                       for rid, size in self.received.items()), key=lambda row: -row[2])
        return "\n".join(f"    {size / KB:7.1f} KB  {encoding or '-':<8} /{url}" for url, encoding, size in rows)


@pytest.fixture
def demo_officer(isolated_app):
    with isolated_app.app_context():
        context = load_demo(progress=lambda *_: None)
        user = context["users"]["officer"]
        return {"email": user.email, "password": DEMO_PASSWORD, "id": user.id}


def test_the_phone_quick_log_fits_its_budgets(live_server, phone_page, demo_officer):
    wire = Wire(phone_page)
    browser_login(phone_page, live_server, demo_officer)
    wire.clear_cache()
    wire.reset()
    phone_page.goto(f"{live_server}/log", wait_until="networkidle")
    first = wire.total()
    print(f"\nquick log, first load (empty cache): {first / KB:.1f} KB in {len(wire.received)} responses\n{wire.report()}")

    wire.reset()
    phone_page.goto(f"{live_server}/log", wait_until="networkidle")
    repeat = wire.total()
    print(f"quick log, repeat view: {repeat / KB:.1f} KB in {len(wire.received)} responses\n{wire.report()}")

    assert first <= 150 * KB
    assert repeat <= 20 * KB
    assert wire.of("/log") > 0  # the page itself was fetched again; only the assets came from the cache


@pytest.fixture
def board_400(isolated_app):
    """A 400-seat chamber with a stance for every member and a campaign voting there."""
    with isolated_app.app_context():
        world = build_world(size=400, groups=("Alianza Verde", "Bloque Popular", "Frente Andino", "Partido Liberal",
                                              "Unión Regional", "Independientes"))
        campaign = operations.create_campaign(actor=None, name="Ley de prueba", legislature_id=world.legislature.id)
        operations.add_stage(campaign, actor=None, name="Pleno", chamber_id=world.chamber.id,
                             rule_kind="absolute_majority")
        for n, level in enumerate(LEVELS):
            ids = [person.id for i, person in enumerate(world.legislators) if i % len(LEVELS) == n]
            operations.record_stances_bulk(campaign_id=campaign.id, legislator_ids=ids, level=level, actor=None,
                                           commitment="public", evidence="Declaración en el pleno")
        db.session.commit()
        return campaign.id


def test_the_400_seat_whip_page_html_fits_its_budget(live_server, desktop_page, live_user, board_400):
    wire = Wire(desktop_page)
    browser_login(desktop_page, live_server, live_user("director"))
    wire.reset()
    response = desktop_page.goto(f"{live_server}/campaigns/{board_400}/whip", wait_until="networkidle")
    html = wire.of(f"/campaigns/{board_400}/whip")
    print(f"\nwhip page, 400 seats: HTML {html / KB:.1f} KB on the wire ({len(response.body()) / KB:.1f} KB "
          f"uncompressed)\n{wire.report()}")
    assert html <= 40 * KB
