"""Small factories for coalition tests. Objects are flushed; call db.session.commit() before requests."""

import itertools
from datetime import timedelta

import pytest

from crm.core.time import local_today, utcnow
from crm.extensions import db

_seq = itertools.count(1)


def _saved(obj):
    db.session.add(obj)
    db.session.flush()
    return obj


@pytest.fixture
def today():
    return local_today(None)


@pytest.fixture
def make_partner():
    from crm.coalition.models import PartnerOrganisation

    def factory(name=None, **fields):
        return _saved(PartnerOrganisation(name=name or f"Aliada {next(_seq)}", **fields))

    return factory


@pytest.fixture
def make_campaign():
    from crm.campaigns.models import Campaign

    def factory(name=None, **fields):
        return _saved(Campaign(name=name or f"Campaña {next(_seq)}", created_at=utcnow(), **fields))

    return factory


@pytest.fixture
def make_drive(make_campaign):
    from crm.coalition.models import PetitionDrive

    def factory(campaign=None, threshold=60_000, deadline=None, name=None):
        campaign = campaign or make_campaign()
        return _saved(PetitionDrive(campaign_id=campaign.id, name=name or f"Firmas {campaign.name}", threshold=threshold,
                                    deadline=deadline))

    return factory


@pytest.fixture
def make_batch(make_partner):
    from crm.coalition.models import SignatureBatch

    def factory(drive, collected=100, verified=0, region="Cusco", collected_on=None, partner=None, user=None,
                **rejected):
        if user is None and partner is None:
            partner = make_partner()
        return _saved(SignatureBatch(
            drive_id=drive.id, collected_on=collected_on or local_today(None) - timedelta(days=1), region=region,
            collected=collected, verified=verified, collector_partner_id=partner.id if partner else None,
            collector_user_id=user.id if user else None, rejected_duplicate=rejected.get("duplicate", 0),
            rejected_invalid_id=rejected.get("invalid_id", 0), rejected_illegible=rejected.get("illegible", 0),
            rejected_other=rejected.get("other", 0), created_at=utcnow(),
        ))

    return factory


@pytest.fixture
def make_legislator():
    from crm.core.text import fold
    from crm.legislature.models import Legislator

    def factory(full_name=None, district=None, **fields):
        full_name = full_name or f"Legisladora {next(_seq)}"
        return _saved(Legislator(full_name=full_name, sort_name=full_name, search_name=fold(full_name),
                                district=district, created_at=utcnow(), **fields))

    return factory


@pytest.fixture
def make_interaction():
    from crm.outreach.models import Interaction

    def factory(notes="", internal=False, campaign=None, legislators=(), partners=(), author=None):
        interaction = Interaction(
            kind="meeting", starts_at=utcnow() - timedelta(days=1), notes=notes, notes_internal=internal,
            campaign_id=campaign.id if campaign else None, created_at=utcnow(), author_id=author.id if author else None,
        )
        interaction.legislators = list(legislators)
        interaction.partners = list(partners)
        return _saved(interaction)

    return factory
