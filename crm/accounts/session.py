"""Flask-Login and Flask-Babel hooks that read the signed-in user."""

from flask import current_app, request, session
from flask_babel import lazy_gettext
from flask_login import current_user, user_loaded_from_cookie

from crm.accounts.models import User
from crm.accounts.principal import is_current, on_connection, read_principal, session_ids
from crm.extensions import db


def load_user(session_id: str):
    """Session ids carry a version; a bumped version logs out every old session and cookie."""
    if _principal_is_enough():
        found = read_principal(on_connection(db.session.connection()), session_id)
        return found[0] if found else None
    ids = session_ids(session_id)
    if ids is None:
        return None
    user = db.session.get(User, ids[0])
    if user is None or not is_current(user.active, user.session_version, ids[1]):
        return None
    return user


def _principal_is_enough() -> bool:
    if request.method not in ("GET", "HEAD") or not request.endpoint:
        return False
    return getattr(current_app.view_functions.get(request.endpoint), "principal_is_enough", False)


def localeselector():
    """The user's choice, else the visitor's footer choice, else Spanish (Peru).

    The browser's Accept-Language is deliberately ignored: the organisation works in Spanish, and a
    laptop set up in English should still open in Spanish until someone chooses English.
    """
    if current_user and current_user.is_authenticated:
        return current_user.language
    choice = request.cookies.get("lang") if request else None
    if choice in current_app.config["LANGUAGES"]:
        return choice
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def timezoneselector():
    if current_user and current_user.is_authenticated:
        return current_user.timezone
    return current_app.config["BABEL_DEFAULT_TIMEZONE"]


def login_message(_message=None):
    return str(lazy_gettext("Inicie sesión para continuar."))



@user_loaded_from_cookie.connect
def _expire_cookie_sessions(sender, user=None, **_extra):
    """A session rebuilt from a remember cookie gets the same 12-hour expiry as a fresh login."""
    session.permanent = True
