"""search: one index for the header's search box

Additive only: a new table and the database's own full-text index beside it (FTS5 on SQLite, generated
tsvector columns with GIN indexes on PostgreSQL), filled from the existing rows.

Accents and case are folded before indexing by crm.core.text.fold (the one folding definition, the same that
builds legislators' search_name), so PostgreSQL needs no `unaccent` extension: unaccent would be a second,
different folding, and it is not IMMUTABLE, so it could not back a generated column or an index anyway.

Revision ID: 0009
Revises: 0008
"""
from alembic import op
import sqlalchemy as sa

import crm.core.types


revision = '0009'
down_revision = '0008'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'search_documents',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=20), nullable=False),
        sa.Column('object_id', sa.Integer(), nullable=False),
        sa.Column('parent_id', sa.Integer(), nullable=True),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('subtitle', sa.String(length=300), nullable=True),
        sa.Column('variant', sa.String(length=20), nullable=True),
        sa.Column('at', crm.core.types.UTCDateTime(timezone=True), nullable=True),
        sa.Column('on_date', sa.Date(), nullable=True),
        sa.Column('title_words', sa.Text(), nullable=False),
        sa.Column('open_words', sa.Text(), nullable=False),
        sa.Column('private_words', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_search_documents')),
        sa.UniqueConstraint('kind', 'object_id', name=op.f('uq_search_documents_kind_object_id')),
    )
    # In the function: the app's modules are only needed when this revision runs.
    from crm.search.documents import rebuild
    from crm.search.models import create_engine_index

    connection = op.get_bind()
    create_engine_index(connection)
    rebuild(connection)


def downgrade():
    from crm.search.models import drop_engine_index

    drop_engine_index(op.get_bind())
    op.drop_table('search_documents')
