"""Read side of the campaigns domain: every page costs a constant number of statements.

The current (or "as of") stance of a legislator comes from crm.campaigns.stance, the one definition: the whip
page asks it per member inside its single member statement, the campaign list through one window.

Topics: common (level groupings and SQL building blocks), stages (campaigns, stages and the campaign list),
whip (the whip count and targets), tallies (many stages' totals at once), stances (trend, current level and history), choices (form menus).
"""

from crm.campaigns.queries.changes import CHANGES_SHOWN, Change, recent_changes
from crm.campaigns.queries.choices import (
    body_choices,
    legislator_names,
    legislature_choices,
    partner_access_rows,
)
from crm.campaigns.queries.common import (
    FIELD_SEP,
    ITEM_SEP,
    LEVEL_RANK,
    ROLE_RANK,
    SA,
    TREND_WEEKS,
    Body,
    likely_of,
    secured_of,
)
from crm.campaigns.queries.stages import (
    Headline,
    campaign_index,
    campaign_with_bodies,
    get_campaign,
    headline_stage,
    needed_for,
)
from crm.campaigns.queries.stances import (
    stance_history,
    trend,
    week_cutoffs,
)
from crm.campaigns.queries.tallies import (
    StageTally,
    campaign_bodies,
    count_day,
    stage_tallies,
)
from crm.campaigns.queries.whip import (
    Breakdown,
    Member,
    WhipCount,
    owners,
    register_member_activity,
    targets,
    whip_count,
)

__all__ = [
    "Body",
    "Breakdown",
    "CHANGES_SHOWN",
    "Change",
    "FIELD_SEP",
    "Headline",
    "ITEM_SEP",
    "LEVEL_RANK",
    "Member",
    "ROLE_RANK",
    "SA",
    "StageTally",
    "TREND_WEEKS",
    "WhipCount",
    "body_choices",
    "campaign_bodies",
    "campaign_index",
    "campaign_with_bodies",
    "count_day",
    "get_campaign",
    "headline_stage",
    "legislator_names",
    "legislature_choices",
    "likely_of",
    "needed_for",
    "owners",
    "partner_access_rows",
    "recent_changes",
    "register_member_activity",
    "secured_of",
    "stage_tallies",
    "stance_history",
    "targets",
    "trend",
    "week_cutoffs",
    "whip_count",
]
