"""Every write in the coalition domain: validated, flushed and audited; the caller commits."""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select

from crm.accounts.models import PartnerOrganisation, User
from crm.campaigns.models import Campaign
from crm.coalition.models import (
    MEDIA_KINDS,
    PLACE_KINDS,
    REJECTION_REASONS,
    MediaMention,
    PetitionDrive,
    SignatureBatch,
)
from crm.coalition.regions import canonical_region
from crm.core import audit
from crm.core.time import local_today, utcnow
from crm.extensions import db
from crm.legislature.models import Legislator

PARTNER_FIELDS = ("name", "contact_name", "contact_email", "contact_phone", "notes")
DRIVE_FIELDS = ("campaign_id", "name", "threshold", "deadline")
BATCH_FIELDS = (
    "drive_id", "collected_on", "place", "place_kind", "region", "collector_user_id", "collector_partner_id",
    "collected", "notes",
)
VERIFY_FIELDS = ("verified",) + tuple(f"rejected_{reason}" for reason in REJECTION_REASONS)
MENTION_FIELDS = ("published_on", "outlet", "kind", "title", "url", "campaign_id")
MAX_BATCH = 1_000_000


class CoalitionError(ValueError):
    """A refusal the user can act on; the message is already translated."""


def _clean(value):
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def _audited_create(obj, action, *, actor, new):
    """Add and flush a new row, then audit it; `new` is the dict or a function of the flushed row."""
    db.session.add(obj)
    db.session.flush()
    audit.record(action, obj, new=new(obj) if callable(new) else new, actor=actor)
    return obj


def _audited_update(obj, action, *, actor, snapshot, apply) -> None:
    """Apply a change, flush, and audit only the fields that moved (if any)."""
    before = snapshot(obj)
    apply()
    db.session.flush()
    old, new = audit.changes(before, snapshot(obj))
    if new:
        audit.record(action, obj, old=old, new=new, actor=actor)


def _fields(fields):
    return lambda obj: audit.snapshot(obj, fields)


def _set_all(obj, values):
    def apply():
        for key, value in values.items():
            setattr(obj, key, value)
    return apply


# --- Partner organisations ---------------------------------------------------------------------------


def _check_partner_name(name, partner_id=None):
    if not name:
        raise CoalitionError(_("Escriba el nombre de la organización."))
    if len(name) > 200:
        raise CoalitionError(_("El nombre no puede pasar de 200 caracteres."))
    clash = db.session.execute(
        select(PartnerOrganisation.id).where(func.lower(PartnerOrganisation.name) == name.lower())
    ).scalar_one_or_none()
    if clash is not None and clash != partner_id:
        raise CoalitionError(_("Ya existe una organización aliada con ese nombre."))


def create_partner(*, actor, name, contact_name=None, contact_email=None, contact_phone=None, notes=None,
                   is_demo=False) -> PartnerOrganisation:
    values = {k: _clean(v) for k, v in dict(
        name=name, contact_name=contact_name, contact_email=contact_email, contact_phone=contact_phone, notes=notes
    ).items()}
    _check_partner_name(values["name"])
    partner = PartnerOrganisation(**values, is_demo=is_demo)
    return _audited_create(partner, "partner.create", actor=actor, new=values)


def update_partner(partner: PartnerOrganisation, *, actor, **values) -> PartnerOrganisation:
    values = {k: _clean(v) for k, v in values.items() if k in PARTNER_FIELDS}
    if "name" in values:
        _check_partner_name(values["name"], partner.id)
    _audited_update(partner, "partner.update", actor=actor, snapshot=_fields(PARTNER_FIELDS),
                    apply=_set_all(partner, values))
    return partner


# --- Petition drives ---------------------------------------------------------------------------------


def _check_drive(values, drive_id=None):
    if not values.get("name"):
        raise CoalitionError(_("Escriba el nombre de la recolección de firmas."))
    threshold = values.get("threshold")
    if not isinstance(threshold, int) or threshold <= 0:
        raise CoalitionError(_("El umbral legal debe ser un número entero mayor que cero."))
    if db.session.get(Campaign, values.get("campaign_id") or 0) is None:
        raise CoalitionError(_("Elija una campaña existente."))
    other = db.session.execute(
        select(PetitionDrive.id).where(PetitionDrive.campaign_id == values["campaign_id"])
    ).scalar_one_or_none()
    if other is not None and other != drive_id:
        raise CoalitionError(_("Esa campaña ya tiene una recolección de firmas."))


