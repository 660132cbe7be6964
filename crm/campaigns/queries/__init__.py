"""Read side of the campaigns domain: every page costs a constant number of statements.

The current (or "as of") stance of a legislator is its latest assessment before a cutoff. The whip page finds it
per member with a correlated "latest id" subquery on the (campaign, legislator, time) index, inside its single
member statement; the campaign list uses one row_number() window over every campaign's assessments.

Topics: common (level groupings and SQL building blocks), stages (campaigns, stages and the campaign list),
whip (the whip count and targets), stances (trend, current level and history), choices (form menus).
"""

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
    LIKELY,
    PERSUADABLE,
    ROLE_RANK,
    SA,
    SECURED,
    TREND_WEEKS,
    Body,
    latest_assessment_id,
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
    current_level,
    stance_history,
    trend,
    week_cutoffs,
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
    "FIELD_SEP",
    "Headline",
    "ITEM_SEP",
    "LEVEL_RANK",
    "LIKELY",
    "Member",
    "PERSUADABLE",
    "ROLE_RANK",
    "SA",
    "SECURED",
    "TREND_WEEKS",
    "WhipCount",
    "body_choices",
    "campaign_index",
    "campaign_with_bodies",
    "current_level",
    "get_campaign",
    "headline_stage",
    "latest_assessment_id",
    "legislator_names",
    "legislature_choices",
    "likely_of",
    "needed_for",
    "owners",
    "partner_access_rows",
    "register_member_activity",
    "secured_of",
    "stance_history",
    "targets",
    "trend",
    "week_cutoffs",
    "whip_count",
]
