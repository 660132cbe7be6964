"""The data behind the daily digest and the weekly summary, for all recipients at once.

Each builder runs a fixed number of SQL statements whatever the number of users, tasks or legislators:
it fetches every recipient's rows in one query per kind of row and sorts them out in Python.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select, union_all

from crm.accounts.models import User
from crm.campaigns import stance
from crm.campaigns.models import LEVEL_SCORE, STANCE_LEVELS, Campaign
from crm.core.time import local_day_bounds, local_today
from crm.extensions import db
from crm.legislature.models import Chamber, Legislator, SeatMembership, active_on
from crm.outreach.models import Interaction, Task, interaction_legislators, interaction_staff
from crm.outreach.queries import cold_candidates, went_cold

COLD_LIMIT = 10


@dataclass
class TaskLine:
    id: int
    title: str
    due_at: datetime
    priority: str
    legislator: str | None


@dataclass
class MeetingLine:
    id: int
    kind: str
    starts_at: datetime
    place: str | None
    legislators: list[str] = field(default_factory=list)


@dataclass
class ColdLine:
    legislator_id: int
    legislator: str
    campaign: str
    level: str | None
    last_contact: datetime | None


@dataclass
class Digest:
    day: object
    overdue: list[TaskLine] = field(default_factory=list)
    today: list[TaskLine] = field(default_factory=list)
    meetings: list[MeetingLine] = field(default_factory=list)
    going_cold: list[ColdLine] = field(default_factory=list)
    going_cold_total: int = 0


def going_cold_rows(now: datetime) -> list[tuple]:
    """Every target of every active campaign gone cold: the going-cold page's rule, for all campaigns at once.

    One query; sitting is judged on the organisation's local day (the digest goes to everyone at once).
    """
    cold = cold_candidates(now, local_today(None, now))
    statement = (
        select(Campaign.name, cold.c.going_cold_days, Legislator.id, Legislator.full_name, Legislator.owner_user_id,
               cold.c.level, cold.c.last_contact)
        .select_from(cold)
        .join(Campaign, Campaign.id == cold.c.campaign_id)
        .join(Legislator, Legislator.id == cold.c.legislator_id)
        .where(Campaign.status == "active")
    )
    rows = []
    for name, days, legislator_id, full_name, owner_id, level, last in db.session.execute(statement):
        if went_cold(last, now, days):
            rows.append((owner_id, ColdLine(legislator_id, full_name, name, level, last)))
    return rows


def build_digests(users: list[User], now: datetime) -> dict[int, Digest]:
    """The digest of each given user for their local today. Four queries in all."""
    if not users:
        return {}
    ids = [user.id for user in users]
    digests = {user.id: Digest(day=local_today(user.timezone, now)) for user in users}
    bounds = {user.id: local_day_bounds(digests[user.id].day, user.timezone) for user in users}
    earliest = min(start for start, _end in bounds.values())
    latest = max(end for _start, end in bounds.values())

    tasks = db.session.execute(
        select(Task.id, Task.title, Task.due_at, Task.priority, Task.assignee_id, Legislator.full_name)
        .outerjoin(Legislator, Legislator.id == Task.legislator_id)
        .where(Task.status == "open", Task.assignee_id.in_(ids), Task.due_at.is_not(None), Task.due_at < latest)
        .order_by(Task.due_at, Task.id)
    )
    for task_id, title, due_at, priority, assignee_id, legislator in tasks:
        line = TaskLine(task_id, title, due_at, priority, legislator)
        if due_at < now:
            digests[assignee_id].overdue.append(line)
        elif due_at < bounds[assignee_id][1]:
            digests[assignee_id].today.append(line)

    participants = union_all(
        select(interaction_staff.c.interaction_id, interaction_staff.c.user_id.label("user_id")),
        select(Interaction.id, Interaction.author_id.label("user_id")),
    ).subquery()
    meetings = db.session.execute(
        select(Interaction.id, Interaction.kind, Interaction.starts_at, Interaction.place, participants.c.user_id)
        .join(participants, participants.c.interaction_id == Interaction.id)
        .where(
            participants.c.user_id.in_(ids),
            Interaction.deleted_at.is_(None),
            Interaction.kind != "email",
            Interaction.starts_at >= earliest,
            Interaction.starts_at < latest,
        )
        .distinct()
        .order_by(Interaction.starts_at, Interaction.id)
    ).all()
    lines: dict[int, list[MeetingLine]] = defaultdict(list)
    for interaction_id, kind, starts_at, place, user_id in meetings:
        start, end = bounds[user_id]
        if start <= starts_at < end:
            line = MeetingLine(interaction_id, kind, starts_at, place)
            digests[user_id].meetings.append(line)
            lines[interaction_id].append(line)
    if lines:
        names = db.session.execute(
            select(interaction_legislators.c.interaction_id, Legislator.full_name)
            .join(Legislator, Legislator.id == interaction_legislators.c.legislator_id)
            .where(interaction_legislators.c.interaction_id.in_(list(lines)))
            .order_by(Legislator.sort_name)
        )
        for interaction_id, name in names:
            for line in lines[interaction_id]:
                line.legislators.append(name)

    managers = {user.id for user in users if user.is_manager}
    cold = going_cold_rows(now)
    # Oldest contact first; never contacted at all comes before everyone.
    cold.sort(key=lambda item: (item[1].last_contact is not None, item[1].last_contact or now, item[1].legislator))
    for owner_id, line in cold:
        # Officers see the targets they own; directors also see the ones nobody owns.
        recipients = [owner_id] if owner_id in digests else []
        if owner_id is None:
            recipients = list(managers)
        for user_id in recipients:
            digest = digests[user_id]
            digest.going_cold_total += 1
            if len(digest.going_cold) < COLD_LIMIT:
                digest.going_cold.append(line)
    return digests


@dataclass
class Mover:
    legislator: str
    campaign: str
    before: str | None
    after: str
    delta: int


@dataclass
class CampaignMovement:
    name: str
    before: dict
    after: dict

    @property
    def rows(self):
        """(level, count a week ago, count now) for every stance level, in the whip count's order."""
        return [(level, self.before.get(level, 0), self.after.get(level, 0)) for level in STANCE_LEVELS]


