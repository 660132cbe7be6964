"""The going-cold page's filters, sorts and pages, applied to going_cold()'s rows (the one definition).

The rows of one campaign are at most a chamber's members, so filtering, sorting and paging them in Python keeps
the page at a fixed number of statements and the owner menu complete whatever the filters.
"""

from dataclasses import dataclass
from datetime import datetime

from crm.campaigns.models import PERSUADABLE
from crm.core.pagination import Page
from crm.outreach.queries.cold import ColdRow

PER_PAGE = 25
SORTS = ("days", "name", "stance")
NO_OWNER = "none"


@dataclass(frozen=True)
class ColdFilters:
    owner: str | None = None  # "u<id>", "p<id>" or NO_OWNER
    level: str | None = None
    chamber_id: int | None = None
    sort: str = "days"

    @classmethod
    def parse(cls, args, chamber_ids) -> "ColdFilters":
        """From a request's arguments; anything unknown falls back to no filter and the default sort."""
        owner = (args.get("owner") or "").strip()
        valid_owner = owner == NO_OWNER or (owner[:1] in ("u", "p") and owner[1:].isdigit() and len(owner) <= 11)
        level = args.get("level")
        chamber = args.get("chamber") or ""
        chamber_id = int(chamber) if chamber.isdigit() and len(chamber) <= 9 and int(chamber) in chamber_ids else None
        sort = args.get("sort")
        return cls(owner if valid_owner else None, level if level in PERSUADABLE else None, chamber_id,
                   sort if sort in SORTS else "days")


def owner_key(row: ColdRow) -> str:
    if row.owner_kind == "user":
        return f"u{row.owner_id}"
    if row.owner_kind == "partner":
        return f"p{row.owner_id}"
    return NO_OWNER


def owner_options(rows: list[ColdRow]) -> list[tuple[str, str, str | None]]:
    """(key, name, kind) of every owner among the rows, by name, for the owner menu."""
    seen = {owner_key(r): (r.owner_name or "", r.owner_kind) for r in rows if r.owner_kind}
    return sorted(((k, name, kind) for k, (name, kind) in seen.items()), key=lambda o: (o[1].casefold(), o[0]))


def _sort_key(sort: str, now: datetime):
    if sort == "name":
        return lambda r: (r.sort_name.casefold(), r.legislator_id)
    if sort == "stance":
        rank = {level: i for i, level in enumerate(PERSUADABLE)}
        return lambda r: (rank.get(r.level or "unknown", len(rank)), r.sort_name.casefold())
    # Longest without contact first: never contacted, then the oldest last contact.
    return lambda r: (r.last_contact is not None, r.last_contact or now, r.sort_name.casefold())


def cold_page(rows: list[ColdRow], filters: ColdFilters, page: int, now: datetime, per_page: int = PER_PAGE) -> Page:
    picked = [
        r for r in rows
        if (filters.owner is None or owner_key(r) == filters.owner)
        and (filters.level is None or (r.level or "unknown") == filters.level)
    ]
    picked.sort(key=_sort_key(filters.sort, now))
    pages = max(1, -(-len(picked) // per_page))
    page = min(max(1, page), pages)
    return Page(picked[(page - 1) * per_page:page * per_page], page, per_page, len(picked))
