"""As an integrator would: a real server on 127.0.0.1, the Python client printed in docs/api.md, and the
signed interaction.created webhook received by a local receiver."""

import json
import re
import threading
from datetime import timedelta
from pathlib import Path

from werkzeug.serving import make_server

from crm.accounts.api_tokens import create_token
from crm.api.webhooks import delivery
from crm.campaigns.operations import record_stance
from crm.core.time import utcnow
from crm.extensions import db
from crm.outreach.models import Task
from tests.api.test_webhooks import Receiver
from tests.campaigns.conftest import add_campaign, build_world

DOC = Path(__file__).resolve().parents[2] / "docs" / "api.md"


def _doc_client() -> str:
    text = DOC.read_text(encoding="utf-8")
    code = re.search(r"## A 30-line Python client.*?```python\n(.*?)```", text, re.S).group(1)
    assert len(code.strip().splitlines()) <= 32
    return code


def test_the_documented_client_and_webhook_work_against_a_live_server(isolated_app):
    app = isolated_app
    app.config["TRUSTED_HOSTS"] = None
    with app.app_context():
        from crm.accounts import operations

        officer = operations.create_user(email="ana@example.org", name="Ana", role="officer",
                                         password="una frase bastante larga")
        admin = operations.create_user(email="root@example.org", name="Root", role="admin",
                                       password="una frase bastante larga")
        world = build_world(size=6)
        campaign = add_campaign(world)
        db.session.flush()
        record_stance(campaign_id=campaign.id, legislator_id=world.legislators[0].id, level="leaning_yes", actor=officer,
                      assessed_at=utcnow() - timedelta(hours=2))
        record_stance(campaign_id=campaign.id, legislator_id=world.legislators[1].id, level="opposed", actor=officer)
        record_stance(campaign_id=campaign.id, legislator_id=world.legislators[2].id, level="leaning_yes", actor=officer,
                      assessed_at=utcnow() - timedelta(days=3))  # older than yesterday: not listed
        _t, raw = create_token(officer, name="script", scopes="read write")
        _t, admin_raw = create_token(admin, name="hooks", scopes="read write")
        legislator_id, campaign_id = world.legislators[0].id, campaign.id
        db.session.commit()

    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{server.server_port}/api/v1"
    try:
        with Receiver() as receiver:
            import urllib.request

            def call(method, path, token, body=None, headers=None):
                request = urllib.request.Request(base + path, method=method, data=json.dumps(body).encode() if body else None,
                                                 headers={"Authorization": f"Bearer {token}",
                                                          "Content-Type": "application/json", **(headers or {})})
                with urllib.request.urlopen(request) as response:
                    return json.load(response)

            secret = call("POST", "/webhooks", admin_raw, {"url": receiver.url, "events": ["interaction.created"]})["secret"]
            code = _doc_client().replace('"http://127.0.0.1:5000/api/v1", "cbd_…", 1', f'"{base}", "{raw}", {campaign_id}')
            exec(compile(code, "docs/api.md", "exec"), {})  # noqa: S102 - the documented client, run as printed
            exec(compile(code, "docs/api.md", "exec"), {})  # noqa: S102 - twice: the idempotency keys hold
            meeting = {"kind": "meeting", "starts_at": utcnow().isoformat(), "legislator_ids": [legislator_id]}
            for _ in range(2):
                call("POST", "/interactions", raw, meeting, {"Idempotency-Key": "reunion-integrador"})
            with app.app_context():
                tasks = db.session.query(Task).all()
                assert [(t.legislator_id, t.campaign_id) for t in tasks] == [(legislator_id, campaign_id)]
                assert delivery.deliver_all("test").delivered == 1
            headers, body = receiver.requests[0]
            import hashlib
            import hmac

            signed = hmac.new(secret.encode(), headers["X-Cabildeo-Timestamp"].encode() + b"." + body, hashlib.sha256)
            assert headers["X-Cabildeo-Signature"] == "sha256=" + signed.hexdigest()
            assert json.loads(body)["event"] == "interaction.created"
    finally:
        server.shutdown()
