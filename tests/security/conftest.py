"""A small instance with one of everything a URL can name: two partner organisations, staff and their work."""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from crm.accounts import operations as accounts
from crm.campaigns import operations as campaigns
from crm.campaigns.models import CampaignPartnerAccess
from crm.coalition.models import MediaMention, PartnerOrganisation, PetitionDrive, SignatureBatch
from crm.core.text import fold
from crm.core.time import utcnow
from crm.extensions import db
from crm.legislature.models import (
    Aide,
    Chamber,
    Committee,
    Group,
    GroupMembership,
    ImportJob,
    Legislator,
    Legislature,
    SeatMembership,
)
from crm.outreach.models import Interaction, Task
from crm.votes.models import Bill, Scorecard, ScorecardItem, Vote, VoteEvent

PASSWORD = "una frase bastante larga"


@dataclass
class Instance:
    admin: object
    officer: object
    viewer: object  # a partner's account, of `ours`
    other_viewer: object  # a partner's account, of `theirs`
    ours: PartnerOrganisation
    theirs: PartnerOrganisation
    legislature: Legislature
    chamber: Chamber
    committee: Committee
    group: Group
    legislator: Legislator
    aide: Aide
    campaign: object
    stage: object
    interaction: Interaction
    task: Task
    drive: PetitionDrive
    our_batch: SignatureBatch
    their_batch: SignatureBatch
    staff_batch: SignatureBatch
    mention: MediaMention
    job: ImportJob
    bill: Bill
    event: VoteEvent
    scorecard: Scorecard


def _add(*rows):
    db.session.add_all(rows)
    db.session.flush()
    return rows[0]


def build_instance() -> Instance:
    ours = _add(PartnerOrganisation(name="Colectiva Nuestra"))
    theirs = _add(PartnerOrganisation(name="Red Ajena"))
    admin = accounts.create_user(email="admin@example.org", name="Ana Admin", role="admin", password=PASSWORD)
    officer = accounts.create_user(email="oficial@example.org", name="Óscar Oficial", role="officer", password=PASSWORD)
    viewer = accounts.create_user(email="aliada@example.org", name="Alicia Aliada", role="viewer", password=PASSWORD,
                                  partner_organisation_id=ours.id)
    other_viewer = accounts.create_user(email="ajena@example.org", name="Beatriz Ajena", role="viewer",
                                        password=PASSWORD, partner_organisation_id=theirs.id)
    legislature = _add(Legislature(name="Congreso de prueba", country="PE", period_label="2026-2031",
                                   start_date=date(2026, 7, 28)))
    chamber = _add(Chamber(legislature_id=legislature.id, name="Cámara de Diputados", seats=130))
    committee = _add(Committee(chamber_id=chamber.id, name="Comisión de Justicia"))
    group = _add(Group(legislature_id=legislature.id, kind="bancada", name="Bancada Ñandú", abbreviation="BÑ"))
    legislator = _add(Legislator(full_name="Rosa Mavila", sort_name="Mavila, Rosa", search_name=fold("Rosa Mavila"),
                                 district="Lima", owner_user_id=officer.id))
    _add(SeatMembership(legislator_id=legislator.id, chamber_id=chamber.id, start_date=date(2026, 7, 28)),
         GroupMembership(legislator_id=legislator.id, group_id=group.id, start_date=date(2026, 7, 28)))
    aide = _add(Aide(legislator_id=legislator.id, name="Carla Asesora", title="Asesora"))
    campaign = campaigns.create_campaign(actor=admin, name="Déjala Decidir", legislature_id=legislature.id)
    stage = campaigns.add_stage(campaign, actor=admin, name="Pleno", chamber_id=chamber.id,
                                rule_kind="absolute_majority")
    _add(CampaignPartnerAccess(campaign_id=campaign.id, partner_organisation_id=ours.id, level="whip_list"),
         CampaignPartnerAccess(campaign_id=campaign.id, partner_organisation_id=theirs.id, level="whip_list"))
    campaigns.record_stance(campaign_id=campaign.id, legislator_id=legislator.id, level="supporter", actor=admin)
    yesterday = utcnow() - timedelta(days=1)
    interaction = Interaction(kind="meeting", starts_at=yesterday, campaign_id=campaign.id, notes="Notas",
                              author_id=officer.id, created_at=yesterday)
    interaction.legislators = [legislator]
    interaction.partners = [ours]
    _add(interaction)
    task = _add(Task(title="Enviar informe", due_at=yesterday, status="open", priority="normal",
                     assignee_id=officer.id, created_by_id=officer.id, legislator_id=legislator.id,
                     campaign_id=campaign.id, created_at=yesterday))
    drive = _add(PetitionDrive(campaign_id=campaign.id, name="Firmas por la ley", threshold=60_000))

    def batch(region, partner=None, user=None):
        return _add(SignatureBatch(
            drive_id=drive.id, collected_on=date(2026, 8, 1), region=region, place=f"Plaza de Armas de {region}",
            collected=100, verified=80,
            collector_partner_id=partner.id if partner else None, collector_user_id=user.id if user else None,
            rejected_duplicate=0, rejected_invalid_id=0, rejected_illegible=0, rejected_other=0, created_at=yesterday,
        ))

    our_batch, their_batch, staff_batch = batch("Cusco", ours), batch("Puno", theirs), batch("Lima", user=officer)
    mention = MediaMention(published_on=date(2026, 8, 2), outlet="La República", kind="press", title="Mavila defiende la ley en el pleno",
                           url="https://larepublica.pe/x", campaign_id=campaign.id)
    mention.legislators = [legislator]
    _add(mention)
    job = _add(ImportJob(created_by_id=admin.id, created_at=datetime(2026, 8, 1, tzinfo=UTC), format="csv",
                         filename="x.csv", options={}, files={}, status="checked",
                         report={"counts": {"create": 1, "update": 0, "unchanged": 0}, "problems": []}))
    bill = _add(Bill(legislature_id=legislature.id, number="03839/2014-IC", title="Despenalización",
                     created_at=yesterday))
    event = _add(VoteEvent(source_key="prueba-1", bill_id=bill.id, chamber_id=chamber.id, start_at=yesterday,
                           motion="Aprobación", result="pass", created_at=yesterday))
    _add(Vote(vote_event_id=event.id, legislator_id=legislator.id, option="yes"))
    scorecard = _add(Scorecard(name="Votos clave", campaign_id=campaign.id, created_by_id=admin.id,
                               created_at=yesterday))
    _add(ScorecardItem(scorecard_id=scorecard.id, vote_event_id=event.id, position="yes"))
    db.session.commit()
    return Instance(admin, officer, viewer, other_viewer, ours, theirs, legislature, chamber, committee, group,
                    legislator, aide, campaign, stage, interaction, task, drive, our_batch, their_batch, staff_batch,
                    mention, job, bill, event, scorecard)


@pytest.fixture
def instance() -> Instance:
    return build_instance()
