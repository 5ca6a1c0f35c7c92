"""commissions (FIN-13): the tree of sales agents, the commission rows and their payments; the
documents' agency; invoice lines keep the product's commission percentages they were sold at

Revision ID: a6c3e8f2d417
Revises: b8e4d2a6c317
Create Date: 2026-12-07 02:30:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = 'a6c3e8f2d417'
down_revision = 'b8e4d2a6c317'
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
_LIVE = sa.text('deleted_at IS NULL')
_UNPAID = sa.text('payment_id IS NULL AND deleted_at IS NULL')


def _record(table: str) -> list[Any]:
    """The columns and keys every business record has (kernel.Record)."""
    return [
        sa.Column('id', _ID, nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('deleted_at', sa.DateTime(), nullable=True),
        sa.Column('created_by_id', _ID, nullable=True),
        sa.Column('updated_by_id', _ID, nullable=True),
        sa.Column('owner_id', _ID, nullable=True),
        *[sa.ForeignKeyConstraint([c], ['kernel_user.id'], name=f'fk_{table}_{c}_kernel_user', ondelete='RESTRICT')
          for c in ('created_by_id', 'owner_id', 'updated_by_id')],
        sa.PrimaryKeyConstraint('id', name=f'pk_{table}'),
    ]


def _record_indexes(table: str) -> None:
    op.create_index(f'ix_{table}_owner_id', table, ['owner_id'], unique=False)
    op.create_index(f'ix_{table}_trash', table, ['deleted_at'], unique=False,
                    sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))


def _fk(column: str, table: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f'{target}.id'], name=f'fk_{table}_{column}_{target}')


def upgrade() -> None:
    for table in ('finance_proforma', 'finance_invoice'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('agency_id', _ID, nullable=True))
            batch_op.create_foreign_key(f'fk_{table}_agency_id_base_partner', 'base_partner', ['agency_id'], ['id'])
            batch_op.create_index(f'ix_{table}_agency_id', ['agency_id'], unique=False)
    with op.batch_alter_table('finance_invoice_line', schema=None) as batch_op:
        batch_op.add_column(sa.Column('marketer_rate', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('agency_rate', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('rated_product_id', sa.BigInteger(), nullable=True))

    t = 'finance_agent'
    op.create_table(t,
        sa.Column('partner_id', _ID, nullable=False),
        sa.Column('parent_id', _ID, nullable=True),
        sa.Column('parent_share', sa.Integer(), nullable=True),
        sa.Column('user_id', _ID, nullable=True),
        sa.Column('note', sa.String(length=300), nullable=True),
        *_record(t), _fk('partner_id', t, 'base_partner'), _fk('parent_id', t, t), _fk('user_id', t, 'kernel_user'))
    _record_indexes(t)
    op.create_index('ix_finance_agent_parent_id', t, ['parent_id'], unique=False)
    op.create_index('ix_finance_agent_user_id', t, ['user_id'], unique=False)
    op.create_index('ux_finance_agent_partner_live', t, ['partner_id'], unique=True,
                    sqlite_where=_LIVE, postgresql_where=_LIVE)

    t = 'finance_commission_payment'
    op.create_table(t,
        sa.Column('paid_on', sa.Date(), nullable=False),
        sa.Column('reference', sa.String(length=100), nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        sa.Column('note', sa.String(length=300), nullable=True),
        *_record(t))
    _record_indexes(t)
    op.create_index('ix_finance_commission_payment_paid_on', t, ['paid_on'], unique=False)

    t = 'finance_commission'
    op.create_table(t,
        sa.Column('invoice_id', _ID, nullable=False),
        sa.Column('invoice_line_id', sa.BigInteger(), nullable=True),
        sa.Column('agent_id', _ID, nullable=False),
        sa.Column('seller_id', _ID, nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('level', sa.Integer(), nullable=False),
        sa.Column('base', sa.BigInteger(), nullable=False),
        sa.Column('rate', sa.Integer(), nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        sa.Column('date', sa.Date(), nullable=False),
        sa.Column('reversal_of_id', _ID, nullable=True),
        sa.Column('reversed', sa.Boolean(), server_default='0', nullable=False),
        sa.Column('agent_user_id', _ID, nullable=True),
        sa.Column('payment_id', _ID, nullable=True),
        sa.Column('paid_on', sa.Date(), nullable=True),
        *_record(t), _fk('invoice_id', t, 'finance_invoice'), _fk('agent_id', t, 'base_partner'),
        _fk('seller_id', t, 'base_partner'), _fk('reversal_of_id', t, t), _fk('agent_user_id', t, 'kernel_user'),
        _fk('payment_id', t, 'finance_commission_payment'))
    _record_indexes(t)
    op.create_index('ix_finance_commission_agent_date', t, ['agent_id', 'date', 'id'], unique=False)
    op.create_index('ix_finance_commission_invoice', t, ['invoice_id', 'id'], unique=False)
    op.create_index('ix_finance_commission_unpaid', t, ['agent_id', 'id'], unique=False,
                    sqlite_where=_UNPAID, postgresql_where=_UNPAID)
    op.create_index('ix_finance_commission_seller_id', t, ['seller_id'], unique=False)
    op.create_index('ix_finance_commission_date', t, ['date'], unique=False)
    op.create_index('ix_finance_commission_agent_user_id', t, ['agent_user_id'], unique=False)
    op.create_index('ix_finance_commission_payment_id', t, ['payment_id'], unique=False)


def downgrade() -> None:
    op.drop_table('finance_commission')
    op.drop_table('finance_commission_payment')
    op.drop_table('finance_agent')
    with op.batch_alter_table('finance_invoice_line', schema=None) as batch_op:
        batch_op.drop_column('rated_product_id')
        batch_op.drop_column('agency_rate')
        batch_op.drop_column('marketer_rate')
    for table in ('finance_invoice', 'finance_proforma'):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(f'ix_{table}_agency_id')
            batch_op.drop_constraint(f'fk_{table}_agency_id_base_partner', type_='foreignkey')
            batch_op.drop_column('agency_id')
