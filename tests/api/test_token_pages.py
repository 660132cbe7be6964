"""The account page's token UI: create (shown once, only a hash stored), list with last use, revoke."""

from sqlalchemy import select

from crm.accounts.api_tokens import hash_token
from crm.accounts.models import ApiToken
from crm.core.audit import AuditEntry
from crm.extensions import db


def test_create_use_and_revoke_a_token_from_the_account_page(login_as, make_user, app):
    user = make_user("officer")
    client = login_as(user)
    page = client.get("/account/tokens")
    assert page.status_code == 200 and "Tokens de API" in page.get_data(as_text=True)
    created = client.post("/account/tokens", data={"name": "Hoja de cálculo", "scopes": "read write", "expires_in_days": 30})
    html = created.get_data(as_text=True)
    assert created.status_code == 200 and "no se volverá a mostrar" in html
    raw = html.split('id="new-token">', 1)[1].split("<", 1)[0]
    token = db.session.execute(select(ApiToken).where(ApiToken.user_id == user.id)).scalar_one()
    assert token.token_hash == hash_token(raw) and raw not in (token.prefix, token.token_hash)
    api = app.test_client()
    assert api.get("/api/v1/campaigns", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    db.session.expire_all()
    assert db.session.get(ApiToken, token.id).last_used_at is not None
    assert raw not in client.get("/account/tokens").get_data(as_text=True)
    client.post(f"/account/tokens/{token.id}/revoke")
    assert api.get("/api/v1/campaigns", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
    actions = db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_type == "ApiToken")).all()
    assert actions == ["api_token.create", "api_token.revoke"]


def test_a_viewer_gets_read_tokens_only(login_as, make_user):
    viewer = make_user("viewer")
    client = login_as(viewer)
    refused = client.post("/account/tokens", data={"name": "x", "scopes": "read write", "expires_in_days": 30})
    assert db.session.execute(select(ApiToken).where(ApiToken.user_id == viewer.id)).first() is None
    assert refused.status_code == 200


def test_the_token_page_speaks_english(login_as, make_user):
    client = login_as(make_user("officer", language="en"))
    html = client.get("/account/tokens").get_data(as_text=True)
    assert "API tokens" in html and "Create a token" in html
