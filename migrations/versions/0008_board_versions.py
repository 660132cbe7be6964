"""board versions: one random token per cached page scope (0: shared rows, N: campaign N)

Additive only: a new table, and an index for the board's recent stance changes. The shared scope starts with a token so the first view after the upgrade is cached.

Revision ID: 0008
Revises: 0007
"""
import secrets

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    table = op.create_table(
        'board_versions',
        sa.Column('scope', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('token', sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint('scope', name=op.f('pk_board_versions')),
    )
    op.bulk_insert(table, [{'scope': 0, 'token': secrets.randbits(62)}])
    with op.batch_alter_table('stance_assessments', schema=None) as batch_op:
        batch_op.create_index('ix_stance_assessments_recent', ['campaign_id', 'assessed_at'], unique=False)


def downgrade():
    with op.batch_alter_table('stance_assessments', schema=None) as batch_op:
        batch_op.drop_index('ix_stance_assessments_recent')
    op.drop_table('board_versions')
