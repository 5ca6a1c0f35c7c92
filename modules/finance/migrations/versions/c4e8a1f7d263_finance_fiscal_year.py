"""fiscal year (FIN-16): the closed Jalali years, the opening balances a close writes for the
next year and the open items it carries forward

Revision ID: c4e8a1f7d263
Revises: c4e8a1f2d9b3
Create Date: 2026-12-07 05:30:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = 'c4e8a1f7d263'
down_revision = 'c4e8a1f2d9b3'
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


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


def upgrade() -> None:
    t = 'finance_fiscal_year'
    op.create_table(t,
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('state', sa.String(length=8), server_default='closed', nullable=False),
        sa.Column('closed_at', sa.DateTime(), nullable=True),
        sa.Column('closed_by_id', _ID, nullable=True),
        sa.Column('reopened_at', sa.DateTime(), nullable=True),
        sa.Column('reopened_by_id', _ID, nullable=True),
        sa.Column('openings', sa.Integer(), server_default='0', nullable=False),
        sa.Column('opening_total', sa.BigInteger(), server_default='0', nullable=False),
        sa.Column('carried', sa.Integer(), server_default='0', nullable=False),
        *_record(t),
        *[sa.ForeignKeyConstraint([c], ['kernel_user.id'], name=f'fk_{t}_{c}_kernel_user', ondelete='SET NULL')
          for c in ('closed_by_id', 'reopened_by_id')],
        sa.UniqueConstraint('year', name='uq_finance_fiscal_year_year'))
    _record_indexes(t)

    t = 'finance_fiscal_opening'
    op.create_table(t,
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('partner_id', _ID, nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        sa.Column('invoices', sa.Integer(), nullable=False),
        *_record(t),
        sa.ForeignKeyConstraint(['partner_id'], ['base_partner.id'], name=f'fk_{t}_partner_id_base_partner'))
    _record_indexes(t)
    op.create_index('ix_finance_fiscal_opening_year', t, ['year', 'partner_id'], unique=False)
    op.create_index('ix_finance_fiscal_opening_partner_id', t, ['partner_id'], unique=False)

    t = 'finance_fiscal_carry'
    op.create_table(t,
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=12), nullable=False),
        sa.Column('partner_id', _ID, nullable=False),
        sa.Column('invoice_id', sa.BigInteger(), nullable=True),
        sa.Column('proforma_id', sa.BigInteger(), nullable=True),
        sa.Column('cheque_id', sa.BigInteger(), nullable=True),
        sa.Column('instalment_id', sa.BigInteger(), nullable=True),
        sa.Column('reference', sa.String(length=60), nullable=True),
        sa.Column('date', sa.Date(), nullable=False),
        sa.Column('amount', sa.BigInteger(), nullable=False),
        *_record(t),
        sa.ForeignKeyConstraint(['partner_id'], ['base_partner.id'], name=f'fk_{t}_partner_id_base_partner'))
    _record_indexes(t)
    op.create_index('ix_finance_fiscal_carry_year', t, ['year', 'kind', 'id'], unique=False)
    op.create_index('ix_finance_fiscal_carry_partner_id', t, ['partner_id'], unique=False)


def downgrade() -> None:
    for t in ('finance_fiscal_carry', 'finance_fiscal_opening', 'finance_fiscal_year'):
        op.drop_table(t)
