"""The whip count as a director reads it: numbers, history, as-of dates, hemicycle, targets and exports."""

import csv
import io
import json
import re
from datetime import timedelta

import openpyxl
from sqlalchemy import func, select

from crm.audit.models import AuditEntry
from crm.campaigns.models import StanceAssessment
from crm.core.time import utcnow
from crm.extensions import db
from tests.campaigns.conftest import add_campaign, add_contact, add_task, build_world, stance


def whip(client, world, **args):
    query = "&".join(f"{k}={v}" for k, v in {"stage": world.plenary.id, **args}.items())
    return client.get(f"/campaigns/{world.campaign.id}/whip?{query}")


def number(html, testid):
    return int(re.search(rf'data-testid="{testid}">(\d+)<', html).group(1))


def test_counts_secured_likely_needed_and_gap(world, make_user, login_as):
    for i in range(3):
        stance(world, i, "champion")
    for i in range(3, 8):
        stance(world, i, "supporter")
    for i in range(8, 10):
        stance(world, i, "leaning_yes")
    stance(world, 10, "opposed")
    db.session.commit()
    html = whip(login_as(make_user("director")), world).get_data(as_text=True)
    assert number(html, "secured") == 8
    assert number(html, "likely") == 10
    assert number(html, "gap") == 3  # absolute majority of 20 seats = 11
    assert "de 11 necesarios" in html
    assert 'data-level="opposed">1<' in html
    assert 'data-level="unknown">9<' in html


def test_committee_stage_counts_only_committee_members(world, make_user, login_as):
    stance(world, 0, "supporter")
    stance(world, 10, "supporter")  # not on the committee
    db.session.commit()
    html = whip(login_as(make_user("director")), world, stage=world.committee_stage.id).get_data(as_text=True)
    assert number(html, "secured") == 1
    assert "de 3 necesarios" in html  # simple majority of 5 members


def test_current_stance_is_the_latest_and_history_is_kept(world, make_user, login_as):
    now = utcnow()
    stance(world, 0, "supporter", when=now - timedelta(days=10), evidence="Lo dijo en la radio")
    stance(world, 0, "opposed", when=now - timedelta(days=1), evidence="Cambió de opinión")
    db.session.commit()
    client = login_as(make_user("director"))
    html = whip(client, world).get_data(as_text=True)
    assert number(html, "secured") == 0
    rows = db.session.execute(
        select(func.count()).select_from(StanceAssessment).where(StanceAssessment.legislator_id == world.legislators[0].id)
    ).scalar_one()
    assert rows == 2
    fragment = client.get(f"/legislators/{world.legislators[0].id}/stances").get_data(as_text=True)
    assert "Lo dijo en la radio" in fragment and "Cambió de opinión" in fragment
    assert fragment.index("Se opone") < fragment.index("Apoya")  # newest first
    assert "<html" not in fragment


def test_as_of_shows_the_count_of_an_earlier_day(world, make_user, login_as):
    now = utcnow()
    for i in range(6):
        stance(world, i, "supporter", when=now - timedelta(days=40))
    for i in range(6, 12):
        stance(world, i, "champion", when=now - timedelta(days=5))
    stance(world, 0, "hard_opposed", when=now - timedelta(days=2))
    db.session.commit()
    client = login_as(make_user("director"))
    today = number(whip(client, world).get_data(as_text=True), "secured")
    earlier_day = (now - timedelta(days=20)).date().isoformat()
    earlier = whip(client, world, as_of=earlier_day).get_data(as_text=True)
    assert today == 11
    assert number(earlier, "secured") == 6
    assert "tal como estaba" in earlier
    bad = whip(client, world, as_of="ayer")
    assert bad.status_code == 200 and "AAAA-MM-DD" in bad.get_data(as_text=True)


def test_hemicycle_has_one_titled_coloured_seat_per_member_and_a_table(world, make_user, login_as):
    stance(world, 0, "champion")
    db.session.commit()
    html = whip(login_as(make_user("director")), world).get_data(as_text=True)
    svg = html[html.index("<svg xmlns") : html.index("</svg>", html.index("<svg xmlns"))]
    seats = re.findall(r'<circle [^>]*fill="(#[0-9a-f]{6})"[^>]*><title>([^<]+)</title></circle>', svg)
    assert len(seats) == 20
    assert sum(1 for fill, _t in seats if fill == "#08519c") == 1
    assert any("Legisladora 000 Pérez" in title and "Impulsa" in title for _f, title in seats)
    table = html[html.index('id="seat-table"') :].split("</table>")[0]
    assert table.count("<tr><td>") == 20
    assert "style=" not in html and "<script>" not in html


