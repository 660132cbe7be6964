"""Demo data: the demo campaign's bill with its status history, and a recorded vote of the justice committee
(flagged as demo), so the forecast page has something to show on `make run`."""

import random
from datetime import UTC, date, datetime

from crm.campaigns import stance
from crm.core.time import local_to_utc
from crm.extensions import db
from crm.legislature.models import CommitteeMembership
from crm.votes import operations
from crm.votes.queries import members as member_queries

BILL_NUMBER = "03839/2014-IC"
BILL_TITLE = "Ley que despenaliza el aborto en los casos de embarazos a consecuencia de una violación sexual, " \
             "inseminación artificial o transferencia de óvulos no consentidas"
VOTE_DAY = date(2015, 11, 16)
STEPS = (
    ("presented", date(2014, 10, 7), None, "Iniciativa ciudadana con firmas verificadas."),
    ("referred", date(2014, 10, 13), "committee", "Decretado a la Comisión de Justicia y Derechos Humanos."),
    ("report", VOTE_DAY, "committee", "Dictamen en la Comisión de Justicia (demostración)."),
)
# The step after the committee's report depends on how the (invented) vote went.
AFTER = {"fail": ("archived", date(2015, 11, 30), "Archivado tras el dictamen (demostración)."),
         "pass": ("agenda", date(2015, 12, 3), "En agenda del Pleno tras el dictamen (demostración).")}
# How a member with a stance votes in the demo: mostly as forecast, with a few surprises.
LEANS = {"champion": "yes", "supporter": "yes", "leaning_yes": "yes", "undecided": "abstain",
         "leaning_no": "no", "opposed": "no", "hard_opposed": "no", "unknown": "no"}


def load(context: dict) -> None:
    campaign, legislature = context.get("campaign"), context.get("peru_2011")
    committee = context.get("justice_committee_2011")
    if campaign is None or legislature is None:
        return
    actor = (context.get("users") or {}).get("director")
    rng = random.Random(2015)  # noqa: S311 - demo data, not security
    bill = operations.create_bill(legislature_id=legislature.id, number=BILL_NUMBER, title=BILL_TITLE, actor=actor,
                                  origin_chamber_id=context["peru_2011_chamber"].id if context.get("peru_2011_chamber") else None,
                                  authors=[("Promotores de la iniciativa ciudadana «Déjala decidir»", None)], is_demo=True)
    steps = {}
    for status, day, where, note in STEPS:
        steps[status] = operations.add_bill_step(bill, status=status, day=day, note=note, actor=actor, is_demo=True,
                                                 committee_id=committee.id if where and committee else None)
    operations.follow_bill(campaign.id, bill, actor=actor)
    stages = context.get("stages") or []
    if not stages or committee is None:
        return
    operations.link_stage(stages[0], steps["report"], actor=actor)
    members = db.session.execute(
        member_queries.sitting_ids(None, committee.id, VOTE_DAY).distinct().order_by(CommitteeMembership.legislator_id)
    ).scalars().all()
    start_at = local_to_utc(datetime(2015, 11, 16, 11, 30), "America/Lima")
    levels = stance.levels_as_of(campaign.id, members, start_at)
    votes = {}
    for legislator_id in members:
        option = LEANS[levels[legislator_id]]
        roll = rng.random()
        if roll < 0.12:
            option = "absent"
        elif roll < 0.22:
            option = {"yes": "no", "no": "yes", "abstain": "no"}[option]
        votes[legislator_id] = option
    result = "pass" if sum(1 for o in votes.values() if o == "yes") > sum(1 for o in votes.values() if o == "no") else "fail"
    status, day, note = AFTER[result]
    operations.add_bill_step(bill, status=status, day=day, note=note, actor=actor, is_demo=True)
    operations.record_vote_event(
        source_key="demo-justicia-2015-11-16", start_at=start_at.astimezone(UTC), motion="Dictamen del proyecto "
        f"{BILL_NUMBER} (demostración)", votes=votes, actor=actor, committee_id=committee.id, bill_id=bill.id,
        bill_step_id=steps["report"].id, requirement="mayoría simple", result=result, is_demo=True)
