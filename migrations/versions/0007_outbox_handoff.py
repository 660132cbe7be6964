"""outbox: handoff marker and unknown-outcome count

Additive only: a nullable column and a column with a server default, so the previous release keeps working.

Revision ID: 0007
Revises: 0006
"""
from alembic import op
import sqlalchemy as sa

import crm.core.types


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('outbound_emails', schema=None) as batch_op:
        batch_op.add_column(sa.Column('handoff_at', crm.core.types.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('unknown_outcomes', sa.Integer(), server_default='0', nullable=False))


def downgrade():
    with op.batch_alter_table('outbound_emails', schema=None) as batch_op:
        batch_op.drop_column('unknown_outcomes')
        batch_op.drop_column('handoff_at')