def test_breakdowns_by_group_district_and_committee(world, make_user, login_as):
    stance(world, 0, "supporter")
    stance(world, 4, "opposed")
    db.session.commit()
    client = login_as(make_user("director"))
    html = whip(client, world).get_data(as_text=True)
    for label in ("Frente Amplio", "Fuerza Popular", "Gana Perú"):
        assert label in html
    # District and committee tables load in place when their section is opened.
    assert 'hx-trigger="toggle once"' in html and "fragment=breakdown&amp;by=district" in html
    district = whip(client, world, fragment="breakdown", by="district").get_data(as_text=True)
    assert "Distrito 0" in district and "Distrito 3" in district and "<html" not in district
    # Distrito 0 holds members 0, 4, 8, 12, 16: one secured, one against.
    row = district[district.index("Distrito 0") :].split("</tr>")[0]
    assert re.findall(r'text-end">(\d+)<', row) == ["5", "1", "1", "3", "1"]
    committee = whip(client, world, fragment="breakdown", by="committee").get_data(as_text=True)
    row = committee[committee.index("Comisión de Justicia") :].split("</tr>")[0]
    assert re.findall(r'text-end">(\d+)<', row) == ["5", "1", "1", "3", "1"]
    assert whip(client, world, fragment="breakdown", by="shoe").status_code == 404


def test_trend_moves_week_by_week_from_history(world, make_user, login_as):
    now = utcnow()
    stance(world, 0, "supporter", when=now - timedelta(weeks=6))
    stance(world, 1, "supporter", when=now - timedelta(days=3))
    stance(world, 0, "opposed", when=now - timedelta(days=2))
    db.session.commit()
    client = login_as(make_user("director"))
    data = client.get(f"/campaigns/{world.campaign.id}/trend.json?stage={world.plenary.id}").get_json()
    assert len(data["labels"]) == 12 and data["needed"] == 11
    series = {d["level"]: d["data"] for d in data["datasets"]}
    assert series["supporter"][0] == 0 and series["supporter"][-2] == 1 and series["supporter"][-1] == 1
    assert series["opposed"][-1] == 1 and series["opposed"][-2] == 0
    assert all(sum(s[i] for s in series.values()) == 20 for i in range(12))
    html = whip(client, world).get_data(as_text=True)
    assert 'data-trend-url="/campaigns/' in html and "js/campaigns.js" in html


def test_target_list_ranks_committee_leads_and_shows_contact_task_and_owner(world, make_user, login_as):
    officer = make_user("officer", name="Olga Responsable")
    now = utcnow()
    stance(world, 12, "leaning_yes")
    stance(world, 0, "leaning_no")  # chair of the justice committee, the campaign's committee stage
    stance(world, 13, "undecided")
    stance(world, 14, "opposed")
    world.legislators[13].owner_user_id = officer.id
    add_contact(world.legislators[13], now - timedelta(days=3))
    add_task(world.legislators[13], now + timedelta(days=2))
    db.session.commit()
    client = login_as(make_user("director"))
    html = whip(client, world).get_data(as_text=True)
    targets = html[html.index('id="target-list"') : html.index("</table>", html.index('id="target-list"'))]
    assert targets.index("Legisladora 000") < targets.index("Legisladora 012") < targets.index("Legisladora 013")
    assert "Presidencia" in targets
    assert "Legisladora 014" not in targets  # opposed is not persuadable
    row = targets[targets.index("Legisladora 013") :].split("</tr>")[0]
    assert "Olga Responsable" in row
    filtered = whip(client, world, owner_user=officer.id).get_data(as_text=True)
    filtered_targets = filtered[filtered.index('id="target-list"') :]
    assert "Legisladora 013" in filtered_targets and "Legisladora 012" not in filtered_targets.split("</table>")[0]


