"""re-index legislators' search names: every Latin letter folded to its plain form (ø -> o, ł -> l)

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04 12:00:00.000000

Data only, no schema change: search_name is recomputed with the current fold(), so stored names and typed
queries fold the same way ("bjorno" finds Bjørnø). Rows whose key does not change are not touched.
"""
from alembic import op
import sqlalchemy as sa

from crm.legislature.operations import search_key


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

legislators = sa.table(
    'legislators', sa.column('id', sa.Integer), sa.column('full_name', sa.String), sa.column('given_name', sa.String),
    sa.column('family_name', sa.String), sa.column('search_name', sa.String),
)


def upgrade():
    connection = op.get_bind()
    rows = connection.execute(sa.select(
        legislators.c.id, legislators.c.full_name, legislators.c.given_name, legislators.c.family_name,
        legislators.c.search_name,
    )).all()
    changed = [{'row_id': row.id, 'key': search_key(row)} for row in rows if search_key(row) != row.search_name]
    if changed:
        connection.execute(
            legislators.update().where(legislators.c.id == sa.bindparam('row_id')).values(search_name=sa.bindparam('key')),
            changed,
        )


def downgrade():
    pass  # the previous keys are a subset of what the new fold finds; nothing to undo
