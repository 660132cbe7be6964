"""Template filters and globals: local times, safe notes, role checks."""

import json

from flask import request, url_for
from flask_babel import format_date, format_datetime, get_locale
from flask_login import current_user

from crm.core.permissions import ROLE_LABELS
from crm.core.text import linkify_plain


def _localdt(value, fmt="medium"):
    if value is None:
        return ""
    return format_datetime(value, fmt)


def _localdate(value, fmt="medium"):
    if value is None:
        return ""
    return format_date(value, fmt)


def role_label(role) -> str:
    return str(ROLE_LABELS.get(str(role), role))


def plain_json(value) -> str:
    """JSON as people read it (accents kept); the template's autoescape makes it safe."""
    return json.dumps(value, ensure_ascii=False, default=str)


def url_with(**changes):
    """The current URL with some query arguments replaced; keeps list state shareable."""
    args = request.args.to_dict(flat=False)
    for key, value in changes.items():
        if value is None or value == "":
            args.pop(key, None)
        else:
            args[key] = [value]
    return url_for(request.endpoint, **(request.view_args or {}), **args)


def register(app) -> None:
    app.jinja_env.filters["localdt"] = _localdt
    app.jinja_env.filters["localdate"] = _localdate
    app.jinja_env.filters["notes"] = linkify_plain
    app.jinja_env.filters["plainjson"] = plain_json
    app.jinja_env.globals["url_with"] = url_with
    app.jinja_env.globals["role_label"] = role_label
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale() or "es_PE")
    app.jinja_env.globals["has_endpoint"] = lambda name: name in app.view_functions

    @app.context_processor
    def inject_user():
        return {"user": current_user}
