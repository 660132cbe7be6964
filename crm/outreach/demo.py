"""Demo data for the outreach domain: a few months of meetings and follow-ups, all flagged is_demo."""

import random
from datetime import datetime, time, timedelta

from sqlalchemy import or_, select

from crm.core.time import local_day_bounds, local_to_utc, local_today, utcnow
from crm.extensions import db
from crm.legislature.models import Committee, LegislativeTerm, Legislator, SeatMembership
from crm.outreach import operations

PLACES = ("Pasillo del Palacio Legislativo", "Despacho", "Sala de comisión", "Cafetería del Congreso", "Por teléfono", "Hemiciclo")
NOTES = (
    "Escuchó con atención los testimonios de sobrevivientes.\nPidió datos de embarazos infantiles por región.",
    "Dice que su bancada no tiene posición oficial todavía.\nVolver a buscarla después de la junta de portavoces.",
    "Le dejamos el resumen del proyecto: https://example.org/cabildeo/resumen-proyecto",
    "Preocupada por la reacción en su región; le interesa el informe de la Defensoría.",
    "Su asesora confirmó que revisará el dictamen esta semana.",
    "Conversación breve; prefiere hablar después de la votación del presupuesto.",
    "Mostró apertura si se aclara la objeción de conciencia.\nSolicitó reunión con las juristas de la coalición.",
)
INTERNAL_NOTES = (
    "No compartir con aliadas: su jefe de despacho nos pidió reserva sobre su voto.",
    "Posible cambio de bancada en enero; mantener contacto discreto.",
)
OUTCOMES = ("Pidió el informe legal.", "Aceptó una segunda reunión.", "Sin compromiso por ahora.", None)
FOLLOW_UPS = (
    "Enviar el informe legal",
    "Compartir datos de embarazo infantil por región",
    "Coordinar reunión con juristas de la coalición",
    "Llamar a la asesora para confirmar su asistencia",
    "Enviar nota de agradecimiento",
    "Preparar ficha de posición para su bancada",
)
LEVEL_STEPS = ("unknown", "undecided", "leaning_yes", "leaning_no", "supporter", "opposed")


def _chamber_ids(context: dict) -> list[int]:
    stages = context.get("stages") or (context["campaign"].stages if context.get("campaign") else [])
    ids = [s.chamber_id for s in stages if s.chamber_id]
    committee_ids = [s.committee_id for s in stages if s.committee_id and not s.chamber_id]
    if committee_ids:
        ids += list(db.session.execute(select(Committee.chamber_id).where(Committee.id.in_(committee_ids))).scalars())
    ids += [context[key].id for key in ("diputados", "senado") if context.get(key) is not None]
    return list(dict.fromkeys(ids))


def _legislators(context: dict, limit: int = 36) -> list[Legislator]:
    statement = select(Legislator).order_by(Legislator.sort_name).limit(limit)
    chambers = _chamber_ids(context)
    if chambers:
        # Members who served to their term's end (the 2011-2016 Congress included), not those who left early.
        served = or_(SeatMembership.end_date.is_(None), SeatMembership.end_date == LegislativeTerm.end_date)
        sitting = (
            select(SeatMembership.legislator_id)
            .outerjoin(LegislativeTerm, LegislativeTerm.id == SeatMembership.term_id)
            .where(served, SeatMembership.chamber_id.in_(chambers))
        )
        statement = statement.where(Legislator.id.in_(sitting))
    return list(db.session.execute(statement).scalars())