def create_drive(*, actor, campaign_id, name, threshold, deadline=None, is_demo=False) -> PetitionDrive:
    values = dict(campaign_id=campaign_id, name=_clean(name), threshold=threshold, deadline=deadline)
    _check_drive(values)
    drive = PetitionDrive(**values, is_demo=is_demo)
    return _audited_create(drive, "drive.create", actor=actor, new=values)


def _current(obj, fields) -> dict:
    """The object's present values, as Python values (an audit snapshot turns dates into text)."""
    return {name: getattr(obj, name) for name in fields}


def update_drive(drive: PetitionDrive, *, actor, **values) -> PetitionDrive:
    merged = _current(drive, DRIVE_FIELDS)
    merged.update({k: _clean(v) for k, v in values.items() if k in DRIVE_FIELDS})
    _check_drive(merged, drive.id)
    _audited_update(drive, "drive.update", actor=actor, snapshot=_fields(DRIVE_FIELDS),
                    apply=_set_all(drive, {key: merged[key] for key in DRIVE_FIELDS}))
    return drive


# --- Signature batches -------------------------------------------------------------------------------


def batch_problems(*, collected_on, region, collected, place_kind=None, collector_user_id=None,
                   collector_partner_id=None, today=None) -> dict[str, str]:
    """Field -> message for every problem in a batch; shared by the form and the CSV import."""
    problems = {}
    today = today or local_today(None)
    if not isinstance(collected_on, date):
        problems["collected_on"] = _("Indique la fecha de recolección.")
    elif collected_on > today:
        problems["collected_on"] = _("La fecha de recolección no puede estar en el futuro.")
    if canonical_region(region) is None:
        problems["region"] = _("«%(value)s» no es una región del Perú.", value=region or "")
    if not isinstance(collected, int) or collected <= 0:
        problems["collected"] = _("Las firmas recolectadas deben ser un número entero mayor que cero.")
    elif collected > MAX_BATCH:
        problems["collected"] = _("Un lote no puede pasar de %(n)s firmas.", n=MAX_BATCH)
    if place_kind and place_kind not in PLACE_KINDS:
        problems["place_kind"] = _("Tipo de lugar desconocido: %(value)s", value=place_kind)
    if bool(collector_user_id) == bool(collector_partner_id):
        problems["collector"] = _("Indique quién recolectó: una persona del equipo o una organización aliada.")
    elif collector_user_id:
        user = db.session.get(User, collector_user_id)
        if user is None or not user.is_staff:
            problems["collector"] = _("La persona recolectora debe ser del equipo.")
    elif db.session.get(PartnerOrganisation, collector_partner_id) is None:
        problems["collector"] = _("La organización aliada no existe.")
    return problems


def record_batch(*, actor, drive: PetitionDrive, collected_on, region, collected, place=None, place_kind=None,
                 collector_user_id=None, collector_partner_id=None, notes=None, is_demo=False,
                 audit_row=True) -> SignatureBatch:
    problems = batch_problems(
        collected_on=collected_on, region=region, collected=collected, place_kind=place_kind,
        collector_user_id=collector_user_id, collector_partner_id=collector_partner_id,
    )
    if problems:
        raise CoalitionError(" ".join(problems.values()))
    batch = SignatureBatch(
        drive_id=drive.id, collected_on=collected_on, place=_clean(place), place_kind=place_kind or None,
        region=canonical_region(region), collector_user_id=collector_user_id or None,
        collector_partner_id=collector_partner_id or None, collected=collected, notes=_clean(notes),
        verified=0, rejected_duplicate=0, rejected_invalid_id=0, rejected_illegible=0, rejected_other=0,
        created_at=utcnow(), is_demo=is_demo,
    )
    db.session.add(batch)
    db.session.flush()
    if audit_row:
        audit.record("batch.create", batch, new=audit.snapshot(batch, BATCH_FIELDS), actor=actor)
    return batch


def update_batch(batch: SignatureBatch, *, actor, collected_on, region, collected, place=None, place_kind=None,
                 collector_user_id=None, collector_partner_id=None, notes=None) -> SignatureBatch:
    """Correct a batch's collection details; the count may not drop below what was already checked."""
    problems = batch_problems(
        collected_on=collected_on, region=region, collected=collected, place_kind=place_kind,
        collector_user_id=collector_user_id, collector_partner_id=collector_partner_id,
    )
    checked = batch.verified + batch.rejected
    if not problems and collected < checked:
        problems["collected"] = _(
            "Este lote ya tiene %(checked)s firmas revisadas; las recolectadas no pueden ser menos.", checked=checked
        )
    if problems:
        raise CoalitionError(" ".join(problems.values()))
    values = dict(
        collected_on=collected_on, region=canonical_region(region), collected=collected, place=_clean(place),
        place_kind=place_kind or None, collector_user_id=collector_user_id or None,
        collector_partner_id=collector_partner_id or None, notes=_clean(notes),
    )
    _audited_update(batch, "batch.update", actor=actor, snapshot=_fields(BATCH_FIELDS), apply=_set_all(batch, values))
    return batch


