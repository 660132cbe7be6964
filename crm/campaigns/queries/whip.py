"""The whip count of one stage: members with their as-of stance, breakdowns and targets."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Date, String, and_, bindparam, cast, func, select, true
from sqlalchemy.orm import aliased

from crm.accounts.models import PartnerOrganisation, User
from crm.campaigns import stance, votemath
from crm.campaigns.models import PERSUADABLE, STANCE_LEVELS, Campaign, VoteStage
from crm.campaigns.queries.common import (
    FIELD_SEP,
    ITEM_SEP,
    ROLE_RANK,
    SA,
    Body,
    _members_of,
    _params,
    _prebuilt,
    _Tallied,
    likely_of,
)
from crm.campaigns.queries.stages import needed_for
from crm.core.types import UTCDateTime
from crm.extensions import db
from crm.legislature.models import (
    Committee,
    CommitteeMembership,
    Group,
    GroupMembership,
    Legislator,
    active_on,
)

# Built once: an alias made per call costs its column adaptation again on every request.
GROUP_LINK = aliased(GroupMembership, name="group_link")
LEAD_LINK = aliased(CommitteeMembership, name="lead_link")
OWNER_PARTNER = aliased(PartnerOrganisation, name="owner_partner")

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
    # "id<RS>name<US>id<RS>name…": each member's committees in the body's chamber, for the committee breakdown.
    packed_committees = func.aggregate_strings(cast(Committee.id, String) + FIELD_SEP + Committee.name, ITEM_SEP)
    (contact, contact_key), (next_due, next_due_key) = _member_activity(cutoff)
    committees = (
        select(CommitteeMembership.legislator_id, packed_committees.label("value"))
        .join(Committee, Committee.id == CommitteeMembership.committee_id)
        .where(Committee.chamber_id == bindparam("chamber_id"), active_on(CommitteeMembership, day))
    )
    joins = []
    if set_based:
        # The latest stance and the committees, per member through LATERAL + index (LIMIT 1 for the stance);
        # contact and next task as grouped aggregates over the members, hash-joined once.
        latest = stance.latest_lateral(campaign_id, lid, cutoff)
        stance_cols = [latest.c.level, latest.c.commitment, latest.c.confidence, latest.c.assessed_at]
        joins.append((latest, true()))
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
        joins.append((SA, SA.id == stance.latest_id(campaign_id, lid, cutoff, members)))
        extra_cols = [
            query.with_only_columns(query.selected_columns.value).where(key == lid).correlate(members).scalar_subquery()
            for query, key in (
                (contact, contact_key),
                (next_due, next_due_key),
                *([(committees, CommitteeMembership.legislator_id)] if with_committees else []),
            )
        ]
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
            OWNER_PARTNER.name,
            LEAD_LINK.role,
            *extra_cols,
        )
        .select_from(members)
        .join(Legislator, Legislator.id == lid)
    )
    for target, condition in joins:
        statement = statement.outerjoin(target, condition)
    return (
        statement.outerjoin(
            GROUP_LINK,
            and_(GROUP_LINK.legislator_id == lid, GROUP_LINK.group_id.in_(bancadas), active_on(GROUP_LINK, day)),
        )
        .outerjoin(Group, Group.id == GROUP_LINK.group_id)
        .outerjoin(
            LEAD_LINK,
            and_(LEAD_LINK.legislator_id == lid, LEAD_LINK.committee_id.in_(lead_committees), active_on(LEAD_LINK, day)),
        )
        .outerjoin(User, User.id == Legislator.owner_user_id)
        .outerjoin(OWNER_PARTNER, OWNER_PARTNER.id == Legislator.owner_partner_id)
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
