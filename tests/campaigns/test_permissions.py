"""What partners (viewers) see of a campaign, with and without a whip-list grant; who may change what."""

import pytest
from sqlalchemy import func, select

from crm.audit.models import AuditEntry
from crm.campaigns.models import CampaignPartnerAccess, StanceAssessment
from crm.extensions import db
from tests.campaigns.conftest import stance

SECRET_NAME = "Legisladora 007 Pérez"


@pytest.fixture
def seeded(world):
    stance(world, 7, "undecided", evidence="Nota interna del equipo")
    stance(world, 1, "supporter")
    db.session.commit()
    return world


def grant(world, partner, level="whip_list"):
    db.session.add(CampaignPartnerAccess(campaign_id=world.campaign.id, partner_organisation_id=partner.id, level=level))
    db.session.commit()


def read_routes(w):
    c, p = w.campaign.id, w.plenary.id
    return {
        "whip": f"/campaigns/{c}/whip?stage={p}",
        "list": f"/campaigns/{c}/list?stage={p}",
        "csv": f"/campaigns/{c}/export.csv?stage={p}",
        "xlsx": f"/campaigns/{c}/export.xlsx?stage={p}",
        "stances": f"/legislators/{w.legislators[7].id}/stances",
        "trend": f"/campaigns/{c}/trend.json?stage={p}",
        "index": "/campaigns",
        "detail": f"/campaigns/{c}",
    }


def write_routes(w):
    c, lid, s = w.campaign.id, w.legislators[7].id, w.plenary.id
    return [
        ("post", f"/campaigns/{c}/legislators/{lid}/stance", {"level": "supporter", "commitment": "public"}),
        ("post", f"/campaigns/{c}/stances/bulk", {"legislator_ids": [str(lid)], "level": "supporter", "commitment": "public"}),
        ("get", f"/campaigns/{c}/legislators/{lid}/stance", None),
        ("get", "/campaigns/new", None),
        ("post", "/campaigns/new", {"name": "Otra", "status": "active"}),
        ("get", f"/campaigns/{c}/edit", None),
        ("post", f"/campaigns/{c}/edit", {"name": "Cambiada", "status": "active"}),
        ("get", f"/campaigns/{c}/stages/new", None),
        ("post", f"/campaigns/{c}/stages/new", {"name": "X", "chamber_id": str(w.chamber.id), "rule_kind": "absolute_majority"}),
        ("get", f"/campaigns/{c}/stages/{s}/edit", None),
        ("post", f"/campaigns/{c}/stages/{s}/move", {"direction": "up"}),
        ("get", f"/campaigns/{c}/access", None),
        ("post", f"/campaigns/{c}/access", {}),
        ("post", f"/campaigns/{c}/stages/{s}/delete", {}),
        ("post", f"/campaigns/{c}/delete", {}),
    ]


def test_viewer_without_grant_sees_only_aggregate_counts(seeded, partner, make_user, login_as):
    viewer = make_user("viewer", partner_organisation_id=partner.id)
    client = login_as(viewer)
    routes = read_routes(seeded)
    whip = client.get(routes["whip"])
    html = whip.get_data(as_text=True)
    assert whip.status_code == 200
    assert 'data-testid="secured">1<' in html and "solo los totales" in html
    assert SECRET_NAME not in html and "<svg xmlns" not in html and 'id="target-list"' not in html
    assert "export.csv" not in html
    for name in ("list", "csv", "xlsx"):
        assert client.get(routes[name]).status_code == 403, name
    assert client.get(routes["whip"] + "&fragment=breakdown&by=district").status_code == 403
    fragment = client.get(routes["stances"]).get_data(as_text=True)
    assert "Nota interna" not in fragment and "Déjala Decidir" not in fragment
    assert client.get(routes["trend"]).status_code == 200
    index = client.get(routes["index"]).get_data(as_text=True)
    assert "Déjala Decidir" in index and SECRET_NAME not in index
    assert client.get(routes["detail"]).status_code == 200
    denials = db.session.execute(select(func.count()).where(AuditEntry.action == "permission.denied")).scalar_one()
    assert denials >= 3


def test_aggregate_level_grant_is_still_aggregate(seeded, partner, make_user, login_as):
    grant(seeded, partner, "aggregate")
    client = login_as(make_user("viewer", partner_organisation_id=partner.id))
    assert SECRET_NAME not in client.get(read_routes(seeded)["whip"]).get_data(as_text=True)
    assert client.get(read_routes(seeded)["csv"]).status_code == 403


def test_viewer_with_whip_list_grant_reads_everything_but_edits_nothing(seeded, partner, make_user, login_as):
    grant(seeded, partner)
    client = login_as(make_user("viewer", partner_organisation_id=partner.id))
    routes = read_routes(seeded)
    html = client.get(routes["whip"]).get_data(as_text=True)
    assert SECRET_NAME in html and "<svg xmlns" in html
    assert "Cambiar" not in html and "hx-post" not in html
    listing = client.get(routes["list"]).get_data(as_text=True)
    assert SECRET_NAME in listing and 'name="legislator_ids"' not in listing and "hx-post" not in listing
    assert client.get(routes["csv"]).status_code == 200
    assert client.get(routes["xlsx"]).status_code == 200
    assert "Comisión de Justicia" in client.get(routes["whip"] + "&fragment=breakdown&by=committee").get_data(as_text=True)
    assert "Nota interna" in client.get(routes["stances"]).get_data(as_text=True)


