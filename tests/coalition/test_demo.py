from sqlalchemy import func, select

from crm.coalition import demo
from crm.coalition.models import MediaMention, PartnerOrganisation, PetitionDrive, SignatureBatch
from crm.coalition.queries import drive_totals
from crm.core.time import local_today
from crm.extensions import db


def _context(make_user):
    return {"users": {role: make_user(role) for role in ("admin", "director", "officer", "viewer")}}


def test_demo_partners_and_viewer(make_user):
    context = _context(make_user)
    demo.load(context)
    names = set(db.session.execute(select(PartnerOrganisation.name)).scalars())
    assert {"CLADEM", "DEMUS", "Católicas por el Derecho a Decidir", "Movimiento Manuela Ramos",
            "Centro Flora Tristán"} <= names
    assert all(p.is_demo for p in context["partners"].values())
    assert context["users"]["viewer"].partner_organisation_id == context["partners"]["Movimiento Manuela Ramos"].id
    assert "campaign" not in context  # the drive waits for the campaigns demo


def test_demo_drive_adds_up_to_the_real_figures(make_user, make_campaign):
    context = _context(make_user)
    demo.load(context)
    context["campaign"] = make_campaign("Déjala decidir")
    drive = demo.load_drive(context)
    assert demo.load_drive(context).id == drive.id  # calling it twice does not duplicate the drive
    totals = drive_totals(drive.id, local_today(None))
    assert drive.threshold == 60_000 and drive.is_demo
    assert totals.collected == 100_000
    assert totals.verified == 70_000
    assert totals.verified + totals.rejected <= totals.collected
    assert db.session.execute(
        select(func.count(SignatureBatch.id)).where(SignatureBatch.drive_id == drive.id, SignatureBatch.is_demo.is_(False))
    ).scalar() == 0
    regions = db.session.execute(select(func.count(func.distinct(SignatureBatch.region)))).scalar()
    assert regions >= 10
    assert db.session.execute(select(func.count(MediaMention.id)).where(MediaMention.is_demo.is_(True))).scalar() >= 3


def test_demo_drive_is_created_by_load_when_the_campaign_exists(make_user, make_campaign):
    context = _context(make_user)
    campaign = context["campaign"] = make_campaign()
    demo.load(context)
    drive = db.session.execute(select(PetitionDrive).where(PetitionDrive.campaign_id == campaign.id)).scalar_one()
    assert drive_totals(drive.id, local_today(None)).collected == 100_000
