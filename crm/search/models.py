"""The search index: one row per searchable object, its words already folded by crm.core.text.fold.

The database's own full-text engine indexes these rows: an FTS5 table kept in step by triggers on SQLite, and
generated tsvector columns with GIN indexes on PostgreSQL. Neither is part of the ORM metadata, so both are
created here on `create_all` and by the migration through the same statements.
"""

from datetime import date, datetime

from sqlalchemy import Date, Integer, String, Text, UniqueConstraint, event, text
from sqlalchemy.orm import Mapped, mapped_column

from crm.core.types import UTCDateTime
from crm.extensions import db


class SearchDocument(db.Model):
    __tablename__ = "search_documents"
    __table_args__ = (UniqueConstraint("kind", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[int] = mapped_column(Integer)
    # The legislator an aide works for: aides have no page of their own, their legislator's profile lists them.
    parent_id: Mapped[int | None] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    subtitle: Mapped[str | None] = mapped_column(String(300))
    variant: Mapped[str | None] = mapped_column(String(20))
    at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    on_date: Mapped[date | None] = mapped_column(Date)
    title_words: Mapped[str] = mapped_column(Text, default="")
    open_words: Mapped[str] = mapped_column(Text, default="")
    # Words only staff may match: internal notes and outcomes, the team's notes about people and partners.
    private_words: Mapped[str] = mapped_column(Text, default="")


_COLUMNS = "title_words, open_words, private_words"
SQLITE_DDL = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    f"{_COLUMNS}, content='search_documents', content_rowid='id', "
    "tokenize='unicode61 remove_diacritics 2', prefix='2 3')",
    "CREATE TRIGGER IF NOT EXISTS search_documents_ai AFTER INSERT ON search_documents BEGIN "
    f"INSERT INTO search_fts(rowid, {_COLUMNS}) VALUES (new.id, new.title_words, new.open_words, new.private_words); END",
    "CREATE TRIGGER IF NOT EXISTS search_documents_ad AFTER DELETE ON search_documents BEGIN "
    f"INSERT INTO search_fts(search_fts, rowid, {_COLUMNS}) "
    "VALUES ('delete', old.id, old.title_words, old.open_words, old.private_words); END",
    "CREATE TRIGGER IF NOT EXISTS search_documents_au AFTER UPDATE ON search_documents BEGIN "
    f"INSERT INTO search_fts(search_fts, rowid, {_COLUMNS}) "
    "VALUES ('delete', old.id, old.title_words, old.open_words, old.private_words); "
    f"INSERT INTO search_fts(rowid, {_COLUMNS}) VALUES (new.id, new.title_words, new.open_words, new.private_words); END",
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS search_documents_ai",
    "DROP TRIGGER IF EXISTS search_documents_ad",
    "DROP TRIGGER IF EXISTS search_documents_au",
    "DROP TABLE IF EXISTS search_fts",
)
# Title words weigh most (A), then the open text (B), then what only staff may match (C). Two vectors, because
# a partner account must not match private words at all, not merely rank them lower.
_OPEN = "setweight(to_tsvector('simple', title_words), 'A') || setweight(to_tsvector('simple', open_words), 'B')"
POSTGRES_DDL = (
    f"ALTER TABLE search_documents ADD COLUMN tsv_open tsvector GENERATED ALWAYS AS ({_OPEN}) STORED",
    "ALTER TABLE search_documents ADD COLUMN tsv_all tsvector GENERATED ALWAYS AS "
    f"({_OPEN} || setweight(to_tsvector('simple', private_words), 'C')) STORED",
    "CREATE INDEX ix_search_documents_tsv_open ON search_documents USING gin (tsv_open)",
    "CREATE INDEX ix_search_documents_tsv_all ON search_documents USING gin (tsv_all)",
)
ENGINE_TABLES = {"search_fts", "search_fts_data", "search_fts_idx", "search_fts_docsize", "search_fts_config"}
ENGINE_COLUMNS = {"tsv_open", "tsv_all"}
ENGINE_INDEXES = {"ix_search_documents_tsv_open", "ix_search_documents_tsv_all"}


def create_engine_index(connection) -> None:
    statements = SQLITE_DDL if connection.dialect.name == "sqlite" else POSTGRES_DDL
    for statement in statements:
        connection.execute(text(statement))


def drop_engine_index(connection) -> None:
    if connection.dialect.name == "sqlite":
        for statement in SQLITE_DROP:
            connection.execute(text(statement))


def is_schema_object(obj, name, type_, reflected, compare_to) -> bool:
    """Alembic's include_object: the engine's own index objects are not models, so autogenerate leaves them."""
    if type_ == "table":
        return name not in ENGINE_TABLES
    if type_ == "column" and obj.table.name == "search_documents":
        return name not in ENGINE_COLUMNS
    if type_ == "index":
        return name not in ENGINE_INDEXES
    return True


@event.listens_for(SearchDocument.__table__, "after_create")
def _after_create(table, connection, **kw):
    create_engine_index(connection)


@event.listens_for(SearchDocument.__table__, "before_drop")
def _before_drop(table, connection, **kw):
    drop_engine_index(connection)
