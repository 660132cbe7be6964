"""Every GET route, fed random and out-of-range query strings and path ids, never answers 500.

Run for an admin and for a partner's read-only account, on SQLite and on PostgreSQL (TEST_DATABASE_URL).
"""

import re
from datetime import date

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from config import TestingConfig
from crm import create_app
from tests.conftest import login

HUGE = "99999999999999999999"

# Every query-string argument a view reads, plus the dates the audit trail and the whip count take.
PARAMS = (
    "page", "per_page", "campaign", "campaign_id", "status", "legislator", "legislator_ids", "aide_ids", "kind",
    "sort", "q", "team", "targets", "talking_points", "stage", "role", "owner", "owner_user", "owner_partner",
    "object_type", "object_id", "next", "more", "mine", "legislature", "interaction", "group", "fragment",
    "district", "deleted", "committee", "chamber", "by", "assignee", "as_of", "actor", "active", "action",
    "from", "to", "fmt",
)

# Routes listed once, at import, from an app that never touches a database (create_app runs no query).
_RULES = sorted(
    (rule.rule, rule.endpoint)
    for rule in create_app(TestingConfig(SQLALCHEMY_DATABASE_URI="sqlite://")).url_map.iter_rules()
    if "GET" in rule.methods and rule.endpoint != "static"
)

number = st.one_of(
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["0", "-1", "1", "2147483647", "2147483648", "9223372036854775808", HUGE, "1e9", "NaN", "٣"]),
)
day = st.one_of(
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
    st.sampled_from(["0001-01-01", "0001-01-02", "9999-12-31", "1899-12-31", "3000-01-01", "2026-02-30"]),
)
owner = st.tuples(st.sampled_from("upx"), number).map("".join)
text = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)
value = st.one_of(number, day, owner, text)
query = st.lists(st.tuples(st.sampled_from(PARAMS), value), max_size=5)


def real_ids(instance) -> dict:
    return {
        "user_id": instance.officer.id, "campaign_id": instance.campaign.id, "legislator_id": instance.legislator.id,
        "stage_id": instance.stage.id, "job_id": instance.job.id, "interaction_id": instance.interaction.id,
        "aide_id": instance.aide.id, "mention_id": instance.mention.id, "partner_id": instance.ours.id,
        "drive_id": instance.drive.id, "batch_id": instance.our_batch.id, "task_id": instance.task.id,
        "fmt": "csv", "token": "not-a-token", "bill_id": instance.bill.id, "event_id": instance.event.id,
        "scorecard_id": instance.scorecard.id, "kind": "csv", "committee_id": instance.committee.id,
        "legislature_id": instance.legislature.id, "subscription_id": 1,
    }


def fill(rule: str, values: dict) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", lambda m: str(values[m.group(1)]), rule)


@pytest.mark.parametrize("role", ["admin", "viewer"])
@pytest.mark.parametrize(("rule", "endpoint"), _RULES, ids=[endpoint for _, endpoint in _RULES])
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(args=query)
@example(args=[(name, HUGE) for name in PARAMS])
@example(args=[(name, "0001-01-01") for name in PARAMS])
@example(args=[(name, "9999-12-31") for name in PARAMS])
@example(args=[(name, "a\x00b") for name in PARAMS])
@example(args=[(name, "p" + HUGE) for name in PARAMS])
def test_no_get_route_answers_500(client, instance, rule, endpoint, role, args):
    login(client, getattr(instance, role))
    url = fill(rule, real_ids(instance))
    response = client.get(url, query_string=args)
    assert response.status_code < 500, (url, args)


@pytest.mark.parametrize(("rule", "endpoint"), [r for r in _RULES if "<int:" in r[0]],
                         ids=[endpoint for rule, endpoint in _RULES if "<int:" in rule])
def test_an_id_no_column_can_hold_is_a_404(client, instance, rule, endpoint):
    login(client, instance.admin)
    ids = {name: HUGE if isinstance(v, int) else v for name, v in real_ids(instance).items()}
    assert client.get(fill(rule, ids)).status_code == 404


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/legislators?owner=p99999999999999999999999", 400),
        ("/interactions/99999999999999999999", 404),
        ("/campaigns/{campaign}/trend.json?as_of=0001-01-02", 400),
        ("/campaigns/{campaign}/whip?as_of=9999-12-31", 400),
        ("/admin/audit?from=9999-12-31", 400),
        ("/admin/audit?to=0001-01-01", 400),
        ("/legislators?chamber=99999999999999999999", 400),
        ("/interactions?page=99999999999999999999", 200),
        ("/interactions/new?legislator=99999999999999999999&legislator=%C2%B2", 200),
        ("/tasks/new?legislator=%C2%B2&interaction=99999999999999999999", 200),
        ("/legislators?q=a%00b", 400),
        ("/calendar/a%00b.ics", 400),
    ],
)
def test_the_probe_urls_get_a_clear_answer(client, instance, url, status):
    login(client, instance.admin)
    assert client.get(url.format(campaign=instance.campaign.id)).status_code == status
