"""The API refuses what the pages refuse: a meeting dated years ahead, a whip count of a future day."""

from datetime import UTC, datetime, timedelta

from crm.core.time import local_today
from tests.api.conftest import meeting_body


def test_api_refuses_a_meeting_in_2030_with_the_same_rule(api_as, api_world):
    api = api_as(api_world.officer)
    refused = api.post("/api/v1/interactions", json=meeting_body(api_world, starts_at="2030-01-01T10:00:00+00:00"))
    assert refused.status_code == 422 and refused.json["field"] == "starts_at"
    assert "futuro" in refused.json["message"]
    created = api.post("/api/v1/interactions", json=meeting_body(api_world))
    assert created.status_code == 201
    moved = api.patch(f"/api/v1/interactions/{created.json['id']}",
                      json={"starts_at": datetime(2030, 1, 1, tzinfo=UTC).isoformat()})
    assert moved.status_code == 422 and moved.json["field"] == "starts_at"


def test_api_whip_count_of_a_future_day_is_refused(api_as, api_world):
    api = api_as(api_world.officer)
    url = f"/api/v1/campaigns/{api_world.campaign.id}/stages/{api_world.plenary.id}/whip"
    today = local_today(api_world.officer.timezone)
    assert api.get(f"{url}?as_of={today.isoformat()}").status_code == 200
    future = api.get(f"{url}?as_of={(today + timedelta(days=1)).isoformat()}")
    assert future.status_code == 422 and future.json["field"] == "as_of"
