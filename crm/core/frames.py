"""Page frames rendered once per reader, language and page, not on every request.

The site header is the costliest part of a small page (twenty links built by url_for), and it changes only with
the reader (name and role), the language and the page it marks as current. It is kept per process with a mark
where the session's CSRF token goes (the logout form), and each request puts its own token in.

A page whose content is itself cached (the whip board) can keep its whole frame the same way: `framed()` renders
the template once around a mark, keeps the parts before and after it, and joins them with this request's content
and CSRF token. Pages with messages to show are rendered in full (showing them consumes them).
"""

from flask import render_template, request, session
from flask_babel import get_locale
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from jinja2 import pass_context
from markupsafe import Markup

from crm.core.caches import app_cache

CSRF_MARK = "\x00csrf-token\x00"
CONTENT_MARK = "\x00page-content\x00"
_CSRF_MARK_BYTES = CSRF_MARK.encode()
_CONTENT_SLOT = Markup(CONTENT_MARK)  # noqa: S704 - a constant
# Pages x roles x languages, plus one per signed-in name: a few hundred entries of ~6 KB.
NAV_ENTRIES = 1024
# Whole frames (~10 KB) of cached pages, per reader and page version.
FRAME_ENTRIES = 1024
# Pages whose header shows something from the query string (the search box keeps its words).
QUERY_IN_HEADER = frozenset({"search.results"})


def _mark() -> str:
    return CSRF_MARK


def _reader() -> tuple:
    user = current_user._get_current_object()
    if not user.is_authenticated:
        return (None, None, None)
    return (user.id, user.name, user.role)


@pass_context
def site_nav(context) -> Markup:
    """The header for this request, from the cache when this reader has seen this page in this language."""
    token = context["csrf_token"]()  # a frame being cached passes the mark here instead of a token
    if request.endpoint in QUERY_IN_HEADER:
        return Markup(render_template("_nav.html", csrf_token=lambda: token))  # noqa: S704 - rendered by Jinja
    key = (str(get_locale()), request.endpoint, *_reader())
    cache = app_cache("site_nav", NAV_ENTRIES)
    html = cache.get(key)
    if html is None:
        html = render_template("_nav.html", csrf_token=_mark)
        cache.put(key, html)
    return Markup(html.replace(CSRF_MARK, token))  # noqa: S704 - rendered by Jinja; the token is URL-safe


def framed(template: str, key: tuple, content: Markup, encoded: bytes | None = None, **context) -> str | bytes:
    """`template` rendered around `content` (which it shows as `content`). `key` must hold everything else the
    template shows; the reader, language and address are added here. With `encoded` (the content as UTF-8, kept
    by a caller that serves it often), the page is joined as bytes and nothing large is encoded again."""
    if session.get("_flashes") or request.endpoint in QUERY_IN_HEADER:
        return render_template(template, content=content, **context)
    full_key = (template, key, str(get_locale()), request.endpoint, request.full_path, *_reader())
    cache = app_cache("page_frames", FRAME_ENTRIES)
    frame = cache.get(full_key)
    if frame is None:
        html = render_template(template, content=_CONTENT_SLOT, csrf_token=_mark, **context)
        frame = tuple(part.encode() for part in html.split(CONTENT_MARK, 1))
        cache.put(full_key, frame)
    token = generate_csrf().encode()
    body = encoded if encoded is not None else str(content).encode()
    return b"".join((frame[0].replace(_CSRF_MARK_BYTES, token), body, frame[1].replace(_CSRF_MARK_BYTES, token)))