def test_whip_page_costs_the_same_statements_at_any_size(make_user, login_as, count_queries):
    director = make_user("director")
    client = login_as(director)
    counts = []
    for size in (8, 60):
        world = build_world(size=size, committee_size=size // 2)
        add_campaign(world)
        now = utcnow()
        for i, person in enumerate(world.legislators):
            stance(world, i, ("supporter", "undecided", "leaning_no")[i % 3], when=now - timedelta(days=i % 30))
            stance(world, i, ("champion", "leaning_yes", "unknown")[i % 3], when=now - timedelta(days=1))
            add_contact(person, now - timedelta(days=i))
            add_task(person, now + timedelta(days=i + 1))
        db.session.commit()
        url = f"/campaigns/{world.campaign.id}/whip?stage={world.plenary.id}"
        client.get(url)  # warm caches built once per process
        stance(world, 0, "opposed", when=utcnow())
        db.session.commit()  # a new version: the next view is built again
        with count_queries() as built:
            response = client.get(url)
        assert response.status_code == 200
        assert response.get_data(as_text=True).count("</title></circle>") == size
        with count_queries() as cached:
            again = client.get(url)
        # The page frame (CSRF token, menus) is rendered per request; the board part is the very same.
        assert again.get_data(as_text=True).split("data-board-etag=")[1] == response.get_data(as_text=True).split(
            "data-board-etag=")[1]
        counts.append((len(built), len(cached)))
    # Built: the signed-in user, the version tokens, the campaign with its stages, one statement for all the
    # members and one for the recent changes. Served from the cache: the user and the version tokens. (The cache's
    # shortcuts read on a connection of their own, unseen here: test_board_shortcut covers them.)
    assert counts == [(5, 2), (5, 2)]


def test_export_csv_and_xlsx_neutralise_formulas(world, make_user, login_as):
    world.legislators[0].full_name = "=HYPERLINK(\"http://x\")"
    stance(world, 0, "supporter", commitment="public")
    db.session.commit()
    client = login_as(make_user("director"))
    response = client.get(f"/campaigns/{world.campaign.id}/export.csv?stage={world.plenary.id}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0][0] == "Nombre" and len(rows) == 21
    assert ["'=HYPERLINK(\"http://x\")", "Apoya"] == [rows[1][0], rows[1][3]]
    response = client.get(f"/campaigns/{world.campaign.id}/export.xlsx?stage={world.plenary.id}")
    assert response.status_code == 200
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[1][0] == "'=HYPERLINK(\"http://x\")" and len(values) == 21
    assert client.get(f"/campaigns/{world.campaign.id}/export.pdf").status_code == 404


def test_export_dates_are_the_users_local_days(world, make_user, login_as):
    """A stance taken at 21:30 in Lima is dated that day in the export, as on the page, not the next UTC day."""
    from datetime import UTC, datetime

    evening_in_lima = datetime(2026, 3, 10, 2, 30, tzinfo=UTC)  # 9 March, 21:30 in Lima
    stance(world, 0, "supporter", when=evening_in_lima)
    add_contact(world.legislators[0], evening_in_lima)
    db.session.commit()
    client = login_as(make_user("director", timezone="America/Lima"))
    response = client.get(f"/campaigns/{world.campaign.id}/export.csv?stage={world.plenary.id}")
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    row = next(r for r in rows if r[0] == world.legislators[0].full_name)
    assert row[6] == "2026-03-09" and row[8] == "2026-03-09"


def test_update_stance_in_place_with_htmx_is_audited(world, make_user, login_as):
    officer = make_user("officer")
    client = login_as(officer)
    person = world.legislators[5]
    form = client.get(f"/campaigns/{world.campaign.id}/legislators/{person.id}/stance")
    assert form.status_code == 200 and 'hx-post="' in form.get_data(as_text=True)
    response = client.post(
        f"/campaigns/{world.campaign.id}/legislators/{person.id}/stance",
        data={"level": "supporter", "commitment": "written", "confidence": "80", "evidence": "Carta firmada"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert "Guardada" in response.get_data(as_text=True)
    assert response.headers["HX-Trigger"] == "stance-changed"
    saved = db.session.execute(select(StanceAssessment).where(StanceAssessment.legislator_id == person.id)).scalar_one()
    assert (saved.level, saved.commitment, saved.confidence, saved.assessed_by_id) == ("supporter", "written", 80, officer.id)
    audit = db.session.execute(select(AuditEntry).where(AuditEntry.action == "stance.assess")).scalars().all()
    assert audit[-1].actor_id == officer.id and audit[-1].new_values["level"] == "supporter"
    summary = whip(client, world, fragment="summary").get_data(as_text=True)
    assert number(summary, "secured") == 1 and "<html" not in summary


def test_bad_stance_input_changes_nothing(world, make_user, login_as):
    client = login_as(make_user("officer"))
    person = world.legislators[5]
    url = f"/campaigns/{world.campaign.id}/legislators/{person.id}/stance"
    response = client.post(url, data={"level": "maybe", "commitment": "public"}, headers={"HX-Request": "true"})
    assert response.status_code == 422
    response = client.post(url, data={"level": "supporter", "commitment": "public", "confidence": "150"}, headers={"HX-Request": "true"})
    assert response.status_code == 422
    assert db.session.execute(select(func.count()).select_from(StanceAssessment)).scalar_one() == 0
    assert client.post(f"/campaigns/{world.campaign.id}/legislators/999999/stance", data={"level": "supporter"}).status_code == 404


def test_bulk_update_from_the_whip_list(world, make_user, login_as):
    client = login_as(make_user("officer"))
    page = client.get(f"/campaigns/{world.campaign.id}/list?stage={world.plenary.id}").get_data(as_text=True)
    assert page.count('name="legislator_ids"') == 20
    ids = [str(world.legislators[i].id) for i in (1, 2, 3)]
    response = client.post(
        f"/campaigns/{world.campaign.id}/stances/bulk",
        data={"legislator_ids": ids, "level": "leaning_yes", "commitment": "private", "confidence": "60", "stage": world.plenary.id},
        follow_redirects=True,
    )
    assert response.status_code == 200
    assert "Postura actualizada para 3 legisladores" in response.get_data(as_text=True)
    levels = db.session.execute(select(StanceAssessment.level)).scalars().all()
    assert levels == ["leaning_yes"] * 3
    assert db.session.execute(select(func.count()).where(AuditEntry.action == "stance.assess")).scalar_one() == 3
    # Nothing selected, or an unknown legislator: nothing saved.
    client.post(f"/campaigns/{world.campaign.id}/stances/bulk", data={"level": "supporter", "commitment": "public"})
    assert client.post(
        f"/campaigns/{world.campaign.id}/stances/bulk", data={"legislator_ids": ["999999"], "level": "supporter", "commitment": "public"}
    ).status_code == 404
    assert db.session.execute(select(func.count()).select_from(StanceAssessment)).scalar_one() == 3


def test_index_lists_campaigns_with_their_headline(world, make_user, login_as):
    for i in range(4):
        stance(world, i, "supporter")
    db.session.commit()
    html = login_as(make_user("director")).get("/campaigns").get_data(as_text=True)
    assert "Déjala Decidir" in html
    # The headline stage is the committee (no target date, first in order): 4 secured of 3 needed.
    assert "<strong>4</strong> / 3" in html


def test_committee_roles_are_named_on_the_target_list_and_in_the_export(world, make_user, login_as):
    from crm.legislature.models import CommitteeMembership

    db.session.execute(
        CommitteeMembership.__table__.update()
        .where(CommitteeMembership.legislator_id == world.legislators[1].id)
        .values(role="ranking_member")
    )
    stance(world, 1, "undecided")
    db.session.commit()
    client = login_as(make_user("director"))
    html = whip(client, world).get_data(as_text=True)
    targets = html[html.index('id="target-list"') :]
    row = targets[targets.index("Legisladora 001") :].split("</tr>")[0]
    assert "Miembro principal de la minoría" in row and "ranking_member" not in row
    exported = client.get(f"/campaigns/{world.campaign.id}/export.csv?stage={world.plenary.id}").get_data(as_text=True)
    assert "Miembro principal de la minoría" in exported


def test_index_counts_chamber_and_committee_headlines_side_by_side(world, make_user, login_as):
    from crm.campaigns import operations

    for i in range(4):
        stance(world, i, "supporter")
    floor = operations.create_campaign(actor=None, name="Solo Pleno", legislature_id=world.legislature.id)
    operations.add_stage(floor, actor=None, name="Pleno", chamber_id=world.chamber.id, rule_kind="absolute_majority")
    for i in range(6, 12):  # outside the committee: only the floor campaign counts them
        operations.record_stance(campaign_id=floor.id, legislator_id=world.legislators[i].id, level="champion", actor=None)
    db.session.commit()
    html = login_as(make_user("director")).get("/campaigns").get_data(as_text=True)
    assert "<strong>4</strong> / 3" in html  # committee headline of the first campaign
    assert "<strong>6</strong> / 11" in html  # floor headline: 20 legal seats, absolute majority


def test_unknown_ids_are_404(world, make_user, login_as):
    client = login_as(make_user("director"))
    assert client.get("/campaigns/999999/whip").status_code == 404
    other = build_world(size=3)
    add_campaign(other)
    db.session.commit()
    assert whip(client, world, stage=other.plenary.id).status_code == 404
    assert client.get(f"/campaigns/{world.campaign.id}/whip?stage=abc").status_code == 404
    assert client.get("/legislators/999999/stances").status_code == 404
    assert json.loads(client.get(f"/campaigns/{world.campaign.id}/trend.json").data)["labels"]


def test_same_instant_assessments_resolve_to_the_last_recorded(world, make_user, login_as):
    when = utcnow() - timedelta(hours=1)
    stance(world, 0, "supporter", when=when)
    stance(world, 0, "opposed", when=when)
    stance(world, 1, "opposed", when=when)
    stance(world, 1, "supporter", when=when)
    db.session.commit()
    client = login_as(make_user("director"))
    html = whip(client, world, stage=world.committee_stage.id).get_data(as_text=True)
    assert number(html, "secured") == 1
    index = client.get("/campaigns").get_data(as_text=True)
    assert "<strong>1</strong> / 3" in index  # the window-function count agrees


def test_whip_page_renders_in_english_too(world, make_user, login_as):
    stance(world, 0, "supporter")
    db.session.commit()
    client = login_as(make_user("director", language="en"))
    response = whip(client, world)
    assert response.status_code == 200
    assert number(response.get_data(as_text=True), "secured") == 1


def test_a_day_before_anyone_sat_shows_an_empty_chamber(world, make_user, login_as):
    response = whip(login_as(make_user("director")), world, as_of="2001-01-01")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "0 personas ocupan un escaño" in html and html.count("</title></circle>") == 0


def test_names_are_escaped_in_the_hemicycle_table_and_targets(world, make_user, login_as):
    world.legislators[3].full_name = "<b>Inyectada</b> & Cía"
    world.groups[0].name = "<i>Bancada</i>"
    db.session.commit()
    html = whip(login_as(make_user("director")), world).get_data(as_text=True)
    assert "<b>Inyectada" not in html and "<i>Bancada" not in html
    assert html.count("&lt;b&gt;Inyectada&lt;/b&gt; &amp; Cía") >= 3  # seat title, seat table, target list


def test_past_counts_are_read_only(world, make_user, login_as):
    stance(world, 0, "undecided", when=utcnow() - timedelta(days=30))
    db.session.commit()
    client = login_as(make_user("officer"))
    past = (utcnow() - timedelta(days=10)).date().isoformat()
    assert "Cambiar" not in whip(client, world, as_of=past).get_data(as_text=True)
    assert 'name="legislator_ids"' not in client.get(
        f"/campaigns/{world.campaign.id}/list?stage={world.plenary.id}&as_of={past}"
    ).get_data(as_text=True)
    assert "Cambiar" in whip(client, world).get_data(as_text=True)


def test_committee_badge_on_the_target_list_is_html_not_text(world, make_user, login_as):
    stance(world, 0, "undecided")  # chair of the campaign's committee
    db.session.commit()
    html = whip(login_as(make_user("director")), world).get_data(as_text=True)
    targets = html[html.index('id="target-list"') : html.index("</table>", html.index('id="target-list"'))]
    assert "&lt;span" not in targets
    assert '<span class="badge text-bg-warning">Comisión: Presidencia</span>' in targets


def test_legislator_names_link_to_profiles_on_targets_and_the_vote_list(world, make_user, login_as):
    stance(world, 3, "undecided")
    db.session.commit()
    client = login_as(make_user("director"))
    leg = world.legislators[3]
    html = whip(client, world).get_data(as_text=True)
    targets = html[html.index('id="target-list"') :]
    assert f'href="/legislators/{leg.id}">{leg.full_name}</a>' in targets
    listing = client.get(f"/campaigns/{world.campaign.id}/list?stage={world.plenary.id}").get_data(as_text=True)
    assert f'href="/legislators/{leg.id}">{leg.full_name}</a>' in listing


def test_header_names_the_stages_own_fraction_and_explains_people_against_seats(make_user, login_as):
    world = build_world(size=22, seats=20)
    add_campaign(world, rule_kind="fraction", fraction_numerator=2, fraction_denominator=3)
    db.session.commit()
    client = login_as(make_user("director"))
    html = whip(client, world).get_data(as_text=True)
    heading = html.split('<h2 class="h5">')[1].split("</h2>")[0]
    assert "2/3 del número legal" in heading and "(2/3, 3/5…)" not in heading
    note = html.split('data-testid="seat-note">')[1].split("</p>")[0]
    assert "22 personas ocupan un escaño" in note and "20 escaños legales" in note and "reemplazos" in note
    english = login_as(make_user("director", language="en"))
    html = whip(english, world).get_data(as_text=True)
    assert "2/3 of the legal number of seats" in html and "22 people hold a seat" in html


def test_targets_and_the_vote_list_write_dates_as_every_other_page_does(world, make_user, login_as):
    """Last contact, next task and assessment day read "9 mar. 2026" / "Mar 9, 2026", never 2026-03-09."""
    from datetime import UTC, datetime

    evening_in_lima = datetime(2026, 3, 10, 2, 30, tzinfo=UTC)  # 9 March, 21:30 in Lima
    stance(world, 13, "undecided", when=evening_in_lima)
    add_contact(world.legislators[13], evening_in_lima)
    add_task(world.legislators[13], datetime(2026, 9, 23, 15, tzinfo=UTC))
    db.session.commit()
    for language, contact, task in (("es_PE", "9 mar. 2026", "23 set. 2026"), ("en", "Mar 9, 2026", "Sep 23, 2026")):
        client = login_as(make_user("director", timezone="America/Lima", language=language))
        html = whip(client, world).get_data(as_text=True)
        targets = html[html.index('id="target-list"') : html.index("</table>", html.index('id="target-list"'))]
        row = targets[targets.index("Legisladora 013") :].split("</tr>")[0]
        assert contact in row and task in row
        listing = client.get(f"/campaigns/{world.campaign.id}/list?stage={world.plenary.id}").get_data(as_text=True)
        row = listing[listing.index("Legisladora 013") :].split("</tr>")[0]
        assert contact in row
        for page in (targets, listing):
            assert not re.search(r"\b20\d\d-\d\d-\d\d\b", re.sub(r'(href|value|hx-get|action)="[^"]*"', "", page))


def test_xlsx_export_has_real_dates_readable_columns_and_a_summary(world, make_user, login_as):
    from datetime import UTC, date, datetime

    evening_in_lima = datetime(2026, 3, 10, 2, 30, tzinfo=UTC)
    stance(world, 0, "supporter", when=evening_in_lima, commitment="public")
    stance(world, 1, "champion", when=evening_in_lima)
    stance(world, 2, "undecided", when=evening_in_lima)
    add_contact(world.legislators[0], evening_in_lima)
    db.session.commit()
    client = login_as(make_user("director", timezone="America/Lima"))
    response = client.get(f"/campaigns/{world.campaign.id}/export.xlsx?stage={world.plenary.id}")
    book = openpyxl.load_workbook(io.BytesIO(response.data))
    sheet = book["Recuento"]
    header = [c.value for c in sheet[1]]
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == world.legislators[0].full_name)
    assessed, contact = row[header.index("Evaluada el")], row[header.index("Último contacto")]
    assert assessed.is_date and contact.is_date  # a real date the spreadsheet can sort and filter, not text
    assert assessed.value.date() == date(2026, 3, 9) == contact.value.date()
    names = sheet.column_dimensions["A"].width
    assert names >= max(len(r[0].value) for r in sheet.iter_rows(min_row=2)) and names <= 50
    assert sheet.column_dimensions["F"].width >= len("Confianza")
    assert sheet["A1"].font.b
    summary = {r[0].value: r[1].value for r in book["Resumen"].iter_rows() if r[0].value}
    assert summary["Campaña"] == world.campaign.name
    assert summary["Apoya"] == 1 and summary["Impulsa"] == 1 and summary["Sin decidir"] == 1
    assert summary["Total"] == 20 and summary["Asegurados"] == 2
    assert book["Resumen"]["B3"].is_date