def test_a_grant_for_another_organisation_does_not_count(seeded, partner, make_user, login_as):
    from crm.coalition.models import PartnerOrganisation

    other = PartnerOrganisation(name="Otra colectiva")
    db.session.add(other)
    db.session.commit()
    grant(seeded, other)
    client = login_as(make_user("viewer", partner_organisation_id=partner.id))
    assert client.get(read_routes(seeded)["list"]).status_code == 403


@pytest.mark.parametrize("granted", [False, True])
def test_viewers_never_write(seeded, partner, make_user, login_as, granted):
    if granted:
        grant(seeded, partner)
    client = login_as(make_user("viewer", partner_organisation_id=partner.id))
    for method, url, data in write_routes(seeded):
        response = getattr(client, method)(url, data=data) if data is not None else getattr(client, method)(url)
        assert response.status_code == 403, (method, url)
    assert db.session.execute(select(func.count()).select_from(StanceAssessment)).scalar_one() == 2


def test_officers_update_stances_but_do_not_manage_campaigns(seeded, make_user, login_as):
    client = login_as(make_user("officer"))
    for method, url, data in write_routes(seeded)[3:]:
        response = getattr(client, method)(url, data=data) if data is not None else getattr(client, method)(url)
        assert response.status_code == 403, (method, url)
    lid = seeded.legislators[7].id
    ok = client.post(f"/campaigns/{seeded.campaign.id}/legislators/{lid}/stance", data={"level": "supporter", "commitment": "public"})
    assert ok.status_code == 302


def test_anonymous_users_are_sent_to_login(seeded, client):
    for url in read_routes(seeded).values():
        assert client.get(url).status_code == 302


def test_admin_sets_partner_access_and_it_is_audited(seeded, partner, make_user, login_as):
    assert login_as(make_user("officer")).get(f"/campaigns/{seeded.campaign.id}/access").status_code == 403
    admin = make_user("admin")
    client = login_as(admin)
    page = client.get(f"/campaigns/{seeded.campaign.id}/access").get_data(as_text=True)
    assert "Colectiva Aliada" in page
    response = client.post(f"/campaigns/{seeded.campaign.id}/access", data={f"access-{partner.id}": "whip_list"})
    assert response.status_code == 302
    level = db.session.execute(select(CampaignPartnerAccess.level)).scalar_one()
    assert level == "whip_list"
    entry = db.session.execute(select(AuditEntry).where(AuditEntry.action == "campaign.partner_access")).scalar_one()
    assert entry.actor_id == admin.id and entry.new_values == {"level": "whip_list"}
    bad = client.post(f"/campaigns/{seeded.campaign.id}/access", data={f"access-{partner.id}": "everything"})
    assert bad.status_code == 422
    assert db.session.execute(select(CampaignPartnerAccess.level)).scalar_one() == "whip_list"
    client.post(f"/campaigns/{seeded.campaign.id}/access", data={f"access-{partner.id}": "aggregate"})
    viewer = login_as(make_user("viewer", partner_organisation_id=partner.id))
    assert viewer.get(read_routes(seeded)["list"]).status_code == 403


def test_saving_partner_access_reads_the_grants_once(seeded, partner, make_user, login_as, count_queries):
    from crm.coalition.models import PartnerOrganisation

    others = [PartnerOrganisation(name=f"Aliada {i}") for i in range(4)]
    db.session.add_all(others)
    db.session.commit()
    grant(seeded, others[0])
    client = login_as(make_user("admin"))
    data = {f"access-{partner.id}": "whip_list", f"access-{others[0].id}": "aggregate"}
    data.update({f"access-{o.id}": "whip_list" for o in others[2:]})
    with count_queries() as s:
        response = client.post(f"/campaigns/{seeded.campaign.id}/access", data=data)
    assert response.status_code == 302
    reads = [q for q in s if q.lstrip().upper().startswith("SELECT") and "campaign_partner_access" in q]
    assert len(reads) == 2  # the page's rows and the grants to change, whatever the number of partners
    levels = dict(db.session.execute(select(CampaignPartnerAccess.partner_organisation_id, CampaignPartnerAccess.level)).all())
    assert levels == {partner.id: "whip_list", others[0].id: "aggregate", others[2].id: "whip_list", others[3].id: "whip_list"}
    audited = db.session.execute(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "campaign.partner_access")
    ).scalar_one()
    assert audited == 4


def test_directors_grant_a_partner_the_whip_list_and_it_is_audited(seeded, partner, make_user, login_as):
    director = make_user("director")
    client = login_as(director)
    assert f"/campaigns/{seeded.campaign.id}/access" in client.get(f"/campaigns/{seeded.campaign.id}").get_data(as_text=True)
    response = client.post(f"/campaigns/{seeded.campaign.id}/access", data={f"access-{partner.id}": "whip_list"})
    assert response.status_code == 302
    entry = db.session.execute(select(AuditEntry).where(AuditEntry.action == "campaign.partner_access")).scalar_one()
    assert entry.actor_id == director.id and entry.new_values == {"level": "whip_list"}
    viewer = login_as(make_user("viewer", partner_organisation_id=partner.id))
    assert viewer.get(read_routes(seeded)["list"]).status_code == 200
    assert login_as(make_user("director")).post(f"/campaigns/{seeded.campaign.id}/delete").status_code == 403
