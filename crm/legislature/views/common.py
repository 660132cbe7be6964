"""What the legislature pages share: saving a form through operations, the profile's address, the write check."""

from flask import url_for
from flask_login import current_user

from crm.core.forms import save_or_show, save_submitted
from crm.core.permissions import deny
from crm.core.visibility import can_write
from crm.legislature import operations


def submit(form, error_field: str, write, message: str, target: str):
    """Save a submitted form through operations (a LegislatureError marks `error_field`): the redirect, or None."""
    return save_submitted(form, write, refusal=operations.LegislatureError, error_field=error_field,
                          message=message, target=target)


def form_page(form, error_field: str, write, message: str, target: str, template: str, **context):
    """A form's own page: save and redirect, or show `template` again (400 when the form has errors)."""
    return save_or_show(form, write, refusal=operations.LegislatureError, error_field=error_field, message=message,
                        target=target, template=template, invalid_status=400, **context)


def profile_url(legislator_id: int, anchor: str = "") -> str:
    return url_for("legislature.profile", legislator_id=legislator_id) + anchor


def require_write(obj=None):
    if not can_write(current_user):
        deny("read-only account", obj)
