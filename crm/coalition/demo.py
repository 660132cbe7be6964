"""Demo data for the coalition domain; everything invented is flagged is_demo.

Call order (crm/demo.py): load(context) runs before the campaigns demo, so it creates the partner organisations
only. The petition drive needs the demo campaign: call load_drive(context) after crm.campaigns.demo.load.
load() also creates the drive itself when the context already holds a "campaign".
"""

import random
from datetime import timedelta

from sqlalchemy import or_, select

from crm.coalition import operations
from crm.coalition.models import PetitionDrive
from crm.core.time import local_today
from crm.extensions import db
from crm.legislature.models import Legislator

# Real organisations of the Peruvian coalition; their contact details below are invented.
PARTNERS = (
    ("CLADEM", "Carmen Quispe", "contacto@cladem.demo", "+51 1 555 0101"),
    ("DEMUS", "Lucía Huamán", "contacto@demus.demo", "+51 1 555 0102"),
    ("Católicas por el Derecho a Decidir", "Rosa Mamani", "contacto@cdd.demo", "+51 1 555 0103"),
    ("Movimiento Manuela Ramos", "Elena Torres", "contacto@manuela.demo", "+51 1 555 0104"),
    ("Centro Flora Tristán", "Julia Flores", "contacto@flora.demo", "+51 1 555 0105"),
)
VIEWER_PARTNER = "Movimiento Manuela Ramos"

THRESHOLD = 60_000
TARGET_COLLECTED = 100_000
TARGET_VERIFIED = 70_000
# Share of the signatures from each region; Lima Metropolitana leads, as in real drives.
REGION_WEIGHTS = {
    "Lima Metropolitana": 38, "Arequipa": 8, "Cusco": 8, "La Libertad": 6, "Piura": 6, "Lambayeque": 5,
    "Junín": 5, "Puno": 5, "Callao": 4, "Lima": 3, "Cajamarca": 3, "Áncash": 3, "Ica": 2, "Loreto": 2,
    "Ayacucho": 2,
}
PLACES = (
    ("Universidad Nacional Mayor de San Marcos", "universidad"),
    ("Pontificia Universidad Católica", "universidad"),
    ("Centro comercial del centro", "centro_comercial"),
    ("Feria de salud comunitaria", "evento_comunitario"),
    ("Mercado central", "mercado"),
    ("Plaza de Armas", "plaza"),
    ("Colegio nacional", "colegio"),
)
WEEKS = 26
MENTIONS = (
    (120, "La República", "press", "Colectivos presentan firmas por la despenalización del aborto por violación"),
    (85, "Radio Programas del Perú", "radio", "Entrevista: la campaña de firmas llega a las regiones"),
    (40, "TV Perú", "tv", "Congresistas reciben a organizaciones de mujeres"),
    (10, "Wayka", "online", "Más de 100 mil firmas respaldan la iniciativa ciudadana"),
)


def load(context: dict) -> None:
    """Add this domain's demo rows to the session; crm.demo commits once at the end."""
    actor = context["users"]["admin"]
    partners = {}
    for name, contact, email, phone in PARTNERS:
        partners[name] = operations.create_partner(
            actor=actor, name=name, contact_name=contact, contact_email=email, contact_phone=phone,
            notes="Datos de contacto ficticios (demostración).", is_demo=True,
        )
    context["partners"] = partners
    viewer = context["users"].get("viewer")
    if viewer is not None:
        viewer.partner_organisation_id = partners[VIEWER_PARTNER].id
    if context.get("campaign") is not None:
        load_drive(context)


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    """`parts` positive whole numbers that add up to `total`."""
    cuts = sorted(rng.sample(range(1, total), parts - 1))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


def load_drive(context: dict) -> PetitionDrive | None:
    """The demo petition drive for context["campaign"], with batches that add up to about 100,000 collected."""
    campaign = context.get("campaign")
    if campaign is None:
        return None

    existing = db.session.execute(select(PetitionDrive).where(PetitionDrive.campaign_id == campaign.id)).scalar()
    if existing is not None:
        return existing
    users = context["users"]
    actor = users["admin"]
    today = local_today(None)
    drive = operations.create_drive(
        actor=actor, campaign_id=campaign.id, name="Iniciativa ciudadana: firmas para el Congreso",
        threshold=THRESHOLD, deadline=today + timedelta(days=120), is_demo=True,
    )
    rng = random.Random(2026)  # the same demo every time
    partners = list(context.get("partners", {}).values())
    collectors = [("user", users["officer"].id), ("user", users.get("officer2", users["officer"]).id)]
    collectors += [("partner", p.id) for p in partners]
    regions = list(REGION_WEIGHTS)
    weights = list(REGION_WEIGHTS.values())
    batches_count = 130
    sizes = _split(TARGET_COLLECTED, batches_count, rng)
    batches = []
    for size in sizes:
        # Most batches are older; the last weeks keep a steady pace so the projection has something to show.
        days_ago = int(rng.triangular(0, WEEKS * 7, WEEKS * 7 * 0.7))
        place, kind = rng.choice(PLACES)
        who, ident = rng.choice(collectors)
        batches.append(operations.record_batch(
            actor=actor, drive=drive, collected_on=today - timedelta(days=days_ago),
            region=rng.choices(regions, weights)[0], collected=size, place=place, place_kind=kind,
            collector_user_id=ident if who == "user" else None,
            collector_partner_id=ident if who == "partner" else None, is_demo=True, audit_row=False,
        ))
    _verify(batches, actor, rng, today)
    _mentions(context, actor, today)
    return drive


def _verify(batches, actor, rng, today) -> None:
    """Verify the older batches until about 70,000 signatures pass; the newest stay pending."""
    verified_total = 0
    for batch in sorted(batches, key=lambda b: b.collected_on):
        if verified_total >= TARGET_VERIFIED or (today - batch.collected_on).days < 21:
            continue
        verified = min(int(batch.collected * 0.86), TARGET_VERIFIED - verified_total)
        rest = batch.collected - verified
        duplicate = int(rest * 0.4)
        invalid = int(rest * 0.35)
        illegible = int(rest * 0.2)
        other = rng.randint(0, max(0, rest - duplicate - invalid - illegible))
        operations.verify_batch(
            batch, actor=actor, verified=verified, rejected_duplicate=duplicate, rejected_invalid_id=invalid,
            rejected_illegible=illegible, rejected_other=other,
        )
        verified_total += verified


def _mentions(context, actor, today) -> None:
    # Whatever spelling the legislature demo used: search_name is lowercase and accent-free.
    legislators = db.session.execute(
        select(Legislator).where(or_(
            Legislator.search_name.like("%veronika%mendoza%"), Legislator.search_name.like("%rosa%mavila%")
        ))
    ).scalars().all()
    campaign = context.get("campaign")
    for days_ago, outlet, kind, title in MENTIONS:
        operations.create_media_mention(
            actor=actor, published_on=today - timedelta(days=days_ago), outlet=outlet, kind=kind, title=title,
            url=None, campaign_id=campaign.id if campaign else None,
            legislator_ids=[leg.id for leg in legislators], is_demo=True,
        )
