"""Read side of the legislature domain: pages cost a fixed number of statements, whatever the row count.

Semantics other domains rely on:
- a legislator *sits* in a chamber on a day when a SeatMembership is active on it (models.active_on);
- the *current* group of a kind is the GroupMembership of that kind active on the day, latest start first.
"""

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sqlalchemy import Date, and_, asc, bindparam, desc, exists, func, select
from sqlalchemy.orm import aliased, selectinload

from crm.accounts.models import PartnerOrganisation, User
from crm.core.pagination import PagedStatement, parse_page
from crm.core.permissions import STAFF_ROLES
from crm.core.text import fold
from crm.core.time import local_today
from crm.extensions import db
from crm.legislature.models import (
    Aide,
    Chamber,
    Committee,
    CommitteeMembership,
    Group,
    GroupMembership,
    ImportJob,
    Legislator,
    Legislature,
    SeatMembership,
    active_on,
)

SORTS = ("name", "-name", "district", "-district", "bancada", "-bancada", "chamber", "-chamber")
STATUSES = ("active", "former", "all")
PER_PAGE_CHOICES = (25, 50, 100)


def sitting(today=None):
    """SQL condition: the seat membership is current (`today`: a date or a bound parameter)."""
    if today is None:
        today = local_today(None)
    return active_on(SeatMembership, today)


def _int(value):
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if number > 0 else None


@dataclass
class DirectoryFilters:
    q: str = ""
    chamber: int | None = None
    group: int | None = None
    district: str = ""
    committee: int | None = None
    status: str = "active"
    owner: str = ""  # "u<id>", "p<id>" or "none"
    sort: str = "name"
    page: int = 1
    per_page: int = 25

    @classmethod
    def from_args(cls, args) -> "DirectoryFilters":
        owner = (args.get("owner") or "").strip()
        if owner != "none" and not re.fullmatch(r"[up]\d+", owner):
            owner = ""
        per_page = _int(args.get("per_page"))
        return cls(
            q=(args.get("q") or "").strip()[:200],
            chamber=_int(args.get("chamber")),
            group=_int(args.get("group")),
            district=(args.get("district") or "").strip()[:120],
            committee=_int(args.get("committee")),
            status=args.get("status") if args.get("status") in STATUSES else "active",
            owner=owner,
            sort=args.get("sort") if args.get("sort") in SORTS else "name",
            page=parse_page(args.get("page")),
            per_page=per_page if per_page in PER_PAGE_CHOICES else 25,
        )

    @property
    def menu_filtered(self) -> bool:
        """A filter from the menus is on."""
        return any((self.chamber, self.group, self.district, self.committee, self.owner, self.status != "active"))

    @property
    def active(self) -> bool:
        """Any filter is on, the search box included (the sort is not a filter)."""
        return bool(self.q) or self.menu_filtered

    @property
    def advanced(self) -> bool:
        """The menus are in use: a menu filter, or a sort other than the default."""
        return self.menu_filtered or self.sort != "name"


def _seat_exists(chamber_id, current: bool, today):
    conditions = [SeatMembership.legislator_id == Legislator.id]
    if chamber_id is not None:
        conditions.append(SeatMembership.chamber_id == chamber_id)
    if current:
        conditions.append(sitting(today))
    return exists().where(*conditions)


