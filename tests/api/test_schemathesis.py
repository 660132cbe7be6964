"""schemathesis against /api/v1/openapi.json, in-process (WSGI), for every operation, as an admin and as a viewer.

Proved here: no server error, every response matches its declared schema and content type, and the viewer's
token never writes anything. Examples stay modest (positive and negative data) so the suite stays fast.
"""

import warnings

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import content_type_conformance, not_a_server_error, response_schema_conformance
from schemathesis.generation import GenerationMode

EXAMPLES = 6
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance]
WRITES = ("POST", "PUT", "PATCH", "DELETE")


def _operations(app):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


def _strategy(operation, known: dict):
    names = {p.name for p in operation.path_parameters}
    fixed = {k: v for k, v in known.items() if k in names}
    positive = operation.as_strategy(GenerationMode.POSITIVE)
    negative = operation.as_strategy(GenerationMode.NEGATIVE)
    if fixed and len(fixed) == len(names):
        # Real objects too, so reads and writes get past the 404.
        return operation.as_strategy(GenerationMode.POSITIVE, path_parameters=fixed) | positive | negative
    return positive | negative


def _fuzz(operation, token: str, *, viewer: bool, known: dict) -> int:
    calls = []

    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(case=_strategy(operation, known))
    def run(case):
        # The in-process client does not undo compression; tests/api/test_compressed_etags.py covers it.
        headers = {**(case.headers or {}), "Authorization": f"Bearer {token}", "Accept-Encoding": "identity"}
        case.headers = headers
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            response = case.call()
            case.validate_response(response, checks=CHECKS)
        if viewer and operation.method.upper() in WRITES:
            assert not 200 <= response.status_code < 300, f"viewer wrote: {case.method} {case.formatted_path}"
        calls.append(response.status_code)

    run()
    return len(calls)


def _known_objects(world) -> dict:
    from datetime import UTC, datetime

    from crm.api.models import WebhookSubscription
    from crm.coalition.operations import create_drive, record_batch
    from crm.extensions import db
    from crm.outreach.operations import InteractionInput, create_task, log_interaction

    interaction = log_interaction(InteractionInput(
        kind="meeting", starts_at=datetime(2026, 11, 2, 15, tzinfo=UTC), legislator_ids=[world.legislators[1].id],
        campaign_id=world.campaign.id, notes="nota interna", notes_internal=True, partner_ids=[world.partner.id],
    ), actor=world.officer)
    task = create_task(actor=world.officer, title="Enviar el informe", assignee_id=world.officer.id)
    drive = create_drive(actor=world.admin, campaign_id=world.campaign.id, name="Firmas", threshold=60000)
    batch = record_batch(actor=world.admin, drive=drive, collected_on=datetime(2026, 11, 20).date(), region="Lima",
                         collected=100, collector_user_id=world.officer.id)
    subscription = WebhookSubscription(owner_id=world.admin.id, url="http://127.0.0.1:9/hook", events="task.created",
                                       secret="s", active=False, consecutive_failures=0,
                                       created_at=datetime(2026, 11, 1, tzinfo=UTC))
    db.session.add(subscription)
    db.session.commit()
    return {"legislature_id": world.legislature.id, "legislator_id": world.legislators[0].id,
            "committee_id": world.committee.id, "campaign_id": world.campaign.id, "stage_id": world.plenary.id,
            "interaction_id": interaction.id, "task_id": task.id, "partner_id": world.partner.id,
            "drive_id": drive.id, "batch_id": batch.id, "user_id": world.viewer.id, "subscription_id": subscription.id}


@pytest.mark.parametrize("role", ["admin", "viewer"])
def test_every_operation_survives_fuzzing(app, api_world, make_token, role):
    app.config["API_RATE_LIMIT"] = 1_000_000
    user = api_world.admin if role == "admin" else api_world.viewer
    token = make_token(user)
    known = _known_objects(api_world)
    operations = _operations(app)
    assert len(operations) >= 30
    try:
        total = sum(_fuzz(op, token, viewer=role == "viewer", known=known) for op in operations)
    finally:
        app.config["API_RATE_LIMIT"] = 600
    assert total >= len(operations)
