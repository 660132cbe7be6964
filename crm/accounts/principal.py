"""The signed-in user as a few plain values, read in one statement together with the rows a cached answer needs.

A page served from a cache still checks who asks exactly as the login loader does (`session.load_user`): the
session names a user id and a session version, and the row must exist, be active and still carry that version.
Reading those few columns beside the cache's own rows in one statement, instead of loading the User through the
ORM first, is what lets an unchanged page answer at close to the framework's own speed. The principal then stands
in for the user for the rest of that request (menu, log line, headers); it loads nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from sqlalchemy import bindparam, select

from crm.accounts.models import RoleFlags, User


@dataclass(frozen=True, slots=True)
class Principal(RoleFlags):
    id: int
    name: str
    role: str
    language: str
    timezone: str
    partner_organisation_id: int | None
    session_version: int

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"


def session_ids(session_id: str | None) -> tuple[int, int] | None:
    """(user id, session version) from the id Flask-Login keeps in the session; None when it is malformed."""
    user_id, _, version = (session_id or "").partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    return int(user_id), int(version)


def is_current(active: bool, session_version: int, version: int) -> bool:
    """An active account whose sessions have not been ended since this one began (logout, new password)."""
    return bool(active) and session_version == version


_COLUMNS = (User.id, User.name, User.role, User.language, User.timezone, User.partner_organisation_id,
            User.session_version)


@cache
def _statement(extras: tuple):
    return select(*_COLUMNS, User.active, *extras).where(User.id == bindparam("principal_id"))


def read_principal(fetch, session_id: str | None, extras: tuple = (), **params) -> tuple[Principal, tuple] | None:
    """The principal this session id names, and the values of `extras` (columns built once by the caller, with
    bind parameters given in `params`), in one statement; None when it names no current user.
    `fetch(statement, params)` runs the statement and returns its first row or None."""
    ids = session_ids(session_id)
    if ids is None:
        return None
    row = fetch(_statement(extras), {"principal_id": ids[0], **params})
    columns = len(_COLUMNS)
    if row is None or not is_current(row[columns], row[columns - 1], ids[1]):
        return None
    return Principal(*row[:columns]), tuple(row[columns + 1:])


def on_connection(connection):
    """A fetch for read_principal that runs on a SQLAlchemy connection (the request's own transaction)."""
    return lambda statement, params: connection.execute(statement, params).first()


def principal_is_enough(view):
    """Mark a read-only page that needs of its reader only the principal's values: on GET and HEAD the login
    loader then gives it a Principal, read with one Core statement, instead of loading the User through the ORM."""
    view.principal_is_enough = True
    return view