def verification_problem(collected: int, counts: dict) -> str | None:
    """Why these verification counts cannot be stored for a batch of `collected`, or None."""
    for name in VERIFY_FIELDS:
        value = counts.get(name)
        if not isinstance(value, int) or value < 0:
            return _("Los conteos de verificación deben ser números enteros no negativos.")
    checked = sum(counts[name] for name in VERIFY_FIELDS)
    if checked > collected:
        return _(
            "Verificadas más rechazadas (%(checked)s) superan las firmas recolectadas en este lote (%(collected)s).",
            checked=checked, collected=collected,
        )
    return None


def verify_batch(batch: SignatureBatch, *, actor, verified, rejected_duplicate=0, rejected_invalid_id=0,
                 rejected_illegible=0, rejected_other=0) -> SignatureBatch:
    """Set (not add to) the verification results, so a correction never counts a signature twice."""
    counts = dict(
        verified=verified, rejected_duplicate=rejected_duplicate, rejected_invalid_id=rejected_invalid_id,
        rejected_illegible=rejected_illegible, rejected_other=rejected_other,
    )
    problem = verification_problem(batch.collected, counts)
    if problem:
        raise CoalitionError(problem)
    _audited_update(batch, "batch.verify", actor=actor, snapshot=_fields(VERIFY_FIELDS), apply=_set_all(batch, counts))
    return batch


def import_batches(*, actor, drive: PetitionDrive, rows) -> list[SignatureBatch]:
    """Write rows that the CSV import already validated; one audit row sums up the file."""
    batches = [record_batch(actor=actor, drive=drive, audit_row=False, **row) for row in rows]
    audit.record(
        "batch.import", drive,
        new={"batches": len(batches), "collected": sum(b.collected for b in batches),
             "batch_ids": [b.id for b in batches]},
        actor=actor,
    )
    return batches


# --- Media mentions ----------------------------------------------------------------------------------


def _check_mention(values):
    if not isinstance(values.get("published_on"), date):
        raise CoalitionError(_("Indique la fecha de publicación."))
    if not values.get("outlet"):
        raise CoalitionError(_("Escriba el nombre del medio."))
    if values.get("kind") not in MEDIA_KINDS:
        raise CoalitionError(_("Elija el tipo de medio."))
    url = values.get("url")
    if url and not url.lower().startswith(("http://", "https://")):
        raise CoalitionError(_("El enlace debe empezar con http:// o https://."))


def _legislators(ids):
    ids = sorted(set(ids or ()))
    if not ids:
        return []
    found = db.session.execute(select(Legislator).where(Legislator.id.in_(ids))).scalars().all()
    if len(found) != len(ids):
        raise CoalitionError(_("Uno de los legisladores elegidos no existe."))
    return list(found)


def _mention_snapshot(mention):
    data = audit.snapshot(mention, MENTION_FIELDS)
    data["legislator_ids"] = sorted(leg.id for leg in mention.legislators)
    return data


def create_media_mention(*, actor, published_on, outlet, kind, title=None, url=None, campaign_id=None,
                         legislator_ids=(), is_demo=False) -> MediaMention:
    values = dict(published_on=published_on, outlet=_clean(outlet), kind=kind, title=_clean(title),
                  url=_clean(url), campaign_id=campaign_id or None)
    _check_mention(values)
    mention = MediaMention(**values, created_by_id=getattr(actor, "id", None), is_demo=is_demo)
    mention.legislators = _legislators(legislator_ids)
    return _audited_create(mention, "media_mention.create", actor=actor, new=_mention_snapshot)


def update_media_mention(mention: MediaMention, *, actor, legislator_ids=None, **values) -> MediaMention:
    merged = _current(mention, MENTION_FIELDS)
    merged.update({k: _clean(v) for k, v in values.items() if k in MENTION_FIELDS})
    merged["campaign_id"] = merged.get("campaign_id") or None
    _check_mention(merged)
    legislators = _legislators(legislator_ids) if legislator_ids is not None else None

    def apply():
        for key in MENTION_FIELDS:
            setattr(mention, key, merged[key])
        if legislators is not None:
            mention.legislators = legislators

    _audited_update(mention, "media_mention.update", actor=actor, snapshot=_mention_snapshot, apply=apply)
    return mention
