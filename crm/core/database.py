"""Engine settings: SQLite gets foreign keys, WAL, a busy timeout and a write lock only for writes.

The one rule for SQLite transactions: a transaction begins IMMEDIATE (taking the write lock at once) when
it may write, and DEFERRED (a plain WAL reader that never blocks or waits) when it only reads.
- Outside a request (CLI commands, the scheduler, senders, jobs) every transaction may write, unless the
  code says otherwise with `reading_only()` (read-only commands).
- A request may write when its method is not GET/HEAD/OPTIONS, when its view is marked `@writes_on_read`,
  or while it runs inside `writing()` (the API counts each token's use before it reads).
A deferred reader that then writes must upgrade its lock, which WAL refuses (SQLITE_BUSY, no waiting) once
another writer has committed; a write from a deferred transaction therefore raises a DeferredWriteWarning,
which the test suite turns into a failure wherever requests run in real transactions (browser journeys,
the tests with several connections).
"""

import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from flask import current_app, g, has_request_context, request
from sqlalchemy import event
from sqlalchemy.engine import Engine

READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLAC", "CREATE", "DROP T", "ALTER ")
_read_only: ContextVar[bool] = ContextVar("crm_read_only", default=False)


class DeferredWriteWarning(RuntimeWarning):
    """A read request wrote without saying so: under load its lock upgrade can fail with SQLITE_BUSY."""


def writes_on_read(view):
    """Mark a GET view that writes (a stamp, a counter), so its transaction takes the write lock at once."""
    view.writes_on_read = True
    return view


@contextmanager
def writing() -> Iterator[None]:
    """Within a read request, let the transactions begun inside take the write lock."""
    before = g.get("crm_writing", False)
    g.crm_writing = True
    try:
        yield
    finally:
        g.crm_writing = before


@contextmanager
def reading_only() -> Iterator[None]:
    """Outside a request, begin transactions deferred: for commands that never write."""
    token = _read_only.set(True)
    try:
        yield
    finally:
        _read_only.reset(token)


def may_write() -> bool:
    """Whether a transaction begun now may write (see the module docstring)."""
    if not has_request_context():
        return not _read_only.get()
    if request.method not in READ_METHODS or g.get("crm_writing"):
        return True
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    return getattr(view, "writes_on_read", False)


def configure_engine_options(app) -> None:
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    options = dict(app.config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    if uri.startswith("sqlite"):
        options.setdefault("connect_args", {}).setdefault("timeout", app.config["SQLITE_BUSY_TIMEOUT_MS"] / 1000)
        if ":memory:" not in uri and uri != "sqlite://":
            from pathlib import Path

            path = Path(uri.split("sqlite:///", 1)[1])
            path.parent.mkdir(parents=True, exist_ok=True)
    else:
        options.setdefault("pool_pre_ping", True)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def install_sqlite_hooks(engine: Engine, busy_timeout_ms: int) -> None:
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection, _record):
        # Let SQLAlchemy, not the driver, decide when transactions begin (needed for SAVEPOINT too).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection):
        # Writers queue on the lock up front instead of failing with "database is locked" at their first write;
        # readers begin deferred so that WAL lets any number of them run beside the writer.
        writer = may_write()
        connection.info["crm_deferred"] = not writer
        # Straight to the driver: this runs before every transaction, and a statement through the engine costs more
        # than the read it opens.
        connection.connection.dbapi_connection.execute("BEGIN IMMEDIATE" if writer else "BEGIN DEFERRED")

    @event.listens_for(engine, "before_cursor_execute")
    def warn_deferred_write(connection, _cursor, statement, _parameters, _context, _executemany):
        # Only a transaction that really began deferred is at risk (tests that share one outer transaction
        # write their fixtures from within requests, harmlessly).
        if not connection.info.get("crm_deferred") or not statement[:40].lstrip()[:6].upper().startswith(WRITE_VERBS):
            return
        warnings.warn(f"{_where()} wrote in a read-only transaction; mark it @writes_on_read",
                      DeferredWriteWarning, stacklevel=2)


_compiled: dict = {}


def first_row_raw(engine: Engine, statement, params: dict):
    """The first row of a Core statement sent straight to a pooled driver connection, as its own read (SQLite runs
    it in autocommit; elsewhere the pool rolls back when the connection returns). For answers given before Flask
    builds a request, where the engine's per-statement work costs more than the read itself. Events do not see it.
    """
    key = (statement, engine.dialect.name)
    compiled = _compiled.get(key)
    if compiled is None:
        compiled = _compiled[key] = statement.compile(dialect=engine.dialect)
    values = compiled.construct_params(params)
    arguments = tuple(values[name] for name in compiled.positiontup) if compiled.positional else values
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute(compiled.string, arguments)
        row = cursor.fetchone()
        cursor.close()
        return row
    finally:
        connection.close()


def _where() -> str:
    return f"{request.method} {request.endpoint}" if has_request_context() else "A read-only command"


def is_postgres(engine_or_session) -> bool:
    bind = getattr(engine_or_session, "bind", None) or engine_or_session
    return bind.dialect.name == "postgresql"
