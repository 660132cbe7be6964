"""Scorecards: each legislator's share of the chosen votes cast "our way", absences apart. One aggregate over the
votes; chamber and group are the ones active on the reader's day (the one active-on rule)."""

from dataclasses import dataclass

from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.orm import selectinload

from crm.extensions import db
from crm.legislature.models import Chamber, Group, GroupMembership, Legislator, SeatMembership, active_on
from crm.votes.models import NOT_CAST, Scorecard, ScorecardItem, Vote

CAST = ("yes", "no", "abstain")
SORTS = ("score", "name", "chamber", "group", "district", "absences")


@dataclass
class ScoreRow:
    legislator_id: int
    name: str
    district: str | None
    chamber: str | None
    group: str | None
    our_way: int
    cast: int
    absences: int

    @property
    def score(self) -> float | None:
        return self.our_way / self.cast if self.cast else None


def _tally_columns():
    """our_way, cast and absences summed over votes joined to their scorecard items."""
    return (
        func.sum(case((Vote.option == ScorecardItem.position, 1), else_=0)).label("our_way"),
        func.sum(case((Vote.option.in_(CAST), 1), else_=0)).label("cast"),
        func.sum(case((Vote.option.in_(NOT_CAST), 1), else_=0)).label("absences"),
    )


def tallies(scorecard_id: int):
    """Subquery (legislator_id, our_way, cast, absences) over the scorecard's vote events."""
    return (
        select(Vote.legislator_id.label("legislator_id"), *_tally_columns())
        .join(ScorecardItem, ScorecardItem.vote_event_id == Vote.vote_event_id)
        .where(ScorecardItem.scorecard_id == scorecard_id)
        .group_by(Vote.legislator_id)
        .subquery("tallies")
    )


def rows(scorecard_id: int, day, *, chamber_id=None, group_id=None, district=None, sort="score") -> list[ScoreRow]:
    t = tallies(scorecard_id)
    chamber = (select(Chamber.name).join(SeatMembership, SeatMembership.chamber_id == Chamber.id)
               .where(SeatMembership.legislator_id == Legislator.id, active_on(SeatMembership, day))
               .order_by(SeatMembership.id.desc()).limit(1).correlate(Legislator).scalar_subquery())
    group = (select(Group.name).join(GroupMembership, GroupMembership.group_id == Group.id)
             .where(GroupMembership.legislator_id == Legislator.id, Group.kind == "bancada", active_on(GroupMembership, day))
             .order_by(GroupMembership.id.desc()).limit(1).correlate(Legislator).scalar_subquery())
    statement = (select(Legislator.id, Legislator.sort_name, Legislator.district, chamber, group, t.c.our_way, t.c.cast,
                        t.c.absences).join(t, t.c.legislator_id == Legislator.id))
    if chamber_id:
        statement = statement.where(exists().where(and_(SeatMembership.legislator_id == Legislator.id,
                                                        SeatMembership.chamber_id == chamber_id, active_on(SeatMembership, day))))
    if group_id:
        statement = statement.where(exists().where(and_(GroupMembership.legislator_id == Legislator.id,
                                                        GroupMembership.group_id == group_id, active_on(GroupMembership, day))))
    if district:
        statement = statement.where(Legislator.district == district)
    result = [ScoreRow(*row[:5], int(row[5] or 0), int(row[6] or 0), int(row[7] or 0)) for row in db.session.execute(statement)]
    keys = {
        "score": lambda r: (r.score is None, -(r.score or 0), r.name),
        "name": lambda r: r.name, "district": lambda r: (r.district or "~", r.name),
        "chamber": lambda r: (r.chamber or "~", r.name), "group": lambda r: (r.group or "~", r.name),
        "absences": lambda r: (-r.absences, r.name),
    }
    return sorted(result, key=keys.get(sort, keys["score"]))


def scorecard(scorecard_id: int):
    return db.session.get(Scorecard, scorecard_id)


def scorecard_list():
    # Each card shows its number of votes.
    return db.session.execute(select(Scorecard).options(selectinload(Scorecard.items))
                              .order_by(Scorecard.created_at.desc(), Scorecard.id.desc())).scalars().all()


def for_legislator(legislator_id: int):
    """Every scorecard with this legislator's tally: (Scorecard, our_way, cast, absences), one statement."""
    t = (select(ScorecardItem.scorecard_id.label("sid"), *_tally_columns())
         .join(Vote, Vote.vote_event_id == ScorecardItem.vote_event_id)
         .where(Vote.legislator_id == legislator_id).group_by(ScorecardItem.scorecard_id).subquery())
    return db.session.execute(
        select(Scorecard, t.c.our_way, t.c.cast, t.c.absences).join(t, t.c.sid == Scorecard.id).order_by(Scorecard.name)
    ).all()


def filter_choices(day):
    """Chambers, bancadas and districts of the members sitting today, for the scorecard filters."""
    chambers = db.session.execute(select(Chamber.id, Chamber.name).order_by(Chamber.id)).all()
    groups = db.session.execute(select(Group.id, Group.name).where(Group.kind == "bancada").order_by(Group.name)).all()
    districts = db.session.execute(select(Legislator.district).where(Legislator.district.is_not(None))
                                   .distinct().order_by(Legislator.district)).scalars().all()
    return chambers, groups, districts
