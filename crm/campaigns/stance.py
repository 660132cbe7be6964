"""The stance of legislator L on campaign C as of instant T: the one definition every page, email and export uses.

Cutoff convention: the stance as of T is the assessment of (C, L) with the greatest (assessed_at, id) among those
with assessed_at strictly before T. "As of day D" means T = the start of D + 1 in the reader's timezone, so an
assessment made any time on D counts on D. T = None means "now": every recorded assessment counts. With no
assessment the stance is "unknown".

The SQL shapes below (a per-legislator probe, a LATERAL join, a window over many pairs) differ only in how the
database is asked; each is built from the same condition and the same order.
"""

from datetime import date, datetime

from sqlalchemy import and_, func, select, true

from crm.campaigns.models import StanceAssessment
from crm.core.time import local_day_bounds
from crm.extensions import db

SA = StanceAssessment
NEWEST_FIRST = (SA.assessed_at.desc(), SA.id.desc())
UNKNOWN = "unknown"


def cutoff_for_day(day: date, tz_name: str | None) -> datetime:
    """The instant T for "as of day D" in a timezone: the start of the next local day."""
    return local_day_bounds(day, tz_name)[1]


def counts_before(cutoff):
    """SQL condition: this assessment is recorded before the cutoff (a datetime, a bind parameter or None)."""
    return true() if cutoff is None else SA.assessed_at < cutoff


def _of(campaign_id, legislator_id, cutoff):
    return and_(SA.campaign_id == campaign_id, SA.legislator_id == legislator_id, counts_before(cutoff))


def latest(campaign_id, legislator_id, cutoff, *columns):
    """SELECT of the latest assessment's columns for one (campaign, legislator); LIMIT 1 on the index order."""
    return select(*(columns or (SA,))).where(_of(campaign_id, legislator_id, cutoff)).order_by(*NEWEST_FIRST).limit(1)


def latest_id(campaign_id, legislator_id_column, cutoff, *correlate_with):
    """Correlated scalar subquery: the id of the latest assessment (one index probe per legislator)."""
    return latest(campaign_id, legislator_id_column, cutoff, SA.id).correlate(*correlate_with).scalar_subquery()


def latest_level(campaign_id, legislator_id_column, cutoff, *correlate_with):
    """Correlated scalar subquery: the latest level itself, NULL when there is none."""
    return latest(campaign_id, legislator_id_column, cutoff, SA.level).correlate(*correlate_with).scalar_subquery()


def latest_lateral(campaign_id, legislator_id_column, cutoff, name: str = "stance"):
    """LATERAL subquery with level, commitment, confidence and assessed_at of the latest assessment."""
    return latest(
        campaign_id, legislator_id_column, cutoff, SA.level, SA.commitment, SA.confidence, SA.assessed_at
    ).lateral(name)


def latest_per_pair(cutoff=None, campaign_ids=None, name: str = "stances"):
    """Subquery (campaign_id, legislator_id, level, assessed_at): the latest assessment of every pair.

    One window over the assessments (of the given campaigns, or all), for lists that span many legislators or
    campaigns at once.
    """
    rank = func.row_number().over(partition_by=(SA.campaign_id, SA.legislator_id), order_by=NEWEST_FIRST)
    ranked = select(SA.campaign_id, SA.legislator_id, SA.level, SA.assessed_at, rank.label("rank")).where(
        counts_before(cutoff)
    )
    if campaign_ids is not None:
        ranked = ranked.where(SA.campaign_id.in_(list(campaign_ids)))
    ranked = ranked.subquery()
    return select(ranked.c.campaign_id, ranked.c.legislator_id, ranked.c.level, ranked.c.assessed_at).where(
        ranked.c.rank == 1
    ).subquery(name)


def stance_as_of(campaign_id: int, legislator_id: int, cutoff: datetime | None = None) -> str:
    """The level of one legislator on one campaign as of the cutoff (None: now)."""
    level = db.session.execute(latest(campaign_id, legislator_id, cutoff, SA.level)).scalar_one_or_none()
    return level or UNKNOWN


def levels_as_of(campaign_id: int, legislator_ids, cutoff: datetime | None = None) -> dict[int, str]:
    """{legislator_id: level} for several legislators on one campaign, in one statement (absent ones: unknown)."""
    ids = list(legislator_ids)
    if not ids:
        return {}
    stances = latest_per_pair(cutoff, [campaign_id])
    rows = db.session.execute(
        select(stances.c.legislator_id, stances.c.level).where(stances.c.legislator_id.in_(ids))
    ).all()
    found = dict(rows)
    return {i: found.get(i) or UNKNOWN for i in ids}
