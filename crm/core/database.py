"""Engine settings: SQLite gets foreign keys, WAL, a busy timeout and immediate write locks."""

from sqlalchemy import event
from sqlalchemy.engine import Engine


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
        # Take the write lock up front so concurrent writers wait instead of failing with "database is locked".
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def is_postgres(engine_or_session) -> bool:
    bind = getattr(engine_or_session, "bind", None) or engine_or_session
    return bind.dialect.name == "postgresql"
