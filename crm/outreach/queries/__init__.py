"""Read-side queries for outreach pages: a constant number of statements, whatever the number of rows.

Topics: interactions (who sees which, lists, pickers, levels), tasks, timeline (a legislator's feed),
cold (going cold), cold_list (its page's filters and sorts) and calendar (the iCalendar feed).
"""

from crm.outreach.queries.calendar import (
    calendar_items,
)
from crm.outreach.queries.cold import (
    ColdRow,
    campaign_chambers,
    campaign_voters,
    cold_candidates,
    going_cold,
    last_contact_subquery,
    went_cold,
)
from crm.outreach.queries.cold_list import (
    ColdFilters,
    cold_page,
    owner_options,
)
from crm.outreach.queries.interactions import (
    campaign_choices,
    current_levels,
    interaction_extras,
    interaction_for,
    interaction_page,
    interaction_visible,
    legislators_by_ids,
    show_notes,
    week_bounds,
)
from crm.outreach.queries.tasks import (
    TaskBuckets,
    my_tasks,
    overdue_by_officer,
    task_row,
    team_tasks,
)
from crm.outreach.queries.timeline import (
    TIMELINE_PAGE,
    TimelineEntry,
    timeline,
)

__all__ = [
    "ColdFilters",
    "ColdRow",
    "TIMELINE_PAGE",
    "TaskBuckets",
    "TimelineEntry",
    "calendar_items",
    "campaign_choices",
    "campaign_chambers",
    "campaign_voters",
    "cold_page",
    "cold_candidates",
    "current_levels",
    "going_cold",
    "week_bounds",
    "went_cold",
    "interaction_extras",
    "interaction_for",
    "interaction_page",
    "interaction_visible",
    "last_contact_subquery",
    "legislators_by_ids",
    "my_tasks",
    "overdue_by_officer",
    "owner_options",
    "show_notes",
    "task_row",
    "team_tasks",
    "timeline",
]
