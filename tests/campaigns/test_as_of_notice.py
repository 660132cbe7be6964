"""?as_of= in the future or unreadable: the page says so and names the day it shows instead."""

from datetime import timedelta

from crm.core.time import local_today
from crm.extensions import db
from tests.campaigns.conftest import stance
from tests.campaigns.test_whip import number, whip


def test_future_as_of_shows_today_and_says_so(world, make_user, login_as):
    stance(world, 0, "champion")
    db.session.commit()
    director = make_user("director")
    client = login_as(director)
    today = local_today(director.timezone)
    response = whip(client, world, as_of="2030-01-01")
    html = response.get_data(as_text=True)
    assert response.status_code == 200 and number(html, "secured") == 1
    assert "todavía no llega" in html and "1 de enero de 2030" in html and str(today.year) in html
    assert "tal como estaba" not in html
    listing = client.get(f"/campaigns/{world.campaign.id}/list?stage={world.plenary.id}&as_of="
                         f"{(today + timedelta(days=1)).isoformat()}").get_data(as_text=True)
    assert "todavía no llega" in listing


def test_unreadable_as_of_names_the_day_shown_and_nothing_leaks_to_the_next_page(world, make_user, login_as):
    client = login_as(make_user("director", language="en"))
    html = whip(client, world, as_of="ayer").get_data(as_text=True)
    assert "ayer" in html and "YYYY-MM-DD" in html and "Showing today" in html
    # The trend JSON and the next page do not carry a stale message.
    client.get(f"/campaigns/{world.campaign.id}/trend.json?stage={world.plenary.id}&as_of=2030-01-01")
    assert "YYYY-MM-DD" not in whip(client, world).get_data(as_text=True)
    assert "not here yet" not in whip(client, world).get_data(as_text=True)


def test_today_and_past_days_show_no_notice(world, make_user, login_as):
    director = make_user("director")
    client = login_as(director)
    yesterday = local_today(director.timezone) - timedelta(days=1)
    for html in (whip(client, world).get_data(as_text=True),
                 whip(client, world, as_of=yesterday.isoformat()).get_data(as_text=True)):
        assert "todavía no llega" not in html and "No se entiende" not in html


def test_command_refuses_a_future_day(app, world):
    runner = app.test_cli_runner()
    future = runner.invoke(args=["crm", "whip-count", str(world.campaign.id), "--as-of", "2030-01-01"])
    assert future.exit_code != 0 and "future day" in future.output
    assert runner.invoke(args=["crm", "whip-count", str(world.campaign.id)]).exit_code == 0
