"""Signed cookie sessions that slide their expiry without being re-signed on every response.

Flask re-signs a permanent session on every request to push its expiry forward. Signing costs an HMAC and
a Set-Cookie on every response (which also keeps shared caches from storing anything). Here the cookie is
re-signed only when it is older than SESSION_REFRESH_SECONDS, or when the session changed. The signature's
timestamp is what Flask checks against PERMANENT_SESSION_LIFETIME, so the idle timeout still holds: it can
only end up to SESSION_REFRESH_SECONDS sooner, never later.
"""

import copy
import time

from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature

from crm.core.caches import LRU

# Signed-in browsers active within a minute or so, per process.
VERIFIED_COOKIES = 4096


class SlidingSession(SecureCookieSession):
    #: When the cookie this session came from was signed (seconds since the epoch); None for a new session.
    signed_at: float | None = None


class SlidingCookieSessionInterface(SecureCookieSessionInterface):
    session_class = SlidingSession

    def __init__(self):
        # Verified cookies by their text (one interface per app, so a new secret key starts afresh).
        self._verified = LRU(VERIFIED_COOKIES)

    def open_session(self, app, request):
        if not app.secret_key:  # as get_signing_serializer: no key, no session
            return None
        found = self.read_cookie(app, request.cookies.get(self.get_cookie_name(app)))
        if found is None:
            return self.session_class()
        session = self.session_class(found[0])
        session.signed_at = found[1]
        return session

    def read_cookie(self, app, value: str | None) -> tuple[dict, float] | None:
        """The session a cookie holds and when it was signed; None when absent, forged or past the idle timeout.

        A browser sends the same cookie until it is signed again (once a minute at most), so a verified cookie is
        remembered by its whole text, signature included: only its age is checked again, as the signer would.
        """
        if not value:
            return None
        max_age = int(app.permanent_session_lifetime.total_seconds())
        known = self._verified.get(value)
        if known is not None:
            if 0 <= time.time() - known[1] <= max_age:
                return _copy(known[0]), known[1]
            return None
        try:
            data, signed = self.get_signing_serializer(app).loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return None
        self._verified.put(value, (data, signed.timestamp()))
        return _copy(data), signed.timestamp()

    def should_set_cookie(self, app, session) -> bool:
        return session.modified or refresh_due(app, session.permanent, getattr(session, "signed_at", None))


def _copy(data: dict) -> dict:
    """A copy the request may change freely (flash() appends to the list it finds) without touching the cache."""
    if all(isinstance(value, str | int | float | bool | None) for value in data.values()):
        return dict(data)
    return copy.deepcopy(data)


def refresh_due(app, permanent: bool, signed_at: float | None) -> bool:
    """Whether an unchanged session's cookie must be signed again now, to push its idle expiry forward."""
    if not (permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]):
        return False
    return signed_at is None or time.time() - signed_at >= app.config["SESSION_REFRESH_SECONDS"]
