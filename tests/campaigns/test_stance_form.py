"""One legislator's whole stance (level, commitment, confidence, evidence), from the profile and the whip rows."""

import re
from urllib.parse import unquote

from sqlalchemy import func, select

from crm.audit.models import AuditEntry
from crm.campaigns.models import StanceAssessment
from crm.extensions import db
from tests.campaigns.conftest import stance


def _form_url(world, person, next_url=None):
    url = f"/campaigns/{world.campaign.id}/legislators/{person.id}/stance/edit"
    return url + (f"?next={next_url}" if next_url else "")


def _selected(html, name):
    select_html = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S).group(1)
    chosen = re.findall(r'<option selected value="([^"]*)"', select_html)
    return chosen[0] if chosen else None


def _assessments():
    return db.session.execute(select(StanceAssessment)).scalars().all()


def test_profile_offers_a_stance_form_per_running_campaign_to_staff_only(world, partner, make_user, login_as):
    person = world.legislators[3]
    officer = login_as(make_user("officer"))
    fragment = officer.get(f"/legislators/{person.id}/stances").get_data(as_text=True)
    assert "Postura en Déjala Decidir" in fragment
    assert f'href="{_form_url(world, person)}?next=/legislators/{person.id}"' in fragment.replace("%2F", "/")
    viewer = login_as(make_user("viewer", partner_organisation_id=partner.id))
    assert "Postura en" not in viewer.get(f"/legislators/{person.id}/stances").get_data(as_text=True)


def test_a_first_stance_has_nothing_pre_chosen_and_is_saved_whole_with_an_audit_row(world, make_user, login_as):
    officer = make_user("officer")
    client = login_as(officer)
    person = world.legislators[3]
    page = client.get(_form_url(world, person, f"/legislators/{person.id}")).get_data(as_text=True)
    assert _selected(page, "level") is None and _selected(page, "commitment") is None  # no "Impulsa" by default
    assert "Aún no tiene una postura registrada" in page and "Déjala Decidir" in page

    refused = client.post(_form_url(world, person), data={"commitment": "public", "confidence": "70"})
    assert refused.status_code == 422 and "Elija una postura." in refused.get_data(as_text=True)
    assert _assessments() == []

    saved = client.post(_form_url(world, person), data={
        "level": "leaning_yes", "commitment": "written", "confidence": "70", "evidence": "Carta del 3 de mayo",
        "source_url": "https://example.org/carta", "next": f"/legislators/{person.id}",
    })
    assert saved.status_code == 302 and saved.headers["Location"].endswith(f"/legislators/{person.id}")
    [a] = _assessments()
    assert (a.level, a.commitment, a.confidence, a.evidence, a.source_url, a.assessed_by_id) == (
        "leaning_yes", "written", 70, "Carta del 3 de mayo", "https://example.org/carta", officer.id)
    audit = db.session.execute(select(AuditEntry).where(AuditEntry.action == "stance.assess")).scalars().all()
    assert audit[-1].actor_id == officer.id and audit[-1].new_values["commitment"] == "written"


def test_the_form_starts_from_the_current_stance_and_keeps_the_old_one(world, make_user, login_as):
    person = world.legislators[4]
    stance(world, 4, "undecided", commitment="private", confidence=40)
    db.session.commit()
    client = login_as(make_user("officer"))
    page = client.get(_form_url(world, person)).get_data(as_text=True)
    assert (_selected(page, "level"), _selected(page, "commitment")) == ("undecided", "private")
    assert 'name="confidence" type="number" value="40"' in page or 'value="40"' in page
    client.post(_form_url(world, person), data={"level": "supporter", "commitment": "public", "confidence": "90"})
    assert sorted(a.level for a in _assessments()) == ["supporter", "undecided"]  # history is kept


def test_partners_cannot_open_or_post_the_form(world, partner, make_user, login_as):
    person = world.legislators[3]
    viewer = login_as(make_user("viewer", partner_organisation_id=partner.id))
    assert viewer.get(_form_url(world, person)).status_code == 403
    data = {"level": "supporter", "commitment": "public", "confidence": "90"}
    assert viewer.post(_form_url(world, person), data=data).status_code == 403
    assert _assessments() == []
    assert login_as(make_user("officer")).get(f"/campaigns/{world.campaign.id}/legislators/999999/stance/edit").status_code == 404


