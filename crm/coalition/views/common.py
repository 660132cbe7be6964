"""What the coalition pages share: saving a form through operations, or showing it again."""

from crm.coalition import operations
from crm.core.forms import save_or_show


def save(form, error_field: str, write, message: str, target, template: str, *, invalid_status: int = 200, **context):
    """Save through operations (a CoalitionError marks `error_field`) and redirect to `target`; otherwise show
    `template` again. Coalition forms answer 200 when they come back with errors, unless told otherwise."""
    return save_or_show(form, write, refusal=operations.CoalitionError, error_field=error_field, message=message,
                        target=target, template=template, invalid_status=invalid_status, **context)
