"""What outreach adds to the whip count: each member's last contact and next open task.

Campaigns sits below outreach, so it cannot import these tables; outreach registers the builder when it loads.
"""

from sqlalchemy import func, select

from crm.campaigns.queries import register_member_activity
from crm.core import versions
from crm.outreach.models import Interaction, Task, interaction_legislators


def member_activity(cutoff):
    """(select, key) of each legislator's latest interaction before `cutoff`, and of its earliest open task due."""
    contact = (
        select(interaction_legislators.c.legislator_id, func.max(Interaction.starts_at).label("value"))
        .join(Interaction, Interaction.id == interaction_legislators.c.interaction_id)
        .where(Interaction.deleted_at.is_(None), Interaction.starts_at < cutoff)
    )
    next_due = select(Task.legislator_id, func.min(Task.due_at).label("value")).where(Task.status == "open")
    return (contact, interaction_legislators.c.legislator_id), (next_due, Task.legislator_id)


register_member_activity(member_activity)
# Every board shows these columns, whatever the campaign of the meeting or task: a change bumps the shared scope.
versions.watch(Interaction)
versions.watch(Task)
versions.watch_table(interaction_legislators)
