"""axe-core on every page a user can open, in Spanish and English, on a 375 px phone and a 1366 px desktop.

Any violation of serious or critical impact fails, named by page, rule, target selectors and axe's help text.
Every GET route must be either walked here or listed in NOT_PAGES with the reason it is not a page, so a new
page is covered as soon as it is added (test_every_get_route_is_walked_or_skipped).
"""

import os
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from crm.accounts import operations as accounts
from crm.accounts.tokens import make_token
from crm.coalition.models import MediaMention, PartnerOrganisation, PetitionDrive, SignatureBatch
from crm.demo import DEMO_PASSWORD, load_demo
from crm.extensions import db
from crm.legislature.importers import jobs
from crm.legislature.models import Aide
from crm.outreach.models import Interaction, Task
from crm.reminders.tokens import make_unsubscribe_token
from crm.votes import operations as votes
from crm.votes.models import Bill, VoteEvent
from tests.conftest import PHONE, browser_login
from tests.legislature.conftest import FIXTURES, read
from tests.security.test_fuzz_get_routes import _RULES as GET_ROUTES
from tests.security.test_fuzz_get_routes import fill, real_ids

AXE = Path(__file__).resolve().parents[2] / "node_modules/axe-core/axe.min.js"
SIZES = {"375px": {"viewport": PHONE, "is_mobile": True, "has_touch": True},
         "1366px": {"viewport": {"width": 1366, "height": 900}}}
API = "/api/v1/"  # every route under it answers JSON to programs, except the reference page below

# Routes that are not pages a person opens, each with the reason.
NOT_PAGES = {
    "/healthz": "a health probe for the load balancer: plain text",
    "/calendar/<token>.ics": "a calendar feed read by calendar programs: an .ics file",
    "/campaigns/<int:campaign_id>/export.<fmt>": "a CSV/XLSX download",
    "/campaigns/<int:campaign_id>/trend.json": "JSON for the whip page's chart",
    "/legislators/export.csv": "a CSV download",
    "/petitions/<int:drive_id>/batches.csv": "a CSV download",
    "/scorecards/<int:scorecard_id>/export.<kind>": "a CSV/XLSX download",
    "/votes/campaigns/<int:campaign_id>/events/<int:event_id>/forecast.<kind>": "a CSV/XLSX download",
    "/campaigns/<int:campaign_id>/legislators/<int:legislator_id>/stance":
        "htmx fragment of the target list: checked inside /campaigns/<id>/list",
    "/legislators/<int:legislator_id>/stances": "htmx fragment of the profile: checked inside the profile",
    "/votes/legislators/<int:legislator_id>": "htmx fragment of the profile: checked inside the profile",
    "/legislators/filters": "htmx fragment of the directory's filters: checked inside /legislators",
    "/interactions/panel": "htmx fragment of the meeting form: checked inside /interactions/new",
    "/log/legislators": "htmx search results of the quick log: checked inside /log",
    "/votes/campaigns/<int:campaign_id>/bills": "htmx fragment of the campaign page: checked inside it",
    "/search/suggest": "htmx panel of the header's search box: its results page is walked as /search?q=…",
}

