"""What the outreach pages share: their enums and menus, the user's timezone, and reporting a refusal on its field."""

from flask import flash
from flask_login import current_user

from crm.campaigns.models import STANCE_LEVELS
from crm.outreach import bp, operations, queries
from crm.outreach.forms import DUE_CHOICES, PLACE_SUGGESTIONS, TASK_SLOTS
from crm.outreach.models import INTERACTION_KINDS, TASK_STATUSES

INVALID = 422


@bp.context_processor
def outreach_labels():
    """Blueprint-scoped so these names never clash with other domains' template globals."""
    return {
        "INTERACTION_KINDS": INTERACTION_KINDS,
        "STANCE_LEVELS": STANCE_LEVELS,
        "TASK_STATUSES": TASK_STATUSES,
        "DUE_CHOICES": DUE_CHOICES,
        "PLACE_SUGGESTIONS": PLACE_SUGGESTIONS,
        "TASK_SLOTS": TASK_SLOTS,
        "show_notes": queries.show_notes,
    }


def tz() -> str:
    return current_user.timezone


def report(form, error: operations.OutreachError) -> None:
    target = getattr(form, error.field, None) if error.field else None
    if target is not None and hasattr(target, "errors"):
        target.errors = list(target.errors) + [str(error)]
    else:
        flash(str(error), "danger")
