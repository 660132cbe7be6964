"""Template filters and globals: local times, safe notes, role checks."""

import json
from datetime import UTC, datetime
from functools import lru_cache
from urllib.parse import urlencode

from babel import Locale
from flask import g, request, url_for
from flask_babel import format_date, format_datetime, get_locale, get_timezone, get_translations
from flask_login import current_user
from jinja2 import pass_eval_context
from markupsafe import Markup, escape

from crm.core.audit import action_label, object_link
from crm.core.frames import site_nav
from crm.core.permissions import ROLE_LABELS
from crm.core.text import linkify_plain
from crm.core.visibility import can_see_relationship_owner

NAMED_FORMATS = ("short", "medium", "long", "full")


@lru_cache(maxsize=64)
def _datetime_patterns(locale: str, fmt: str):
    """A named format's glue ("{1}, {0}"), date pattern and time pattern, parsed once per locale."""
    parsed = Locale.parse(locale)
    glue = str(parsed.datetime_formats[fmt]).replace("'", "")
    return parsed, glue, parsed.date_formats[fmt], parsed.time_formats[fmt]


def _localdt(value, fmt="medium"):
    """The user's local date and time, as Babel's format_datetime writes it.

    Long lists call this once per row, so the named formats skip Babel's per-call lookups.
    """
    if value is None:
        return ""
    if fmt not in NAMED_FORMATS or not isinstance(value, datetime):
        return format_datetime(value, fmt)
    return _formatted_datetime(value if value.tzinfo else value.replace(tzinfo=UTC), str(get_locale()),
                               get_timezone(), fmt)


@lru_cache(maxsize=4096)
def _formatted_datetime(value: datetime, locale_name: str, zone, fmt: str) -> str:
    # The same due dates and meeting times come back on every view of a list: write each once per process.
    locale, glue, date_pattern, time_pattern = _datetime_patterns(locale_name, fmt)
    local = value.astimezone(zone)
    return glue.replace("{0}", time_pattern.apply(local, locale)).replace("{1}", date_pattern.apply(local, locale))


# Stands in for a row's id while a list's URL is built once (below IdConverter's largest id).
_STAND_IN = 987654321


def url_for_id(endpoint: str, name: str, value: int, **values) -> str:
    """`url_for(endpoint, **{name: value}, **values)` for the rows of a long list: the URL is built once per
    request around a stand-in id and each row puts its own id in (building URLs is the costliest part of a row)."""
    if not isinstance(value, int):
        return url_for(endpoint, **{name: value}, **values)
    shapes = g.setdefault("url_shapes", {})
    key = (endpoint, name, tuple(sorted(values.items())))
    shape = shapes.get(key)
    if shape is None:
        shape = shapes[key] = url_for(endpoint, **{name: _STAND_IN}, **values).split(str(_STAND_IN))
    if len(shape) != 2:
        return url_for(endpoint, **{name: value}, **values)
    return str(value).join(shape)


def _localdate(value, fmt="medium"):
    """A calendar day (a datetime becomes the user's local day) in the locale's format, as every page writes it.

    Long lists and the whip page's pre-built rows call this once per row, so named formats skip Babel's lookups.
    """
    if value is None:
        return ""
    if fmt not in NAMED_FORMATS:
        return format_date(value, fmt)
    locale, _glue, date_pattern, _time = _datetime_patterns(str(get_locale()), fmt)
    if isinstance(value, datetime):
        value = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(get_timezone()).date()
    return date_pattern.apply(value, locale)


localdate = _localdate


def role_label(role) -> str:
    return str(ROLE_LABELS.get(str(role), role))


def audit_action_label(action) -> str:
    """The words for an audit action, as the domain that records it registered them."""
    return str(action_label(action))


def plain_json(value) -> str:
    """JSON as people read it (accents kept); the template's autoescape makes it safe."""
    return json.dumps(value, ensure_ascii=False, default=str)


def option_tags(pairs, selected=None) -> Markup:
    """`<option>` elements for (value, label) pairs, marking the selected value (compared as text).

    One join instead of a template loop: filter menus list hundreds of districts or chambers.
    """
    chosen = "" if selected is None else str(selected)
    return Markup("".join(  # noqa: S704 - every value and label is escaped here
        f'<option value="{escape(value)}"{" selected" if str(value) == chosen else ""}>{escape(label)}</option>'
        for value, label in pairs
    ))


def _query_string(args: dict) -> str:
    # Built apart from url_for, so a query argument named "endpoint" or "_external" stays a query argument.
    return "?" + urlencode(args, doseq=True) if args else ""


def url_with(**changes):
    """The current URL with some query arguments replaced; keeps list state shareable."""
    args = request.args.to_dict(flat=False)
    for key, value in changes.items():
        if value is None or value == "":
            args.pop(key, None)
        else:
            args[key] = [value]
    return url_for(request.endpoint, **(request.view_args or {})) + _query_string(args)


def url_with_query(endpoint: str, **values) -> str:
    """Another page's URL carrying the current query string: the export and the filter menus keep the filters.

    `values` fill the endpoint's own path arguments; the query string stays data, never url_for() options.
    """
    return url_for(endpoint, **values) + _query_string(request.args.to_dict(flat=False))


def catalogue_callables(translations) -> dict:
    """Jinja's new-style `_`, `gettext` and `ngettext`, bound to one catalogue.

    They behave like the ones Flask-Babel installs (escape-aware, %-formatting), but the catalogue is looked
    up once per page instead of once per string: a page calls them a hundred times.
    """

    @pass_eval_context
    def gettext(eval_ctx, string, /, **variables):
        rv = translations.ugettext(string)
        if eval_ctx.autoescape:
            rv = Markup(rv)  # noqa: S704 - text from our own catalogue, as in Jinja's new-style gettext
        return rv % variables

    @pass_eval_context
    def ngettext(eval_ctx, singular, plural, num, /, **variables):
        variables.setdefault("num", num)
        rv = translations.ungettext(singular, plural, num)
        if eval_ctx.autoescape:
            rv = Markup(rv)  # noqa: S704 - as above
        return rv % variables

    return {"_": gettext, "gettext": gettext, "ngettext": ngettext}


def register(app) -> None:
    app.jinja_env.filters["localdt"] = _localdt
    app.jinja_env.filters["localdate"] = _localdate
    app.jinja_env.filters["notes"] = linkify_plain
    app.jinja_env.filters["plainjson"] = plain_json
    app.jinja_env.filters["audit_action_label"] = audit_action_label
    app.jinja_env.globals["audit_object"] = object_link
    app.jinja_env.globals["url_with"] = url_with
    app.jinja_env.globals["url_for_id"] = url_for_id
    app.jinja_env.globals["url_with_query"] = url_with_query
    app.jinja_env.globals["option_tags"] = option_tags
    app.jinja_env.globals["role_label"] = role_label
    app.jinja_env.globals["current_locale"] = lambda: str(get_locale() or "es_PE")
    app.jinja_env.globals["site_nav"] = site_nav
    app.jinja_env.globals["has_endpoint"] = lambda name: name in app.view_functions
    app.jinja_env.globals["sees_owner"] = lambda owner_partner_id: can_see_relationship_owner(
        current_user, owner_partner_id
    )

    @app.context_processor
    def inject_user_and_catalogue():
        # The signed-in user itself, not the proxy: templates read it dozens of times a page.
        return {"user": current_user._get_current_object(), **catalogue_callables(get_translations())}
