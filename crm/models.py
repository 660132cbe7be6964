"""Imports every model so metadata is complete for migrations and create_all."""

from crm.accounts.models import ApiToken, PartnerOrganisation, RateLimit, User  # noqa: F401
from crm.api.models import IdempotencyKey, WebhookAttempt, WebhookDelivery, WebhookSubscription  # noqa: F401
from crm.campaigns.models import Campaign, CampaignPartnerAccess, StanceAssessment, VoteStage  # noqa: F401
from crm.coalition.models import MediaMention, PetitionDrive, SignatureBatch  # noqa: F401
from crm.core.audit import AuditEntry  # noqa: F401
from crm.core.outbox import OutboundEmail  # noqa: F401
from crm.core.versions import BoardVersion  # noqa: F401
from crm.legislature.models import (  # noqa: F401
    Aide,
    Chamber,
    Committee,
    CommitteeMembership,
    Group,
    GroupMembership,
    ImportJob,
    Legislator,
    LegislatorIdentifier,
    Legislature,
    SeatMembership,
)
from crm.outreach.models import Interaction, Task  # noqa: F401
from crm.reminders.models import ProcessLock  # noqa: F401
from crm.votes.models import (  # noqa: F401
    Bill,
    BillAuthor,
    BillStep,
    CampaignBill,
    Scorecard,
    ScorecardItem,
    StageStep,
    Vote,
    VoteEvent,
    VoteEvidence,
)
