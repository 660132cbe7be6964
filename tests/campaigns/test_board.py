"""The cached whip board: never stale after any write it shows, cheap when unchanged, live while open."""

import re
import time
from datetime import timedelta

from sqlalchemy import update

from crm.campaigns.models import CampaignPartnerAccess
from crm.coalition.models import PartnerOrganisation
from crm.core import versions
from crm.core.time import utcnow
from crm.extensions import db
from crm.legislature.models import Legislator
from crm.votes import operations as vote_operations
from tests.api.conftest import api_as, make_token  # noqa: F401, F811 - fixtures for the API write path
from tests.campaigns.conftest import add_contact, stance


def board_url(world, **args):
    query = "&".join(f"{k}={v}" for k, v in {"stage": world.plenary.id, **args}.items())
    return f"/campaigns/{world.campaign.id}/whip?{query}"


def counts(html) -> dict[str, int]:
    return {lv: int(n) for lv, n in re.findall(r'data-level="(\w+)">(\d+)<', html)}


def seated(html) -> int:
    return int(re.search(r'data-testid="seat-note">(\d+)', html).group(1))


def needed(html) -> int:
    return int(re.search(r"de (\d+) necesarios", html).group(1))


def view(client, world, count_queries):
    """The whip page and the statements it cost."""
    url = board_url(world)
    with count_queries() as sql:
        response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True), len(sql)


# --- every write path -----------------------------------------------------------------------------------


def _in_place_form(client, world, i, _api):
    url = f"/campaigns/{world.campaign.id}/legislators/{world.legislators[i].id}/stance"
    assert client.post(url, data={"level": "supporter", "commitment": "public"}, headers={"HX-Request": "true"}).status_code == 200


def _bulk_form(client, world, i, _api):
    client.post(f"/campaigns/{world.campaign.id}/stances/bulk",
                data={"legislator_ids": [str(world.legislators[i].id)], "level": "supporter", "commitment": "public"})


def _quick_log(client, world, i, _api):
    person = world.legislators[i]
    screen = {"step": "3", "action": "save", "legislator_ids": [str(person.id)], "kind": "meeting", "place": "Pasillo",
              "campaign_id": str(world.campaign.id), f"stance-{person.id}": "supporter"}
    assert client.post("/log", data=screen).status_code == 302


def _api(_client, world, i, api):
    made = api.post(f"/api/v1/campaigns/{world.campaign.id}/stances",
                    json={"legislator_id": world.legislators[i].id, "level": "supporter"})
    assert made.status_code == 201, made.get_data(as_text=True)


def _votes_to_stances(client, world, i, _api):
    event = vote_operations.record_vote_event(source_key=f"board-{i}", start_at=utcnow() - timedelta(hours=1),
                                              motion="Dictamen", votes={world.legislators[i].id: "yes"}, actor=None,
                                              chamber_id=world.chamber.id)
    db.session.commit()
    client.post(f"/votes/events/{event.id}/evidence", data={"campaign_id": world.campaign.id, "our_position": "yes"})


STANCE_PATHS = [_in_place_form, _bulk_form, _quick_log, _api, _votes_to_stances]


def test_a_stance_changed_through_every_write_path_shows_on_the_next_view(world, make_user, login_as, api_as,  # noqa: F811
                                                                          count_queries):
    director = make_user("director")
    api = api_as(director)
    client = login_as(director)
    html, built = view(client, world, count_queries)
    assert counts(html)["supporter"] == 0
    for n, write in enumerate(STANCE_PATHS, start=1):
        again, cached = view(client, world, count_queries)
        assert cached == 2 < built, write.__name__  # unchanged: the user and the version tokens only
        write(client, world, n, api)
        html, built = view(client, world, count_queries)
        assert counts(html)["supporter"] == n, write.__name__
        assert built == 5, write.__name__


