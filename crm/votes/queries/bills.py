"""Bills, their timelines, and vote events for pages: a campaign's bills, a legislator's recorded votes."""

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from crm.campaigns.models import Campaign, VoteStage
from crm.extensions import db
from crm.legislature.models import Chamber, Committee, Legislator, Legislature
from crm.votes.models import Bill, BillStep, CampaignBill, StageStep, Vote, VoteEvent, VoteEvidence


def campaign_bills(campaign_id: int):
    """The bills a campaign follows with their steps and authors, the stages pointing at steps, and the vote events
    recorded at each step: {bill, steps, stage_by_step, events_by_step} in four statements."""
    bills = db.session.execute(
        select(Bill).join(CampaignBill, CampaignBill.bill_id == Bill.id).where(CampaignBill.campaign_id == campaign_id)
        .options(selectinload(Bill.steps), selectinload(Bill.authors)).order_by(Bill.number)
    ).scalars().all()
    stages = db.session.execute(
        select(StageStep.bill_step_id, VoteStage).join(VoteStage, VoteStage.id == StageStep.stage_id)
        .where(VoteStage.campaign_id == campaign_id)
    ).all()
    events = db.session.execute(
        select(VoteEvent.id, VoteEvent.bill_step_id, VoteEvent.start_at, VoteEvent.result, VoteEvent.motion)
        .where(VoteEvent.bill_id.in_([b.id for b in bills]))
        .order_by(VoteEvent.start_at)
    ).all() if bills else []
    events_by_step = {}
    for event in events:
        events_by_step.setdefault(event.bill_step_id, []).append(event)
    return {"bills": bills, "stage_by_step": {step_id: stage for step_id, stage in stages}, "events_by_step": events_by_step}


def bill_list():
    return db.session.execute(select(Bill).order_by(Bill.number)).scalars().all()


def bill(bill_id: int):
    return db.session.execute(
        select(Bill).where(Bill.id == bill_id).options(selectinload(Bill.steps), selectinload(Bill.authors))
    ).scalar_one_or_none()


def events(limit: int = 200):
    return db.session.execute(
        select(VoteEvent, func.coalesce(Committee.name, Chamber.name), Bill.number)
        .outerjoin(Chamber, Chamber.id == VoteEvent.chamber_id).outerjoin(Committee, Committee.id == VoteEvent.committee_id)
        .outerjoin(Bill, Bill.id == VoteEvent.bill_id)
        .order_by(VoteEvent.start_at.desc(), VoteEvent.id.desc()).limit(limit)
    ).all()


def event_votes(event_id: int):
    return db.session.execute(
        select(Vote.option, Legislator.id, Legislator.sort_name).join(Legislator, Legislator.id == Vote.legislator_id)
        .where(Vote.vote_event_id == event_id).order_by(Legislator.sort_name)
    ).all()


def legislator_votes(legislator_id: int, limit: int = 50):
    """The legislator's recorded votes on bills some campaign follows, newest first (one statement)."""
    followed = select(CampaignBill.bill_id)
    return db.session.execute(
        select(VoteEvent.id, VoteEvent.start_at, VoteEvent.motion, Bill.number, Vote.option)
        .join(Vote, Vote.vote_event_id == VoteEvent.id).join(Bill, Bill.id == VoteEvent.bill_id)
        .where(Vote.legislator_id == legislator_id, VoteEvent.bill_id.in_(followed))
        .order_by(VoteEvent.start_at.desc(), VoteEvent.id.desc()).limit(limit)
    ).all()


def step_choices(legislature_id: int | None):
    """Bill steps of a legislature's bills, for the stage link and the manual vote form."""
    statement = select(BillStep.id, Bill.number, BillStep.status, BillStep.day).join(Bill, Bill.id == BillStep.bill_id)
    if legislature_id:
        statement = statement.where(Bill.legislature_id == legislature_id)
    return db.session.execute(statement.order_by(Bill.number, BillStep.day, BillStep.id)).all()


def stage_event(stage_id: int):
    """The latest vote event recorded at the bill step the stage points at, or None."""
    return db.session.execute(
        select(VoteEvent).join(StageStep, StageStep.bill_step_id == VoteEvent.bill_step_id)
        .where(StageStep.stage_id == stage_id).order_by(VoteEvent.start_at.desc(), VoteEvent.id.desc()).limit(1)
    ).scalar_one_or_none()


def body_choices():
    """("c:<chamber id>" | "k:<committee id>", label) for every chamber and committee, grouped by legislature."""
    rows = db.session.execute(
        select(Chamber.id, Chamber.name, Legislature.name, Committee.id, Committee.name)
        .join(Legislature, Legislature.id == Chamber.legislature_id)
        .outerjoin(Committee, Committee.chamber_id == Chamber.id)
        .order_by(Legislature.id.desc(), Chamber.id, Committee.name)
    ).all()
    out, seen = [], set()
    for chamber_id, chamber, legislature, committee_id, committee in rows:
        if chamber_id not in seen:
            seen.add(chamber_id)
            out.append((f"c:{chamber_id}", f"{chamber} · {legislature}"))
        if committee_id:
            out.append((f"k:{committee_id}", f"{committee} · {chamber} · {legislature}"))
    return out


def campaign_choices():
    return db.session.execute(select(Campaign.id, Campaign.name).order_by(Campaign.name)).all()


def campaigns_for_event(event: VoteEvent):
    """Campaigns following the event's bill, each with its evidence row if the votes were already turned into
    stances: [(campaign id, name, VoteEvidence | None)]."""
    if event.bill_id is None:
        return []
    return db.session.execute(
        select(Campaign.id, Campaign.name, VoteEvidence)
        .join(CampaignBill, CampaignBill.campaign_id == Campaign.id)
        .outerjoin(VoteEvidence, (VoteEvidence.campaign_id == Campaign.id) & (VoteEvidence.vote_event_id == event.id))
        .where(CampaignBill.bill_id == event.bill_id).order_by(Campaign.name)
    ).all()


def step(step_id: int):
    return db.session.get(BillStep, step_id)
