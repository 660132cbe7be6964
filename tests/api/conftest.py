"""API test helpers: a token per role, a JSON client that sends it, and a small world to read and write."""

from datetime import UTC, datetime

import pytest

from crm.accounts.api_tokens import create_token
from crm.campaigns.models import CampaignPartnerAccess
from crm.coalition.models import PartnerOrganisation
from crm.extensions import db
from tests.campaigns.conftest import add_campaign, build_world


class ApiClient:
    def __init__(self, client, token: str):
        self.client, self.token = client, token

    def request(self, method, path, *, headers=None, **kwargs):
        headers = {"Authorization": f"Bearer {self.token}", **(headers or {})}
        return self.client.open(path, method=method, headers=headers, **kwargs)

    def get(self, path, **kwargs):
        return self.request("GET", path, **kwargs)

    def post(self, path, **kwargs):
        return self.request("POST", path, **kwargs)

    def patch(self, path, **kwargs):
        return self.request("PATCH", path, **kwargs)

    def put(self, path, **kwargs):
        return self.request("PUT", path, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)


@pytest.fixture
def make_token():
    def factory(user, scopes=None, name="integración"):
        scopes = scopes or ("read write" if user.is_staff else "read")
        _token, raw = create_token(user, name=name, scopes=scopes)
        db.session.commit()
        return raw

    return factory


@pytest.fixture
def api_as(app, make_token):
    def factory(user, scopes=None):
        client = app.test_client()
        client.send_csrf = False  # cookies and CSRF play no part in the API
        return ApiClient(client, make_token(user, scopes))

    return factory


@pytest.fixture
def api_world(make_user):
    """A legislature with 20 sitting members, a campaign with two stages, a partner with a whip-list grant."""
    world = build_world()
    add_campaign(world)
    partner = PartnerOrganisation(name="Colectiva Aliada", notes="nota interna sobre la aliada")
    db.session.add(partner)
    db.session.flush()
    db.session.add(CampaignPartnerAccess(campaign_id=world.campaign.id, partner_organisation_id=partner.id, level="whip_list"))
    db.session.commit()
    world.partner = partner
    world.admin = make_user("admin")
    world.officer = make_user("officer")
    world.viewer = make_user("viewer", partner_organisation_id=partner.id)
    world.outsider = make_user("viewer")
    return world


def meeting_body(world, **extra):
    return {
        "kind": "meeting",
        "starts_at": datetime(2026, 11, 30, 15, 0, tzinfo=UTC).isoformat(),
        "legislator_ids": [world.legislators[0].id],
        "campaign_id": world.campaign.id,
        "notes": "Dijo que votará a favor si hay dictamen",
        **extra,
    }
