"""A contact is logged once it has happened: a date far in the future is refused, with one rule, everywhere."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from crm.core.time import to_local, utcnow
from crm.extensions import db
from crm.outreach import operations
from crm.outreach.models import Interaction

FUTURE_MESSAGE = "La fecha está en el futuro"


def _count():
    return db.session.execute(select(func.count(Interaction.id))).scalar_one()


def _local(moment, user):
    return to_local(moment, user.timezone).strftime("%Y-%m-%dT%H:%M")


def test_quick_log_refuses_2030_on_the_first_screen_and_accepts_a_few_hours_ahead(make_user, login_as, make_legislator):
    officer = make_user("officer")
    legislator = make_legislator("Rosa Mavila")
    db.session.commit()
    client = login_as(officer)
    screen_one = {"step": "1", "action": "next", "legislator_ids": [str(legislator.id)], "kind": "meeting",
                  "campaign_id": "0", "starts_at": "2030-01-15T10:00"}
    refused = client.post("/log", data=screen_one)
    body = refused.get_data(as_text=True)
    assert refused.status_code == 422 and FUTURE_MESSAGE in body and "Paso 1 de 3" in body
    # Saving straight from a later screen is refused by the operation itself.
    saved = client.post("/log", data={**screen_one, "step": "2", "action": "save"})
    assert saved.status_code == 422 and FUTURE_MESSAGE in saved.get_data(as_text=True)
    assert _count() == 0

    soon = _local(utcnow() + timedelta(hours=3), officer)
    ok = client.post("/log", data={**screen_one, "starts_at": soon, "step": "2", "action": "save"})
    assert ok.status_code == 302 and _count() == 1


def test_meeting_form_refuses_a_far_future_date_in_english_too(make_user, login_as, make_legislator):
    officer = make_user("officer", language="en")
    legislator = make_legislator("Rosa Mavila")
    db.session.commit()
    client = login_as(officer)
    data = {"kind": "meeting", "starts_at": _local(utcnow() + timedelta(days=3), officer),
            "legislator_ids": [str(legislator.id)], "campaign_id": "0"}
    refused = client.post("/interactions/new", data=data)
    assert refused.status_code == 422
    assert "The date is in the future" in refused.get_data(as_text=True) and _count() == 0


def test_editing_an_old_contact_keeps_its_date_but_cannot_move_it_to_the_future(make_user, add_interaction,
                                                                                  make_legislator):
    officer = make_user("officer")
    legislator = make_legislator("Rosa Mavila")
    # Logged before the rule existed: still editable as long as its date stays.
    old = add_interaction(officer, [legislator], starts_at=datetime(2031, 5, 1, 15, tzinfo=UTC))
    db.session.commit()
    data = operations.InteractionInput(kind="call", starts_at=old.starts_at, legislator_ids=[legislator.id])
    operations.update_interaction(old, data, actor=officer)
    moved = operations.InteractionInput(kind="call", starts_at=datetime(2032, 5, 1, 15, tzinfo=UTC),
                                        legislator_ids=[legislator.id])
    try:
        operations.update_interaction(old, moved, actor=officer)
    except operations.OutreachError as error:
        assert error.field == "starts_at"
    else:
        raise AssertionError("a move to 2032 was accepted")


def test_the_rule_allows_one_day_of_timezone_slack():
    now = datetime(2026, 12, 3, 12, tzinfo=UTC)
    operations.check_starts_at(now + timedelta(hours=23), now=now)
    operations.check_starts_at(now - timedelta(days=400), now=now)
    for bad in (now + timedelta(days=1, minutes=1), datetime(2030, 1, 1, tzinfo=UTC), None, datetime(2026, 1, 1)):
        try:
            operations.check_starts_at(bad, now=now)
        except operations.OutreachError as error:
            assert error.field == "starts_at"
        else:
            raise AssertionError(f"{bad} was accepted")
