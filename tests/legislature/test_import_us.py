"""unitedstates/congress-legislators, the real files: 537 people, 2 chambers, committees."""

import pytest
from sqlalchemy import func, select

from crm.extensions import db
from crm.legislature import queries
from crm.legislature.importers import jobs
from crm.legislature.models import Chamber, Committee, CommitteeMembership, Legislator, SeatMembership
from tests.legislature.conftest import US, table_counts, us_files

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not US.exists(), reason="needs the shared US data")]


def _count(model):
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def test_csv_with_committees(import_us):
    report = import_us()
    assert report["counts"] == {"create": 537, "update": 0, "unchanged": 0}
    chambers = {c.name: c for c in db.session.execute(select(Chamber)).scalars()}
    assert {n: c.seats for n, c in chambers.items()} == {"House of Representatives": 435, "Senate": 100}
    assert len(queries.current_members(chambers["House of Representatives"].id)) == 437  # 435 + voting-less delegates
    assert len(queries.current_members(chambers["Senate"].id)) == 100
    assert _count(Legislator) == 537
    top = db.session.execute(select(func.count(Committee.id)).where(Committee.parent_id.is_(None))).scalar_one()
    assert top == 49 and _count(Committee) == 49 + 181
    assert _count(CommitteeMembership) == 3879
    # The two new members with an empty full_name get a composed one, and say so.
    empty = [p for p in report["problems"] if p["field"] == "full_name"]
    assert len(empty) == 2 and all(p["severity"] == "warning" for p in empty)
    chair = db.session.execute(
        select(Legislator.full_name, CommitteeMembership.role).join(CommitteeMembership)
        .join(Committee).where(Committee.code == "SSAF", CommitteeMembership.role == "chair")
    ).one()
    assert chair.full_name == "John Boozman"
    sub = db.session.execute(select(Committee).where(Committee.code == "HSAG15")).scalar_one()
    assert sub.parent_id is not None and sub.name == "Forestry and Horticulture"
    # Re-importing the same files changes nothing.
    before = table_counts()
    _, again = jobs.dry_run("congress-legislators", us_files(), {})
    assert again["counts"] == {"create": 0, "update": 0, "unchanged": 537} and again["structure"] == {}
    assert table_counts() == before


def test_yaml_after_csv_does_not_duplicate(import_us):
    import_us(committees=False)
    before = table_counts()
    # The YAML carries the same people with term dates: it updates them, it does not add seats.
    report = import_us(main="legislators-current.yaml", committees=False)
    assert report["counts"]["create"] == 0 and report["counts"]["update"] == 537
    assert _count(Legislator) == before["Legislator"]
    assert _count(SeatMembership) == before["SeatMembership"]
    seat = db.session.execute(
        select(SeatMembership).join(Legislator).where(Legislator.full_name == "Maria Cantwell")
    ).scalar_one()
    assert seat.start_date is not None and seat.district == "WA"


def test_nickname_in_quotes_is_searchable(import_us, make_user, login_as):
    import_us(committees=False)
    client = login_as(make_user("officer"))
    page = client.get("/legislators?q=chuy+garcia").get_data(as_text=True)
    assert "Chuy" in page and "García" in page
    page = client.get("/legislators?q=jesus+garcia").get_data(as_text=True)
    assert "Chuy" in page
