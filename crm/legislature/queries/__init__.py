"""Read side of the legislature domain: pages cost a fixed number of statements, whatever the row count.

Semantics other domains rely on:
- a legislator *sits* in a chamber on a day when a SeatMembership is active on it (models.active_on);
- the *current* group of a kind is the GroupMembership of that kind active on the day, latest start first;
- lists default to the current scope (crm.legislature.scope); history is one filter away.

Topics: members (who sits), directory (the list and its export), choices (menus), profile.
"""

from crm.legislature.queries.choices import filter_choices, owner_choices
from crm.legislature.queries.directory import (
    PER_PAGE_CHOICES,
    SORTS,
    STATUSES,
    DirectoryFilters,
    directory_page,
    directory_rows,
)
from crm.legislature.queries.members import current_members, legislatures_overview, sitting
from crm.legislature.queries.picker import PickerHit, picked_legislators, search_legislators
from crm.legislature.queries.profile import (
    Profile,
    committees_for_legislator,
    get_aide,
    get_committee_membership,
    groups_for_legislator,
    profile,
    recent_import_jobs,
)

__all__ = [
    "PER_PAGE_CHOICES",
    "SORTS",
    "STATUSES",
    "DirectoryFilters",
    "PickerHit",
    "Profile",
    "committees_for_legislator",
    "current_members",
    "directory_page",
    "directory_rows",
    "filter_choices",
    "get_aide",
    "get_committee_membership",
    "groups_for_legislator",
    "legislatures_overview",
    "owner_choices",
    "picked_legislators",
    "profile",
    "recent_import_jobs",
    "search_legislators",
    "sitting",
]