# Every page, with who opens it ("anonymous" before signing in). Admins can open nearly everything; the
# home page differs by role, and partners get their own reading of the pages they are granted.
PAGES = {
    "/login": ("anonymous",),
    "/password/forgot": ("anonymous",),
    "/invite/<token>": ("anonymous",),
    "/password/reset/<token>": ("anonymous",),
    "/unsubscribe/<token>": ("anonymous",),
    "/": ("admin", "director", "officer", "viewer"),
    "/account": ("admin",),
    "/account/password": ("admin",),
    "/account/tokens": ("admin",),
    "/admin/audit": ("admin",),
    "/admin/mail": ("admin",),
    "/admin/users": ("admin",),
    "/admin/users/<int:user_id>": ("admin",),
    "/admin/users/invite": ("admin",),
    "/admin/webhooks": ("admin",),
    "/api/v1/docs": ("admin",),
    "/bills": ("admin",),
    "/bills/<int:bill_id>": ("admin",),
    "/bills/new": ("admin",),
    "/calendar": ("officer",),
    "/campaigns": ("admin", "viewer"),
    "/campaigns/<int:campaign_id>": ("admin",),
    "/campaigns/<int:campaign_id>/access": ("admin",),
    "/campaigns/<int:campaign_id>/edit": ("admin",),
    "/campaigns/<int:campaign_id>/going-cold": ("admin",),
    "/campaigns/<int:campaign_id>/list": ("admin",),
    "/campaigns/<int:campaign_id>/legislators/<int:legislator_id>/stance/edit": ("officer",),
    "/campaigns/<int:campaign_id>/stages/<int:stage_id>/edit": ("admin",),
    "/campaigns/<int:campaign_id>/stages/new": ("admin",),
    "/campaigns/<int:campaign_id>/whip": ("admin", "viewer"),
    "/campaigns/new": ("admin",),
    "/going-cold": ("admin",),
    "/imports/legislators": ("admin",),
    "/imports/legislators/<int:job_id>": ("admin",),
    "/interactions": ("admin", "viewer"),
    "/interactions/<int:interaction_id>": ("admin",),
    "/interactions/<int:interaction_id>/edit": ("admin",),
    "/interactions/new": ("officer",),
    "/legislators": ("admin",),
    "/legislators/<int:legislator_id>": ("admin", "viewer"),
    "/legislators/<int:legislator_id>/aides/<int:aide_id>/edit": ("admin",),
    "/legislators/<int:legislator_id>/aides/new": ("admin",),
    "/legislators/<int:legislator_id>/edit": ("admin",),
    "/legislators/<int:legislator_id>/signatures": ("admin",),
    "/legislators/<int:legislator_id>/timeline": ("admin",),
    "/legislatures": ("admin",),
    "/log": ("officer",),
    "/media": ("admin",),
    "/search": ("admin",),
    "/media/<int:mention_id>/edit": ("admin",),
    "/media/new": ("admin",),
    "/partners": ("admin",),
    "/partners/<int:partner_id>": ("admin", "viewer"),
    "/partners/<int:partner_id>/edit": ("admin",),
    "/partners/new": ("admin",),
    "/petitions": ("admin",),
    "/petitions/<int:drive_id>": ("admin", "viewer"),
    "/petitions/<int:drive_id>/batches/new": ("admin",),
    "/petitions/<int:drive_id>/edit": ("admin",),
    "/petitions/<int:drive_id>/import": ("admin",),
    "/petitions/batches/<int:batch_id>/edit": ("admin",),
    "/petitions/batches/<int:batch_id>/verify": ("admin",),
    "/petitions/new": ("admin",),
    "/scorecards": ("admin",),
    "/scorecards/<int:scorecard_id>": ("admin",),
    "/scorecards/new": ("admin",),
    "/tasks": ("officer",),
    "/tasks/<int:task_id>/edit": ("admin",),
    "/tasks/new": ("admin",),
    "/tasks/team": ("admin",),
    "/votes": ("admin",),
    "/votes/campaigns/<int:campaign_id>/events/<int:event_id>/forecast": ("admin",),
    "/votes/events/<int:event_id>": ("admin",),
    "/votes/events/new": ("admin",),
    "/votes/import": ("admin",),
}
# Pages no route names: what a broken link and a used invitation show.
EXTRA = {"/invite/not-a-token": ("anonymous",), "/no-such-page": ("admin",),
         "/search?q=mavila": ("director", "viewer")}
EXPECTED_STATUS = {"invite/not-a-token": 400, "no-such-page": 404}
ROLES = ("anonymous", "admin", "director", "officer", "viewer")
ONLY = os.environ.get("CRM_A11Y_ONLY", "")  # while fixing: walk only the paths that contain this text

