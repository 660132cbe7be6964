"""Read side of the coalition pages: a constant number of statements per page."""

from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import case, func, select
from sqlalchemy.orm import selectinload

from crm.accounts.models import PartnerOrganisation, User
from crm.campaigns.models import Campaign, CampaignPartnerAccess
from crm.coalition.models import MediaMention, PetitionDrive, SignatureBatch
from crm.coalition.projection import WINDOW_DAYS
from crm.core.pagination import paginate
from crm.extensions import db
from crm.legislature.models import Legislator

_REJECTED = (
    SignatureBatch.rejected_duplicate + SignatureBatch.rejected_invalid_id
    + SignatureBatch.rejected_illegible + SignatureBatch.rejected_other
)


@dataclass
class Totals:
    collected: int = 0
    verified: int = 0
    rejected: int = 0
    rejected_duplicate: int = 0
    rejected_invalid_id: int = 0
    rejected_illegible: int = 0
    rejected_other: int = 0
    batches: int = 0
    recent_collected: int = 0

    @property
    def pending(self) -> int:
        return self.collected - self.verified - self.rejected


def _sum(column):
    return func.coalesce(func.sum(column), 0)


# --- Partners ----------------------------------------------------------------------------------------


def partners_list(only_partner_id: int | None = None):
    """Rows of (partner, users, legislators owned); only one organisation for a partner account."""
    users = (
        select(func.count(User.id)).where(User.partner_organisation_id == PartnerOrganisation.id)
        .correlate(PartnerOrganisation).scalar_subquery()
    )
    owned = (
        select(func.count(Legislator.id)).where(Legislator.owner_partner_id == PartnerOrganisation.id)
        .correlate(PartnerOrganisation).scalar_subquery()
    )
    statement = select(PartnerOrganisation, users, owned).order_by(PartnerOrganisation.name)
    if only_partner_id is not None:
        statement = statement.where(PartnerOrganisation.id == only_partner_id)
    return db.session.execute(statement).all()


def partner_users(partner_id: int):
    return db.session.execute(
        select(User).where(User.partner_organisation_id == partner_id).order_by(User.active.desc(), User.name)
    ).scalars().all()


def partner_legislators(partner_id: int):
    return db.session.execute(
        select(Legislator).where(Legislator.owner_partner_id == partner_id).order_by(Legislator.sort_name)
    ).scalars().all()


def partner_batches(partner_id: int, limit: int = 100):
    """Batches the organisation collected, newest first, with the drive's name."""
    return db.session.execute(
        select(SignatureBatch, PetitionDrive.name)
        .join(PetitionDrive, PetitionDrive.id == SignatureBatch.drive_id)
        .where(SignatureBatch.collector_partner_id == partner_id)
        .order_by(SignatureBatch.collected_on.desc(), SignatureBatch.id.desc())
        .limit(limit)
    ).all()


def partner_grants(partner_id: int):
    """(campaign name, level) for every campaign an admin opened to this organisation."""
    return db.session.execute(
        select(Campaign.name, CampaignPartnerAccess.level)
        .join(CampaignPartnerAccess, CampaignPartnerAccess.campaign_id == Campaign.id)
        .where(CampaignPartnerAccess.partner_organisation_id == partner_id)
        .order_by(Campaign.name)
    ).all()


def _batches(drive_id: int, partner_id: int | None):
    """A drive's batches with their collector's name; only one organisation's when `partner_id` is given."""
    statement = (
        select(SignatureBatch, User.name, PartnerOrganisation.name)
        .outerjoin(User, User.id == SignatureBatch.collector_user_id)
        .outerjoin(PartnerOrganisation, PartnerOrganisation.id == SignatureBatch.collector_partner_id)
        .where(SignatureBatch.drive_id == drive_id)
    )
    if partner_id is not None:
        statement = statement.where(SignatureBatch.collector_partner_id == partner_id)
    return statement


def batches_for_export(drive_id: int, partner_id: int | None = None):
    statement = _batches(drive_id, partner_id).order_by(SignatureBatch.collected_on, SignatureBatch.id)
    return db.session.execute(statement).all()


# --- Drives ------------------------------------------------------------------------------------------


def _totals_columns(today: date):
    window_start = today - timedelta(days=WINDOW_DAYS - 1)
    recent = case(
        (SignatureBatch.collected_on.between(window_start, today), SignatureBatch.collected), else_=0
    )
    return (
        _sum(SignatureBatch.collected), _sum(SignatureBatch.verified), _sum(_REJECTED),
        _sum(SignatureBatch.rejected_duplicate), _sum(SignatureBatch.rejected_invalid_id),
        _sum(SignatureBatch.rejected_illegible), _sum(SignatureBatch.rejected_other),
        func.count(SignatureBatch.id), _sum(recent),
    )


