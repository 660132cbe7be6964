"""Small factories for search tests: legislators, meetings and a partner account."""

from datetime import UTC, datetime

import pytest

from crm.accounts.models import PartnerOrganisation
from crm.core.text import fold
from crm.extensions import db
from crm.legislature.models import Legislator
from crm.outreach import operations
from crm.outreach.operations import InteractionInput


@pytest.fixture
def make_legislator():
    def factory(full_name, **fields):
        given, _, family = full_name.partition(" ")
        legislator = Legislator(full_name=full_name, given_name=given, family_name=family,
                                sort_name=f"{family}, {given}", search_name=fold(full_name), **fields)
        db.session.add(legislator)
        db.session.flush()
        return legislator

    return factory


@pytest.fixture
def staff(make_user):
    return make_user("director")


@pytest.fixture
def partner_org():
    organisation = PartnerOrganisation(name="Colectiva Aliada", notes="notas del equipo sobre ellas")
    db.session.add(organisation)
    db.session.commit()
    return organisation


@pytest.fixture
def partner(make_user, partner_org):
    return make_user("viewer", partner_organisation_id=partner_org.id)


@pytest.fixture
def log_meeting(staff):
    def factory(legislators, *, notes=None, outcome=None, internal=False, partners=(), place=None):
        interaction = operations.log_interaction(
            InteractionInput(kind="meeting", starts_at=datetime(2026, 9, 23, 15, 0, tzinfo=UTC),
                             legislator_ids=[x.id for x in legislators], notes=notes, outcome=outcome,
                             notes_internal=internal, partner_ids=[p.id for p in partners], place=place),
            actor=staff,
        )
        db.session.commit()
        return interaction

    return factory
