"""Every write in the votes domain: validated, flushed and audited; the caller commits."""

from datetime import date, datetime

from flask_babel import gettext as _
from sqlalchemy import select

from crm.campaigns.models import VoteStage
from crm.campaigns.operations import record_stance
from crm.core import audit
from crm.core.time import utcnow
from crm.extensions import db
from crm.votes.labels import OPTION
from crm.votes.models import (
    BILL_STATUSES,
    POSITIONS,
    RESULTS,
    VOTE_OPTIONS,
    Bill,
    BillAuthor,
    BillStep,
    CampaignBill,
    Scorecard,
    ScorecardItem,
    StageStep,
    Vote,
    VoteEvent,
    VoteEvidence,
)

# What a recorded vote says about a stance, given the position the campaign wanted on the motion.
EVIDENCE_LEVEL = {"our_way": "supporter", "against": "opposed", "abstain": "undecided"}
EVIDENCE_CONFIDENCE = 90


class VotesError(ValueError):
    """A refusal the user can act on; the message is already translated."""


def create_bill(*, legislature_id: int, number: str, title: str, actor, origin_chamber_id=None, summary=None,
                authors=(), is_demo: bool = False) -> Bill:
    number, title = (number or "").strip(), (title or "").strip()
    if not number or not title:
        raise VotesError(_("El número y el título del proyecto son obligatorios."))
    if db.session.execute(select(Bill.id).where(Bill.legislature_id == legislature_id, Bill.number == number)).first():
        raise VotesError(_("Ya existe un proyecto con ese número en esta legislatura."))
    bill = Bill(legislature_id=legislature_id, number=number[:60], title=title[:500], origin_chamber_id=origin_chamber_id,
                summary=summary, is_demo=is_demo, created_at=utcnow())
    db.session.add(bill)
    db.session.flush()
    for position, (name, legislator_id) in enumerate(authors, start=1):
        db.session.add(BillAuthor(bill_id=bill.id, name=name[:200], legislator_id=legislator_id, position=position))
    db.session.flush()
    audit.record("bill.create", bill, new={"number": bill.number, "title": bill.title,
                                           "authors": [name for name, _i in authors]}, actor=actor)
    return bill


def add_bill_step(bill: Bill, *, status: str, day: date, actor, chamber_id=None, committee_id=None, note=None,
                  is_demo: bool = False) -> BillStep:
    if status not in BILL_STATUSES:
        raise VotesError(_("Estado de proyecto desconocido."))
    if day is None:
        raise VotesError(_("La fecha es obligatoria."))
    step = BillStep(bill_id=bill.id, status=status, day=day, chamber_id=chamber_id, committee_id=committee_id,
                    note=(note or "").strip() or None, is_demo=is_demo)
    db.session.add(step)
    db.session.flush()
    audit.record("bill.step", step, new={"bill_id": bill.id, "status": status, "day": day}, actor=actor)
    return step


