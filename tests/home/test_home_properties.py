"""On random legislatures, the home page's figures are the whip page's and the going-cold page's figures.

The random world (terms, seats starting or ending around today, committee changes, stance histories, meetings)
is the one tests/campaigns/test_properties_agreement.py checks the whip count against its plain reference.
"""

import re
from collections import Counter
from dataclasses import replace
from datetime import timedelta

from hypothesis import HealthCheck, given, settings

from crm.campaigns.models import SECURED
from crm.campaigns.stance import cutoff_for_day
from tests.campaigns.test_properties_agreement import (
    TZ,
    _remove,
    build,
    now_and_today,
    ref_going_cold,
    ref_members,
    ref_stance,
    worlds,
)
from tests.campaigns.test_whip import number
from tests.conftest import login
from tests.home.test_home import _stage_block, home_gap


def _ref_secured(built, kind, index, day) -> int:
    cutoff = cutoff_for_day(day, TZ)
    levels = Counter(ref_stance(built, lid, cutoff) for lid in ref_members(built, kind, index, day))
    return sum(levels[lv] for lv in SECURED)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large])
@given(world=worlds)
def test_home_figures_are_the_whip_and_going_cold_pages_figures(world, client, make_user):
    director = make_user("director", timezone=TZ)
    login(client, director)
    now, today = now_and_today()
    built = build(world, today, now)
    try:
        home = client.get("/").get_data(as_text=True)
        week_ago = today - timedelta(days=7)
        for stage, kind, index in built.stages:
            block = _stage_block(home, stage.id)
            url = f"/campaigns/{built.campaign_id}/whip?stage={stage.id}"
            page = client.get(url).get_data(as_text=True)
            secured = number(block, "secured")
            assert secured == number(page, "secured") == _ref_secured(built, kind, index, today)
            assert home_gap(block) == number(page, "gap")
            before = number(client.get(f"{url}&as_of={week_ago.isoformat()}").get_data(as_text=True), "secured")
            assert before == _ref_secured(built, kind, index, week_ago)
            change = secured - before
            if change > 0:
                assert f"▲</span> +{change}<" in block
            elif change < 0:
                assert f"▼</span> −{-change}<" in block
            else:
                assert "=</span>" in block
        cold = int(re.search(rf'data-testid="cold-{built.campaign_id}"[^>]*>(\d+) ', home).group(1))
        # The pages read the clock a moment after the world was built: a contact exactly one window before
        # built.now has gone cold for them, so the reference looks from a second later.
        assert cold == len(ref_going_cold(replace(built, now=now + timedelta(seconds=1))))
        listed = client.get(f"/going-cold?campaign={built.campaign_id}").get_data(as_text=True)
        assert cold == int(re.search(r'data-testid="cold-total">(\d+) ', listed).group(1))
    finally:
        _remove(built)
