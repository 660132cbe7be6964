"""Tokens, errors, pagination, ETags, If-Match, idempotency, rate limit and the audit of API writes."""

from sqlalchemy import func, select

from crm.core.audit import AuditEntry
from crm.extensions import db
from crm.outreach.models import Interaction
from tests.api.conftest import meeting_body


def test_no_token_and_a_session_cookie_do_not_authenticate(app, api_world, login_as):
    client = login_as(api_world.admin)
    response = client.get("/api/v1/legislators")
    assert response.status_code == 401
    assert response.json["code"] == "unauthenticated"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")


def test_api_answers_set_no_cookie(api_as, api_world):
    response = api_as(api_world.officer).get("/api/v1/campaigns")
    assert response.status_code == 200 and "Set-Cookie" not in response.headers


def test_expired_and_revoked_tokens_are_refused(app, api_world):
    from datetime import timedelta

    from crm.accounts.api_tokens import create_token, revoke_token
    from crm.core.time import utcnow

    expired, raw_expired = create_token(api_world.officer, name="vieja", expires_in_days=1)
    expired.expires_at = utcnow() - timedelta(seconds=1)
    revoked, raw_revoked = create_token(api_world.officer, name="revocada")
    revoke_token(revoked, actor=api_world.officer)
    db.session.commit()
    client = app.test_client()
    for raw in (raw_expired, raw_revoked, "cbd_inventado"):
        assert client.get("/api/v1/campaigns", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


def test_errors_are_json_in_the_owners_language(api_as, api_world):
    api_world.officer.language = "en"
    db.session.commit()
    api = api_as(api_world.officer)
    missing = api.get("/api/v1/interactions/999999")
    assert missing.status_code == 404 and missing.json["code"] == "not_found"
    assert missing.json["message"] == "It does not exist or you have no access."
    bad = api.post("/api/v1/interactions", json={"kind": "meeting"})
    assert bad.status_code == 422 and bad.json["code"] == "invalid" and bad.json["field"] in ("starts_at", "legislator_ids")


def test_sitting_legislators_paginate_with_link_headers(api_as, api_world):
    api = api_as(api_world.officer)
    first = api.get("/api/v1/legislators?sitting=true&limit=15")
    assert first.status_code == 200
    assert len(first.json["items"]) == 15
    assert 'rel="next"' in first.headers["Link"]
    second = api.get(f"/api/v1/legislators?sitting=true&limit=15&cursor={first.json['next_cursor']}")
    assert len(second.json["items"]) == 5 and second.json["next_cursor"] is None and "Link" not in second.headers
    ids = [x["id"] for x in first.json["items"] + second.json["items"]]
    assert ids == sorted({p.id for p in api_world.legislators})
    assert first.json["items"][0]["seats"][0]["chamber_id"] == api_world.chamber.id


def test_etag_gives_304_and_if_match_refuses_a_lost_update(api_as, api_world):
    api = api_as(api_world.officer)
    created = api.post("/api/v1/interactions", json=meeting_body(api_world))
    assert created.status_code == 201, created.json
    url = created.headers["Location"]
    read = api.get(url)
    etag = read.headers["ETag"]
    assert api.get(url, headers={"If-None-Match": etag}).status_code == 304
    changed = api.patch(url, json={"place": "Despacho 301"}, headers={"If-Match": etag})
    assert changed.status_code == 200 and changed.json["place"] == "Despacho 301"
    stale = api.patch(url, json={"place": "Otro lugar"}, headers={"If-Match": etag})
    assert stale.status_code == 412 and stale.json["code"] == "precondition_failed"


def test_a_retried_post_with_the_same_idempotency_key_logs_one_meeting(api_as, api_world):
    api = api_as(api_world.officer)
    body = meeting_body(api_world)
    first = api.post("/api/v1/interactions", json=body, headers={"Idempotency-Key": "reunion-1"})
    again = api.post("/api/v1/interactions", json=body, headers={"Idempotency-Key": "reunion-1"})
    assert first.status_code == again.status_code == 201
    assert again.json["id"] == first.json["id"] and again.headers["Idempotent-Replayed"] == "true"
    assert db.session.scalar(select(func.count(Interaction.id))) == 1
    other = api.post("/api/v1/interactions", json={**body, "place": "otro"}, headers={"Idempotency-Key": "reunion-1"})
    assert other.status_code == 422 and other.json["code"] == "idempotency_key_reused"


def test_writes_are_audited_with_the_token_name(api_as, api_world, make_user, login_as):
    api = api_as(api_world.officer)
    created = api.post("/api/v1/interactions", json=meeting_body(api_world))
    entry = db.session.execute(
        select(AuditEntry).where(AuditEntry.action == "interaction.create", AuditEntry.object_id == str(created.json["id"]))
    ).scalar_one()
    assert entry.actor_id == api_world.officer.id and entry.via_token == "integración"
    director = make_user("director")
    page = login_as(director).get("/admin/audit?action=interaction.create").get_data(as_text=True)
    assert "vía token «integración»" in page


def test_rate_limit_answers_429_with_retry_after(app, api_as, api_world):
    app.config["API_RATE_LIMIT"] = 3
    try:
        api = api_as(api_world.officer)
        codes = [api.get("/api/v1/campaigns").status_code for _ in range(4)]
    finally:
        app.config["API_RATE_LIMIT"] = 600
    assert codes == [200, 200, 200, 429]


def test_read_tokens_and_viewers_cannot_write(api_as, api_world):
    reader = api_as(api_world.officer, scopes="read")
    refused = reader.post("/api/v1/tasks", json={"title": "Llamar"})
    assert refused.status_code == 403 and refused.json["code"] == "read_only_token"
    viewer = api_as(api_world.viewer)
    assert viewer.post("/api/v1/tasks", json={"title": "Llamar"}).status_code == 403
    assert viewer.post("/api/v1/interactions", json=meeting_body(api_world)).status_code == 403


def test_whip_count_and_stance_write(api_as, api_world):
    api = api_as(api_world.officer)
    stage = api_world.plenary.id
    url = f"/api/v1/campaigns/{api_world.campaign.id}/stages/{stage}/whip"
    before = api.get(url).json
    assert before["seats"] == 20 and before["secured"] == 0 and len(before["members"]) == 20
    made = api.post(f"/api/v1/campaigns/{api_world.campaign.id}/stances",
                    json={"legislator_id": api_world.legislators[0].id, "level": "champion"})
    assert made.status_code == 201, made.json
    assert api.get(url).json["secured"] == 1
    history = api.get(f"/api/v1/campaigns/{api_world.campaign.id}/stances").json["items"]
    assert [h["level"] for h in history] == ["champion"]


def test_reference_page_lists_every_operation_without_scripts(client):
    page = client.get("/api/v1/docs")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "/api/v1/interactions/{interaction_id}" in html and "PATCH" in html and "<script>" not in html
    spec = client.get("/api/v1/openapi.json").json
    assert spec["openapi"].startswith("3.1") and spec["components"]["securitySchemes"]["token"]["scheme"] == "bearer"


def test_a_second_insert_of_the_same_key_is_a_409_not_a_server_error(api_as, api_world, app):
    from crm.api.models import IdempotencyKey
    from crm.core.time import utcnow

    api = api_as(api_world.officer)
    body = meeting_body(api_world)
    # As if a concurrent request stored the key between this one's lookup and its answer.
    original = IdempotencyKey.__init__
    token_id = None

    def racing(self, **values):
        nonlocal token_id
        original(self, **values)
        if token_id is None:
            token_id = values["token_id"]
            with db.session.begin_nested():
                db.session.add(IdempotencyKey(token_id=token_id, key=values["key"], request_hash="x", status_code=201,
                                              response_body="{}", created_at=utcnow()))

    IdempotencyKey.__init__ = racing
    try:
        answer = api.post("/api/v1/interactions", json=body, headers={"Idempotency-Key": "carrera"})
    finally:
        IdempotencyKey.__init__ = original
    assert answer.status_code == 409 and answer.json["code"] == "idempotency_key_in_use"


def test_old_idempotency_keys_are_forgotten(api_as, api_world):
    from datetime import timedelta

    from crm.api.models import IdempotencyKey
    from crm.api.webhooks.delivery import prune_idempotency_keys
    from crm.core.time import utcnow

    api = api_as(api_world.officer)
    api.post("/api/v1/tasks", json={"title": "Una"}, headers={"Idempotency-Key": "vieja"})
    assert prune_idempotency_keys() == 0
    assert prune_idempotency_keys(utcnow() + timedelta(hours=25)) == 1
    assert db.session.scalars(select(IdempotencyKey)).all() == []
