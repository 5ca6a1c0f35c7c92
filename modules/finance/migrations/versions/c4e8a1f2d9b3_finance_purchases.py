"""purchases (FIN-18) and average cost (FIN-14): purchase invoices, their lines, payments to
suppliers, our own cheques, each product's average cost and its moves; invoice lines keep the
cost they were sold at

Revision ID: c4e8a1f2d9b3
Revises: a7d4c2e9b1f6
Create Date: 2026-12-07 05:45:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = 'c4e8a1f2d9b3'
down_revision = 'a7d4c2e9b1f6'
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
_QTY = sa.Numeric(18, 3)


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


def _fk(column: str, table: str, target: str, ondelete: str | None = None) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint([column], [f'{target}.id'], name=f'fk_{table}_{column}_{target}',
                                   ondelete=ondelete)


def upgrade() -> None:
    with op.batch_alter_table('finance_invoice_line', schema=None) as batch_op:
        batch_op.add_column(sa.Column('cost', sa.BigInteger(), nullable=True))

    t = 'finance_purchase'
    op.create_table(t,
        sa.Column('number', sa.String(length=40), nullable=True),
        sa.Column('partner_id', _ID, nullable=False),
        sa.Column('supplier_number', sa.String(length=60), nullable=True),
        sa.Column('date', sa.Date(), nullable=False),
        sa.Column('state', sa.String(length=12), server_default='draft', nullable=False),
        sa.Column('notes', sa.Text(), nullable=True),
        sa.Column('vat_rate_bp', sa.Integer(), server_default='0', nullable=False),
        sa.Column('municipal_rate_bp', sa.Integer(), server_default='0', nullable=False),
        *[sa.Column(c, sa.BigInteger(), server_default='0', nullable=False)
          for c in ('net_amount', 'vat_amount', 'municipal_amount', 'grand_total', 'paid', 'balance')],
        sa.Column('posted_at', sa.DateTime(), nullable=True),
        sa.Column('void_reason', sa.String(length=300), nullable=True),
        sa.Column('voided_at', sa.DateTime(), nullable=True),
        *_record(t), _fk('partner_id', t, 'base_partner'),
        sa.UniqueConstraint('number', name='uq_finance_purchase_number'))
    _record_indexes(t)
    op.create_index('ix_finance_purchase_partner_date', t, ['partner_id', 'date', 'id'], unique=False)
    op.create_index('ix_finance_purchase_date', t, ['date'], unique=False)
    op.create_index('ix_finance_purchase_state', t, ['state'], unique=False)

    t = 'finance_purchase_line'
    op.create_table(t,
        sa.Column('id', _ID, nullable=False),
        sa.Column('purchase_id', _ID, nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('product_id', _ID, nullable=False),
        sa.Column('quantity', _QTY, nullable=False),
        sa.Column('unit_cost', sa.BigInteger(), nullable=False),
        sa.Column('discount_kind', sa.String(length=10), server_default='percent', nullable=False),
        sa.Column('discount_value', sa.Numeric(18, 2), server_default='0', nullable=False),
        sa.Column('tax_exempt', sa.Boolean(), nullable=False),
        *[sa.Column(c, sa.BigInteger(), nullable=False)
          for c in ('gross', 'discount_amount', 'taxable', 'vat', 'municipal', 'total')],
        _fk('purchase_id', t, 'finance_purchase', 'CASCADE'), _fk('product_id', t, 'finance_product'),
        sa.PrimaryKeyConstraint('id', name=f'pk_{t}'))
    op.create_index('ix_finance_purchase_line_doc', t, ['purchase_id', 'position', 'id'], unique=False)
    op.create_index('ix_finance_purchase_line_product_id', t, ['product_id'], unique=False)

    t = 'finance_own_cheque'
    op.create_table(t,
        sa.Column('partner_id', _ID, nullable=False),
        sa.Column('account_id', _ID, nullable=False),
        sa.Column('number', sa.String(length=30), nullable=False),
        sa.Column('sayad_id', sa.String(length=16), nullable=True),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        sa.Column('issued_on', sa.Date(), nullable=False),
        sa.Column('due_date', sa.Date(), nullable=False),
        sa.Column('state', sa.String(length=12), server_default='issued', nullable=False),
        sa.Column('state_on', sa.Date(), nullable=True),
        *_record(t), _fk('partner_id', t, 'base_partner'), _fk('account_id', t, 'finance_bank_account'))
    _record_indexes(t)
    op.create_index('ix_finance_own_cheque_due', t, ['due_date', 'id'], unique=False)
    for c in ('partner_id', 'account_id', 'number', 'state'):
        op.create_index(f'ix_finance_own_cheque_{c}', t, [c], unique=False)

    t = 'finance_purchase_payment'
    op.create_table(t,
        sa.Column('purchase_id', _ID, nullable=False),
        sa.Column('date', sa.Date(), nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        sa.Column('method', sa.String(length=12), server_default='cash', nullable=False),
        sa.Column('account_id', _ID, nullable=True),
        sa.Column('reference', sa.String(length=60), nullable=True),
        sa.Column('cheque_id', _ID, nullable=True),
        sa.Column('own_cheque_id', _ID, nullable=True),
        sa.Column('note', sa.String(length=300), nullable=True),
        sa.Column('cancelled_on', sa.Date(), nullable=True),
        *_record(t), _fk('purchase_id', t, 'finance_purchase'), _fk('account_id', t, 'finance_bank_account'),
        _fk('cheque_id', t, 'finance_cheque'), _fk('own_cheque_id', t, 'finance_own_cheque'))
    _record_indexes(t)
    op.create_index('ix_finance_purchase_payment_purchase', t, ['purchase_id', 'date', 'id'], unique=False)
    for c in ('date', 'account_id', 'cheque_id', 'own_cheque_id'):
        op.create_index(f'ix_finance_purchase_payment_{c}', t, [c], unique=False)

    t = 'finance_product_cost'
    op.create_table(t,
        sa.Column('product_id', _ID, nullable=False),
        sa.Column('on_hand', _QTY, nullable=False),
        sa.Column('avg_cost', sa.BigInteger(), nullable=False),
        sa.Column('purchases', sa.BigInteger(), nullable=False),
        _fk('product_id', t, 'finance_product', 'CASCADE'),
        sa.PrimaryKeyConstraint('product_id', name=f'pk_{t}'))

    t = 'finance_stock_move'
    op.create_table(t,
        sa.Column('id', _ID, nullable=False),
        sa.Column('product_id', _ID, nullable=False),
        sa.Column('on', sa.Date(), nullable=False),
        sa.Column('quantity', _QTY, nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        sa.Column('source', sa.String(length=12), nullable=False),
        sa.Column('source_id', sa.BigInteger(), nullable=False),
        sa.Column('line_id', sa.BigInteger(), nullable=False),
        sa.Column('cancelled', sa.Boolean(), nullable=False),
        _fk('product_id', t, 'finance_product', 'CASCADE'),
        sa.PrimaryKeyConstraint('id', name=f'pk_{t}'))
    op.create_index('ix_finance_stock_move_product', t, ['product_id', 'id'], unique=False)
    op.create_index('ix_finance_stock_move_source', t, ['source', 'source_id'], unique=False)


def downgrade() -> None:
    for t in ('finance_stock_move', 'finance_product_cost', 'finance_purchase_payment', 'finance_own_cheque',
              'finance_purchase_line', 'finance_purchase'):
        op.drop_table(t)
    with op.batch_alter_table('finance_invoice_line', schema=None) as batch_op:
        batch_op.drop_column('cost')
