"""The home page answers per role with figures that link to their pages, at a fixed cost in statements."""

import re
from datetime import timedelta

from crm.campaigns.models import CampaignPartnerAccess
from crm.coalition.models import PetitionDrive, SignatureBatch
from crm.core.time import local_today, utcnow
from crm.extensions import db
from crm.outreach.models import Interaction, Task
from crm.outreach.queries import week_bounds
from tests.campaigns.conftest import add_campaign, add_contact, build_world, stance
from tests.campaigns.test_whip import number

MAIN = re.compile(r"<main.*?</main>", re.S)
HREF = re.compile(r'href="(/[^"#]*)"')


def _main(html: str) -> str:
    return MAIN.search(html).group(0)


def _stage_block(html: str, stage_id: int) -> str:
    start = html.index(f'data-testid="home-stage-{stage_id}"')
    return html[start:html.index("</li>", start)]


def home_gap(block: str) -> int:
    found = re.search(r'data-testid="gap">(?:faltan?|(alcanzado))\s*(\d*)<', block)
    return 0 if found.group(1) else int(found.group(2))


def _world_with_campaigns(n: int):
    world = build_world()
    campaigns = [add_campaign(world) for _ in range(n)]
    for i in range(6):
        stance(world, i, "champion", when=utcnow() - timedelta(days=20))
    stance(world, 6, "supporter")  # this week: the trend shows it
    db.session.commit()
    return world, campaigns


def _add_work(world, officer):
    now = utcnow()
    for i, due in enumerate((now - timedelta(days=2), now - timedelta(hours=1), now + timedelta(minutes=30))):
        db.session.add(Task(title=f"Tarea {i}", due_at=due, status="open", assignee_id=officer.id,
                            legislator_id=world.legislators[i].id, created_at=now))
    world.legislators[15].owner_user_id = officer.id  # never contacted and persuadable: going cold
    add_contact(world.legislators[16], now - timedelta(hours=2)).author_id = officer.id
    drive = PetitionDrive(campaign_id=world.campaign.id, name="Firmas por la ley", threshold=1000)
    db.session.add(drive)
    db.session.flush()
    db.session.add(SignatureBatch(drive_id=drive.id, collected_on=now.date(), region="Lima", collected=400, verified=300,
                                  collector_user_id=officer.id, created_at=now))
    db.session.commit()
    return drive


def test_directors_home_shows_each_stage_as_the_whip_page_does(make_user, login_as):
    world, _ = _world_with_campaigns(1)
    director = make_user("director")
    _add_work(world, make_user("officer"))
    client = login_as(director)
    html = _main(client.get("/").get_data(as_text=True))
    for stage in (world.committee_stage, world.plenary):
        block = _stage_block(html, stage.id)
        page = client.get(f"/campaigns/{world.campaign.id}/whip?stage={stage.id}").get_data(as_text=True)
        assert number(block, "secured") == number(page, "secured")
        assert home_gap(block) == number(page, "gap")
    plenary = _stage_block(html, world.plenary.id)
    assert number(plenary, "secured") == 7 and number(plenary, "needed") == 11 and "faltan 4" in plenary
    assert "▲" in plenary and "+1" in plenary
    assert ">2<" in html.split('data-testid="team-overdue"')[1][:200]
    # 20 members, 7 secured, one met two hours ago: 12, the people the going-cold page lists.
    assert "12 persuadibles se están enfriando" in html
    cold_page = client.get(f"/going-cold?campaign={world.campaign.id}").get_data(as_text=True)
    assert cold_page.count("/log?legislator=") == 12
    assert "300 de 1,000 firmas verificadas" in html


def test_officers_home_shows_my_work_and_the_big_button(make_user, login_as):
    world, _ = _world_with_campaigns(1)
    officer = make_user("officer")
    _add_work(world, officer)
    html = _main(login_as(officer).get("/").get_data(as_text=True))
    assert "Registrar reunión" in html and 'href="/log"' in html
    overdue = html.split('data-testid="my-overdue"')[1][:200]
    today = html.split('data-testid="my-today"')[1][:200]
    assert ">2<" in overdue
    assert ">1<" in today or ">0<" in today  # due in 30 minutes: today unless the day ends sooner
    assert world.legislators[15].full_name in html and world.legislators[14].full_name not in html
    assert "/interactions/" in html  # the meeting logged two hours ago, today
    assert "Dónde estamos" not in html and "Firmas por la ley" not in html


