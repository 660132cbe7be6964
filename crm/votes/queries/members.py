"""Who could vote: the members of a chamber or committee on the vote's day, by the one active-on rule."""

from sqlalchemy import select

from crm.core.time import local_today
from crm.extensions import db
from crm.legislature.models import CommitteeMembership, Legislator, SeatMembership, active_on


def sitting_ids(chamber_id, committee_id, day):
    """A select of the ids of the members of the committee (or else the chamber) on the day."""
    holder = CommitteeMembership if committee_id else SeatMembership
    where = holder.committee_id == committee_id if committee_id else holder.chamber_id == chamber_id
    return select(holder.legislator_id).where(where, active_on(holder, day))


def sitting(chamber_id, committee_id, start_at, tz_name):
    day = local_today(tz_name, start_at)
    return db.session.execute(
        select(Legislator.id, Legislator.sort_name).where(Legislator.id.in_(sitting_ids(chamber_id, committee_id, day)))
        .order_by(Legislator.sort_name, Legislator.id)
    ).all()