def load(context: dict) -> None:
    """Add this domain's demo rows to the session; crm.demo commits once at the end."""
    users = context.get("users") or {}
    team = [users[k] for k in ("officer", "officer2", "director") if k in users]
    legislators = _legislators(context)
    if not team or not legislators:
        return
    campaign = context.get("campaign")
    partners = list((context.get("partners") or {}).values())
    rng = random.Random(2026)  # noqa: S311 - reproducible demo, not security
    now = utcnow().replace(second=0, microsecond=0)
    tz = team[0].timezone
    _assign_owners(legislators, team, partners, rng)
    levels = {}
    interactions = []
    # Leave the last third untouched so the going-cold list has names in it.
    reached = legislators[: max(1, len(legislators) * 2 // 3)]
    # Oldest first, so stance changes unfold in the order they happened; a few meetings are today's.
    schedule = sorted((rng.uniform(1, 110) for _ in range(44)), reverse=True) + [-rng.uniform(1.5, 10) for _ in range(4)]
    for n, days_ago in enumerate(schedule):
        author = team[n % len(team)]
        # Office hours in Lima, so the calendar looks like a real week of lobbying.
        # The few drawn in the future land today instead: a contact is logged once it happens (planned ones are tasks).
        day = local_today(tz, now) - timedelta(days=max(0, round(days_ago)))
        starts_at = local_to_utc(datetime.combine(day, time(rng.randint(8, 18), rng.choice((0, 15, 30, 45)))), tz)
        people = rng.sample(reached, k=1 if rng.random() < 0.75 else min(2, len(reached)))
        internal = rng.random() < 0.2
        kind = rng.choices(("meeting", "call", "email", "event", "hearing"), weights=(6, 3, 2, 1, 1))[0]
        place = {"call": "Por teléfono", "email": None}.get(kind, rng.choice(PLACES[:4] + PLACES[5:]))
        data = operations.InteractionInput(
            kind=kind,
            starts_at=starts_at,
            legislator_ids=[p.id for p in people],
            duration_minutes=None if kind == "email" else rng.choice((15, 20, 30, 45, 60)),
            place=place,
            campaign_id=campaign.id if campaign else None,
            aide_ids=[a.id for p in people for a in p.aides[:1]] if rng.random() < 0.3 else [],
            staff_ids=sorted({author.id, rng.choice(team).id}),
            partner_ids=[rng.choice(partners).id] if partners and rng.random() < 0.25 else [],
            notes=rng.choice(INTERNAL_NOTES) if internal else rng.choice(NOTES),
            notes_internal=internal,
            outcome=rng.choice(OUTCOMES),
        )
        stances = {}
        if campaign and days_ago > 0 and rng.random() < 0.55:
            for person in people:
                stances[person.id] = _next_level(levels.get(person.id), rng)
                levels[person.id] = stances[person.id]
        interactions.append(operations.log_interaction(data, actor=author, stances=stances, is_demo=True))
    _tasks(context, team, interactions, campaign, rng, now)
    _featured_contact(team, campaign, now)


def _featured_contact(team, campaign, now) -> None:
    """A recent meeting and its follow-up with a well-known member, so one search for her name shows her, the
    meeting and the task together (the README's example)."""
    legislator = db.session.execute(select(Legislator).where(Legislator.search_name.contains("mavila"))).scalars().first()
    if legislator is None:
        return
    author, tz = team[0], team[0].timezone
    day = local_today(tz, now) - timedelta(days=2)
    meeting = operations.log_interaction(
        operations.InteractionInput(
            kind="meeting",
            starts_at=local_to_utc(datetime.combine(day, time(11, 0)), tz),
            legislator_ids=[legislator.id],
            duration_minutes=30,
            place="Despacho",
            campaign_id=campaign.id if campaign else None,
            staff_ids=[author.id],
            notes="Repasamos el dictamen artículo por artículo; pidió el informe de la Defensoría para su bancada.",
            outcome="Se comprometió a presentar el dictamen en la junta de portavoces.",
        ),
        actor=author,
        stances={},
        is_demo=True,
    )
    operations.create_task(
        actor=author,
        title="Enviar el informe de la Defensoría a su despacho",
        due_at=(now + timedelta(days=3)).replace(hour=23, minute=0),
        priority="high",
        assignee_id=author.id,
        legislator_id=legislator.id,
        interaction_id=meeting.id,
        campaign_id=campaign.id if campaign else None,
        is_demo=True,
    )


def _assign_owners(legislators, team, partners, rng) -> None:
    for i, legislator in enumerate(legislators):
        if legislator.owner_user_id or legislator.owner_partner_id or i % 3 == 2:
            continue
        if partners and i % 5 == 4:
            legislator.owner_partner_id = rng.choice(partners).id
        else:
            legislator.owner_user_id = team[i % len(team)].id


def _next_level(current: str | None, rng) -> str:
    if current in ("supporter", "opposed"):
        return current
    if current == "leaning_yes":
        return rng.choice(("leaning_yes", "supporter"))
    return rng.choice(LEVEL_STEPS[1:4])


def _tasks(context, team, interactions, campaign, rng, now) -> None:
    """Follow-ups spread so that "My tasks" shows overdue, today, this week and later for each officer."""
    tz = team[0].timezone
    _, end_of_today = local_day_bounds(local_today(tz, now), tz)
    past = [i for i in interactions if i.starts_at < now]
    offsets = (-9, -4, -1, 0, 0, 2, 4, 9, 16, 25)
    for n, offset in enumerate(offsets * 2):
        interaction = past[(n * 5) % len(past)]
        assignee = team[n % len(team)]
        if offset == 0:
            due = min(now + timedelta(hours=2), end_of_today - timedelta(minutes=1))
        else:
            due = (now + timedelta(days=offset)).replace(hour=23, minute=0)  # 18:00 in Lima
        task = operations.create_task(
            actor=interaction_author(interaction, team),
            title=FOLLOW_UPS[n % len(FOLLOW_UPS)],
            description="Ver notas de la reunión." if n % 3 == 0 else None,
            due_at=due,
            priority=("normal", "high", "normal", "low")[n % 4],
            assignee_id=assignee.id,
            legislator_id=interaction.legislators[0].id,
            interaction_id=interaction.id,
            campaign_id=campaign.id if campaign else None,
            is_demo=True,
        )
        if offset < -3 and n % 2 == 0:
            operations.set_task_status(task, "done", actor=assignee)
    context["outreach_interactions"] = len(interactions)


def interaction_author(interaction, team):
    return next((u for u in team if u.id == interaction.author_id), team[0])
