from pathlib import Path

import pytest
from sqlalchemy import func, select

from crm.extensions import db
from crm.legislature.importers import jobs

DATA = Path("/work/shared/data")
if not DATA.exists():  # the shipped demo copy is enough for the OpenPeru tests
    DATA = Path(__file__).resolve().parents[2] / "crm" / "legislature" / "data"
OPENPERU = DATA / "openperu" / "congresistas.json"
US = Path("/work/shared/data/us-congress-legislators")
FIXTURES = Path(__file__).parent / "fixtures"


def read(path) -> str:
    return Path(path).read_text(encoding="utf-8-sig")


def us_files(main="legislators-current.csv", committees=True):
    files = {"main": read(US / main)}
    if committees:
        files["committees"] = read(US / "committees-current.yaml")
        files["memberships"] = read(US / "committee-membership-current.yaml")
    return files


def table_counts() -> dict:
    """Row counts of every table the importers write, to prove a failed import wrote nothing."""
    from crm.audit.models import AuditEntry
    from crm.legislature import models

    names = ("Legislature", "Chamber", "Committee", "Group", "Legislator", "LegislatorIdentifier", "SeatMembership",
             "GroupMembership", "CommitteeMembership", "ImportJob")
    counts = {name: db.session.execute(select(func.count()).select_from(getattr(models, name))).scalar_one()
              for name in names}
    counts["AuditEntry"] = db.session.execute(select(func.count()).select_from(AuditEntry)).scalar_one()
    return counts


@pytest.fixture
def import_openperu():
    def run(period="2011-2016", **options):
        report = jobs.apply_all("openperu", {"main": read(OPENPERU)}, {"period": period, **options})
        assert report["errors"] == 0, report["problems"]
        db.session.commit()
        return report

    return run


@pytest.fixture
def import_us():
    def run(main="legislators-current.csv", committees=True):
        report = jobs.apply_all("congress-legislators", us_files(main, committees), {})
        assert report["errors"] == 0, report["problems"]
        db.session.commit()
        return report

    return run


@pytest.fixture
def make_legislators():
    """Create n sitting legislators in a fresh chamber with a bancada, committed."""
    from crm.legislature.models import Chamber, Group, GroupMembership, Legislator, Legislature, SeatMembership
    from crm.legislature.operations import search_key

    def factory(n, prefix="Persona", chamber=None, **fields):
        if chamber is None:
            legislature = Legislature(name=f"Legislatura {prefix}", country="PE")
            db.session.add(legislature)
            db.session.flush()
            chamber = Chamber(legislature_id=legislature.id, name="Pleno", seats=max(n, 1))
            db.session.add(chamber)
            db.session.flush()
        group = Group(legislature_id=chamber.legislature_id, kind="bancada", name=f"Bancada {prefix}")
        db.session.add(group)
        db.session.flush()
        people = []
        for i in range(n):
            leg = Legislator(full_name=f"{prefix} {i:03d}", sort_name=f"{prefix} {i:03d}", search_name="", **fields)
            leg.search_name = search_key(leg)
            db.session.add(leg)
            people.append(leg)
        db.session.flush()
        for leg in people:
            db.session.add(SeatMembership(legislator_id=leg.id, chamber_id=chamber.id))
            db.session.add(GroupMembership(legislator_id=leg.id, group_id=group.id))
        db.session.commit()
        return chamber, people

    return factory
