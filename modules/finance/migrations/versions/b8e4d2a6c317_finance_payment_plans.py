"""finance: payment plans of invoices — instalments, payments (cash, promise, cheque, deposit
slip, POS) and their allocations; receipts point at the payment they are the money of (FIN-08)

Revision ID: b8e4d2a6c317
Revises: dac36bc43bc2
Create Date: 2027-01-20 10:00:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = 'b8e4d2a6c317'
down_revision = 'dac36bc43bc2'
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def _record(table: str) -> list[Any]:
    """The columns and keys of kernel.Record (a copy: a migration stays as it was written)."""
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
    t = 'finance_instalment'
    op.create_table(t,
        sa.Column('invoice_id', _ID, nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('is_cash', sa.Boolean(), server_default='0', nullable=False),
        sa.Column('due_date', sa.Date(), nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        sa.Column('paid', sa.BigInteger(), server_default='0', nullable=False),
        sa.Column('state', sa.String(length=8), server_default='open', nullable=False),
        sa.Column('paid_on', sa.Date(), nullable=True),
        sa.Column('reminder_id', _ID, nullable=True),
        _fk('invoice_id', t, 'finance_invoice'),
        _fk('reminder_id', t, 'kernel_reminder', ondelete='SET NULL'),
        *_record(t))
    _record_indexes(t)
    op.create_index('ix_finance_instalment_invoice', t, ['invoice_id', 'position'], unique=False)
    op.create_index('ix_finance_instalment_due', t, ['due_date', 'id'], unique=False)

    t = 'finance_payment'
    op.create_table(t,
        sa.Column('invoice_id', _ID, nullable=False),
        sa.Column('partner_id', _ID, nullable=False),
        sa.Column('kind', sa.String(length=8), nullable=False),
        sa.Column('state', sa.String(length=10), server_default='pending', nullable=False),
        sa.Column('date', sa.Date(), nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        sa.Column('cleared_on', sa.Date(), nullable=True),
        sa.Column('cheque_id', _ID, nullable=True),
        sa.Column('slip_number', sa.String(length=40), nullable=True),
        sa.Column('payer_name', sa.String(length=200), nullable=True),
        sa.Column('account_id', _ID, nullable=True),
        sa.Column('terminal_id', _ID, nullable=True),
        sa.Column('trace_number', sa.String(length=40), nullable=True),
        sa.Column('note', sa.String(length=300), nullable=True),
        sa.Column('reminder_id', _ID, nullable=True),
        _fk('invoice_id', t, 'finance_invoice'),
        _fk('partner_id', t, 'base_partner'),
        _fk('cheque_id', t, 'finance_cheque'),
        _fk('account_id', t, 'finance_bank_account'),
        _fk('terminal_id', t, 'finance_pos_terminal'),
        _fk('reminder_id', t, 'kernel_reminder', ondelete='SET NULL'),
        *_record(t))
    _record_indexes(t)
    op.create_index('ix_finance_payment_invoice', t, ['invoice_id', 'id'], unique=False)
    op.create_index('ix_finance_payment_partner_id', t, ['partner_id'], unique=False)
    op.create_index('ix_finance_payment_cheque_id', t, ['cheque_id'], unique=False)

    t = 'finance_allocation'
    op.create_table(t,
        sa.Column('id', _ID, nullable=False),
        sa.Column('payment_id', _ID, nullable=False),
        sa.Column('instalment_id', _ID, nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        _fk('payment_id', t, 'finance_payment', ondelete='CASCADE'),
        _fk('instalment_id', t, 'finance_instalment', ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=f'pk_{t}'))
    op.create_index('ix_finance_allocation_instalment', t, ['instalment_id'], unique=False)
    op.create_index('ix_finance_allocation_payment', t, ['payment_id'], unique=False)

    with op.batch_alter_table('finance_receipt', schema=None) as batch_op:
        batch_op.add_column(sa.Column('payment_id', _ID, nullable=True))
        batch_op.create_foreign_key('fk_finance_receipt_payment_id_finance_payment', 'finance_payment',
                                    ['payment_id'], ['id'])
        batch_op.create_index('ix_finance_receipt_payment_id', ['payment_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('finance_receipt', schema=None) as batch_op:
        batch_op.drop_index('ix_finance_receipt_payment_id')
        batch_op.drop_constraint('fk_finance_receipt_payment_id_finance_payment', type_='foreignkey')
        batch_op.drop_column('payment_id')
    for table in ('finance_allocation', 'finance_payment', 'finance_instalment'):
        op.drop_table(table)
