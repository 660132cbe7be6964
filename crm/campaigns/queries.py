"""Read side of the campaigns domain: every page costs a constant number of statements.

The current (or "as of") stance of a legislator is its latest assessment before a cutoff. The whip page finds it
per member with a correlated "latest id" subquery on the (campaign, legislator, time) index, inside its single
member statement; the campaign list uses one row_number() window over every campaign's assessments.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Date, String, and_, bindparam, cast, func, literal, or_, select, true, union_all
from sqlalchemy.orm import aliased

from crm.accounts.models import PartnerOrganisation, User
from crm.campaigns import votemath
from crm.campaigns.models import STANCE_LEVELS, Campaign, CampaignPartnerAccess, StanceAssessment, VoteStage
from crm.core.types import UTCDateTime
from crm.extensions import db
from crm.legislature.models import (
    Chamber,
    Committee,
    CommitteeMembership,
    Group,
    GroupMembership,
    Legislator,
    Legislature,
    SeatMembership,
)

SECURED = ("champion", "supporter")
LIKELY = ("champion", "supporter", "leaning_yes")
PERSUADABLE = ("leaning_yes", "undecided", "leaning_no", "unknown")
LEVEL_RANK = {level: i for i, level in enumerate(STANCE_LEVELS)}
ROLE_RANK = {"chair": 0, "vice_chair": 1, "secretary": 2, "member": 3}  # unknown roles rank with members
TREND_WEEKS = 12


def secured_of(counts) -> int:
    """Votes secured (champion + supporter) in a per-level count."""
    return sum(counts[lv] for lv in SECURED)


def likely_of(counts) -> int:
    """Votes likely (secured + leaning yes) in a per-level count."""
    return sum(counts[lv] for lv in LIKELY)


class _Tallied:
    """secured/likely for a dataclass that holds a per-level `counts`."""

    @property
    def secured(self) -> int:
        return secured_of(self.counts)

    @property
    def likely(self) -> int:
        return likely_of(self.counts)


SA = StanceAssessment


# --- small SQL building blocks -------------------------------------------------------------------------


def _active_on(model, day: date):
    return and_(
        or_(model.start_date.is_(None), model.start_date <= day),
        or_(model.end_date.is_(None), model.end_date >= day),
    )


@dataclass
class Body:
    """Who votes at a stage: a chamber (legal seats) or a committee (its sitting members)."""

    stage: VoteStage
    chamber_id: int | None
    chamber_name: str | None
    legal_seats: int | None
    committee_name: str | None

    @property
    def name(self) -> str:
        return self.committee_name or self.chamber_name or ""


def _members_subquery(stage: VoteStage, day):
    return _members_of(bool(stage.committee_id), stage.committee_id or stage.chamber_id or -1, day)


def _members_of(committee: bool, body_id, day):
    """(legislator_id, district) of a body's sitting members on `day` (values or bind parameters).

    No GROUP BY here, so the chamber/committee index drives the scan; a legislator listed twice
    (overlapping memberships in bad data) is de-duplicated by the caller.
    """
    if committee:
        return (
            select(CommitteeMembership.legislator_id.label("legislator_id"), literal(None).label("district"))
            .where(CommitteeMembership.committee_id == body_id, _active_on(CommitteeMembership, day))
            .subquery("members")
        )
    return (
        select(SeatMembership.legislator_id.label("legislator_id"), SeatMembership.district.label("district"))
        .where(SeatMembership.chamber_id == body_id, _active_on(SeatMembership, day))
        .subquery("members")
    )


# Statements for the whip page are built once per shape with bind parameters: building a large select()
# costs several times more CPU than SQLite takes to run it, and the page must stay cheap.
_STATEMENTS: dict = {}


def _prebuilt(key, build):
    statement = _STATEMENTS.get(key)
    if statement is None:
        statement = _STATEMENTS[key] = build()
    return statement


FIELD_SEP, ITEM_SEP = "\x1e", "\x1f"  # ASCII record/unit separators: never part of a committee name


def _params(campaign_id, stage, day, cutoff, chamber_id=None):
    return {
        "campaign_id": campaign_id,
        "body_id": stage.committee_id or stage.chamber_id or -1,
        "chamber_id": chamber_id or -1,
        "day": day,
        "cutoff": cutoff,
    }


def latest_assessment_id(campaign_id: int, legislator_id_column, cutoff: datetime | None, *correlate_with):
    """Correlated subquery: id of the latest assessment (by time, then id) of one legislator before `cutoff`.

    The "max" variant of the current-stance lookup. Its ORDER BY matches the (campaign, legislator, time)
    index, so each member costs one index probe and the whole page stays one statement.
    """
    query = select(SA.id).where(SA.campaign_id == campaign_id, SA.legislator_id == legislator_id_column)
    if cutoff is not None:
        query = query.where(SA.assessed_at < cutoff)
    return (
        query.order_by(SA.assessed_at.desc(), SA.id.desc()).limit(1).correlate(*correlate_with).scalar_subquery()
    )


# --- campaigns and stages ------------------------------------------------------------------------------


def get_campaign(campaign_id: int) -> Campaign | None:
    return db.session.get(Campaign, campaign_id)


def _stages_statement():
    committee_chamber = aliased(Chamber)
    return (
        select(
            Campaign, VoteStage, Chamber.name, Chamber.seats, Committee.name, Committee.chamber_id, committee_chamber.name
        )
        .outerjoin(VoteStage, VoteStage.campaign_id == Campaign.id)
        .outerjoin(Chamber, Chamber.id == VoteStage.chamber_id)
        .outerjoin(Committee, Committee.id == VoteStage.committee_id)
        .outerjoin(committee_chamber, committee_chamber.id == Committee.chamber_id)
        .where(Campaign.id == bindparam("campaign_id"))
        .order_by(VoteStage.position, VoteStage.id)
    )


def campaign_with_bodies(campaign_id: int) -> tuple[Campaign | None, list[Body]]:
    """The campaign and its stages in order, each with the chamber or committee it targets (one statement)."""
    rows = db.session.execute(_prebuilt("stages", _stages_statement), {"campaign_id": campaign_id}).all()
    if not rows:
        return None, []
    return rows[0][0], _bodies([row[1:] for row in rows if row[1] is not None])


def _bodies(rows) -> list[Body]:
    bodies = []
    for stage, chamber_name, seats, committee_name, committee_chamber_id, committee_chamber_name in rows:
        if stage.committee_id:
            bodies.append(Body(stage, committee_chamber_id, committee_chamber_name, None, committee_name))
        else:
            bodies.append(Body(stage, stage.chamber_id, chamber_name, seats, None))
    return bodies


def needed_for(stage: VoteStage, seats: int) -> int:
    return votemath.votes_needed(
        stage.rule_kind,
        seats,
        attendance_pct=stage.expected_attendance_pct,
        numerator=stage.fraction_numerator,
        denominator=stage.fraction_denominator,
        fixed=stage.fixed_votes,
    )


def headline_stage(stages: list[VoteStage], today: date) -> VoteStage | None:
    """The next stage still to be voted, or the last one."""
    for stage in stages:
        if stage.target_date is None or stage.target_date >= today:
            return stage
    return stages[-1] if stages else None


@dataclass
class Headline:
    stage: VoteStage | None
    members: int = 0
    seats: int = 0
    secured: int = 0
    likely: int = 0
    needed: int = 0

    @property
    def gap(self) -> int:
        return votemath.gap(self.needed, self.secured)


def campaign_index(today: date) -> list[tuple[Campaign, Headline]]:
    """All campaigns with the count of their next stage; three statements whatever the numbers."""
    campaigns = db.session.execute(select(Campaign).order_by(Campaign.status, Campaign.name)).scalars().all()
    if not campaigns:
        return []
    stage_rows = db.session.execute(
        select(VoteStage, Chamber.seats)
        .outerjoin(Chamber, Chamber.id == VoteStage.chamber_id)
        .where(VoteStage.campaign_id.in_([c.id for c in campaigns]))
        .order_by(VoteStage.campaign_id, VoteStage.position, VoteStage.id)
    ).all()
    by_campaign: dict[int, list[VoteStage]] = defaultdict(list)
    seats_of: dict[int, int | None] = {}
    for stage, seats in stage_rows:
        by_campaign[stage.campaign_id].append(stage)
        seats_of[stage.id] = seats
    heads = {c.id: headline_stage(by_campaign[c.id], today) for c in campaigns}
    chamber_stages = [s.id for s in heads.values() if s is not None and not s.committee_id]
    committee_stages = [s.id for s in heads.values() if s is not None and s.committee_id]
    counts: dict[int, Counter] = defaultdict(Counter)
    # Each headline stage's sitting members: chamber seats or committee places.
    parts = [
        select(
            VoteStage.id.label("stage_id"),
            VoteStage.campaign_id.label("campaign_id"),
            link.legislator_id.label("legislator_id"),
        )
        .join(link, on)
        .where(VoteStage.id.in_(stage_ids), _active_on(link, today))
        for stage_ids, link, on in (
            (chamber_stages, SeatMembership, SeatMembership.chamber_id == VoteStage.chamber_id),
            (committee_stages, CommitteeMembership, CommitteeMembership.committee_id == VoteStage.committee_id),
        )
        if stage_ids
    ]
    if parts:
        members = (union_all(*parts) if len(parts) > 1 else parts[0]).subquery("members")
        ranked = (
            select(
                SA.campaign_id,
                SA.legislator_id,
                SA.level,
                func.row_number()
                .over(partition_by=(SA.campaign_id, SA.legislator_id), order_by=(SA.assessed_at.desc(), SA.id.desc()))
                .label("rn"),
            )
            .where(SA.campaign_id.in_([c.id for c in campaigns]))
            .subquery("ranked")
        )
        rows = db.session.execute(
            select(members.c.stage_id, ranked.c.level, func.count())
            .select_from(members)
            .outerjoin(
                ranked,
                and_(
                    ranked.c.campaign_id == members.c.campaign_id,
                    ranked.c.legislator_id == members.c.legislator_id,
                    ranked.c.rn == 1,
                ),
            )
            .group_by(members.c.stage_id, ranked.c.level)
        ).all()
        for stage_id, level, n in rows:
            counts[stage_id][level or "unknown"] += n
    result = []
    for campaign in campaigns:
        stage = heads[campaign.id]
        headline = Headline(stage)
        if stage is not None:
            c = counts[stage.id]
            headline.members = sum(c.values())
            headline.seats = seats_of.get(stage.id) or headline.members
            headline.secured = secured_of(c)
            headline.likely = likely_of(c)
            headline.needed = needed_for(stage, headline.seats)
        result.append((campaign, headline))
    return result


# --- the whip count -----------------------------------------------------------------------------------


@dataclass(slots=True)
class Member:
    id: int
    name: str
    sort_name: str
    district: str | None
    group_id: int | None
    group_name: str | None
    group_abbr: str | None
    level: str
    commitment: str | None
    confidence: int | None
    assessed_at: datetime | None
    owner_user_id: int | None
    owner_user: str | None
    owner_partner_id: int | None
    owner_partner: str | None
    lead_role: str | None
    last_contact: datetime | None
    next_task_due: datetime | None

    @property
    def owner(self) -> str | None:
        return self.owner_user or self.owner_partner


@dataclass
class Breakdown(_Tallied):
    key: str
    label: str
    counts: Counter = field(default_factory=Counter)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


@dataclass
class WhipCount(_Tallied):
    campaign: Campaign
    body: Body
    as_of: date
    members: list[Member]
    counts: Counter
    seats: int
    needed: int
    projection: votemath.Projection
    by_group: list[Breakdown] = field(default_factory=list)
    by_district: list[Breakdown] = field(default_factory=list)
    by_committee: list[Breakdown] = field(default_factory=list)

    @property
    def gap_secured(self) -> int:
        return votemath.gap(self.needed, self.secured)

    @property
    def gap_likely(self) -> int:
        return votemath.gap(self.needed, self.likely)


# Each member's last contact and next open task come from outreach, which sits above campaigns: outreach
# registers their builder here when it loads (crm.outreach.activity), so this module never imports it.
_MEMBER_ACTIVITY: dict = {}


def register_member_activity(builder) -> None:
    """builder(cutoff) -> ((select, key column) of the last contact, (select, key column) of the next open task).

    Each select has the legislator key column and a "value" column; the whip statement groups or correlates it.
    """
    _MEMBER_ACTIVITY["builder"] = builder


def _member_activity(cutoff):
    builder = _MEMBER_ACTIVITY.get("builder")
    if builder is None:
        raise RuntimeError("crm.outreach is not loaded: the whip count needs its contact and task subqueries")
    return builder(cutoff)


def _member_rows(
    campaign_id: int, stage: VoteStage, day: date, cutoff: datetime, chamber_id: int | None, with_committees: bool
):
    committee = bool(stage.committee_id)
    # PostgreSQL plans set-based joins best; SQLite runs per-member index probes best (see _member_statement).
    set_based = db.session.get_bind().dialect.name == "postgresql"
    statement = _prebuilt(
        ("members", committee, set_based, with_committees),
        lambda: _member_statement(committee, set_based, with_committees),
    )
    # A Core execution on the session's connection: same transaction, less per-row work than the ORM path.
    return db.session.connection().execute(statement, _params(campaign_id, stage, day, cutoff, chamber_id)).all()


def _member_statement(committee: bool, set_based: bool = False, with_committees: bool = True):
    """One statement: each member with its as-of stance, bancada, lead role, last contact, next task and committees.

    The cost follows the size of the voting body, never the size of the database, in one of two shapes:
    - per member (SQLite): correlated subqueries, each one index probe per member;
    - PostgreSQL: LATERAL joins for the latest stance (index scan, LIMIT 1) and the committees, and grouped
      aggregates hash-joined once for contact and tasks (its planner otherwise hashes the whole assessments
      table, or re-scans small tables once per member).
    """
    day = bindparam("day", type_=Date())
    cutoff = bindparam("cutoff", type_=UTCDateTime())
    campaign_id = bindparam("campaign_id")
    members = _members_of(committee, bindparam("body_id"), day)
    lid = members.c.legislator_id
    member_ids = select(members.c.legislator_id)
    # Bancada and lead-committee role are plain outer joins; a legislator with two overlapping rows
    # (bad data, or two lead committees) comes back twice and the caller keeps one.
    bancadas = select(Group.id).where(Group.kind == "bancada")
    # Committee leads: the stage's own committee, or (for a floor vote) every committee stage of the campaign.
    lead_committees = (
        select(bindparam("body_id"))
        if committee
        else select(VoteStage.committee_id).where(VoteStage.campaign_id == campaign_id, VoteStage.committee_id.is_not(None))
    )
    group_link = aliased(GroupMembership)
    lead_link = aliased(CommitteeMembership)
    # "id<RS>name<US>id<RS>name…": each member's committees in the body's chamber, for the committee breakdown.
    packed_committees = func.aggregate_strings(cast(Committee.id, String) + FIELD_SEP + Committee.name, ITEM_SEP)
    (contact, contact_key), (next_due, next_due_key) = _member_activity(cutoff)
    committees = (
        select(CommitteeMembership.legislator_id, packed_committees.label("value"))
        .join(Committee, Committee.id == CommitteeMembership.committee_id)
        .where(Committee.chamber_id == bindparam("chamber_id"), _active_on(CommitteeMembership, day))
    )
    joins = []
    if set_based:
        # The latest stance and the committees, per member through LATERAL + index (LIMIT 1 for the stance);
        # contact and next task as grouped aggregates over the members, hash-joined once.
        stance = (
            select(SA.level, SA.commitment, SA.confidence, SA.assessed_at)
            .where(SA.campaign_id == campaign_id, SA.legislator_id == lid, SA.assessed_at < cutoff)
            .order_by(SA.assessed_at.desc(), SA.id.desc())
            .limit(1)
            .lateral("stance")
        )
        stance_cols = [stance.c.level, stance.c.commitment, stance.c.confidence, stance.c.assessed_at]
        joins.append((stance, true()))
        extra_cols = []
        for name, query, key in (
            ("contact", contact, contact_key),
            ("next_due", next_due, next_due_key),
        ):
            grouped = query.where(key.in_(member_ids)).group_by(key).subquery(name)
            extra_cols.append(grouped.c.value)
            joins.append((grouped, grouped.c[key.name] == lid))
        if with_committees:
            member_committees = (
                committees.with_only_columns(committees.selected_columns.value)
                .where(CommitteeMembership.legislator_id == lid)
                .lateral("member_committees")
            )
            extra_cols.append(member_committees.c.value)
            joins.append((member_committees, true()))
    else:
        stance_cols = [SA.level, SA.commitment, SA.confidence, SA.assessed_at]
        joins.append((SA, SA.id == latest_assessment_id(campaign_id, lid, cutoff, members)))
        extra_cols = [
            query.with_only_columns(query.selected_columns.value).where(key == lid).correlate(members).scalar_subquery()
            for query, key in (
                (contact, contact_key),
                (next_due, next_due_key),
                *([(committees, CommitteeMembership.legislator_id)] if with_committees else []),
            )
        ]
    owner_partner = aliased(PartnerOrganisation)
    statement = (
        select(
            Legislator.id,
            Legislator.full_name,
            Legislator.sort_name,
            func.coalesce(members.c.district, Legislator.district),
            Group.id,
            Group.name,
            Group.abbreviation,
            *stance_cols,
            Legislator.owner_user_id,
            User.name,
            Legislator.owner_partner_id,
            owner_partner.name,
            lead_link.role,
            *extra_cols,
        )
        .select_from(members)
        .join(Legislator, Legislator.id == lid)
    )
    for target, condition in joins:
        statement = statement.outerjoin(target, condition)
    return (
        statement.outerjoin(
            group_link,
            and_(group_link.legislator_id == lid, group_link.group_id.in_(bancadas), _active_on(group_link, day)),
        )
        .outerjoin(Group, Group.id == group_link.group_id)
        .outerjoin(
            lead_link,
            and_(lead_link.legislator_id == lid, lead_link.committee_id.in_(lead_committees), _active_on(lead_link, day)),
        )
        .outerjoin(User, User.id == Legislator.owner_user_id)
        .outerjoin(owner_partner, owner_partner.id == Legislator.owner_partner_id)
    )


def whip_count(
    campaign: Campaign,
    body: Body,
    as_of: date,
    cutoff: datetime | None,
    *,
    breakdowns: tuple[str, ...] = (),
) -> WhipCount:
    """The count for one stage on one day, with the breakdowns asked for ("group", "district", "committee")."""
    stage = body.stage
    with_committees = "committee" in breakdowns
    rows = _member_rows(campaign.id, stage, as_of, cutoff, body.chamber_id, with_committees)
    members = []
    member_committees: dict[int, str] = {}
    seen: dict[int, Member] = {}
    for r in rows:
        known = seen.get(r[0])
        if known is not None:
            # Duplicate row from a second committee seat: keep the most senior role.
            if ROLE_RANK.get(r[15], 3) < ROLE_RANK.get(known.lead_role, 4):
                known.lead_role = r[15]
            continue
        seen[r[0]] = member = (
            Member(
                id=r[0], name=r[1], sort_name=r[2], district=r[3], group_id=r[4], group_name=r[5], group_abbr=r[6],
                level=r[7] or "unknown", commitment=r[8], confidence=r[9], assessed_at=r[10],
                owner_user_id=r[11], owner_user=r[12], owner_partner_id=r[13], owner_partner=r[14],
                lead_role=r[15], last_contact=r[16], next_task_due=r[17],
            )
        )
        members.append(member)
        if with_committees and r[18]:
            member_committees[member.id] = r[18]
    counts = Counter({lv: 0 for lv in STANCE_LEVELS})
    counts.update(m.level for m in members)
    seats = body.legal_seats or len(members)
    likely = likely_of(counts)
    projection = votemath.project(
        stage.rule_kind,
        seats,
        likely,
        attendance_pct=stage.expected_attendance_pct,
        numerator=stage.fraction_numerator,
        denominator=stage.fraction_denominator,
        fixed=stage.fixed_votes,
    )
    count = WhipCount(
        campaign=campaign, body=body, as_of=as_of, members=members, counts=counts, seats=seats,
        needed=needed_for(stage, seats), projection=projection,
    )
    if "group" in breakdowns:
        count.by_group = _breakdown(members, lambda m: (str(m.group_id or ""), m.group_name))
    if "district" in breakdowns:
        count.by_district = _breakdown(members, lambda m: (m.district or "", m.district))
    if with_committees:
        count.by_committee = _committee_breakdown(members, member_committees)
    return count


def _tally(entries) -> list[Breakdown]:
    """One Breakdown per key from (key, label, level) entries, in first-seen order."""
    rows: dict[str, Breakdown] = {}
    for key, label, level in entries:
        row = rows.get(key)
        if row is None:
            row = rows[key] = Breakdown(key, label or "")
        row.counts[level] += 1
    return list(rows.values())


def _breakdown(members: list[Member], key) -> list[Breakdown]:
    rows = _tally((*key(m), m.level) for m in members)
    return sorted(rows, key=lambda b: (not b.label, -b.total, b.label))


def _committee_entries(members: list[Member], member_committees: dict[int, str]):
    for m in members:
        packed = member_committees.get(m.id)
        if packed:
            for item in set(packed.split(ITEM_SEP)):
                key, _sep, name = item.partition(FIELD_SEP)
                yield key, name, m.level


def _committee_breakdown(members: list[Member], member_committees: dict[int, str]) -> list[Breakdown]:
    return sorted(_tally(_committee_entries(members, member_committees)), key=lambda b: b.label)


def targets(members: list[Member], *, owner_user_id=None, owner_partner_id=None) -> list[Member]:
    """Persuadables ranked: committee leads first, closest to yes next, then the longest without contact."""
    never = datetime.min.replace(tzinfo=None)
    picked = [
        m
        for m in members
        if m.level in PERSUADABLE
        and (owner_user_id is None or m.owner_user_id == owner_user_id)
        and (owner_partner_id is None or m.owner_partner_id == owner_partner_id)
    ]
    return sorted(
        picked,
        key=lambda m: (
            ROLE_RANK.get(m.lead_role, 3) if m.lead_role else 4,
            PERSUADABLE.index(m.level),
            m.last_contact.replace(tzinfo=None) if m.last_contact else never,
            m.sort_name,
        ),
    )


def owners(members: list[Member]) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """Owner users and partner organisations present in the list, for the filter."""
    users = {m.owner_user_id: m.owner_user for m in members if m.owner_user_id}
    partners = {m.owner_partner_id: m.owner_partner for m in members if m.owner_partner_id}
    return sorted(users.items(), key=lambda x: x[1] or ""), sorted(partners.items(), key=lambda x: x[1] or "")


def week_cutoffs(as_of_cutoff: datetime, weeks: int = TREND_WEEKS) -> list[datetime]:
    """Instants at the end of each of the last `weeks` weeks, the last one being the "as of" cutoff."""
    return [as_of_cutoff - timedelta(weeks=weeks - 1 - i) for i in range(weeks)]


def trend(campaign_id: int, stage: VoteStage, day: date, cutoffs: list[datetime]) -> dict[str, list[int]]:
    """Counts per level at each cutoff, for today's members of the body. One statement.

    Each (week, member) pair looks up its latest assessment through the (campaign, legislator, time) index,
    so the cost follows the body's size, not the campaign's whole history.
    """
    members = _members_subquery(stage, day)
    weeks = union_all(
        *[select(literal(i).label("week"), literal(c, UTCDateTime).label("cutoff")) for i, c in enumerate(cutoffs)]
    ).cte("weeks")
    # The level itself is the correlated value (not an id to join on), so no database can turn the lookup
    # into a scan of every assessment.
    latest_level = (
        select(SA.level)
        .where(
            SA.campaign_id == campaign_id,
            SA.legislator_id == members.c.legislator_id,
            SA.assessed_at < weeks.c.cutoff,
        )
        .order_by(SA.assessed_at.desc(), SA.id.desc())
        .limit(1)
        .correlate(members, weeks)
        .scalar_subquery()
    )
    levels = (
        select(weeks.c.week, latest_level.label("level")).select_from(weeks).join(members, true()).subquery("levels")
    )
    rows = db.session.execute(
        select(levels.c.week, levels.c.level, func.count()).group_by(levels.c.week, levels.c.level)
    ).all()
    series = {lv: [0] * len(cutoffs) for lv in STANCE_LEVELS}
    for week, level, n in rows:
        series[level or "unknown"][int(week)] += n
    return series


def current_level(campaign_id: int, legislator_id: int) -> str:
    level = db.session.execute(
        select(SA.level)
        .where(SA.campaign_id == campaign_id, SA.legislator_id == legislator_id)
        .order_by(SA.assessed_at.desc(), SA.id.desc())
        .limit(1)
    ).scalar_one_or_none()
    return level or "unknown"


# --- stance history on a legislator's profile ---------------------------------------------------------


def stance_history(legislator_id: int, campaign_ids: set[int] | None) -> list[tuple[Campaign, list]]:
    """Every assessment of one legislator, grouped by campaign, newest first; None means all campaigns."""
    query = (
        select(SA, Campaign, User.name)
        .join(Campaign, Campaign.id == SA.campaign_id)
        .outerjoin(User, User.id == SA.assessed_by_id)
        .where(SA.legislator_id == legislator_id)
        .order_by(Campaign.name, SA.assessed_at.desc(), SA.id.desc())
    )
    if campaign_ids is not None:
        query = query.where(SA.campaign_id.in_(campaign_ids or [-1]))
    grouped: dict[int, tuple[Campaign, list]] = {}
    for assessment, campaign, assessor in db.session.execute(query).all():
        grouped.setdefault(campaign.id, (campaign, []))[1].append((assessment, assessor))
    return list(grouped.values())


# --- forms' choices and the partner access page -------------------------------------------------------


def legislature_choices() -> list[tuple[int, str]]:
    rows = db.session.execute(select(Legislature.id, Legislature.name, Legislature.period_label).order_by(Legislature.start_date.desc(), Legislature.name)).all()
    return [(i, f"{n} ({p})" if p else n) for i, n, p in rows]


def body_choices(
    legislature_id: int | None, keep_chamber: int | None = None, keep_committee: int | None = None
) -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """Chambers and committees a stage can target: those of the campaign's legislature when it has one,
    plus the stage's current body, so editing a stage never silently drops it."""
    chambers = select(Chamber.id, Chamber.name, Legislature.name).join(Legislature).order_by(Legislature.name, Chamber.name)
    committees = (
        select(Committee.id, Committee.name, Chamber.name)
        .join(Chamber, Chamber.id == Committee.chamber_id)
        .order_by(Chamber.name, Committee.name)
    )
    if legislature_id:
        chambers = chambers.where(or_(Chamber.legislature_id == legislature_id, Chamber.id == (keep_chamber or -1)))
        committees = committees.where(
            or_(Chamber.legislature_id == legislature_id, Committee.id == (keep_committee or -1))
        )
    return (
        [(i, f"{n} · {leg}") for i, n, leg in db.session.execute(chambers).all()],
        [(i, f"{n} · {ch}") for i, n, ch in db.session.execute(committees).all()],
    )


def partner_access_rows(campaign_id: int) -> list[tuple[PartnerOrganisation, str]]:
    rows = db.session.execute(
        select(PartnerOrganisation, CampaignPartnerAccess.level)
        .outerjoin(
            CampaignPartnerAccess,
            and_(
                CampaignPartnerAccess.partner_organisation_id == PartnerOrganisation.id,
                CampaignPartnerAccess.campaign_id == campaign_id,
            ),
        )
        .order_by(PartnerOrganisation.name)
    ).all()
    return [(partner, level or "aggregate") for partner, level in rows]


def legislator_names(ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(db.session.execute(select(Legislator.id, Legislator.full_name).where(Legislator.id.in_(ids))).all())
