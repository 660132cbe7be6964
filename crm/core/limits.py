"""How much a request may send, decided before a byte of its body is parsed.

`MAX_CONTENT_LENGTH` caps every request. Pages that take no file accept `MAX_FORM_BYTES`; a view that takes
uploads says how much with `@accepts_upload(bytes)`. The limit is set on the request before any other hook
(the CSRF check reads the form), so an oversized body is refused from its Content-Length, or as soon as a
chunked body passes the limit, with a 413 page, and never reaches the form parser.
"""

from collections.abc import Callable

from flask import Flask, current_app, request

# Room for the multipart boundaries, the CSRF token and the other small fields sent with the files.
FORM_OVERHEAD = 64 * 1024


def accepts_upload(max_bytes: int) -> Callable:
    """Mark a view that receives up to `max_bytes` of uploaded data (files or a large text field)."""

    def mark(view):
        view.max_request_bytes = max_bytes + FORM_OVERHEAD
        return view

    return mark


def request_limit() -> int:
    """The most this request may send: its view's own limit, or the limit for plain forms."""
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    wanted = getattr(view, "max_request_bytes", None) or current_app.config["MAX_FORM_BYTES"]
    ceiling = current_app.config["MAX_CONTENT_LENGTH"]
    return min(wanted, ceiling) if ceiling else wanted


def apply_request_limit() -> None:
    limit = request_limit()
    request.max_content_length = limit
    # A text field held in memory (the import confirm step sends the checked file back) may be as large.
    request.max_form_memory_size = limit


def register(app: Flask) -> None:
    # First of all before_request hooks: CSRF protection parses the form in its own hook.
    app.before_request_funcs.setdefault(None, []).insert(0, apply_request_limit)


def human_size(size: int) -> str:
    """A byte count the way people say it: 512 KB, 1 MB, 24,1 MB (in the reader's locale)."""
    from flask_babel import format_decimal

    if size < 1024 * 1024:
        return f"{format_decimal(round(size / 1024))} KB"
    return f"{format_decimal(round(size / (1024 * 1024), 1))} MB"


def too_large_message() -> str:
    from flask_babel import gettext as _

    return _(
        "Lo que envió supera el límite de %(size)s. Si era un archivo, divídalo en partes más pequeñas "
        "e inténtelo de nuevo.",
        size=human_size(request_limit()),
    )
