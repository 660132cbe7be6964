"""The whip board served from its cache before the login loader and the view run.

On vote day a coalition's phones poll one board that changes a few times a minute. Loading the user through the
ORM and then the version tokens cost more than everything else such a request does, so both shortcuts here read
the signed-in user's state and the board's tokens in one statement (`read_principal`, with the login loader's
own checks), sent straight to the driver on a connection of its own, and answer only when the cache already holds
the board for that key:
- `PollShortcut`, in front of Flask, answers a poll that names the board it already has with 304. It uses the
  app's own URL map, trusted hosts, session cookie reader, security headers and access log, and steps aside for
  anything it is not sure of: no session or an ended one, a cookie due to be signed again, messages waiting to
  be shown, a board not cached or a different one.
- `answer_from_cache`, the first hook inside Flask, serves the page (its frame cached per reader, see
  crm/core/frames.py) and changed boards.
Whatever they step aside for goes on to the view unchanged, which checks, renders and fills the cache. Their read
sees only committed rows, as every other request does; a test holding its rows in an open transaction therefore
reaches the view (tests/campaigns/test_board_shortcut.py uses a committed database).
"""

import time
from functools import cache, partial

from babel import Locale, UnknownLocaleError
from flask import g, request, session
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import HTTPException

from crm.accounts.principal import read_principal
from crm.campaigns import board, bp
from crm.core import versions
from crm.core.database import first_row_raw
from crm.core.logging import incoming_request_id, log_access_line
from crm.core.security import security_header_list
from crm.core.sessions import refresh_due
from crm.core.time import local_today, utcnow
from crm.extensions import db

ENDPOINT = "campaigns.whip"


@bp.before_app_request
def answer_from_cache():
    if request.endpoint != ENDPOINT or request.method not in ("GET", "HEAD") or "_flashes" in session:
        return None
    if request.args.get("fragment") not in (None, "board"):
        return None
    campaign_id = request.view_args["campaign_id"]
    # Straight to the driver, as the poll shortcut does: a transaction of the request's session would cost more
    # than the page served from the cache.
    found = _principal_and_tokens(partial(first_row_raw, db.engine), session.get("_user_id"), campaign_id)
    if found is None:
        return None
    principal, tokens = found
    g._login_user = principal  # Flask-Login's place for this request's user: the key and the page read it
    key = board.key_for(campaign_id, tokens)
    entry = board.cache().get(key, utcnow())
    if entry is None:
        del g._login_user  # the view loads the real user
        g.board_tokens = tokens
        return None
    return board.respond(entry, key)


def _principal_and_tokens(fetch, session_id, campaign_id: int):
    scopes = board.scopes(campaign_id)
    return read_principal(fetch, session_id, versions.token_columns(len(scopes)), **versions.token_params(*scopes))


class PollShortcut:
    """WSGI: an unchanged board's poll answered 304 before Flask builds its request (see the module docstring)."""

    def __init__(self, app, wsgi_app, engine):
        self.app = app
        self.wsgi_app = wsgi_app
        self.engine = engine

    def __call__(self, environ, start_response):
        started = time.perf_counter()
        answer = self.answer(environ) if "HTTP_IF_NONE_MATCH" in environ else None
        if answer is None:
            return self.wsgi_app(environ, start_response)
        etag, user_id, request_id = answer
        start_response("304 NOT MODIFIED", [("ETag", etag), *security_header_list(True, self.app.config),
                                            ("X-Request-ID", request_id)])
        log_access_line(environ["REQUEST_METHOD"], environ.get("PATH_INFO", ""), 304,
                        round((time.perf_counter() - started) * 1000, 1), user_id, environ.get("REMOTE_ADDR"), 0,
                        request_id=request_id)
        return []

    def answer(self, environ):
        """(ETag, user id, request id) when this poll may be answered 304 here; None to let Flask answer."""
        app = self.app
        request = app.request_class(environ)
        if request.method not in ("GET", "HEAD") or request.args.get("fragment") != "board":
            return None
        try:
            endpoint, view_args = app.create_url_adapter(request).match()
        except (HTTPException, ValueError):  # no such page, or a host the app does not serve (SecurityError)
            return None
        interface = app.session_interface
        found = interface.read_cookie(app, request.cookies.get(interface.get_cookie_name(app)))
        if endpoint != ENDPOINT or found is None:
            return None
        data, signed_at = found
        if "_flashes" in data or refresh_due(app, data.get("_permanent", False), signed_at):
            return None
        entry = self._cached_entry(request, data.get("_user_id"), view_args["campaign_id"])
        if entry is None or entry[0].board is None or not board.matches(request.if_none_match, entry[0].etag):
            return None
        return entry[0].etag, entry[1], incoming_request_id(request.headers)

    def _cached_entry(self, request, session_id, campaign_id: int):
        try:
            found = _principal_and_tokens(partial(first_row_raw, self.engine), session_id, campaign_id)
        except (SQLAlchemyError, self.engine.dialect.loaded_dbapi.Error):
            return None  # the database is away: Flask's own path reports it
        if found is None:
            return None
        principal, tokens = found
        key = board.key_of(campaign_id, tokens, request.args, _locale(principal.language),
                           local_today(principal.timezone), principal.timezone, principal.role,
                           principal.partner_organisation_id)
        cache = self.app.extensions.get(board.CACHE_NAME)
        entry = cache.get(key, utcnow()) if cache is not None else None
        return (entry, principal.id) if entry is not None else None



@cache
def _locale(language: str) -> str | None:
    """The locale name Flask-Babel gives this language (what the page's cache key holds); None if it has none."""
    try:
        return str(Locale.parse(language))
    except (ValueError, TypeError, UnknownLocaleError):
        return None


def install(app) -> None:
    """Put the poll shortcut in front of the app (inside any proxy fix, which must wrap it afterwards)."""
    with app.app_context():  # at start-up: a context pushed per request would end the request's session
        engine = db.engine
    app.wsgi_app = PollShortcut(app, app.wsgi_app, engine)
