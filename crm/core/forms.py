"""Helpers for WTForms: select choices, a form's values, and the save-or-show step of a form page."""

from flask import flash, redirect, render_template
from wtforms import SelectChoice


def choices(pairs) -> list[SelectChoice]:
    """Turn (value, label) pairs, e.g. query rows, into SelectChoice objects."""
    return [SelectChoice(value, label) for value, label in pairs]


def form_values(form, names) -> dict:
    """The data of the fields `names`, as keyword arguments for an operation."""
    return {name: getattr(form, name).data for name in names}


def save_submitted(form, write, *, refusal: type[Exception], error_field: str, message: str, target):
    """Validate a submitted form and run its write through operations; then flash `message` and redirect.

    A `refusal` raised by the write lands on the field it names (`error.field`, when it has one) or on
    `error_field`. `target` is a URL, or a function of what `write` returned (for the page of a new object).
    Returns the redirect, or None to show the form again.
    """
    if not form.validate_on_submit():
        return None
    try:
        saved = write()
    except refusal as error:
        field = getattr(form, getattr(error, "field", None) or error_field, None) or getattr(form, error_field)
        field.errors = [*field.errors, str(error)]
        return None
    flash(message, "success")
    return redirect(target(saved) if callable(target) else target)


def save_or_show(form, write, *, refusal: type[Exception], error_field: str, message: str, target, template: str,
                 invalid_status: int = 422, **context):
    """A form page: save_submitted(...) and redirect, or render `template` with the form (and `context`) again,
    answering `invalid_status` when the form has errors and 200 when it is simply shown."""
    done = save_submitted(form, write, refusal=refusal, error_field=error_field, message=message, target=target)
    if done is not None:
        return done
    return render_template(template, form=form, **context), invalid_status if form.errors else 200
