"""Small factories for outreach tests: a chamber, legislators, a campaign targeting the chamber."""

from datetime import UTC, date, datetime

import pytest

from crm.campaigns.models import Campaign, CampaignPartnerAccess, StanceAssessment, VoteStage
from crm.coalition.models import MediaMention, PartnerOrganisation
from crm.core.text import fold
from crm.extensions import db
from crm.legislature.models import Aide, Chamber, Legislator, Legislature, SeatMembership
from crm.outreach.models import Interaction, Task


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def chamber():
    legislature = Legislature(name="Congreso de Prueba", country="PE", period_label="2026-2031")
    db.session.add(legislature)
    db.session.flush()
    room = Chamber(legislature_id=legislature.id, name="Cámara de Diputados", seats=130)
    db.session.add(room)
    db.session.flush()
    return room


@pytest.fixture
def make_legislator(chamber):
    def factory(full_name, *, sitting=True, in_chamber=None, owner_user_id=None, owner_partner_id=None, aides=()):
        given, _, family = full_name.partition(" ")
        legislator = Legislator(
            full_name=full_name,
            given_name=given,
            family_name=family,
            sort_name=f"{family}, {given}",
            search_name=fold(full_name),
            owner_user_id=owner_user_id,
            owner_partner_id=owner_partner_id,
        )
        db.session.add(legislator)
        db.session.flush()
        db.session.add(
            SeatMembership(
                legislator_id=legislator.id,
                chamber_id=(in_chamber or chamber).id,
                start_date=date(2026, 7, 28),
                end_date=None if sitting else date(2026, 9, 1),
            )
        )
        for aide_name in aides:
            db.session.add(Aide(legislator_id=legislator.id, name=aide_name, title="Asesora"))
        db.session.flush()
        return legislator

    return factory


@pytest.fixture
def make_campaign(chamber):
    def factory(name="Despenalización del aborto por violación", *, going_cold_days=21, target=None):
        campaign = Campaign(name=name, status="active", going_cold_days=going_cold_days)
        db.session.add(campaign)
        db.session.flush()
        db.session.add(VoteStage(campaign_id=campaign.id, position=1, name="Pleno", chamber_id=(target or chamber).id))
        db.session.flush()
        return campaign

    return factory


@pytest.fixture
def make_partner():
    def factory(name="Colectiva Aliada", campaign=None, level="whip_list"):
        partner = PartnerOrganisation(name=name)
        db.session.add(partner)
        db.session.flush()
        if campaign is not None:
            db.session.add(
                CampaignPartnerAccess(campaign_id=campaign.id, partner_organisation_id=partner.id, level=level)
            )
            db.session.flush()
        return partner

    return factory


@pytest.fixture
def add_interaction():
    """Insert an interaction row directly (bypasses operations: for read-side tests)."""

    def factory(author, legislators, *, starts_at, campaign=None, notes=None, internal=False, deleted=False, staff=()):
        interaction = Interaction(
            kind="meeting",
            starts_at=starts_at,
            campaign_id=campaign.id if campaign else None,
            notes=notes,
            notes_internal=internal,
            author_id=author.id,
            created_at=starts_at,
            deleted_at=starts_at if deleted else None,
        )
        interaction.legislators = list(legislators)
        interaction.staff = list(staff)
        db.session.add(interaction)
        db.session.flush()
        return interaction

    return factory


@pytest.fixture
def add_task():
    def factory(assignee, title="Enviar informe", *, due_at=None, creator=None, status="open", legislator=None, campaign=None, created_at=None):
        task = Task(
            title=title,
            due_at=due_at,
            status=status,
            priority="normal",
            assignee_id=assignee.id if assignee else None,
            created_by_id=(creator or assignee).id if (creator or assignee) else None,
            legislator_id=legislator.id if legislator else None,
            campaign_id=campaign.id if campaign else None,
            created_at=created_at or utc(2026, 11, 1, 12),
        )
        db.session.add(task)
        db.session.flush()
        return task

    return factory


@pytest.fixture
def add_stance():
    def factory(campaign, legislator, level, at, by=None):
        row = StanceAssessment(
            campaign_id=campaign.id, legislator_id=legislator.id, level=level, assessed_at=at,
            assessed_by_id=by.id if by else None,
        )
        db.session.add(row)
        db.session.flush()
        return row

    return factory


@pytest.fixture
def add_mention():
    def factory(legislators, day, outlet="La República", title="Debate en el pleno"):
        mention = MediaMention(published_on=day, outlet=outlet, kind="press", title=title, url="https://larepublica.pe/x")
        mention.legislators = list(legislators)
        db.session.add(mention)
        db.session.flush()
        return mention

    return factory
