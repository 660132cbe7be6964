"""rate limits shared by every worker: login and password-reset counters

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03 12:00:00.000000

Additive only: users.failed_logins and users.locked_until are no longer used but stay until a later release.
"""
from alembic import op
import sqlalchemy as sa

import crm.core.types


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('rate_limits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('scope', sa.String(length=32), nullable=False),
    sa.Column('key', sa.String(length=64), nullable=False),
    sa.Column('failures', sa.Integer(), nullable=False),
    sa.Column('window_started_at', crm.core.types.UTCDateTime(timezone=True), nullable=False),
    sa.Column('blocked_until', crm.core.types.UTCDateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rate_limits')),
    sa.UniqueConstraint('scope', 'key', name=op.f('uq_rate_limits_scope_key'))
    )
    with op.batch_alter_table('rate_limits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rate_limits_blocked_until'), ['blocked_until'], unique=False)


def downgrade():
    with op.batch_alter_table('rate_limits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rate_limits_blocked_until'))

    op.drop_table('rate_limits')