def test_seats_groups_stage_rules_meetings_and_imports_show_on_the_next_view(world, make_user, login_as, app, tmp_path,
                                                                             count_queries):
    director = make_user("director")
    client = login_as(director)
    html, _ = view(client, world, count_queries)
    assert seated(html) == 20 and needed(html) == 11

    # A stage rule: a fixed number of votes.
    client.post(f"/campaigns/{world.campaign.id}/stages/{world.plenary.id}/edit",
                data={"name": "Pleno", "chamber_id": world.chamber.id, "rule_kind": "fixed", "fixed_votes": "15"})
    html, _ = view(client, world, count_queries)
    assert needed(html) == 15

    # A group switch on the legislator's profile: the bancada breakdown moves.
    person, target = world.legislators[0], world.groups[2]
    before = html.count(target.name)
    client.post(f"/legislators/{person.id}/groups", data={"group_id": target.id, "start_date": "2012-01-01"})
    html, _ = view(client, world, count_queries)
    assert re.search(rf"<td>{target.name}</td><td class=\"text-end\">(\d+)</td>", html).group(1) == "7"
    assert html.count(target.name) >= before

    # A meeting logged with a persuadable legislator: their last contact leaves "never".
    row = re.compile(rf'{re.escape(world.legislators[5].full_name)}</a>.*?</tr>', re.S)
    assert "nunca" in row.search(html).group(0)
    add_contact(world.legislators[5], utcnow() - timedelta(hours=2))
    db.session.commit()
    html, _ = view(client, world, count_queries)
    assert "nunca" not in row.search(html).group(0)

    # A legislator import from the command line seats one more person in the chamber.
    csv_file = tmp_path / "one.csv"
    csv_file.write_text("full_name,district,chamber,start_date\nNueva Legisladora Rojas,Lima,Pleno,2011-07-27\n",
                        encoding="utf-8")
    result = app.test_cli_runner().invoke(args=["crm", "import-legislators", str(csv_file), "--format", "csv",
                                                "--legislature", world.legislature.name, "--yes"])
    assert result.exit_code == 0, result.output
    html, _ = view(client, world, count_queries)
    assert seated(html) == 21

    # A bulk UPDATE that skips the unit of work still gives the board a new version.
    db.session.execute(update(Legislator).where(Legislator.id == person.id).values(full_name="Renombrada Pérez"))
    db.session.commit()
    html, _ = view(client, world, count_queries)
    assert "Renombrada Pérez" in html


def test_a_commit_bumps_its_campaign_and_a_rollback_bumps_nothing(world):
    campaign_id = world.campaign.id
    before = versions.read(versions.EVERYTHING, campaign_id)
    stance(world, 0, "champion")
    assert versions.pending(db.session)
    db.session.rollback()
    assert versions.read(versions.EVERYTHING, campaign_id) == before
    stance(world, 0, "champion")
    db.session.commit()
    after = versions.read(versions.EVERYTHING, campaign_id)
    assert after[0] == before[0] and after[1] != before[1]  # a stance is its campaign's alone
    assert not versions.pending(db.session)


def test_a_login_changes_no_version(world, make_user, login_as):
    director = make_user("director")
    before = versions.read(versions.EVERYTHING, world.campaign.id)
    login_as(director)
    assert versions.read(versions.EVERYTHING, world.campaign.id) == before


# --- polling: ETag and 304 ------------------------------------------------------------------------------


def poll(client, world, etag=None, **args):
    headers = {"HX-Request": "true", **({"If-None-Match": etag} if etag else {})}
    return client.get(board_url(world, fragment="board", **args), headers=headers)


def test_an_unchanged_board_answers_304_without_rendering(world, make_user, login_as, count_queries):
    client = login_as(make_user("director"))
    page = client.get(board_url(world)).get_data(as_text=True)
    first = poll(client, world)
    assert first.status_code == 200 and first.headers["ETag"]
    assert f'data-board-etag="&#34;{first.headers["ETag"].strip(chr(34))}&#34;"' in page
    body = first.get_data(as_text=True)
    assert body.lstrip().startswith('<div id="whip-board"') and "<html" not in body
    url = board_url(world, fragment="board")
    with count_queries() as sql:
        unchanged = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
    assert unchanged.status_code == 304 and unchanged.get_data() == b""
    assert len(sql) == 2  # the signed-in user and the version tokens (test_board_shortcut: the shortcuts)
    # A tag a compressing proxy passed on as weak still names the same board.
    assert poll(client, world, "W/" + first.headers["ETag"]).status_code == 304
    assert poll(client, world, '"another-board"').status_code == 200
    stance(world, 3, "champion")
    db.session.commit()
    changed = poll(client, world, first.headers["ETag"])
    assert changed.status_code == 200 and changed.headers["ETag"] != first.headers["ETag"]
    assert counts(changed.get_data(as_text=True))["champion"] == 1


def test_the_etag_differs_by_language_day_and_who_is_looking(world, make_user, login_as):
    partner = PartnerOrganisation(name="Aliada Sur")
    db.session.add(partner)
    db.session.flush()
    db.session.add(CampaignPartnerAccess(campaign_id=world.campaign.id, partner_organisation_id=partner.id,
                                         level="whip_list"))
    spanish, english = make_user("director"), make_user("director", language="en")
    viewer = make_user("viewer", partner_organisation_id=partner.id)
    db.session.commit()
    tags = {}
    for name, user in (("es", spanish), ("en", english), ("viewer", viewer)):
        tags[name] = poll(login_as(user), world).headers["ETag"]
    tags["past"] = poll(login_as(spanish), world, as_of="2020-01-01").headers["ETag"]
    assert len(set(tags.values())) == 4
    # The same reader asking again gets the same tag, and a 304.
    assert poll(login_as(spanish), world, tags["es"]).status_code == 304


