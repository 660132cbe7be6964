"""Demo data for the campaigns domain: the Déjala Decidir campaign; everything invented is flagged is_demo.

The two public supporters recorded with evidence (Verónika Mendoza and Rosa Mavila, congresswomen 2011–2016)
are real, public facts and are not flagged as demo. Every other stance is invented.
"""

import random
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from crm.campaigns import operations
from crm.core.time import utcnow
from crm.extensions import db
from crm.legislature.models import Legislator, SeatMembership, active_on

NAME = "Déjala Decidir: despenalizar el aborto en casos de violación"
SUMMARY = (
    "Iniciativa ciudadana para despenalizar el aborto cuando el embarazo es consecuencia de una violación sexual. "
    "La campaña Déjala Decidir reunió más de 100 000 firmas para presentar el proyecto al Congreso; "
    "la coalición sigue el voto en comisión y en el pleno."
)
PUBLIC_SUPPORTERS = (
    ("mendoza frisch", "Verónika Mendoza"),
    ("mavila leon", "Rosa Mavila"),
)
EVIDENCE = (
    "Apoyo público a la campaña Déjala Decidir en 2012–2013, como congresista del periodo 2011–2016: "
    "se pronunció a favor de despenalizar el aborto en casos de violación."
)
# Invented stances lean the way a divided chamber might: weights per level.
LEVEL_WEIGHTS = {
    "champion": 4, "supporter": 14, "leaning_yes": 14, "undecided": 20,
    "leaning_no": 14, "opposed": 18, "hard_opposed": 8, "unknown": 8,
}
MOVES = {  # how an invented stance may drift from one assessment to the next
    "unknown": ("undecided", "leaning_yes", "leaning_no"),
    "undecided": ("leaning_yes", "leaning_no", "supporter"),
    "leaning_yes": ("supporter", "undecided"),
    "leaning_no": ("undecided", "opposed"),
}


def _members(chamber, on: date) -> list[int]:
    if chamber is None:
        return []
    return list(
        db.session.execute(
            select(SeatMembership.legislator_id)
            .where(
                SeatMembership.chamber_id == chamber.id,
                active_on(SeatMembership, on),
            )
            .distinct()
            .order_by(SeatMembership.legislator_id)
        ).scalars()
    )


def _find(search: str) -> Legislator | None:
    return db.session.execute(
        select(Legislator).where(Legislator.search_name.contains(search)).order_by(Legislator.id).limit(1)
    ).scalar_one_or_none()


def _invent(rng, campaign, actor, legislator_ids, start: datetime, end: datetime, skip: set[int]) -> None:
    """One to three assessments per legislator between start and end, drifting so the trend moves."""
    span = (end - start).total_seconds()
    for legislator_id in legislator_ids:
        if legislator_id in skip:
            continue
        skip.add(legislator_id)
        level = rng.choices(list(LEVEL_WEIGHTS), weights=list(LEVEL_WEIGHTS.values()))[0]
        when = start + timedelta(seconds=rng.uniform(0, span * 0.5))
        for _ in range(rng.choice((1, 1, 2, 3))):
            operations.record_stance(
                campaign_id=campaign.id, legislator_id=legislator_id, level=level, actor=actor,
                commitment=rng.choice(("inferred", "private", "private", "public")), confidence=rng.randint(30, 90),
                evidence="Evaluación inventada para la demostración.", assessed_at=when, is_demo=True,
            )
            if level not in MOVES:
                break
            level = rng.choice(MOVES[level])
            when = when + timedelta(seconds=rng.uniform(0, (end - when).total_seconds()))


def load(context: dict) -> None:
    """Add the demo campaign, its stages and stances; crm.demo commits once at the end."""
    rng = random.Random(2013)  # noqa: S311 - demo data, not security
    actor = (context.get("users") or {}).get("director")
    campaign = operations.create_campaign(
        actor=actor, name=NAME, bill_number="3839/2014-IC", summary=SUMMARY, status="active", is_demo=True
    )
    today = utcnow().date()
    stages = []
    plan = (
        ("justice_committee_2011", "Comisión de Justicia y Derechos Humanos (2011–2016)", "committee_id",
         {"rule_kind": "simple_majority", "expected_attendance_pct": 80, "target_date": date(2015, 11, 16)}),
        ("peru_2011_chamber", "Pleno del Congreso (2011–2016)", "chamber_id",
         {"rule_kind": "absolute_majority", "target_date": date(2016, 6, 9)}),
        ("diputados", "Cámara de Diputados", "chamber_id",
         {"rule_kind": "absolute_majority", "target_date": today + timedelta(days=120)}),
        ("senado", "Senado", "chamber_id", {"rule_kind": "absolute_majority", "target_date": today + timedelta(days=210)}),
    )
    for key, name, field, rule in plan:
        body = context.get(key)
        if body is not None:
            stages.append(operations.add_stage(campaign, actor=actor, name=name, **{field: body.id}, **rule))
    context["campaign"] = campaign
    context["stages"] = stages

    recorded: set[int] = set()
    for search, _label in PUBLIC_SUPPORTERS:
        person = _find(search)
        if person is None:
            continue
        recorded.add(person.id)
        operations.record_stance(
            campaign_id=campaign.id, legislator_id=person.id, level="supporter", actor=actor, commitment="public",
            confidence=95, evidence=EVIDENCE, assessed_at=datetime(2013, 12, 31, 17, tzinfo=UTC),
        )
    # 2011–2016 members: invented stances in the years before the committee vote.
    _invent(rng, campaign, actor, _members(context.get("peru_2011_chamber"), date(2015, 11, 16)),
            datetime(2014, 9, 1, tzinfo=UTC), datetime(2015, 11, 1, tzinfo=UTC), recorded)
    # Today's Congress: invented stances over the last four months, so the weekly trend moves.
    now = utcnow()
    for key in ("diputados", "senado"):
        _invent(rng, campaign, actor, _members(context.get(key), today), now - timedelta(weeks=16), now, recorded)
