"""What the cached whip board reads, declared once: a write to any of these rows gives the board a new version.

Campaign rows bump their campaign; people, seats, groups, committees and the names shown as owners bump the
shared scope, since every campaign's board shows them. Outreach declares its meetings and tasks itself
(crm.outreach.activity), as it declares the subqueries that read them.
"""

from crm.accounts.models import PartnerOrganisation, User
from crm.campaigns.models import Campaign, CampaignPartnerAccess, StanceAssessment, VoteStage
from crm.core import versions
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


def _campaign_of(row) -> int:
    return row.campaign_id


versions.watch(Campaign, lambda campaign: campaign.id)
for _model in (StanceAssessment, VoteStage, CampaignPartnerAccess):
    versions.watch(_model, _campaign_of)
for _model in (Legislature, Chamber, Committee, Group, Legislator, SeatMembership, GroupMembership, CommitteeMembership):
    versions.watch(_model)
# Only their names reach the board (as a legislator's owner, or who logged a change).
versions.watch(User, attrs=("name",))
versions.watch(PartnerOrganisation, attrs=("name",))