def follow_bill(campaign_id: int, bill: Bill, *, actor) -> CampaignBill:
    existing = db.session.execute(
        select(CampaignBill).where(CampaignBill.campaign_id == campaign_id, CampaignBill.bill_id == bill.id)
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    link = CampaignBill(campaign_id=campaign_id, bill_id=bill.id)
    db.session.add(link)
    db.session.flush()
    audit.record("bill.follow", link, new={"campaign_id": campaign_id, "bill_id": bill.id}, actor=actor)
    return link


def link_stage(stage: VoteStage, step: BillStep | None, *, actor) -> None:
    """Point a vote stage at the bill step it stands for (None unlinks)."""
    link = db.session.execute(select(StageStep).where(StageStep.stage_id == stage.id)).scalar_one_or_none()
    old = link.bill_step_id if link else None
    if step is None:
        if link is not None:
            db.session.delete(link)
    elif link is None:
        db.session.add(StageStep(stage_id=stage.id, bill_step_id=step.id))
    else:
        link.bill_step_id = step.id
    db.session.flush()
    audit.record("stage.bill_step", stage, old={"bill_step_id": old}, new={"bill_step_id": step.id if step else None},
                 actor=actor)


def record_vote_event(*, source_key: str, start_at: datetime, motion: str, votes: dict, actor, chamber_id=None,
                      committee_id=None, bill_id=None, bill_step_id=None, requirement=None, result=None,
                      is_demo: bool = False) -> VoteEvent:
    """Enter a vote by hand (a small committee): {legislator_id: option}."""
    if not (chamber_id or committee_id):
        raise VotesError(_("Indique la cámara o la comisión que votó."))
    if not (motion or "").strip():
        raise VotesError(_("El texto de la moción es obligatorio."))
    if start_at is None or start_at.tzinfo is None:
        raise VotesError(_("La fecha y hora de la votación es obligatoria."))
    if result not in (None, *RESULTS):
        raise VotesError(_("Resultado desconocido."))
    if any(option not in VOTE_OPTIONS for option in votes.values()):
        raise VotesError(_("Opción de voto desconocida."))
    if db.session.execute(select(VoteEvent.id).where(VoteEvent.source_key == source_key)).first():
        raise VotesError(_("Ya existe una votación con ese identificador."))
    counts = {}
    for option in votes.values():
        counts[option] = counts.get(option, 0) + 1
    event = VoteEvent(source_key=source_key[:200], start_at=start_at, motion=motion.strip(), chamber_id=chamber_id,
                      committee_id=committee_id, bill_id=bill_id, bill_step_id=bill_step_id, requirement=requirement,
                      result=result, declared_counts=counts, is_demo=is_demo, created_at=utcnow())
    db.session.add(event)
    db.session.flush()
    db.session.add_all([Vote(vote_event_id=event.id, legislator_id=lid, option=opt) for lid, opt in votes.items()])
    db.session.flush()
    audit.record("vote_event.record", event, new={"motion": event.motion, "counts": counts}, actor=actor)
    return event


def votes_to_evidence(event: VoteEvent, campaign_id: int, our_position: str, *, actor) -> int:
    """Turn each recorded vote into a stance assessment (commitment "recorded vote", the vote's instant), once per
    campaign; absences say nothing about a stance and are skipped. Append-only, through record_stance."""
    if our_position not in POSITIONS:
        raise VotesError(_("Elija la posición de la campaña: a favor o en contra."))
    if db.session.execute(select(VoteEvidence.id).where(VoteEvidence.vote_event_id == event.id,
                                                        VoteEvidence.campaign_id == campaign_id)).first():
        raise VotesError(_("Los votos de esta votación ya se registraron como posturas de esta campaña."))
    votes = db.session.execute(select(Vote.legislator_id, Vote.option).where(Vote.vote_event_id == event.id)
                               .order_by(Vote.legislator_id)).all()
    made = 0
    for legislator_id, option in votes:
        if option == "abstain":
            kind = "abstain"
        elif option in POSITIONS:
            kind = "our_way" if option == our_position else "against"
        else:
            continue
        level = EVIDENCE_LEVEL[kind]
        evidence = _("Voto registrado «%(option)s» en: %(motion)s", option=OPTION.text(option), motion=event.motion[:300])
        record_stance(campaign_id=campaign_id, legislator_id=legislator_id, level=level, actor=actor,
                      commitment="recorded_vote", confidence=EVIDENCE_CONFIDENCE, evidence=evidence,
                      source_url=f"/votes/events/{event.id}", assessed_at=event.start_at, is_demo=event.is_demo)
        made += 1
    link = VoteEvidence(vote_event_id=event.id, campaign_id=campaign_id, our_position=our_position, assessments=made,
                        created_by_id=getattr(actor, "id", None), created_at=utcnow())
    db.session.add(link)
    db.session.flush()
    audit.record("vote_event.evidence", event, new={"campaign_id": campaign_id, "our_position": our_position,
                                                    "assessments": made}, actor=actor)
    return made


def create_scorecard(*, name: str, items: dict, actor, campaign_id=None, is_demo: bool = False) -> Scorecard:
    """A scorecard: {vote_event_id: position we wanted}."""
    name = (name or "").strip()
    if not name:
        raise VotesError(_("El nombre de la ficha es obligatorio."))
    if not items:
        raise VotesError(_("Elija al menos una votación."))
    if any(position not in POSITIONS for position in items.values()):
        raise VotesError(_("Elija la posición de la campaña: a favor o en contra."))
    card = Scorecard(name=name[:200], campaign_id=campaign_id, created_by_id=getattr(actor, "id", None),
                     created_at=utcnow(), is_demo=is_demo)
    card.items = [ScorecardItem(vote_event_id=event_id, position=position) for event_id, position in items.items()]
    db.session.add(card)
    db.session.flush()
    audit.record("scorecard.create", card, new={"name": card.name, "items": {str(k): v for k, v in items.items()}},
                 actor=actor)
    return card
