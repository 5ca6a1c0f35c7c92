"""occasions and holidays (KER-19)

Revision ID: k0004occasions
Revises: k0003snippets
Create Date: 2026-12-06 15:10:00
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = 'k0004occasions'
down_revision = 'k0003snippets'
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    table = op.create_table('kernel_occasion',
    sa.Column('year', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=60), nullable=False),
    sa.Column('occurrence', sa.Integer(), server_default='1', nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('name_en', sa.String(length=200), server_default='', nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('calendar', sa.String(length=10), server_default='jalali', nullable=False),
    sa.Column('month', sa.Integer(), server_default='0', nullable=False),
    sa.Column('day', sa.Integer(), server_default='0', nullable=False),
    sa.Column('holiday', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('religion', sa.String(length=20), server_default='', nullable=False),
    sa.Column('sect', sa.String(length=20), server_default='', nullable=False),
    sa.Column('source', sa.String(length=10), server_default='computed', nullable=False),
    sa.Column('id', _ID, nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('created_by_id', _ID, nullable=True),
    sa.Column('updated_by_id', _ID, nullable=True),
    sa.Column('owner_id', _ID, nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['kernel_user.id'], name=op.f('fk_kernel_occasion_created_by_id_kernel_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['owner_id'], ['kernel_user.id'], name=op.f('fk_kernel_occasion_owner_id_kernel_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['kernel_user.id'], name=op.f('fk_kernel_occasion_updated_by_id_kernel_user'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kernel_occasion')),
    sa.UniqueConstraint('year', 'key', 'occurrence', name=op.f('uq_kernel_occasion_year')),
    )
    with op.batch_alter_table('kernel_occasion', schema=None) as batch_op:
        batch_op.create_index('ix_kernel_occasion_date', ['date'], unique=False)
        batch_op.create_index(batch_op.f('ix_kernel_occasion_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index('ix_kernel_occasion_trash', ['deleted_at'], unique=False, sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))

    # Data, not schema: the shipped occasions of 1404–1406 (later years: the yearly job and
    # `peyvand occasions fill YEAR`). computed_rows returns plain dicts of the columns above.
    from kernel.occasions.fill import SHIPPED_YEARS, computed_rows

    now = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    rows = [{**row, 'created_at': now, 'updated_at': now} for year in SHIPPED_YEARS for row in computed_rows(year)]
    op.bulk_insert(table, rows)


def downgrade() -> None:
    with op.batch_alter_table('kernel_occasion', schema=None) as batch_op:
        batch_op.drop_index('ix_kernel_occasion_trash', sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))
        batch_op.drop_index(batch_op.f('ix_kernel_occasion_owner_id'))
        batch_op.drop_index('ix_kernel_occasion_date')

    op.drop_table('kernel_occasion')
