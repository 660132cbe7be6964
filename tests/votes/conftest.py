"""Votes tests reuse the campaigns world: a 20-member chamber, a 5-member committee, a campaign on both."""

from datetime import date
from pathlib import Path

import pytest

from crm.extensions import db
from crm.legislature.models import LegislatorIdentifier
from tests.campaigns.conftest import add_campaign, build_world

FIXTURES = Path(__file__).parent / "fixtures"


def identify(world):
    """Give member i the identifiers popolo p-00i, congreso C-i and bioguide L00000i."""
    for i, person in enumerate(world.legislators):
        db.session.add_all([
            LegislatorIdentifier(legislator_id=person.id, scheme="popolo", value=f"p-{i:03d}"),
            LegislatorIdentifier(legislator_id=person.id, scheme="congreso", value=f"C-{i}"),
            LegislatorIdentifier(legislator_id=person.id, scheme="bioguide", value=f"L{i:06d}"),
        ])
    db.session.flush()


@pytest.fixture
def vworld():
    w = build_world(size=20, committee_size=5)
    add_campaign(w)
    identify(w)
    db.session.commit()
    return w


def fixture_text(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


SEATED = date(2011, 7, 27)
