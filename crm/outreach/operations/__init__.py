"""Every write in the outreach domain: validated, flushed and audited; the caller commits.

Topics: interactions (log, edit, delete, restore, the stances seen) and tasks (create, update, status);
common holds the refusal both raise.
"""

from crm.outreach.operations.common import OutreachError
from crm.outreach.operations.interactions import (
    INTERACTION_FIELDS,
    INTERACTION_LINKS,
    InteractionInput,
    can_edit_interaction,
    can_restore_interaction,
    check_starts_at,
    delete_interaction,
    log_interaction,
    record_observed_stances,
    restore_interaction,
    update_interaction,
)
from crm.outreach.operations.tasks import (
    TASK_FIELDS,
    TaskDraft,
    can_modify_task,
    create_task,
    set_task_status,
    update_task,
)

__all__ = [
    "INTERACTION_FIELDS",
    "INTERACTION_LINKS",
    "TASK_FIELDS",
    "InteractionInput",
    "OutreachError",
    "TaskDraft",
    "can_edit_interaction",
    "can_modify_task",
    "can_restore_interaction",
    "check_starts_at",
    "create_task",
    "delete_interaction",
    "log_interaction",
    "record_observed_stances",
    "restore_interaction",
    "set_task_status",
    "update_interaction",
    "update_task",
]