def test_a_revoked_grant_is_seen_at_the_next_poll(world, make_user, login_as):
    partner = PartnerOrganisation(name="Aliada Norte")
    db.session.add(partner)
    db.session.flush()
    grant = CampaignPartnerAccess(campaign_id=world.campaign.id, partner_organisation_id=partner.id, level="whip_list")
    db.session.add(grant)
    viewer = make_user("viewer", partner_organisation_id=partner.id)
    db.session.commit()
    client = login_as(viewer)
    first = poll(client, world)
    assert "target-list" in first.get_data(as_text=True)
    grant.level = "aggregate"
    db.session.commit()
    after = poll(client, world, first.headers["ETag"])
    assert after.status_code == 200 and "target-list" not in after.get_data(as_text=True)


def test_only_todays_board_polls(world, make_user, login_as):
    client = login_as(make_user("director"))
    today = client.get(board_url(world)).get_data(as_text=True)
    assert 'hx-trigger="every 10s"' in today and "fragment=board" in today
    past = client.get(board_url(world, as_of="2020-01-01")).get_data(as_text=True)
    assert "every 10s" not in past


# --- who changed what -----------------------------------------------------------------------------------


def test_the_board_lists_recent_changes_with_who_made_them_but_partners_do_not_see_staff_names(
        world, make_user, login_as):
    officer = make_user("officer", name="Rosa Oficial")
    partner = PartnerOrganisation(name="Aliada Centro")
    db.session.add(partner)
    db.session.flush()
    db.session.add(CampaignPartnerAccess(campaign_id=world.campaign.id, partner_organisation_id=partner.id,
                                         level="whip_list"))
    viewer = make_user("viewer", partner_organisation_id=partner.id)
    stance(world, 1, "champion", when=utcnow() - timedelta(hours=2))  # too old to list
    for i, level in ((2, "supporter"), (3, "opposed"), (4, "leaning_yes")):
        stance(world, i, level, actor=officer, when=utcnow() - timedelta(minutes=i))
    db.session.commit()
    staff_view = poll(login_as(make_user("director")), world).get_data(as_text=True)
    assert "3 cambios en los últimos 10 minutos" in staff_view
    changes = staff_view.split('id="board-changes"')[1].split("</section>")[0]
    assert changes.count("Rosa Oficial") == 3
    assert f"{world.legislators[2].full_name}</a> → Apoya" in changes
    assert world.legislators[1].full_name not in changes
    partner_view = poll(login_as(viewer), world).get_data(as_text=True)
    partner_changes = partner_view.split('id="board-changes"')[1].split("</section>")[0]
    assert "3 cambios" in partner_changes and world.legislators[2].full_name in partner_changes
    assert "Rosa Oficial" not in partner_view


def test_the_changes_list_speaks_english(world, make_user, login_as):
    stance(world, 2, "supporter", when=utcnow() - timedelta(minutes=1))
    db.session.commit()
    html = poll(login_as(make_user("director", language="en")), world).get_data(as_text=True)
    assert "1 change in the last 10 minutes" in html


def test_a_cached_board_drops_a_change_once_it_is_older_than_the_window(world, make_user, login_as):
    stance(world, 2, "supporter", when=utcnow() - timedelta(minutes=10) + timedelta(seconds=1))
    db.session.commit()
    client = login_as(make_user("director"))
    assert "1 cambio en los últimos 10 minutos" in poll(client, world).get_data(as_text=True)
    time.sleep(1.2)
    assert "Sin cambios en los últimos 10 minutos" in poll(client, world).get_data(as_text=True)


def test_a_board_first_built_by_a_poll_is_the_one_the_page_builds(world, make_user, login_as, app):
    """Each worker fills its own cache, from whichever request comes first: a poll or the page."""
    client = login_as(make_user("director"))
    tags = []
    for first in (board_url(world, fragment="board"), board_url(world)):
        app.extensions.pop("whip_board", None)
        client.get(first)
        tags.append(poll(client, world).headers["ETag"])
    assert tags[0] == tags[1]
    assert "fragment%3D" not in poll(client, world).get_data(as_text=True)  # the rows' links return to the page


def test_a_cached_board_recounts_when_an_unlisted_change_leaves_the_window(world, make_user, login_as):
    # Nine changes: the eight newest are listed; the ninth is only counted, and it is about to age out.
    stance(world, 0, "supporter", when=utcnow() - timedelta(minutes=10) + timedelta(seconds=1))
    for i in range(1, 9):
        stance(world, i, "opposed", when=utcnow() - timedelta(minutes=1))
    db.session.commit()
    client = login_as(make_user("director"))
    assert "9 cambios en los últimos 10 minutos" in poll(client, world).get_data(as_text=True)
    time.sleep(1.2)
    assert "8 cambios en los últimos 10 minutos" in poll(client, world).get_data(as_text=True)