def _like_escape(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _current_seat_column(column, today):
    """The value from the legislator's most recent current seat (scalar subquery, one per row)."""
    return (
        select(column).select_from(SeatMembership).join(Chamber, Chamber.id == SeatMembership.chamber_id)
        .join(Legislature, Legislature.id == Chamber.legislature_id)
        .where(SeatMembership.legislator_id == Legislator.id, sitting(today))
        .order_by(SeatMembership.start_date.desc(), SeatMembership.id.desc()).limit(1)
        .correlate(Legislator).scalar_subquery()
    )


def _current_group_column(kind: str, today):
    return (
        select(Group.name).select_from(GroupMembership).join(Group, Group.id == GroupMembership.group_id)
        .where(GroupMembership.legislator_id == Legislator.id, active_on(GroupMembership, today), Group.kind == kind)
        .order_by(GroupMembership.start_date.desc(), GroupMembership.id.desc()).limit(1)
        .correlate(Legislator).scalar_subquery()
    )


@dataclass(frozen=True)
class DirectoryShape:
    """Which filters are on, not their values: one prepared statement serves every search of a shape."""

    status: str
    chamber: bool
    words: int
    group: bool
    committee: bool
    district: bool
    owner: str  # "", "none", "u" or "p"
    sort: str


def _search_words(q: str) -> list[str]:
    return fold(q).replace('"', " ").split()


def directory_shape(filters: DirectoryFilters) -> DirectoryShape:
    return DirectoryShape(
        status=filters.status, chamber=bool(filters.chamber), words=len(_search_words(filters.q)),
        group=bool(filters.group), committee=bool(filters.committee), district=bool(filters.district),
        owner=filters.owner if filters.owner in ("", "none") else filters.owner[0], sort=filters.sort,
    )


def directory_params(filters: DirectoryFilters, today: date | None = None) -> dict:
    """The values the prepared directory statement is executed with."""
    params = {
        "today": today or local_today(None), "chamber_id": filters.chamber, "group_id": filters.group,
        "committee_id": filters.committee, "district": filters.district,
        "owner_id": int(filters.owner[1:]) if filters.owner[:1] in ("u", "p") else None,
    }
    for n, word in enumerate(_search_words(filters.q)):
        params[f"word_{n}"] = f"%{_like_escape(word)}%"
    return params


@lru_cache(maxsize=256)
def directory_statement(shape: DirectoryShape) -> PagedStatement:
    """One SELECT with a row per legislator: the legislator, chamber, bancada, party and owner names.

    Built once per shape with bound values: building and fingerprinting this statement costs more than
    running it, so the directory reuses it (and its count) across requests.
    """
    today = bindparam("today", type_=Date())
    chamber_id = bindparam("chamber_id") if shape.chamber else None
    # "Senado · 2026–2031": the chamber alone does not say which term when several legislatures are loaded.
    chamber_label = Chamber.name + " · " + func.coalesce(Legislature.period_label, Legislature.name)
    chamber_name = _current_seat_column(chamber_label, today).label("chamber_name")
    bancada_name = _current_group_column("bancada", today).label("bancada_name")
    party_name = _current_group_column("party", today).label("party_name")
    owner_user = aliased(User)
    statement = (
        select(Legislator, chamber_name, bancada_name, party_name,
               owner_user.name.label("owner_user_name"), PartnerOrganisation.name.label("owner_partner_name"))
        .outerjoin(owner_user, owner_user.id == Legislator.owner_user_id)
        .outerjoin(PartnerOrganisation, PartnerOrganisation.id == Legislator.owner_partner_id)
    )
    if shape.status == "active":
        statement = statement.where(_seat_exists(chamber_id, True, today))
    elif shape.status == "former":
        statement = statement.where(_seat_exists(chamber_id, False, today), ~_seat_exists(chamber_id, True, today))
    elif shape.chamber:
        statement = statement.where(_seat_exists(chamber_id, False, today))
    for n in range(shape.words):
        statement = statement.where(Legislator.search_name.like(bindparam(f"word_{n}"), escape="\\"))
    if shape.group:
        conditions = [GroupMembership.legislator_id == Legislator.id, GroupMembership.group_id == bindparam("group_id")]
        if shape.status == "active":
            conditions.append(active_on(GroupMembership, today))
        statement = statement.where(exists().where(*conditions))
    if shape.committee:
        statement = statement.where(exists().where(
            CommitteeMembership.legislator_id == Legislator.id,
            CommitteeMembership.committee_id == bindparam("committee_id"),
            active_on(CommitteeMembership, today),
        ))
    if shape.district:
        statement = statement.where(Legislator.district == bindparam("district"))
    if shape.owner == "none":
        statement = statement.where(Legislator.owner_user_id.is_(None), Legislator.owner_partner_id.is_(None))
    elif shape.owner == "u":
        statement = statement.where(Legislator.owner_user_id == bindparam("owner_id"))
    elif shape.owner == "p":
        statement = statement.where(Legislator.owner_partner_id == bindparam("owner_id"))
    return PagedStatement(_directory_order(statement, shape.sort, chamber_label, today))


def _latest_per_legislator(statement, legislator_id, *newest_first):
    """The first row per legislator of `statement` (a `value` column): the join form of a correlated LIMIT 1.

    Sorting thousands of rows by a correlated subquery runs it once per row; one ranked pass is far cheaper.
    """
    rank = func.row_number().over(partition_by=legislator_id, order_by=newest_first).label("rank")
    ranked = statement.add_columns(rank).subquery()
    return select(ranked.c.legislator_id, ranked.c.value).where(ranked.c.rank == 1).subquery()


def _directory_order(statement, sort: str, chamber_label, today):
    key = sort.lstrip("-")
    if key == "name":
        # sort_name is never NULL: ordering on it alone lets the database walk its index and stop at the page.
        direction = desc if sort.startswith("-") else asc
        return statement.order_by(direction(Legislator.sort_name), direction(Legislator.id))
    if key == "district":
        column = Legislator.district
    else:
        # The same current bancada or seat as the row's own columns show, joined once for the whole list.
        if key == "bancada":
            current = _latest_per_legislator(
                select(GroupMembership.legislator_id, Group.name.label("value"))
                .join(Group, Group.id == GroupMembership.group_id)
                .where(active_on(GroupMembership, today), Group.kind == "bancada"),
                GroupMembership.legislator_id, GroupMembership.start_date.desc(), GroupMembership.id.desc(),
            )
        else:
            current = _latest_per_legislator(
                select(SeatMembership.legislator_id, chamber_label.label("value"))
                .join(Chamber, Chamber.id == SeatMembership.chamber_id)
                .join(Legislature, Legislature.id == Chamber.legislature_id)
                .where(sitting(today)),
                SeatMembership.legislator_id, SeatMembership.start_date.desc(), SeatMembership.id.desc(),
            )
        statement = statement.outerjoin(current, current.c.legislator_id == Legislator.id)
        column = current.c.value
    ordered = column.desc() if sort.startswith("-") else column.asc()
    # NULLs last on both databases, then a stable tie-break so pages never overlap.
    return statement.order_by(column.is_(None), ordered, Legislator.sort_name, Legislator.id)


def directory_page(filters: DirectoryFilters):
    prepared = directory_statement(directory_shape(filters))
    return prepared.page(directory_params(filters), filters.page, filters.per_page, scalars=False)


def directory_rows(filters: DirectoryFilters):
    """Every row the filters match, for the CSV export (one statement)."""
    prepared = directory_statement(directory_shape(filters))
    return db.session.execute(prepared.statement, directory_params(filters)).all()


def filter_choices(filters: DirectoryFilters) -> dict:
    """Options for the directory's filter menus; a fixed number of statements."""
    chambers = db.session.execute(
        select(Chamber.id, Chamber.name, Legislature.name, Legislature.id)
        .join(Legislature, Legislature.id == Chamber.legislature_id)
        .order_by(Legislature.id.desc(), Chamber.id)
    ).all()
    legislature_id = next((row[3] for row in chambers if row[0] == filters.chamber), None)
    groups = select(Group.id, Group.name, Group.kind, Legislature.name).join(Legislature)
    committees = select(Committee.id, Committee.name, Chamber.name).join(Chamber, Chamber.id == Committee.chamber_id)
    districts = select(Legislator.district).where(Legislator.district.is_not(None)).distinct()
    if legislature_id:
        groups = groups.where(Group.legislature_id == legislature_id)
        committees = committees.where(Committee.chamber_id == filters.chamber)
        districts = districts.where(_seat_exists(filters.chamber, False, None))
    return {
        "chambers": chambers,
        "groups": db.session.execute(groups.order_by(Group.kind.desc(), Group.name)).all(),
        "committees": db.session.execute(committees.order_by(Committee.name)).all(),
        "districts": sorted(d for d in db.session.execute(districts).scalars()),
        **owner_choices(),
    }


def owner_choices() -> dict:
    """Who can own a relationship: active staff members and partner organisations (two statements)."""
    return {
        "users": db.session.execute(
            select(User.id, User.name).where(User.active.is_(True), User.role.in_(sorted(STAFF_ROLES)))
            .order_by(User.name)
        ).all(),
        "partners": db.session.execute(
            select(PartnerOrganisation.id, PartnerOrganisation.name).order_by(PartnerOrganisation.name)
        ).all(),
    }


@dataclass
class Profile:
    legislator: Legislator
    seats: list
    groups: list
    committees: list
    owner_user: object
    owner_partner: object


def profile(legislator_id: int) -> Profile | None:
    """Everything the profile page shows, in a fixed number of statements."""
    legislator = db.session.execute(
        select(Legislator).where(Legislator.id == legislator_id)
        .options(selectinload(Legislator.identifiers), selectinload(Legislator.aides))
    ).scalar_one_or_none()
    if legislator is None:
        return None
    seats = db.session.execute(
        select(SeatMembership, Chamber, Legislature)
        .join(Chamber, Chamber.id == SeatMembership.chamber_id).join(Legislature, Legislature.id == Chamber.legislature_id)
        .where(SeatMembership.legislator_id == legislator_id)
        .order_by(SeatMembership.start_date.desc(), SeatMembership.id.desc())
    ).all()
    groups = db.session.execute(
        select(GroupMembership, Group).join(Group, Group.id == GroupMembership.group_id)
        .where(GroupMembership.legislator_id == legislator_id)
        .order_by(GroupMembership.end_date.is_not(None), GroupMembership.start_date.desc(), Group.kind)
    ).all()
    committees = db.session.execute(
        select(CommitteeMembership, Committee, Chamber)
        .join(Committee, Committee.id == CommitteeMembership.committee_id).join(Chamber, Chamber.id == Committee.chamber_id)
        .where(CommitteeMembership.legislator_id == legislator_id)
        .order_by(CommitteeMembership.end_date.is_not(None), Committee.name)
    ).all()
    owner_user = db.session.get(User, legislator.owner_user_id) if legislator.owner_user_id else None
    owner_partner = (
        db.session.get(PartnerOrganisation, legislator.owner_partner_id) if legislator.owner_partner_id else None
    )
    return Profile(legislator, seats, groups, committees, owner_user, owner_partner)


def groups_for_legislator(legislator_id: int):
    """Groups of the legislatures the legislator has sat in (for the switch-group form)."""
    legislature_ids = (
        select(Chamber.legislature_id).join(SeatMembership, SeatMembership.chamber_id == Chamber.id)
        .where(SeatMembership.legislator_id == legislator_id)
    )
    return db.session.execute(
        select(Group, Legislature.name).join(Legislature)
        .where(Group.legislature_id.in_(legislature_ids)).order_by(Legislature.id.desc(), Group.kind, Group.name)
    ).all()


def get_aide(legislator_id: int, aide_id: int):
    return db.session.execute(
        select(Aide).where(Aide.id == aide_id, Aide.legislator_id == legislator_id)
    ).scalar_one_or_none()


def current_members(chamber_id: int | None = None, committee_id: int | None = None, today: date | None = None):
    """Sitting legislators with their current bancada and district, in one statement.

    Rows: legislator_id, full_name, sort_name, district, chamber_id, bancada_id, bancada_name.
    With committee_id, only current members of that committee (and their committee role as `role`).
    """
    today = today or local_today(None)
    bancada = (
        select(GroupMembership.group_id.label("group_id"), GroupMembership.legislator_id.label("legislator_id"),
               Group.name.label("name"), Group.legislature_id.label("legislature_id"),
               func.row_number().over(
                   partition_by=(GroupMembership.legislator_id, Group.legislature_id),
                   order_by=(GroupMembership.start_date.desc(), GroupMembership.id.desc()),
               ).label("rank"))
        .join(Group, Group.id == GroupMembership.group_id)
        .where(active_on(GroupMembership, today), Group.kind == "bancada")
        .subquery()
    )
    statement = (
        select(
            Legislator.id.label("legislator_id"), Legislator.full_name, Legislator.sort_name,
            func.coalesce(SeatMembership.district, Legislator.district).label("district"),
            SeatMembership.chamber_id, bancada.c.group_id.label("bancada_id"), bancada.c.name.label("bancada_name"),
        )
        .join(SeatMembership, SeatMembership.legislator_id == Legislator.id)
        .join(Chamber, Chamber.id == SeatMembership.chamber_id)
        .outerjoin(bancada, and_(
            bancada.c.legislator_id == Legislator.id, bancada.c.legislature_id == Chamber.legislature_id,
            bancada.c.rank == 1,
        ))
        .where(sitting(today))
        .order_by(Legislator.sort_name, Legislator.id)
    )
    if chamber_id is not None:
        statement = statement.where(SeatMembership.chamber_id == chamber_id)
    if committee_id is not None:
        statement = statement.join(
            CommitteeMembership, and_(
                CommitteeMembership.legislator_id == Legislator.id, CommitteeMembership.committee_id == committee_id,
                active_on(CommitteeMembership, today),
            ),
        ).join(Committee, and_(Committee.id == committee_id, Committee.chamber_id == SeatMembership.chamber_id))
        statement = statement.add_columns(CommitteeMembership.role)
    return db.session.execute(statement).all()


def committees_for_legislator(legislator_id: int):
    """Committees of the chambers the legislator has a seat in (for the add-membership form)."""
    chamber_ids = select(SeatMembership.chamber_id).where(SeatMembership.legislator_id == legislator_id)
    return db.session.execute(
        select(Committee.id, Committee.name, Chamber.name).join(Chamber, Chamber.id == Committee.chamber_id)
        .where(Committee.chamber_id.in_(chamber_ids)).order_by(Chamber.id.desc(), Committee.name)
    ).all()


def get_committee_membership(legislator_id: int, membership_id: int):
    return db.session.execute(
        select(CommitteeMembership).where(
            CommitteeMembership.id == membership_id, CommitteeMembership.legislator_id == legislator_id
        )
    ).scalar_one_or_none()


def recent_import_jobs(limit: int = 10):
    """The latest web imports with who started them (one statement)."""
    return db.session.execute(
        select(ImportJob.id, ImportJob.created_at, ImportJob.filename, ImportJob.format, ImportJob.status,
               ImportJob.result, ImportJob.report, User.name)
        .outerjoin(User, User.id == ImportJob.created_by_id)
        .order_by(ImportJob.id.desc()).limit(limit)
    ).all()


def legislatures_overview():
    """Legislatures with their chambers, committee counts and sitting members (four statements)."""
    legislatures = db.session.execute(select(Legislature).order_by(Legislature.id.desc())).scalars().all()
    chambers = db.session.execute(select(Chamber).order_by(Chamber.id)).scalars().all()
    committees = dict(db.session.execute(
        select(Committee.chamber_id, func.count(Committee.id)).group_by(Committee.chamber_id)
    ).all())
    sitting_counts = dict(db.session.execute(
        select(SeatMembership.chamber_id, func.count(func.distinct(SeatMembership.legislator_id)))
        .where(sitting()).group_by(SeatMembership.chamber_id)
    ).all())
    by_legislature: dict = {}
    for chamber in chambers:
        by_legislature.setdefault(chamber.legislature_id, []).append(
            (chamber, committees.get(chamber.id, 0), sitting_counts.get(chamber.id, 0))
        )
    return [(legislature, by_legislature.get(legislature.id, [])) for legislature in legislatures]