def test_a_foreign_next_address_is_ignored(world, make_user, login_as):
    person = world.legislators[3]
    client = login_as(make_user("officer"))
    saved = client.post(_form_url(world, person), data={
        "level": "supporter", "commitment": "public", "confidence": "90", "next": "https://evil.example/"})
    assert saved.headers["Location"].endswith(f"/legislators/{person.id}")


def test_whip_rows_and_vote_list_rows_link_to_the_form_and_it_returns_to_the_row(world, make_user, login_as):
    stance(world, 12, "leaning_yes")
    db.session.commit()
    client = login_as(make_user("officer"))
    person = world.legislators[12]
    whip_url = f"/campaigns/{world.campaign.id}/whip?stage={world.plenary.id}"
    html = client.get(whip_url).get_data(as_text=True)
    targets = html[html.index('id="target-list"') :]
    row = targets[targets.index(f'<tr id="l-{person.id}">') :].split("</tr>")[0]
    link = re.search(r'href="([^"]*/stance/edit[^"]*)"', row).group(1)
    assert link.startswith(_form_url(world, person)) and unquote(link).endswith(f"next={whip_url}#l-{person.id}")
    form_page = client.get(link.replace("&amp;", "&")).get_data(as_text=True)
    assert _selected(form_page, "level") == "leaning_yes"
    next_value = re.search(r'name="next"[^>]*value="([^"]*)"', form_page) or re.search(r'value="([^"]*)"[^>]*name="next"', form_page)
    saved = client.post(_form_url(world, person), data={
        "level": "supporter", "commitment": "public", "confidence": "90", "next": next_value.group(1).replace("&amp;", "&")})
    assert saved.headers["Location"].endswith(f"{whip_url}#l-{person.id}")

    listing = client.get(f"/campaigns/{world.campaign.id}/list?stage={world.plenary.id}").get_data(as_text=True)
    row = listing[listing.index(f'<tr id="l-{person.id}">') :].split("</tr>")[0]
    assert _form_url(world, person) + "?next=" in row


def test_bulk_form_has_no_level_pre_chosen_and_refuses_without_one(world, make_user, login_as):
    client = login_as(make_user("officer"))
    page = client.get(f"/campaigns/{world.campaign.id}/list?stage={world.plenary.id}").get_data(as_text=True)
    bulk = page[page.index('id="bulk-form"') : page.index("</form>", page.index('id="bulk-form"'))]
    assert _selected(bulk, "level") is None
    client.post(f"/campaigns/{world.campaign.id}/stances/bulk", data={
        "legislator_ids": [str(world.legislators[1].id)], "commitment": "public", "confidence": "60"})
    assert db.session.execute(select(func.count()).select_from(StanceAssessment)).scalar_one() == 0


def test_a_row_save_says_what_it_records_and_records_exactly_that(world, make_user, login_as):
    client = login_as(make_user("officer"))
    person = world.legislators[5]
    listing = client.get(f"/campaigns/{world.campaign.id}/list?stage={world.plenary.id}").get_data(as_text=True)
    assert "Se registra como «Por deducción», con confianza del 50 %." in listing
    control = client.get(f"/campaigns/{world.campaign.id}/legislators/{person.id}/stance", headers={"HX-Request": "true"})
    assert "Se registra como «Por deducción», con confianza del 50 %." in control.get_data(as_text=True)

    client.post(f"/campaigns/{world.campaign.id}/legislators/{person.id}/stance", data={"level": "supporter"})
    [a] = _assessments()
    assert (a.level, a.commitment, a.confidence) == ("supporter", "inferred", 50)

    client.post("/language/en", data={"next": "/"})
    english = client.get(f"/campaigns/{world.campaign.id}/list?stage={world.plenary.id}").get_data(as_text=True)
    assert "Recorded as “Inferred”, with 50 % confidence." in english
