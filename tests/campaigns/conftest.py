"""Small factories for the campaigns tests: a legislature, a chamber with members, groups and a committee."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import pytest

from crm.campaigns import operations
from crm.campaigns.models import Campaign, VoteStage
from crm.coalition.models import PartnerOrganisation
from crm.core.text import fold
from crm.extensions import db
from crm.legislature.models import (
    Chamber,
    Committee,
    CommitteeMembership,
    Group,
    GroupMembership,
    Legislator,
    Legislature,
    SeatMembership,
)


@dataclass
class World:
    legislature: Legislature
    chamber: Chamber
    committee: Committee
    groups: list[Group]
    legislators: list[Legislator] = field(default_factory=list)
    campaign: Campaign | None = None
    plenary: VoteStage | None = None
    committee_stage: VoteStage | None = None


def build_world(size=20, seats=None, committee_size=5, groups=("Frente Amplio", "Fuerza Popular", "Gana Perú")):
    legislature = Legislature(name="Congreso de prueba", country="PE", period_label="2011-2016", start_date=date(2011, 7, 27))
    db.session.add(legislature)
    db.session.flush()
    chamber = Chamber(legislature_id=legislature.id, name="Pleno", seats=seats or size)
    db.session.add(chamber)
    db.session.flush()
    committee = Committee(chamber_id=chamber.id, name="Comisión de Justicia")
    group_rows = [Group(legislature_id=legislature.id, kind="bancada", name=g, abbreviation=g[:3].upper()) for g in groups]
    db.session.add_all([committee, *group_rows])
    db.session.flush()
    world = World(legislature, chamber, committee, group_rows)
    for i in range(size):
        name = f"Legisladora {i:03d} Pérez"
        person = Legislator(full_name=name, sort_name=f"Pérez, {i:03d}", search_name=fold(name), district=f"Distrito {i % 4}")
        db.session.add(person)
        world.legislators.append(person)
    db.session.flush()
    for i, person in enumerate(world.legislators):
        db.session.add(SeatMembership(legislator_id=person.id, chamber_id=chamber.id, start_date=date(2011, 7, 27)))
        db.session.add(GroupMembership(legislator_id=person.id, group_id=group_rows[i % len(group_rows)].id, start_date=date(2011, 7, 27)))
        if i < committee_size:
            db.session.add(CommitteeMembership(legislator_id=person.id, committee_id=committee.id, role="chair" if i == 0 else "member"))
    db.session.flush()
    return world


def add_campaign(world, actor=None, rule_kind="absolute_majority", **stage_fields):
    campaign = operations.create_campaign(actor=actor, name="Déjala Decidir", bill_number="3839/2014-IC", legislature_id=world.legislature.id)
    world.committee_stage = operations.add_stage(campaign, actor=actor, name="Comisión de Justicia", committee_id=world.committee.id, rule_kind="simple_majority")
    world.plenary = operations.add_stage(campaign, actor=actor, name="Pleno", chamber_id=world.chamber.id, rule_kind=rule_kind, **stage_fields)
    world.campaign = campaign
    return campaign


@pytest.fixture
def world():
    """A 20-member chamber with a 5-member justice committee and a campaign targeting both; committed."""
    w = build_world()
    add_campaign(w)
    db.session.commit()
    return w


@pytest.fixture
def partner():
    org = PartnerOrganisation(name="Colectiva Aliada")
    db.session.add(org)
    db.session.commit()
    return org


def at(y, m, d, h=12):
    return datetime(y, m, d, h, tzinfo=UTC)


def stance(world, index, level, when=None, actor=None, **fields):
    return operations.record_stance(
        campaign_id=world.campaign.id, legislator_id=world.legislators[index].id, level=level, actor=actor,
        assessed_at=when, **fields,
    )


def add_contact(legislator, when):
    from crm.outreach.models import Interaction

    interaction = Interaction(kind="meeting", starts_at=when, created_at=when)
    interaction.legislators.append(legislator)
    db.session.add(interaction)
    db.session.flush()
    return interaction


def add_task(legislator, due, status="open"):
    from crm.outreach.models import Task

    task = Task(title="Llamar", due_at=due, status=status, legislator_id=legislator.id, created_at=due)
    db.session.add(task)
    db.session.flush()
    return task
