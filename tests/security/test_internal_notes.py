"""The "internal" flag on a meeting covers its notes and its outcome, on every page, export and feed."""

from datetime import timedelta

import pytest
from icalendar import Calendar

from crm.core.time import utcnow
from crm.extensions import db
from crm.outreach.models import Interaction
from tests.conftest import login

NOTES = "Dijo que votará a favor si cambia el artículo 3"
OUTCOME = "Se comprometió en privado a votar a favor"


def _meeting(instance, *, internal, days=1):
    when = utcnow() + timedelta(days=days)
    interaction = Interaction(kind="meeting", starts_at=when, campaign_id=instance.campaign.id, notes=NOTES,
                              outcome=OUTCOME, notes_internal=internal, author_id=instance.officer.id,
                              created_at=when)
    interaction.legislators = [instance.legislator]
    interaction.partners = [instance.ours]
    interaction.staff = [instance.officer]
    db.session.add(interaction)
    db.session.commit()
    return interaction


def _feed_descriptions(client, user) -> list[str]:
    user.calendar_token = "c" * 43
    db.session.commit()
    response = client.get(f"/calendar/{'c' * 43}.ics")
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.data)
    return [str(event.get("description", "")) for event in calendar.walk("VEVENT")]


def test_the_calendar_feed_never_carries_internal_notes_or_outcome_even_for_staff(client, instance):
    _meeting(instance, internal=True)
    descriptions = _feed_descriptions(client, instance.officer)
    assert descriptions, "the meeting is in the officer's feed"
    assert not any(NOTES in d or OUTCOME in d for d in descriptions)


def test_the_calendar_feed_keeps_shared_notes_and_outcome(client, instance):
    _meeting(instance, internal=False)
    descriptions = _feed_descriptions(client, instance.officer)
    assert any(NOTES in d and OUTCOME in d for d in descriptions)


@pytest.mark.parametrize("page", ["detail", "timeline", "list", "legislator"])
def test_a_partner_never_reads_the_outcome_of_an_internal_meeting(client, instance, page):
    meeting = _meeting(instance, internal=True, days=-2)
    url = {
        "detail": f"/interactions/{meeting.id}",
        "timeline": f"/legislators/{instance.legislator.id}/timeline",
        "list": "/interactions",
        "legislator": f"/legislators/{instance.legislator.id}",
    }[page]
    login(client, instance.viewer)
    response = client.get(url)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert NOTES not in body and OUTCOME not in body
    login(client, instance.officer)
    staff_body = client.get(url).get_data(as_text=True)
    if page == "detail":
        assert NOTES in staff_body and OUTCOME in staff_body


def test_a_partner_reads_the_outcome_of_a_shared_meeting(client, instance):
    meeting = _meeting(instance, internal=False, days=-2)
    login(client, instance.viewer)
    body = client.get(f"/interactions/{meeting.id}").get_data(as_text=True)
    assert NOTES in body and OUTCOME in body
