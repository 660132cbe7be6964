"""Copy a SQLite instance into an empty PostgreSQL database, keeping every row, id and relationship."""

from collections.abc import Callable

from sqlalchemy import MetaData, Table, create_engine, func, inspect, select, text, update
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import SQLAlchemyError

from crm.core.logging import error_reason
from crm.ops.backup import BackupError, table_counts

BATCH_SIZE = 1000


def _target_is_empty(engine: Engine, metadata: MetaData) -> list[str]:
    """Names of the tables that already hold rows (an empty list means the target may be filled)."""
    inspector = inspect(engine)
    existing = set(inspector.get_table_names())
    busy = []
    with engine.connect() as connection:
        for name in sorted(existing):
            if name == "alembic_version":
                continue
            table = metadata.tables.get(name)
            count = connection.execute(
                select(func.count()).select_from(table if table is not None else text(f'"{name}"'))
            ).scalar_one()
            if count:
                busy.append(name)
    return busy


def _deferred_columns(table: Table, order: dict[str, int]) -> list[str]:
    """Foreign keys to the same table (or to a later one): inserted as NULL, filled in afterwards."""
    columns = []
    for fk in table.foreign_keys:
        if order.get(fk.column.table.name, -1) >= order[table.name] and fk.parent.nullable:
            columns.append(fk.parent.name)
    return columns


def _copy_table(source: Connection, target: Connection, table: Table, deferred: list[str]) -> int:
    order_by = list(table.primary_key.columns) or list(table.columns)
    result = source.execution_options(yield_per=BATCH_SIZE).execute(select(table).order_by(*order_by))
    later: list[dict] = []
    copied = 0
    for partition in result.partitions(BATCH_SIZE):
        rows = [dict(row._mapping) for row in partition]
        if deferred:
            for row in rows:
                values = {name: row[name] for name in deferred if row[name] is not None}
                if values:
                    later.append({**{c.name: row[c.name] for c in table.primary_key.columns}, **values})
                    for name in values:
                        row[name] = None
        target.execute(table.insert(), rows)
        copied += len(rows)
    for values in later:
        keys = {c.name: values.pop(c.name) for c in table.primary_key.columns}
        condition = [table.c[name] == value for name, value in keys.items()]
        target.execute(update(table).where(*condition).values(**values))
    return copied


def _reset_sequences(target: Connection, metadata: MetaData) -> None:
    """Make the next generated id follow the copied ones (setval to max(id))."""
    for table in metadata.sorted_tables:
        columns = list(table.primary_key.columns)
        if len(columns) != 1:
            continue
        column = columns[0].name
        sequence = target.execute(
            text("SELECT pg_get_serial_sequence(:table, :column)"), {"table": f'"{table.name}"', "column": column}
        ).scalar()
        if sequence:
            target.execute(
                text(f'SELECT setval(:seq, COALESCE(MAX("{column}"), 1), MAX("{column}") IS NOT NULL) FROM "{table.name}"'),
                {"seq": sequence},
            )


def copy_to_postgres(
    source_engine: Engine,
    target_url: str,
    metadata: MetaData,
    echo: Callable[[str], None] = print,
    create_schema: Callable[[Engine], None] | None = None,
) -> dict[str, tuple[int, int]]:
    """Copy every table in foreign-key order inside one target transaction; returns {table: (source, target)}."""
    if make_url(target_url).get_backend_name() != "postgresql":
        raise BackupError("The target must be a PostgreSQL URL (postgresql+psycopg://user:password@host/dbname).")
    target_engine = create_engine(target_url)
    try:
        busy = _target_is_empty(target_engine, metadata)
        if busy:
            raise BackupError(f"The target database is not empty (rows in: {', '.join(busy)}); refusing to copy.")
        (create_schema or metadata.create_all)(target_engine)
        tables = metadata.sorted_tables
        order = {table.name: index for index, table in enumerate(tables)}
        with source_engine.connect() as source, target_engine.begin() as target:
            # A source made by an older release may lack a newer table: it simply has no rows to copy.
            present = set(inspect(source).get_table_names())
            for table in tables:
                if table.name not in present:
                    echo(f"  skipped {table.name}: not in the source database")
                    continue
                try:
                    copied = _copy_table(source, target, table, _deferred_columns(table, order))
                except SQLAlchemyError as error:
                    # Nothing is kept: the whole copy is one transaction. Name the table and the reason.
                    reason = error_reason(error)
                    raise BackupError(f"Copying {table.name} failed, nothing was copied: {reason}") from error
                echo(f"  copied {table.name}: {copied}")
            _reset_sequences(target, metadata)
        with source_engine.connect() as source, target_engine.connect() as target:
            before, after = table_counts(source, metadata), table_counts(target, metadata)
        return {name: (before[name], after[name]) for name in before}
    finally:
        target_engine.dispose()
