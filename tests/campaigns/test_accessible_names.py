"""A screen reader names each control after the legislator it changes: the vote list's stance selects said only
"Postura" 130 times."""

import re
from html import unescape

from tests.campaigns.conftest import stance


def test_each_stance_select_on_the_vote_list_names_its_legislator(world, make_user, login_as):
    stance(world, 0, "supporter")
    client = login_as(make_user("officer"))
    html = client.get(f"/campaigns/{world.campaign.id}/list?stage={world.plenary.id}").get_data(as_text=True)
    labels = [unescape(label) for label in re.findall(r'<select[^>]*name="level"[^>]*aria-label="([^"]*)"', html)]
    assert sorted(labels) == sorted(f"Postura de {person.full_name}" for person in world.legislators)

    english = login_as(make_user("officer", language="en"))
    html = english.get(f"/campaigns/{world.campaign.id}/list?stage={world.plenary.id}").get_data(as_text=True)
    assert f'aria-label="Stance of {world.legislators[0].full_name}"' in unescape(html)


def test_a_whip_breakdown_that_scrolls_sideways_takes_focus_and_has_a_name(world, make_user, login_as):
    client = login_as(make_user("director"))
    html = client.get(f"/campaigns/{world.campaign.id}/whip?stage={world.plenary.id}").get_data(as_text=True)
    assert '<div class="table-responsive" tabindex="0" role="region" aria-label="Desglose: Bancada">' in html
    fragment = client.get(
        f"/campaigns/{world.campaign.id}/whip?stage={world.plenary.id}&fragment=breakdown&by=district"
    ).get_data(as_text=True)
    assert 'tabindex="0" role="region" aria-label="Desglose: Distrito"' in fragment