@dataclass
class WeeklySummary:
    week_start: datetime
    campaigns: list[CampaignMovement]
    overdue_by_officer: list[tuple[str, int]]
    movers: list[Mover]


def _stances_of_sitting(as_of: datetime | None, today):
    """(campaign, legislator, level) as of the cutoff for everyone sitting today in the campaign's legislature."""
    stances = stance.latest_per_pair(as_of)
    sitting = (
        select(SeatMembership.legislator_id, Chamber.legislature_id)
        .join(Chamber, Chamber.id == SeatMembership.chamber_id)
        .where(active_on(SeatMembership, today))
        .distinct()
        .subquery("sitting")
    )
    return (
        select(Campaign.id, Campaign.name, stances.c.legislator_id, Legislator.full_name, stances.c.level)
        .select_from(stances)
        .join(Campaign, Campaign.id == stances.c.campaign_id)
        .join(Legislator, Legislator.id == stances.c.legislator_id)
        .join(
            sitting,
            and_(
                sitting.c.legislator_id == stances.c.legislator_id,
                or_(Campaign.legislature_id.is_(None), sitting.c.legislature_id == Campaign.legislature_id),
            ),
        )
        .where(Campaign.status == "active")
        .distinct()
    )


def build_weekly(now: datetime, *, movers: int = 10) -> WeeklySummary:
    """Whip-count movement over the last seven days, overdue tasks per officer, biggest movers. Three queries."""
    week_start = now - timedelta(days=7)
    today = local_today(None, now)
    after = {(c, leg): (cname, name, level)
             for c, cname, leg, name, level in db.session.execute(_stances_of_sitting(None, today))}
    before = {(c, leg): level
              for c, _cname, leg, _name, level in db.session.execute(_stances_of_sitting(week_start, today))}

    counts_after: dict[str, Counter] = defaultdict(Counter)
    counts_before: dict[str, Counter] = defaultdict(Counter)
    moved = []
    for (campaign_id, legislator_id), (campaign, name, level) in after.items():
        counts_after[campaign][level] += 1
        old = before.get((campaign_id, legislator_id))
        if old is not None:
            counts_before[campaign][old] += 1
        delta = LEVEL_SCORE.get(level, 0) - LEVEL_SCORE.get(old or "unknown", 0)
        if old != level and delta:
            moved.append(Mover(name, campaign, old, level, delta))
    moved.sort(key=lambda m: (-abs(m.delta), -m.delta, m.legislator))
    campaigns = [
        CampaignMovement(name, dict(counts_before[name]), dict(counts_after[name])) for name in sorted(counts_after)
    ]

    overdue = db.session.execute(
        select(User.name, func.count(Task.id))
        .join(Task, Task.assignee_id == User.id)
        .where(Task.status == "open", Task.due_at < now)
        .group_by(User.id, User.name)
        .order_by(func.count(Task.id).desc(), User.name)
    ).all()
    return WeeklySummary(week_start, campaigns, [(n, c) for n, c in overdue], moved[:movers])
