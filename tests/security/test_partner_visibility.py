"""Partners (viewer accounts) see aggregates and their own organisation's work, never another partner's people
or the team's assignments: checked object by object, on every page and export that shows the object."""

from datetime import date

import pytest

from crm.extensions import db
from crm.legislature.models import Legislator, SeatMembership
from tests.conftest import login
from tests.security.conftest import _add


def _text(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def _legislator_urls(legislator) -> list[str]:
    return ["/legislators?status=all", "/legislators/export.csv?status=all", f"/legislators/{legislator.id}"]


@pytest.mark.parametrize(
    ("owner", "partner_sees"),
    [("staff", False), ("their_organisation", False), ("our_organisation", True)],
)
def test_a_relationship_owner_is_shown_to_a_partner_only_when_it_is_its_own_organisation(
    client, instance, owner, partner_sees
):
    legislator: Legislator = instance.legislator
    legislator.owner_user_id = instance.officer.id if owner == "staff" else None
    legislator.owner_partner_id = {"staff": None, "their_organisation": instance.theirs.id,
                                   "our_organisation": instance.ours.id}[owner]
    db.session.commit()
    name = {"staff": instance.officer.name, "their_organisation": instance.theirs.name,
            "our_organisation": instance.ours.name}[owner]
    for url in _legislator_urls(legislator):
        login(client, instance.admin)
        assert name in _text(client, url), url
        login(client, instance.viewer)
        assert (name in _text(client, url)) is partner_sees, url


def test_a_partner_cannot_find_out_whom_another_partner_owns_through_the_owner_filter(client, instance):
    instance.legislator.owner_user_id = None
    instance.legislator.owner_partner_id = instance.theirs.id
    db.session.commit()
    # Another sitting legislator that nobody owns: the filter by the other organisation leaves it out for staff.
    unowned = _add(Legislator(full_name="Verónika Mendoza", sort_name="Mendoza, Verónika", search_name="veronika mendoza"))
    _add(SeatMembership(legislator_id=unowned.id, chamber_id=instance.chamber.id, start_date=date(2026, 7, 28)))
    db.session.commit()
    url = f"/legislators/export.csv?status=all&owner=p{instance.theirs.id}"
    login(client, instance.admin)
    assert unowned.full_name not in _text(client, url)
    login(client, instance.viewer)
    body = _text(client, url)
    assert unowned.full_name in body and instance.theirs.name not in body
    menu = _text(client, "/legislators/filters?status=all")
    assert instance.theirs.name not in menu and instance.officer.name not in menu and instance.ours.name in menu


@pytest.mark.parametrize("url", ["/petitions/{drive}", "/petitions/{drive}/batches.csv"])
def test_a_partner_sees_its_own_batches_and_the_drive_totals_but_no_other_collectors_batch(client, instance, url):
    url = url.format(drive=instance.drive.id)
    login(client, instance.admin)
    staff_body = _text(client, url)
    for batch in (instance.our_batch, instance.their_batch, instance.staff_batch):
        assert batch.place in staff_body
    login(client, instance.viewer)
    body = _text(client, url)
    assert instance.our_batch.place in body
    assert instance.their_batch.place not in body and instance.theirs.name not in body
    assert instance.staff_batch.place not in body and instance.officer.name not in body
    if url.endswith(".csv"):
        return
    # The drive's aggregates still count every batch: 3 × 80 verified.
    assert "240" in body
    login(client, instance.other_viewer)
    other = _text(client, url)
    assert instance.their_batch.place in other and instance.our_batch.place not in other


@pytest.mark.parametrize("page", ["timeline", "profile"])
def test_media_mentions_stay_with_the_team_like_the_media_page(client, instance, page):
    url = {"timeline": f"/legislators/{instance.legislator.id}/timeline",
           "profile": f"/legislators/{instance.legislator.id}"}[page]
    login(client, instance.officer)
    if page == "timeline":
        assert instance.mention.title in _text(client, url)
    login(client, instance.viewer)
    assert client.get("/media").status_code == 403
    assert instance.mention.title not in _text(client, url)
