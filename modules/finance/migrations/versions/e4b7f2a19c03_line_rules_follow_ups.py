"""finance lines keep the rules that set their price and discount; follow-ups of proformas and
the list of reasons to cancel one

Revision ID: e4b7f2a19c03
Revises: f3b1c8d2e4a7
Create Date: 2026-12-08 10:00:00
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = 'e4b7f2a19c03'
down_revision = 'f3b1c8d2e4a7'
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
_LINES = ('finance_proforma_line', 'finance_invoice_line')
# Editable afterwards (finance.cancel_reason); a proforma cannot be cancelled without one.
REASONS = ('مشتری از جای دیگری خرید کرد', 'قیمت برای مشتری بالا بود', 'مشتری از خرید منصرف شد',
           'موجودی کالا کافی نبود', 'پیش‌فاکتور تکراری بود')


def upgrade() -> None:
    for table in _LINES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('discount_rule', sa.String(length=120), nullable=True))
            batch_op.add_column(sa.Column('price_by_hand', sa.Boolean(), server_default='0', nullable=False))
            batch_op.add_column(sa.Column('discount_by_hand', sa.Boolean(), server_default='0', nullable=False))

    op.create_table('finance_cancel_reason',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('sequence', sa.Integer(), server_default='0', nullable=False),
    sa.Column('active', sa.Boolean(), server_default='1', nullable=False),
    sa.Column('id', _ID, nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('created_by_id', _ID, nullable=True),
    sa.Column('updated_by_id', _ID, nullable=True),
    sa.Column('owner_id', _ID, nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['kernel_user.id'], name=op.f('fk_finance_cancel_reason_created_by_id_kernel_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['owner_id'], ['kernel_user.id'], name=op.f('fk_finance_cancel_reason_owner_id_kernel_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['kernel_user.id'], name=op.f('fk_finance_cancel_reason_updated_by_id_kernel_user'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finance_cancel_reason'))
    )
    with op.batch_alter_table('finance_cancel_reason', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finance_cancel_reason_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index('ix_finance_cancel_reason_trash', ['deleted_at'], unique=False, sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))

    op.create_table('finance_follow_up',
    sa.Column('id', _ID, nullable=False),
    sa.Column('proforma_id', _ID, nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('user_id', _ID, nullable=True),
    sa.Column('assignee_id', _ID, nullable=True),
    sa.Column('note', sa.Text(), nullable=True),
    sa.Column('next_at', sa.DateTime(), nullable=True),
    sa.Column('reminder_id', sa.BigInteger(), nullable=True),
    sa.Column('cancel_reason', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['assignee_id'], ['kernel_user.id'], name=op.f('fk_finance_follow_up_assignee_id_kernel_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['proforma_id'], ['finance_proforma.id'], name=op.f('fk_finance_follow_up_proforma_id_finance_proforma'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['kernel_user.id'], name=op.f('fk_finance_follow_up_user_id_kernel_user'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finance_follow_up'))
    )
    with op.batch_alter_table('finance_follow_up', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finance_follow_up_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_index('ix_finance_follow_up_doc', ['proforma_id', 'id'], unique=False)

    reasons = sa.table('finance_cancel_reason', sa.column('name', sa.String), sa.column('sequence', sa.Integer),
                       sa.column('created_at', sa.DateTime), sa.column('updated_at', sa.DateTime))
    now = dt.datetime(2026, 12, 8)
    op.bulk_insert(reasons, [{'name': name, 'sequence': i, 'created_at': now, 'updated_at': now}
                             for i, name in enumerate(REASONS, 1)])


def downgrade() -> None:
    op.drop_table('finance_follow_up')
    op.drop_table('finance_cancel_reason')
    for table in _LINES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('discount_by_hand')
            batch_op.drop_column('price_by_hand')
            batch_op.drop_column('discount_rule')
