"""For every role, the API shows exactly what the pages show for the same objects: which interactions, their
notes, the whip list, tasks, partners, users and the audit trail."""

import re
from datetime import UTC, datetime

import pytest

from crm.extensions import db
from crm.outreach.operations import InteractionInput, create_task, log_interaction

ROLES = ("admin", "director", "officer", "viewer", "outsider")
SECRET_NOTE = "Nota interna: la congresista pidió reserva"
SHARED_NOTE = "Nota compartida con la aliada"


@pytest.fixture
def scene(api_world, make_user):
    world = api_world
    world.director = make_user("director")
    other = log_interaction(InteractionInput(  # no campaign, no partner: staff only
        kind="call", starts_at=datetime(2026, 11, 3, 14, tzinfo=UTC), legislator_ids=[world.legislators[2].id],
        notes="Llamada sin campaña",
    ), actor=world.officer)
    internal = log_interaction(InteractionInput(
        kind="meeting", starts_at=datetime(2026, 11, 4, 14, tzinfo=UTC), legislator_ids=[world.legislators[1].id],
        campaign_id=world.campaign.id, notes=SECRET_NOTE, notes_internal=True,
    ), actor=world.officer)
    shared = log_interaction(InteractionInput(
        kind="meeting", starts_at=datetime(2026, 11, 5, 14, tzinfo=UTC), legislator_ids=[world.legislators[3].id],
        partner_ids=[world.partner.id], notes=SHARED_NOTE,
    ), actor=world.officer)
    create_task(actor=world.officer, title="Enviar informe", assignee_id=world.officer.id)
    db.session.commit()
    world.interactions = {"other": other.id, "internal": internal.id, "shared": shared.id}
    return world


def _user(world, role):
    return getattr(world, role)


def _page_interaction_ids(client) -> set[int]:
    html = client.get("/interactions").get_data(as_text=True)
    return {int(x) for x in re.findall(r'href="/interactions/(\d+)"', html)}


@pytest.mark.parametrize("role", ROLES)
def test_interactions_and_notes_match_the_pages(scene, role, login_as, api_as):
    user = _user(scene, role)
    api = api_as(user, scopes="read")
    api_ids = {x["id"] for x in api.get("/api/v1/interactions?limit=200").json["items"]}
    assert api_ids == _page_interaction_ids(login_as(user))
    expected = {"viewer": {"internal", "shared"}, "outsider": set()}.get(role, {"other", "internal", "shared"})
    assert api_ids == {scene.interactions[k] for k in expected}
    for interaction_id in scene.interactions.values():
        page = login_as(user).get(f"/interactions/{interaction_id}")
        answer = api.get(f"/api/v1/interactions/{interaction_id}")
        assert (page.status_code == 200) == (answer.status_code == 200), (role, interaction_id)
        if answer.status_code == 200:
            shown = page.get_data(as_text=True)
            notes = answer.json["notes"]
            for text in (SECRET_NOTE, SHARED_NOTE):
                assert (text in shown) == (notes == text), (role, interaction_id, text)


@pytest.mark.parametrize("role", ROLES)
def test_whip_list_matches_the_page(scene, role, login_as, api_as):
    user = _user(scene, role)
    url = f"/campaigns/{scene.campaign.id}/whip?stage={scene.plenary.id}"
    page = login_as(user).get(url).get_data(as_text=True)
    answer = api_as(user, scopes="read").get(
        f"/api/v1/campaigns/{scene.campaign.id}/stages/{scene.plenary.id}/whip").json
    names_on_page = scene.legislators[0].full_name in page
    assert (answer["members"] is not None) == names_on_page
    stances = api_as(user, scopes="read").get(f"/api/v1/campaigns/{scene.campaign.id}/stances")
    assert (stances.status_code == 200) == names_on_page


@pytest.mark.parametrize("role", ROLES)
def test_admin_and_staff_only_resources_match_the_pages(scene, role, login_as, api_as):
    user = _user(scene, role)
    client, api = login_as(user), api_as(user, scopes="read")
    pairs = [("/tasks", "/api/v1/tasks"), ("/admin/audit", "/api/v1/audit"), ("/admin/users", "/api/v1/users")]
    for page_url, api_url in pairs:
        assert (client.get(page_url).status_code == 200) == (api.get(api_url).status_code == 200), (role, page_url)


@pytest.mark.parametrize("role", ROLES)
def test_partners_and_their_notes_match_the_pages(scene, role, login_as, api_as):
    user = _user(scene, role)
    page = login_as(user).get("/partners").get_data(as_text=True)
    items = api_as(user, scopes="read").get("/api/v1/partners").json["items"]
    assert ("Colectiva Aliada" in page) == any(p["name"] == "Colectiva Aliada" for p in items)
    detail = login_as(user).get(f"/partners/{scene.partner.id}")
    answer = api_as(user, scopes="read").get(f"/api/v1/partners/{scene.partner.id}")
    assert (detail.status_code == 200) == (answer.status_code == 200)
    if answer.status_code == 200:
        assert ("nota interna sobre la aliada" in detail.get_data(as_text=True)) == (answer.json["notes"] is not None)


def test_a_partner_token_never_reads_an_internal_outcome(api_world, api_as):
    """The "internal" flag covers the outcome as well as the notes, as on the interaction page."""
    internal = log_interaction(InteractionInput(
        kind="meeting", starts_at=datetime(2026, 11, 6, 14, tzinfo=UTC), legislator_ids=[api_world.legislators[1].id],
        campaign_id=api_world.campaign.id, notes=SECRET_NOTE, notes_internal=True, outcome="Resultado reservado",
    ), actor=api_world.officer)
    db.session.commit()
    seen = api_as(api_world.viewer).get(f"/api/v1/interactions/{internal.id}").json
    assert seen["notes"] is None and seen["outcome"] is None
    assert api_as(api_world.officer).get(f"/api/v1/interactions/{internal.id}").json["outcome"] == "Resultado reservado"