def _totals(row) -> Totals:
    return Totals(*(int(v or 0) for v in row))


def drive_summaries(today: date):
    """Every drive with its campaign name and totals, in one statement."""
    rows = db.session.execute(
        select(PetitionDrive, Campaign.name, *_totals_columns(today))
        .join(Campaign, Campaign.id == PetitionDrive.campaign_id)
        .outerjoin(SignatureBatch, SignatureBatch.drive_id == PetitionDrive.id)
        .group_by(PetitionDrive.id, Campaign.name)
        .order_by(PetitionDrive.deadline.is_(None), PetitionDrive.deadline, PetitionDrive.name)
    ).all()
    return [(row[0], row[1], _totals(row[2:])) for row in rows]


def drive_with_campaign(drive_id: int):
    return db.session.execute(
        select(PetitionDrive, Campaign.name).join(Campaign, Campaign.id == PetitionDrive.campaign_id)
        .where(PetitionDrive.id == drive_id)
    ).first()


def drive_totals(drive_id: int, today: date) -> Totals:
    row = db.session.execute(select(*_totals_columns(today)).where(SignatureBatch.drive_id == drive_id)).one()
    return _totals(row)


def by_region(drive_id: int):
    return db.session.execute(
        select(SignatureBatch.region, _sum(SignatureBatch.collected), _sum(SignatureBatch.verified), _sum(_REJECTED))
        .where(SignatureBatch.drive_id == drive_id)
        .group_by(SignatureBatch.region)
        .order_by(_sum(SignatureBatch.collected).desc(), SignatureBatch.region)
    ).all()


def weekly_series(drive_id: int):
    """Cumulative collected and verified by week (weeks start on Monday), for the chart over time."""
    rows = db.session.execute(
        select(SignatureBatch.collected_on, _sum(SignatureBatch.collected), _sum(SignatureBatch.verified))
        .where(SignatureBatch.drive_id == drive_id)
        .group_by(SignatureBatch.collected_on)
        .order_by(SignatureBatch.collected_on)
    ).all()
    weeks: OrderedDict[date, list[int]] = OrderedDict()
    for day, collected, verified in rows:
        monday = day - timedelta(days=day.weekday())
        bucket = weeks.setdefault(monday, [0, 0])
        bucket[0] += int(collected)
        bucket[1] += int(verified)
    series, total_collected, total_verified = [], 0, 0
    for monday, (collected, verified) in weeks.items():
        total_collected += collected
        total_verified += verified
        series.append((monday, collected, total_collected, total_verified))
    return series


def batches_page(drive_id: int, page: int, per_page: int = 25, partner_id: int | None = None):
    statement = _batches(drive_id, partner_id).order_by(SignatureBatch.collected_on.desc(), SignatureBatch.id.desc())
    return paginate(statement, page, per_page, scalars=False)


def campaign_choices(without_drive: bool = False, keep_id: int | None = None):
    statement = select(Campaign.id, Campaign.name).order_by(Campaign.name)
    if without_drive:
        taken = select(PetitionDrive.campaign_id)
        if keep_id:
            taken = taken.where(PetitionDrive.campaign_id != keep_id)
        statement = statement.where(Campaign.id.not_in(taken))
    return [tuple(row) for row in db.session.execute(statement)]


# --- Signatures meet legislators ---------------------------------------------------------------------


def verified_by_region(regions) -> list[tuple]:
    """Verified signatures per drive and region, for the given regions: (drive id, campaign name, region, count).

    One statement for any number of districts; ordered by drive name.
    """
    if not regions:
        return []
    return [tuple(row) for row in db.session.execute(
        select(PetitionDrive.id, Campaign.name, SignatureBatch.region, _sum(SignatureBatch.verified))
        .join(Campaign, Campaign.id == PetitionDrive.campaign_id)
        .join(SignatureBatch, SignatureBatch.drive_id == PetitionDrive.id)
        .where(SignatureBatch.region.in_(sorted(regions)))
        .group_by(PetitionDrive.id, PetitionDrive.name, Campaign.name, SignatureBatch.region)
        .order_by(PetitionDrive.name, PetitionDrive.id)
    )]


# --- Media mentions ----------------------------------------------------------------------------------


def mentions_page(page: int, campaign_id: int | None = None, kind: str | None = None, per_page: int = 25):
    statement = (
        select(MediaMention, Campaign.name)
        .outerjoin(Campaign, Campaign.id == MediaMention.campaign_id)
        .options(selectinload(MediaMention.legislators))
        .order_by(MediaMention.published_on.desc(), MediaMention.id.desc())
    )
    if campaign_id:
        statement = statement.where(MediaMention.campaign_id == campaign_id)
    if kind:
        statement = statement.where(MediaMention.kind == kind)
    return paginate(statement, page, per_page, scalars=False)