def test_partner_sees_the_totals_the_campaign_pages_show_and_no_internal_data(make_user, login_as, partner):
    world, (first, second) = _world_with_campaigns(2)
    officer = make_user("officer", name="Óscar Reservado")
    _add_work(world, officer)  # the drive belongs to the hidden (last) campaign
    db.session.add(Interaction(kind="meeting", starts_at=utcnow(), created_at=utcnow(), author_id=officer.id,
                               notes="nota interna"))
    db.session.commit()
    viewer = make_user("viewer", partner_organisation_id=partner.id)
    client = login_as(viewer)
    html = _main(client.get("/").get_data(as_text=True))
    # Every partner reads every campaign's totals on /campaigns and the whip page; the home page says the same.
    for campaign in (first, second):
        assert campaign.name in html and campaign.name in client.get("/campaigns").get_data(as_text=True)
    assert "Firmas por la ley" in html
    for private in ("Óscar Reservado", "nota interna", "Tarea 0", "enfriando", "vencida", "/tasks", "/going-cold"):
        assert private not in html, private
    stage_ids = [int(x) for x in re.findall(r'data-testid="home-stage-(\d+)"', html)]
    assert len(stage_ids) == 4


def test_every_figure_links_to_a_page_that_answers(make_user, login_as, partner):
    world, (campaign,) = _world_with_campaigns(1)
    db.session.add(CampaignPartnerAccess(campaign_id=campaign.id, partner_organisation_id=partner.id,
                                         level="aggregate"))
    officer = make_user("officer")
    _add_work(world, officer)
    for user in (make_user("director"), make_user("admin"), officer,
                 make_user("viewer", partner_organisation_id=partner.id)):
        client = login_as(user)
        html = _main(client.get("/").get_data(as_text=True))
        links = set(HREF.findall(html))
        assert len(links) >= 4, user.role
        for link in links:
            assert client.get(link).status_code == 200, (user.role, link)


def test_statement_count_is_fixed_per_role_and_does_not_grow_with_campaigns(make_user, login_as, partner,
                                                                             count_queries):
    expected = {"director": 7, "admin": 9, "officer": 5, "viewer": 4}
    measured = []
    for n in (1, 5):
        world, campaigns = _world_with_campaigns(n)
        for c in campaigns:
            db.session.add(CampaignPartnerAccess(campaign_id=c.id, partner_organisation_id=partner.id))
        _add_work(world, make_user("officer"))
        users = {"director": make_user("director"), "admin": make_user("admin"), "officer": make_user("officer"),
                 "viewer": make_user("viewer", partner_organisation_id=partner.id)}
        counts = {}
        for role, user in users.items():
            client = login_as(user)
            client.get("/")
            with count_queries() as sql:
                assert client.get("/").status_code == 200
            counts[role] = len(sql)
        measured.append(counts)
    assert measured[0] == measured[1] == expected


def test_meetings_this_week_is_the_number_the_linked_list_shows(make_user, login_as):
    world, _ = _world_with_campaigns(1)
    director = make_user("director")
    now = utcnow()
    _monday, start, _end = week_bounds(local_today(director.timezone, now), director.timezone)
    inside = start + (now - start) / 2
    for when, kind in ((inside, "meeting"), (inside, "meeting"), (inside, "call"), (start - timedelta(hours=1), "meeting")):
        add_contact(world.legislators[0], when).kind = kind
    db.session.commit()
    client = login_as(director)
    html = _main(client.get("/").get_data(as_text=True))
    tile = html.split('data-testid="meetings-week"')[0].rsplit("<a ", 1)[1] + html.split('data-testid="meetings-week"')[1][:200]
    assert ">2<" in tile
    link = re.search(r'href="([^"]+)"', tile).group(1).replace("&amp;", "&")
    listed = client.get(link).get_data(as_text=True)
    assert len(set(re.findall(r'href="/interactions/(\d+)"', listed))) == 2
    assert 'data-testid="week"' in listed
