"""Version tokens for pages rendered once and served many times (the whip board).

A page cached in a process is valid while the tokens it was rendered under are still the ones in the database.
Every write that can change such a page replaces a token in the same transaction, so a commit and its new token
become visible together, to every worker and host, and a rollback takes the new token back with the data.

Tokens are random rather than counters: a restored backup or a rolled-back test can bring an old state back,
and a counter would then repeat a number that a process had already cached a different page under.

Domains declare what their pages read with watch()/watch_table(); the session events here do the rest: each
flush (new, changed and deleted instances) and each bulk INSERT/UPDATE/DELETE notes the scopes it touched, and the
transaction bumps them just before it commits.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable
from functools import cache

from sqlalchemy import BigInteger, Integer, bindparam, event, inspect, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Mapped, Session, mapped_column

from crm.extensions import db

# Scope 0 is everything shared by all campaigns (people, seats, groups, meetings, tasks); a positive scope is
# one campaign's own rows.
EVERYTHING = 0


class BoardVersion(db.Model):
    __tablename__ = "board_versions"

    scope: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    token: Mapped[int] = mapped_column(BigInteger)


# {mapped class: (scope of an instance, attribute names whose change matters or None for any change)}
_WATCHED: dict[type, tuple[Callable[[object], int], tuple[str, ...] | None]] = {}
# Table names whose bulk statements (and association rows) bump EVERYTHING.
_WATCHED_TABLES: set[str] = set()


def everything(_obj) -> int:
    return EVERYTHING


def watch(model: type, scope: Callable[[object], int] = everything, attrs: Iterable[str] | None = None) -> None:
    """Rows of `model` feed a cached page: bump scope(instance) whenever one is added, changed or deleted.

    With `attrs`, a change bumps only when one of these attributes changed (a login touching a user's
    last_login_at changes no page).
    """
    _WATCHED[model] = (scope, tuple(attrs) if attrs is not None else None)
    _WATCHED_TABLES.add(model.__table__.name)


def watch_table(table) -> None:
    """A plain table (an association) whose rows feed a cached page; any bulk write to it bumps EVERYTHING."""
    _WATCHED_TABLES.add(table.name)


def _changed(obj, attrs: tuple[str, ...]) -> bool:
    state = inspect(obj)
    return any(state.attrs[name].history.has_changes() for name in attrs)


def _scopes_of_flush(session: Session) -> set[int]:
    scopes: set[int] = set()
    for obj in (*session.new, *session.deleted):
        watched = _WATCHED.get(type(obj))
        if watched:
            scopes.add(watched[0](obj))
    for obj in session.dirty:
        watched = _WATCHED.get(type(obj))
        if not watched:
            continue
        scope, attrs = watched
        if attrs is None and session.is_modified(obj) or attrs is not None and _changed(obj, attrs):
            scopes.add(scope(obj))
    return scopes


def _bump_statement(dialect: str, scopes: Iterable[int]):
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(BoardVersion)
    statement = insert.values([{"scope": s, "token": secrets.randbits(62)} for s in sorted(scopes)])
    return statement.on_conflict_do_update(index_elements=["scope"], set_={"token": statement.excluded.token})


def bump(session: Session, scopes: Iterable[int]) -> None:
    """Give these scopes new tokens inside the session's transaction (sorted, so writers lock in one order)."""
    scopes = set(scopes)
    if scopes:
        connection = session.connection()
        connection.execute(_bump_statement(connection.dialect.name, scopes))


@cache
def token_columns(count: int) -> tuple:
    """Columns holding the tokens of `count` scopes (None for a scope never bumped), for any statement to read;
    their scopes are the bind parameters token_params() names."""
    return tuple(select(BoardVersion.token).where(BoardVersion.scope == bindparam(f"token_scope_{n}")).scalar_subquery()
                 for n in range(count))


def token_params(*scopes: int) -> dict:
    return {f"token_scope_{n}": scope for n, scope in enumerate(scopes)}


def read(*scopes: int) -> tuple[int | None, ...]:
    """The current tokens of these scopes, in order, in one statement."""
    return tuple(db.session.connection().execute(select(*token_columns(len(scopes))), token_params(*scopes)).one())


def pending(session: Session) -> bool:
    """This transaction changed rows a cached page reads and has not committed yet: its own view of such a page
    must neither come from the cache nor go into it (its tokens are still the old ones)."""
    return bool(session.info.get(_PENDING))


# Scopes a transaction changed are noted at each flush and bumped once, just before the commit: every writer then
# takes the version rows' locks in one sorted statement (no lock-order deadlock on PostgreSQL between two
# transactions that touch the same scopes in different orders), and holds them only for the commit itself.
_PENDING = "board_versions_pending"


def _note(session: Session, scopes: set[int]) -> None:
    if scopes:
        session.info.setdefault(_PENDING, set()).update(scopes)


@event.listens_for(Session, "after_flush")
def _after_flush(session, _flush_context):
    # Still the pre-flush new/dirty/deleted lists here, but new rows already have their ids.
    _note(session, _scopes_of_flush(session))


@event.listens_for(Session, "do_orm_execute")
def _bulk_write(state):
    if not (state.is_insert or state.is_update or state.is_delete):
        return
    table = getattr(state.statement, "table", None)
    if getattr(table, "name", None) in _WATCHED_TABLES:
        _note(state.session, {EVERYTHING})


@event.listens_for(Session, "before_commit")
def _before_commit(session):
    session.flush()  # the commit's own last flush comes after this event: note its scopes now
    bump(session, session.info.pop(_PENDING, ()))
