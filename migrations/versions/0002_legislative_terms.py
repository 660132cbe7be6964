"""legislative terms, seats linked to their term, pinned legislatures

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03 14:00:00

Additive: a new table and two new columns. Existing data gets one term per legislature from the
legislature's own dates and label, each seat is linked to that term, and memberships with no end inherit
the end of a term that has one (the 2011-2016 Congress stops "sitting" on 26 July 2016).
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('legislative_terms',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('legislature_id', sa.Integer(), nullable=False),
    sa.Column('label', sa.String(length=80), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('end_date', sa.Date(), nullable=True),
    sa.ForeignKeyConstraint(['legislature_id'], ['legislatures.id'], name=op.f('fk_legislative_terms_legislature_id_legislatures'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_legislative_terms')),
    sa.UniqueConstraint('legislature_id', 'label', name=op.f('uq_legislative_terms_legislature_id_label'))
    )
    with op.batch_alter_table('legislative_terms', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_legislative_terms_legislature_id'), ['legislature_id'], unique=False)

    with op.batch_alter_table('legislatures', schema=None) as batch_op:
        batch_op.add_column(sa.Column('pinned', sa.Boolean(), server_default='0', nullable=False))

    with op.batch_alter_table('seat_memberships', schema=None) as batch_op:
        batch_op.add_column(sa.Column('term_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_seat_memberships_term_id'), ['term_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_seat_memberships_term_id_legislative_terms'), 'legislative_terms', ['term_id'], ['id'], ondelete='SET NULL')

    _backfill()


def _backfill():
    op.execute(
        "INSERT INTO legislative_terms (legislature_id, label, start_date, end_date) "
        "SELECT id, COALESCE(NULLIF(TRIM(period_label), ''), name), start_date, end_date FROM legislatures"
    )
    term_of_chamber = (
        "(SELECT t.{column} FROM legislative_terms t JOIN chambers c ON c.legislature_id = t.legislature_id "
        "WHERE c.id = seat_memberships.chamber_id)"
    )
    op.execute(f"UPDATE seat_memberships SET term_id = {term_of_chamber.format(column='id')}")
    op.execute(
        "UPDATE seat_memberships SET start_date = (SELECT t.start_date FROM legislative_terms t "
        "WHERE t.id = seat_memberships.term_id) WHERE start_date IS NULL"
    )
    op.execute(
        "UPDATE seat_memberships SET end_date = (SELECT t.end_date FROM legislative_terms t "
        "WHERE t.id = seat_memberships.term_id) WHERE end_date IS NULL"
    )
    op.execute(
        "UPDATE group_memberships SET end_date = (SELECT t.end_date FROM legislative_terms t "
        "JOIN groups g ON g.legislature_id = t.legislature_id WHERE g.id = group_memberships.group_id) "
        "WHERE end_date IS NULL"
    )
    op.execute(
        "UPDATE committee_memberships SET end_date = (SELECT t.end_date FROM legislative_terms t "
        "JOIN chambers c ON c.legislature_id = t.legislature_id JOIN committees m ON m.chamber_id = c.id "
        "WHERE m.id = committee_memberships.committee_id) WHERE end_date IS NULL"
    )


def downgrade():
    with op.batch_alter_table('seat_memberships', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_seat_memberships_term_id_legislative_terms'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_seat_memberships_term_id'))
        batch_op.drop_column('term_id')

    with op.batch_alter_table('legislatures', schema=None) as batch_op:
        batch_op.drop_column('pinned')

    with op.batch_alter_table('legislative_terms', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_legislative_terms_legislature_id'))

    op.drop_table('legislative_terms')
