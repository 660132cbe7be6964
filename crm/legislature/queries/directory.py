"""The legislator directory: filters, one prepared statement per shape of filters, its page and export."""

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from sqlalchemy import Date, asc, bindparam, desc, exists, func, select
from sqlalchemy.orm import aliased

from crm.accounts.models import PartnerOrganisation, User
from crm.core.pagination import PagedStatement, parse_page
from crm.core.text import fold
from crm.core.time import local_today
from crm.core.views import checked_id
from crm.extensions import db
from crm.legislature import scope
from crm.legislature.models import (
    Chamber,
    CommitteeMembership,
    Group,
    GroupMembership,
    Legislator,
    Legislature,
    SeatMembership,
    active_on,
)
from crm.legislature.queries.members import sitting

# Built once: an alias made per call costs its column adaptation again on every request.
OWNER_USER = aliased(User, name="owner_user")

SORTS = ("name", "-name", "district", "-district", "bancada", "-bancada", "chamber", "-chamber")
STATUSES = ("active", "former", "all")
PER_PAGE_CHOICES = (25, 50, 100)


def _int(value):
    number = checked_id(value)
    return number if number else None


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
    # None: the current scope (crm.legislature.scope); "all": every legislature; an id: that one.
    legislature: str | int | None = None

    @classmethod
    def from_args(cls, args) -> "DirectoryFilters":
        owner = (args.get("owner") or "").strip()
        if owner != "none" and not (re.fullmatch(r"[up]\d+", owner) and checked_id(owner[1:]) is not None):
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
            legislature=scope.parse_choice(args.get("legislature")),
        )

    @property
    def menu_filtered(self) -> bool:
        """A filter from the menus is on."""
        return any((self.chamber, self.group, self.district, self.committee, self.owner, self.status != "active",
                    self.legislature is not None))

    @property
    def active(self) -> bool:
        """Any filter is on, the search box included (the sort is not a filter)."""
        return bool(self.q) or self.menu_filtered

    @property
    def advanced(self) -> bool:
        """The menus are in use: a menu filter, or a sort other than the default."""
        return self.menu_filtered or self.sort != "name"


def _seat_exists(chamber_id, current: bool, today, scoped: bool = False):
    conditions = [SeatMembership.legislator_id == Legislator.id]
    if chamber_id is not None:
        conditions.append(SeatMembership.chamber_id == chamber_id)
    if scoped:
        in_scope = select(Chamber.id).where(Chamber.legislature_id.in_(bindparam("legislature_ids", expanding=True)))
        conditions.append(SeatMembership.chamber_id.in_(in_scope))
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
    scoped: bool


def _search_words(q: str) -> list[str]:
    return fold(q).replace('"', " ").split()


def directory_shape(filters: DirectoryFilters) -> DirectoryShape:
    return DirectoryShape(
        status=filters.status, chamber=bool(filters.chamber), words=len(_search_words(filters.q)),
        group=bool(filters.group), committee=bool(filters.committee), district=bool(filters.district),
        owner=filters.owner if filters.owner in ("", "none") else filters.owner[0], sort=filters.sort,
        scoped=filters.legislature != scope.ALL,
    )


def directory_params(filters: DirectoryFilters, today: date | None = None, options=None) -> dict:
    """The values the prepared directory statement is executed with (one statement finds the scope)."""
    today = today or local_today(None)
    params = {
        "today": today, "chamber_id": filters.chamber, "group_id": filters.group,
        "committee_id": filters.committee, "district": filters.district,
        "owner_id": int(filters.owner[1:]) if filters.owner[:1] in ("u", "p") else None,
    }
    for n, word in enumerate(_search_words(filters.q)):
        params[f"word_{n}"] = f"%{_like_escape(word)}%"
    if filters.legislature != scope.ALL:
        params["legislature_ids"] = scope.scope_ids(today, filters.legislature, options) or [-1]
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
    statement = (
        select(Legislator, chamber_name, bancada_name, party_name,
               OWNER_USER.name.label("owner_user_name"), PartnerOrganisation.name.label("owner_partner_name"))
        .outerjoin(OWNER_USER, OWNER_USER.id == Legislator.owner_user_id)
        .outerjoin(PartnerOrganisation, PartnerOrganisation.id == Legislator.owner_partner_id)
    )
    scoped = shape.scoped
    if shape.status == "active":
        statement = statement.where(_seat_exists(chamber_id, True, today, scoped))
    elif shape.status == "former":
        statement = statement.where(_seat_exists(chamber_id, False, today, scoped),
                                    ~_seat_exists(chamber_id, True, today, scoped))
    elif shape.chamber or scoped:
        statement = statement.where(_seat_exists(chamber_id, False, today, scoped))
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


def directory_page(filters: DirectoryFilters, today: date | None = None, options=None):
    """One page of the directory; `options` (scope.legislature_options) saves a statement when the caller has them."""
    prepared = directory_statement(directory_shape(filters))
    return prepared.page(directory_params(filters, today, options), filters.page, filters.per_page, scalars=False)


def directory_rows(filters: DirectoryFilters, today: date | None = None, options=None):
    """Every row the filters match, for the CSV export."""
    prepared = directory_statement(directory_shape(filters))
    return db.session.execute(prepared.statement, directory_params(filters, today, options)).all()


