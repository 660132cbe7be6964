"""Signed cookie sessions that slide their expiry without being re-signed on every response.

Flask re-signs a permanent session on every request to push its expiry forward. Signing costs an HMAC and
a Set-Cookie on every response (which also keeps shared caches from storing anything). Here the cookie is
re-signed only when it is older than SESSION_REFRESH_SECONDS, or when the session changed. The signature's
timestamp is what Flask checks against PERMANENT_SESSION_LIFETIME, so the idle timeout still holds: it can
only end up to SESSION_REFRESH_SECONDS sooner, never later.
"""

import time

from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature


class SlidingSession(SecureCookieSession):
    #: When the cookie this session came from was signed (seconds since the epoch); None for a new session.
    signed_at: float | None = None


class SlidingCookieSessionInterface(SecureCookieSessionInterface):
    session_class = SlidingSession

    def open_session(self, app, request):
        serializer = self.get_signing_serializer(app)
        if serializer is None:
            return None
        value = request.cookies.get(self.get_cookie_name(app))
        if not value:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            data, signed = serializer.loads(value, max_age=max_age, return_timestamp=True)
        except BadSignature:
            return self.session_class()
        session = self.session_class(data)
        session.signed_at = signed.timestamp()
        return session

    def should_set_cookie(self, app, session) -> bool:
        if session.modified:
            return True
        if not (session.permanent and app.config["SESSION_REFRESH_EACH_REQUEST"]):
            return False
        signed_at = getattr(session, "signed_at", None)
        return signed_at is None or time.time() - signed_at >= app.config["SESSION_REFRESH_SECONDS"]
