"""Webhooks against a real HTTP receiver on 127.0.0.1: signatures, timestamps, retries with backoff, the
delivery log, disabling a subscription that keeps failing (its owner is emailed), and partner privacy."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from crm.api.models import WebhookAttempt, WebhookDelivery, WebhookSubscription
from crm.api.webhooks import delivery
from crm.core.audit import AuditEntry
from crm.core.outbox import OutboundEmail
from crm.core.time import utcnow
from crm.extensions import db
from tests.api.conftest import meeting_body


class Receiver:
    """A local HTTP server that records every request and answers with the next status in `statuses`."""

    def __init__(self):
        self.requests, self.statuses = [], []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - the http.server API
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.requests.append((dict(self.headers), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    with Receiver() as running:
        yield running


def _subscribe(api, url, events, owner_id=None):
    response = api.post("/api/v1/webhooks", json={"url": url, "events": events, "owner_id": owner_id})
    assert response.status_code == 201, response.json
    return response.json


def _verify(secret: str, headers: dict, body: bytes) -> None:
    timestamp = headers["X-Cabildeo-Timestamp"]
    expected = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    assert hmac.compare_digest(headers["X-Cabildeo-Signature"], f"sha256={expected}")
    assert abs(int(timestamp) - int(utcnow().timestamp())) < 300


def test_signed_interaction_created_with_retry_and_one_meeting_per_idempotency_key(api_as, api_world, receiver):
    admin, officer = api_as(api_world.admin), api_as(api_world.officer)
    subscription = _subscribe(admin, receiver.url, ["interaction.created"])
    body = meeting_body(api_world)
    first = officer.post("/api/v1/interactions", json=body, headers={"Idempotency-Key": "k-1"})
    again = officer.post("/api/v1/interactions", json=body, headers={"Idempotency-Key": "k-1"})
    assert first.json["id"] == again.json["id"]
    rows = db.session.scalars(select(WebhookDelivery)).all()
    assert len(rows) == 1 and rows[0].event == "interaction.created"

    receiver.statuses = [503]
    now = utcnow()
    stats = delivery.deliver_all("test", now=now)
    assert (stats.delivered, stats.retried) == (0, 1)
    row = db.session.get(WebhookDelivery, rows[0].id)
    assert row.status == "pending" and row.next_attempt_at > now  # backoff
    assert delivery.deliver_all("test", now=now).claimed == 0  # not due yet
    stats = delivery.deliver_all("test", now=now + timedelta(hours=1))
    assert stats.delivered == 1
    assert len(receiver.requests) == 2
    headers, raw = receiver.requests[-1]
    _verify(subscription["secret"], headers, raw)
    payload = json.loads(raw)
    assert payload["event"] == "interaction.created" and payload["data"]["id"] == first.json["id"]
    assert headers["X-Cabildeo-Delivery"] == str(payload["id"])
    log = db.session.scalars(select(WebhookAttempt).where(WebhookAttempt.delivery_id == rows[0].id)).all()
    assert [a.status_code for a in log] == [503, 200]
    listed = admin.get(f"/api/v1/webhooks/{subscription['id']}/deliveries").json["items"]
    assert listed[0]["status"] == "delivered" and len(listed[0]["log"]) == 2


def test_a_tampered_body_fails_verification(api_as, api_world, receiver):
    subscription = _subscribe(api_as(api_world.admin), receiver.url, ["task.created"])
    api_as(api_world.officer).post("/api/v1/tasks", json={"title": "Llamar al despacho"})
    delivery.deliver_all("test")
    headers, raw = receiver.requests[0]
    _verify(subscription["secret"], headers, raw)
    with pytest.raises(AssertionError):
        _verify(subscription["secret"], headers, raw.replace(b"Llamar", b"Borrar"))


def test_a_partner_owned_subscription_never_receives_internal_notes(api_as, api_world, receiver):
    admin, officer = api_as(api_world.admin), api_as(api_world.officer)
    _subscribe(admin, receiver.url, ["interaction.created", "task.created"], owner_id=api_world.viewer.id)
    body = meeting_body(api_world, notes="Nota interna: no compartir", notes_internal=True,
                        partner_ids=[api_world.partner.id])
    assert officer.post("/api/v1/interactions", json=body).status_code == 201
    officer.post("/api/v1/tasks", json={"title": "Tarea interna"})
    delivery.deliver_all("test")
    assert len(receiver.requests) == 1  # tasks are staff-only, as on the pages
    _headers, raw = receiver.requests[0]
    assert b"no compartir" not in raw and json.loads(raw)["data"]["notes"] is None


def test_stance_and_whip_events(api_as, api_world, receiver):
    _subscribe(api_as(api_world.admin), receiver.url, ["stance.changed", "whip.changed"])
    api_as(api_world.officer).post(f"/api/v1/campaigns/{api_world.campaign.id}/stances",
                                   json={"legislator_id": api_world.legislators[0].id, "level": "supporter"})
    delivery.deliver_all("test")
    events = sorted(json.loads(raw)["event"] for _h, raw in receiver.requests)
    # Legislator 0 sits in the plenary and on the committee: both stages' secured counts moved.
    assert events == ["stance.changed", "whip.changed", "whip.changed"]


def test_a_subscription_that_keeps_failing_is_disabled_and_its_owner_emailed(app, api_as, api_world, receiver):
    app.config["WEBHOOK_DISABLE_AFTER"] = 3
    try:
        subscription = _subscribe(api_as(api_world.admin), receiver.url, ["task.created"])
        officer = api_as(api_world.officer)
        for i in range(3):
            officer.post("/api/v1/tasks", json={"title": f"Tarea {i}"})
        receiver.statuses = [500, 500, 500]
        delivery.deliver_all("test")
    finally:
        app.config.pop("WEBHOOK_DISABLE_AFTER")
    row = db.session.get(WebhookSubscription, subscription["id"])
    assert not row.active and "3 failures" in row.disabled_reason
    mail = db.session.scalars(select(OutboundEmail).where(OutboundEmail.kind == "webhook_disabled")).all()
    assert [m.recipient for m in mail] == [api_world.admin.email]
    disabled = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "webhook.disable")).all()
    assert [entry.object_id for entry in disabled] == [str(row.id)]


def test_the_delivery_log_page_is_for_admins(login_as, api_world, make_user):
    assert login_as(api_world.admin).get("/admin/webhooks").status_code == 200
    assert login_as(make_user("director")).get("/admin/webhooks").status_code == 403


def test_verifying_a_batch_through_the_api_sends_signatures_verified(api_as, api_world, receiver, make_user):
    from datetime import date

    from crm.coalition.operations import create_drive, record_batch

    drive = create_drive(actor=api_world.admin, campaign_id=api_world.campaign.id, name="Firmas", threshold=60000)
    batch = record_batch(actor=api_world.admin, drive=drive, collected_on=date(2026, 11, 20), region="Lima", collected=100,
                         collector_user_id=api_world.officer.id)
    db.session.commit()
    _subscribe(api_as(api_world.admin), receiver.url, ["signatures.verified"])
    assert api_as(api_world.officer).put(f"/api/v1/batches/{batch.id}/verification", json={"verified": 90}).status_code == 403
    done = api_as(make_user("director")).put(f"/api/v1/batches/{batch.id}/verification",
                                             json={"verified": 90, "rejected_duplicate": 10})
    assert done.status_code == 200 and done.json["verified"] == 90
    delivery.deliver_all("test")
    payload = json.loads(receiver.requests[0][1])
    assert payload["event"] == "signatures.verified" and payload["data"]["verified"] == 90


def test_the_webhooks_command_delivers_once(app, api_as, api_world, receiver):
    _subscribe(api_as(api_world.admin), receiver.url, ["task.created"])
    api_as(api_world.officer).post("/api/v1/tasks", json={"title": "Preparar la nota"})
    result = app.test_cli_runner().invoke(args=["crm", "webhooks", "--once"])
    assert result.exit_code == 0, result.output
    assert "delivered 1" in result.output and len(receiver.requests) == 1


def test_admins_subscribe_and_switch_off_from_the_page(login_as, api_world):
    client = login_as(api_world.admin)
    page = client.post("/admin/webhooks", data={"url": "https://hooks.example.org/cabildeo",
                                                "events": ["stance.changed", "task.created"],
                                                "owner_id": api_world.viewer.id})
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'id="new-secret"' in html
    subscription = db.session.scalars(select(WebhookSubscription)).one()
    assert subscription.owner_id == api_world.viewer.id and subscription.event_list == ["stance.changed", "task.created"]
    assert subscription.secret in html
    client.post(f"/admin/webhooks/{subscription.id}/disable")
    db.session.expire_all()
    assert not db.session.get(WebhookSubscription, subscription.id).active
    bad = client.post("/admin/webhooks", data={"url": "ftp://x", "events": ["task.created"], "owner_id": api_world.admin.id})
    assert "http://" in bad.get_data(as_text=True) and db.session.scalars(select(WebhookSubscription)).all() == [subscription]


def test_a_new_vote_rule_sends_whip_changed(api_as, api_world, receiver):
    from crm.campaigns.operations import update_stage

    _subscribe(api_as(api_world.admin), receiver.url, ["whip.changed"])
    stage = api_world.plenary
    update_stage(stage, actor=api_world.admin, name=stage.name, chamber_id=stage.chamber_id, rule_kind="fraction",
                 fraction_numerator=2, fraction_denominator=3)
    update_stage(stage, actor=api_world.admin, name="Pleno del Congreso", chamber_id=stage.chamber_id,
                 rule_kind="fraction", fraction_numerator=2, fraction_denominator=3)  # a new name only: no event
    db.session.commit()
    delivery.deliver_all("test")
    assert len(receiver.requests) == 1
    data = json.loads(receiver.requests[0][1])["data"]
    assert data["stage_id"] == stage.id and data["needed"] == 14  # two thirds of 20


def test_a_task_event_reaches_only_an_owner_who_may_open_the_task(make_user):
    from crm.api.webhooks import payload_for
    from crm.outreach.models import Task

    officer, other, director = make_user("officer"), make_user("officer"), make_user("director")
    task = Task(title="Llamar a la asesora", assignee_id=other.id, created_by_id=other.id, status="open",
                priority="normal", created_at=utcnow())
    db.session.add(task)
    db.session.flush()
    assert payload_for("task.created", task, officer) is None  # the task page would answer 403 to them
    assert payload_for("task.created", task, other)["title"] == "Llamar a la asesora"
    assert payload_for("task.created", task, director) is not None
