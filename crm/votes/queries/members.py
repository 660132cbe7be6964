"""Who could vote: the members of a chamber or committee on the vote's day, by the one active-on rule."""

from sqlalchemy import select

from crm.core.time import local_today
from crm.extensions import db
from crm.legislature.models import CommitteeMembership, Legislator, SeatMembership, active_on


def sitting(chamber_id, committee_id, start_at, tz_name):
    day = local_today(tz_name, start_at)
    holder = CommitteeMembership if committee_id else SeatMembership
    where = holder.committee_id == committee_id if committee_id else holder.chamber_id == chamber_id
    return db.session.execute(
        select(Legislator.id, Legislator.sort_name).join(holder, holder.legislator_id == Legislator.id)
        .where(where, active_on(holder, day)).distinct().order_by(Legislator.sort_name, Legislator.id)
    ).all()
