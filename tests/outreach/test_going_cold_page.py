"""The going-cold page: filters by owner, stance and chamber, three sorts, pages whose links keep the filters."""

import re
from datetime import timedelta

from crm.core.time import utcnow
from crm.extensions import db
from crm.legislature.models import Chamber
from crm.outreach.queries.cold_list import PER_PAGE

NAME = re.compile(r'class="fw-semibold" href="/legislators/\d+">([^<]+)<')


def _names(client, query=""):
    html = client.get(f"/going-cold{query}").get_data(as_text=True)
    return NAME.findall(html), html


def _scene(make_user, chamber, make_legislator, make_campaign, make_partner, add_interaction, add_stance):
    officer = make_user("officer", name="Olga Oficial")
    partner = make_partner("Colectiva Norte")
    campaign = make_campaign(going_cold_days=14)
    senate = Chamber(legislature_id=chamber.legislature_id, name="Senado", seats=60)
    db.session.add(senate)
    db.session.flush()
    from crm.campaigns.models import VoteStage

    db.session.add(VoteStage(campaign_id=campaign.id, position=9, name="Senado", chamber_id=senate.id))
    now = utcnow()
    ana = make_legislator("Ana Zapata", owner_user_id=officer.id)
    beto = make_legislator("Beto Yupanqui", owner_partner_id=partner.id)
    carla = make_legislator("Carla Ximénez")
    dora = make_legislator("Dora Wong", in_chamber=senate)
    add_stance(campaign, beto, "leaning_no", now - timedelta(days=40))
    add_stance(campaign, carla, "leaning_yes", now - timedelta(days=40))
    add_interaction(officer, [beto], starts_at=now - timedelta(days=20))
    add_interaction(officer, [carla], starts_at=now - timedelta(days=60))
    db.session.commit()
    return officer, partner, campaign, senate, (ana, beto, carla, dora)


def test_filters_and_sorts_name_the_right_people(make_user, login_as, chamber, make_legislator, make_campaign,
                                                 make_partner, add_interaction, add_stance):
    officer, partner, campaign, senate, _people = _scene(make_user, chamber, make_legislator, make_campaign,
                                                         make_partner, add_interaction, add_stance)
    client = login_as(officer)
    base = f"?campaign={campaign.id}"
    names, html = _names(client, base)
    # Default: never contacted first (by family name), then the oldest contact.
    assert names == ["Dora Wong", "Ana Zapata", "Carla Ximénez", "Beto Yupanqui"]
    assert "4 legisladores" in html
    assert _names(client, base + "&sort=name")[0] == ["Dora Wong", "Carla Ximénez", "Beto Yupanqui", "Ana Zapata"]
    by_stance = _names(client, base + "&sort=stance")[0]
    assert by_stance == ["Carla Ximénez", "Beto Yupanqui", "Dora Wong", "Ana Zapata"]  # leaning yes … unknown
    assert _names(client, base + f"&owner=u{officer.id}")[0] == ["Ana Zapata"]
    assert _names(client, base + f"&owner=p{partner.id}")[0] == ["Beto Yupanqui"]
    assert _names(client, base + "&owner=none")[0] == ["Dora Wong", "Carla Ximénez"]
    assert _names(client, base + "&level=leaning_no")[0] == ["Beto Yupanqui"]
    assert _names(client, base + f"&chamber={senate.id}")[0] == ["Dora Wong"]
    nobody, html = _names(client, base + "&level=undecided")
    assert nobody == [] and "Nadie coincide con estos filtros" in html
    # Unknown values are ignored, never an error.
    assert _names(client, base + "&owner=x1&level=champion&chamber=999&sort=zz")[0] == names


def test_pages_keep_the_filters_and_the_statement_count_is_fixed(make_user, login_as, chamber, make_legislator,
                                                                 make_campaign, count_queries):
    officer = make_user("officer")
    campaign = make_campaign()
    client = login_as(officer)
    counts = []
    for n in (3, PER_PAGE + 8):
        for i in range(n):
            make_legislator(f"Persona {n:02d}-{i:02d}", owner_user_id=officer.id)
        db.session.commit()
        query = f"?campaign={campaign.id}&owner=u{officer.id}&sort=name"
        client.get(f"/going-cold{query}")
        with count_queries() as sql:
            names, html = _names(client, query)
        counts.append(len(sql))
    assert counts[0] == counts[1]
    assert len(names) == PER_PAGE and "Página 1 de 2" in html
    next_link = re.search(r'href="([^"]*page=2[^"]*)"', html).group(1).replace("&amp;", "&")
    assert f"owner=u{officer.id}" in next_link and "sort=name" in next_link and f"campaign={campaign.id}" in next_link
    second, html = _names(client, next_link.removeprefix("/going-cold"))
    assert len(second) == 3 + PER_PAGE + 8 - PER_PAGE and not set(second) & set(names)
    assert second == sorted(second)