# Counts htmx requests in flight, so a page is checked once the fragments it loads have arrived.
COUNT_HTMX = """window.htmxPending = 0;
document.addEventListener('htmx:beforeRequest', () => { window.htmxPending += 1; });
document.addEventListener('htmx:afterRequest', () => { window.htmxPending -= 1; });"""
# Opens every <details>; the toggle events (which may load a fragment) fire on a later task.
OPEN_DETAILS = """async () => {
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  await new Promise(resolve => setTimeout(resolve, 50));
}"""
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.filter(v => v.impact === 'serious' || v.impact === 'critical').map(v => (
    {id: v.id, impact: v.impact, help: v.help, count: v.nodes.length,
     targets: v.nodes.slice(0, 4).map(n => n.target.join(' '))}));
}"""


def _not_a_page(rule: str) -> str | None:
    if rule.startswith(API) and rule not in PAGES:
        return "the JSON API for programs"
    return NOT_PAGES.get(rule)


def test_every_get_route_is_walked_or_skipped():
    routes = sorted({rule for rule, _endpoint in GET_ROUTES})
    unknown = [rule for rule in routes if rule not in PAGES and not _not_a_page(rule)]
    both = [rule for rule in routes if rule in PAGES and rule in NOT_PAGES]
    gone = sorted((set(PAGES) | set(NOT_PAGES)) - set(routes))
    assert not unknown, f"new GET routes: add them to PAGES (with who opens them) or to NOT_PAGES with a reason: {unknown}"
    assert not both, both
    assert not gone, f"listed but no longer routes: {gone}"
    assert set(role for roles in (*PAGES.values(), *EXTRA.values()) for role in roles) <= set(ROLES)


def _demo_ids(context) -> dict:
    """The demo's own objects for every path parameter, plus what the demo lacks (an import job, a
    scorecard, live links from emails)."""
    users = context["users"]
    campaign, mendoza = context["campaign"], context["mendoza"]

    def first(model, *where):
        return db.session.execute(select(model).where(*where).order_by(model.id)).scalars().first()

    event = first(VoteEvent)
    options, report, roster = jobs.checked("popolo", {"main": read(FIXTURES / "popolo_terms.json")}, {"country": "PE"})
    drive = first(PetitionDrive)
    found = SimpleNamespace(
        officer=users["officer"], campaign=campaign, legislator=mendoza, stage=context["stages"][0],
        job=jobs.create_job(fmt="popolo", filename="congreso.json", roster=roster, options=options, report=report,
                            actor=users["admin"]),
        interaction=first(Interaction), aide=first(Aide, Aide.legislator_id == mendoza.id),
        mention=first(MediaMention), ours=db.session.get(PartnerOrganisation, users["viewer"].partner_organisation_id),
        drive=drive, our_batch=first(SignatureBatch, SignatureBatch.drive_id == drive.id), task=first(Task),
        bill=first(Bill), event=event, committee=context["justice_committee_2011"],
        legislature=context["peru_2011"],
        scorecard=votes.create_scorecard(name="Votos clave", items={event.id: "yes"}, actor=users["director"],
                                         campaign_id=campaign.id),
    )
    invited = accounts.invite_user(email="nueva@example.org", name="Nadia Nueva", role="officer", actor=users["admin"])
    ids = real_ids(found)
    tokens = {
        "/invite/<token>": make_token(invited, "invite"),
        "/password/reset/<token>": make_token(users["officer"], "reset"),
        "/unsubscribe/<token>": make_unsubscribe_token(users["officer"].id, "digest"),
    }
    return {rule: fill(rule, {**ids, "token": tokens.get(rule, ids["token"])}) for rule in PAGES} | {
        path: path for path in EXTRA
    }


@pytest.fixture
def walk(isolated_app):
    """The demo, with the URL of every page and each role's login."""
    with isolated_app.app_context():
        context = load_demo(progress=lambda *_: None)
        urls = _demo_ids(context)
        users = {role: {"email": user.email, "password": DEMO_PASSWORD, "id": user.id}
                 for role, user in context["users"].items()}
        db.session.commit()
    by_role = {role: [] for role in ROLES}
    for rule, roles in (PAGES | EXTRA).items():
        for role in roles:
            if ONLY in urls[rule]:
                by_role[role].append(urls[rule])
    return users, by_role


def _set_language(app, users, language):
    from crm.accounts.models import User

    with app.app_context():
        for user in users.values():
            db.session.get(User, user["id"]).language = language
        db.session.commit()


def _check(page, url: str) -> list[dict]:
    response = page.goto(url)
    status = EXPECTED_STATUS.get(url.split("/", 3)[-1], 200)
    if response.status != status:
        return [{"id": f"HTTP {response.status}", "impact": "—", "count": 1, "targets": [], "help": f"expected {status}"}]
    # Folded sections (filters, breakdowns, forms to add) and the fragments the page loads with htmx (the
    # profile's history, a breakdown opened) are part of what a reader meets.
    page.evaluate(OPEN_DETAILS)
    page.wait_for_function("() => window.htmxPending === 0")
    page.add_script_tag(path=str(AXE))
    return page.evaluate(RUN_AXE)


@pytest.mark.browser
@pytest.mark.slow
def test_no_page_has_a_serious_accessibility_violation(browser, live_server, isolated_app, walk):
    assert AXE.exists(), "axe-core is missing: run `npm ci` (make assets) to install the front-end dev packages"
    users, by_role = walk
    assert any(by_role.values()), f"CRM_A11Y_ONLY={ONLY!r} matches no page"
    problems = []
    for language in ("es_PE", "en"):
        _set_language(isolated_app, users, language)
        for size, options in SIZES.items():
            # bypass_csp: the app's CSP forbids the injected axe script, and only the test adds it.
            context = browser.new_context(bypass_csp=True, locale="es-PE", timezone_id="America/Lima", **options)
            context.add_cookies([{"name": "lang", "value": language, "url": live_server}])
            context.add_init_script(COUNT_HTMX)
            page = context.new_page()
            page.set_default_timeout(20_000)
            for role in ROLES:
                if role != "anonymous":
                    page.goto("about:blank")  # no request of the last page may set its cookie again
                    context.clear_cookies()
                    context.add_cookies([{"name": "lang", "value": language, "url": live_server}])
                    browser_login(page, live_server, users[role])
                for path in by_role[role]:
                    for v in _check(page, live_server + path):
                        problems.append(f"{language} {size} {role} {path}: {v['impact']} {v['id']} ×{v['count']} "
                                        f"{v['targets']} — {v['help']}")
            context.close()
    assert not problems, "\n".join(["axe found serious or critical violations:", *problems])

