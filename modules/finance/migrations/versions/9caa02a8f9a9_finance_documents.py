"""finance documents: tax rates by date, proformas and invoices with their lines, cash receipts

Revision ID: 9caa02a8f9a9
Revises: d2a7c4e9f130
Create Date: 2026-12-06 23:22:02.455588
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from alembic import op

revision = '9caa02a8f9a9'
down_revision = 'd2a7c4e9f130'
branch_labels = None
depends_on = None


_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def _record() -> list[sa.Column]:
    """The columns of kernel.Record (made anew for each table)."""
    return [
        sa.Column('id', _ID, nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('deleted_at', sa.DateTime(), nullable=True),
        sa.Column('created_by_id', _ID, nullable=True),
        sa.Column('updated_by_id', _ID, nullable=True),
        sa.Column('owner_id', _ID, nullable=True),
    ]


def _header() -> list[sa.Column]:
    """A proforma's and an invoice's header (models/document_base.DocumentHeader)."""
    return [
        sa.Column('number', sa.String(length=40), nullable=True),
        sa.Column('partner_id', _ID, nullable=False),
        sa.Column('date', sa.Date(), nullable=False),
        sa.Column('marketer_id', _ID, nullable=True),
        sa.Column('title', sa.String(length=200), nullable=True),
        sa.Column('description', sa.Text(), nullable=True),
        sa.Column('kind', sa.String(length=10), server_default='goods', nullable=False),
        sa.Column('discount_kind', sa.String(length=10), server_default='percent', nullable=False),
        sa.Column('discount_value', sa.Numeric(precision=18, scale=2), server_default='0', nullable=False),
        sa.Column('vat_rate_bp', sa.Integer(), server_default='0', nullable=False),
        sa.Column('municipal_rate_bp', sa.Integer(), server_default='0', nullable=False),
        sa.Column('shipping', sa.BigInteger(), server_default='0', nullable=False),
        sa.Column('exit_number', sa.String(length=40), nullable=True),
        sa.Column('remittance_number', sa.String(length=40), nullable=True),
        sa.Column('end_date', sa.Date(), nullable=True),
        sa.Column('state', sa.String(length=12), server_default='draft', nullable=False),
        sa.Column('issued_at', sa.DateTime(), nullable=True),
        sa.Column('net_amount', sa.BigInteger(), server_default='0', nullable=False),
        sa.Column('discount_amount', sa.BigInteger(), server_default='0', nullable=False),
        sa.Column('vat_amount', sa.BigInteger(), server_default='0', nullable=False),
        sa.Column('municipal_amount', sa.BigInteger(), server_default='0', nullable=False),
        sa.Column('grand_total', sa.BigInteger(), server_default='0', nullable=False),
        sa.Column('search_key', sa.String(length=2000), nullable=False),
    ]


def _line() -> list[sa.Column]:
    """A document line (models/document_base.DocumentLine)."""
    return [
        sa.Column('id', _ID, nullable=False),
        sa.Column('position', sa.Integer(), nullable=False),
        sa.Column('product_id', _ID, nullable=False),
        sa.Column('description', sa.String(length=500), nullable=True),
        sa.Column('quantity', sa.Numeric(precision=18, scale=3), nullable=False),
        sa.Column('unit_price', sa.BigInteger(), nullable=False),
        sa.Column('serial_number', sa.String(length=80), nullable=True),
        sa.Column('discount_kind', sa.String(length=10), server_default='percent', nullable=False),
        sa.Column('discount_value', sa.Numeric(precision=18, scale=2), server_default='0', nullable=False),
        sa.Column('price_rule', sa.String(length=120), nullable=True),
        sa.Column('tax_exempt', sa.Boolean(), nullable=False),
        sa.Column('gross', sa.BigInteger(), nullable=False),
        sa.Column('discount_amount', sa.BigInteger(), nullable=False),
        sa.Column('net', sa.BigInteger(), nullable=False),
        sa.Column('document_discount', sa.BigInteger(), nullable=False),
        sa.Column('taxable', sa.BigInteger(), nullable=False),
        sa.Column('vat', sa.BigInteger(), nullable=False),
        sa.Column('municipal', sa.BigInteger(), nullable=False),
        sa.Column('total', sa.BigInteger(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table('finance_tax_rate',
    sa.Column('kind', sa.String(length=12), nullable=False),
    sa.Column('rate_bp', sa.Integer(), nullable=False),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('note', sa.String(length=200), nullable=True),
    *_record(),
    sa.ForeignKeyConstraint(['created_by_id'], ['kernel_user.id'], name=op.f('fk_finance_tax_rate_created_by_id_kernel_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['owner_id'], ['kernel_user.id'], name=op.f('fk_finance_tax_rate_owner_id_kernel_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['kernel_user.id'], name=op.f('fk_finance_tax_rate_updated_by_id_kernel_user'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finance_tax_rate'))
    )
    with op.batch_alter_table('finance_tax_rate', schema=None) as batch_op:
        batch_op.create_index('ix_finance_tax_rate_kind_from', ['kind', 'valid_from'], unique=False)
        batch_op.create_index(batch_op.f('ix_finance_tax_rate_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index('ix_finance_tax_rate_trash', ['deleted_at'], unique=False, sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))

    op.create_table('finance_proforma',
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('converted_invoice_id', sa.BigInteger(), nullable=True),
    sa.Column('cancel_reason', sa.String(length=300), nullable=True),
    *_header(),
    *_record(),
    sa.ForeignKeyConstraint(['created_by_id'], ['kernel_user.id'], name=op.f('fk_finance_proforma_created_by_id_kernel_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['marketer_id'], ['base_partner.id'], name=op.f('fk_finance_proforma_marketer_id_base_partner')),
    sa.ForeignKeyConstraint(['owner_id'], ['kernel_user.id'], name=op.f('fk_finance_proforma_owner_id_kernel_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['partner_id'], ['base_partner.id'], name=op.f('fk_finance_proforma_partner_id_base_partner')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['kernel_user.id'], name=op.f('fk_finance_proforma_updated_by_id_kernel_user'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finance_proforma')),
    sa.UniqueConstraint('number', name='uq_finance_proforma_number')
    )
    with op.batch_alter_table('finance_proforma', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finance_proforma_converted_invoice_id'), ['converted_invoice_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_finance_proforma_date'), ['date'], unique=False)
        batch_op.create_index(batch_op.f('ix_finance_proforma_end_date'), ['end_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_finance_proforma_marketer_id'), ['marketer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_finance_proforma_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index('ix_finance_proforma_partner_date', ['partner_id', 'date', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_finance_proforma_state'), ['state'], unique=False)
        batch_op.create_index(batch_op.f('ix_finance_proforma_valid_until'), ['valid_until'], unique=False)
        batch_op.create_index('ix_finance_proforma_trash', ['deleted_at'], unique=False, sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))

    op.create_table('finance_invoice',
    sa.Column('invoice_type', sa.String(length=10), server_default='sale', nullable=False),
    sa.Column('proforma_id', _ID, nullable=True),
    sa.Column('received', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('balance', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('void_reason', sa.String(length=300), nullable=True),
    sa.Column('voided_at', sa.DateTime(), nullable=True),
    *_header(),
    *_record(),
    sa.ForeignKeyConstraint(['created_by_id'], ['kernel_user.id'], name=op.f('fk_finance_invoice_created_by_id_kernel_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['marketer_id'], ['base_partner.id'], name=op.f('fk_finance_invoice_marketer_id_base_partner')),
    sa.ForeignKeyConstraint(['owner_id'], ['kernel_user.id'], name=op.f('fk_finance_invoice_owner_id_kernel_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['partner_id'], ['base_partner.id'], name=op.f('fk_finance_invoice_partner_id_base_partner')),
    sa.ForeignKeyConstraint(['proforma_id'], ['finance_proforma.id'], name=op.f('fk_finance_invoice_proforma_id_finance_proforma')),
    sa.ForeignKeyConstraint(['updated_by_id'], ['kernel_user.id'], name=op.f('fk_finance_invoice_updated_by_id_kernel_user'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finance_invoice')),
    sa.UniqueConstraint('number', name='uq_finance_invoice_number'),
    sa.UniqueConstraint('proforma_id', name='uq_finance_invoice_proforma_id')
    )
    with op.batch_alter_table('finance_invoice', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finance_invoice_balance'), ['balance'], unique=False)
        batch_op.create_index(batch_op.f('ix_finance_invoice_date'), ['date'], unique=False)
        batch_op.create_index(batch_op.f('ix_finance_invoice_end_date'), ['end_date'], unique=False)
        batch_op.create_index(batch_op.f('ix_finance_invoice_invoice_type'), ['invoice_type'], unique=False)
        batch_op.create_index(batch_op.f('ix_finance_invoice_marketer_id'), ['marketer_id'], unique=False)
        batch_op.create_index('ix_finance_invoice_open', ['date', 'id'], unique=False, sqlite_where=sa.text("deleted_at IS NULL AND state = 'issued' AND balance > 0"), postgresql_where=sa.text("deleted_at IS NULL AND state = 'issued' AND balance > 0"))
        batch_op.create_index(batch_op.f('ix_finance_invoice_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index('ix_finance_invoice_partner_date', ['partner_id', 'date', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_finance_invoice_state'), ['state'], unique=False)
        batch_op.create_index('ix_finance_invoice_trash', ['deleted_at'], unique=False, sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))

    op.create_table('finance_proforma_line',
    sa.Column('proforma_id', _ID, nullable=False),
    *_line(),
    sa.ForeignKeyConstraint(['product_id'], ['finance_product.id'], name=op.f('fk_finance_proforma_line_product_id_finance_product')),
    sa.ForeignKeyConstraint(['proforma_id'], ['finance_proforma.id'], name=op.f('fk_finance_proforma_line_proforma_id_finance_proforma'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finance_proforma_line'))
    )
    with op.batch_alter_table('finance_proforma_line', schema=None) as batch_op:
        batch_op.create_index('ix_finance_proforma_line_doc', ['proforma_id', 'position', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_finance_proforma_line_product_id'), ['product_id'], unique=False)

    op.create_table('finance_invoice_line',
    sa.Column('invoice_id', _ID, nullable=False),
    *_line(),
    sa.ForeignKeyConstraint(['invoice_id'], ['finance_invoice.id'], name=op.f('fk_finance_invoice_line_invoice_id_finance_invoice'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['product_id'], ['finance_product.id'], name=op.f('fk_finance_invoice_line_product_id_finance_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finance_invoice_line'))
    )
    with op.batch_alter_table('finance_invoice_line', schema=None) as batch_op:
        batch_op.create_index('ix_finance_invoice_line_doc', ['invoice_id', 'position', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_finance_invoice_line_product_id'), ['product_id'], unique=False)

    op.create_table('finance_receipt',
    sa.Column('invoice_id', _ID, nullable=False),
    sa.Column('date', sa.Date(), nullable=False),
    sa.Column('amount', sa.BigInteger(), nullable=False),
    sa.Column('method', sa.String(length=12), server_default='cash', nullable=False),
    sa.Column('note', sa.String(length=300), nullable=True),
    *_record(),
    sa.ForeignKeyConstraint(['created_by_id'], ['kernel_user.id'], name=op.f('fk_finance_receipt_created_by_id_kernel_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['invoice_id'], ['finance_invoice.id'], name=op.f('fk_finance_receipt_invoice_id_finance_invoice')),
    sa.ForeignKeyConstraint(['owner_id'], ['kernel_user.id'], name=op.f('fk_finance_receipt_owner_id_kernel_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['kernel_user.id'], name=op.f('fk_finance_receipt_updated_by_id_kernel_user'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finance_receipt'))
    )
    with op.batch_alter_table('finance_receipt', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_finance_receipt_date'), ['date'], unique=False)
        batch_op.create_index('ix_finance_receipt_invoice', ['invoice_id', 'date', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_finance_receipt_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index('ix_finance_receipt_trash', ['deleted_at'], unique=False, sqlite_where=sa.text('deleted_at IS NOT NULL'), postgresql_where=sa.text('deleted_at IS NOT NULL'))

    # The rates in force in Iran (the VAT law's combined rate, which already includes the 3 %
    # municipal duties: 9 % until the end of 1402, 10 % from 1403/01/01 by the 1403 budget law).
    # No separate municipal rate is seeded; an administrator adds one where a duty applies.
    rates = sa.table('finance_tax_rate', sa.column('kind', sa.String), sa.column('rate_bp', sa.Integer),
                     sa.column('valid_from', sa.Date), sa.column('note', sa.String),
                     sa.column('created_at', sa.DateTime), sa.column('updated_at', sa.DateTime))
    now = dt.datetime(2026, 12, 7)
    op.bulk_insert(rates, [
        {'kind': 'vat', 'rate_bp': 900, 'valid_from': dt.date(2020, 3, 20), 'note': '1399/01/01',
         'created_at': now, 'updated_at': now},
        {'kind': 'vat', 'rate_bp': 1000, 'valid_from': dt.date(2024, 3, 20), 'note': '1403/01/01',
         'created_at': now, 'updated_at': now},
    ])


def downgrade() -> None:
    for table in ('finance_receipt', 'finance_invoice_line', 'finance_proforma_line', 'finance_invoice',
                  'finance_proforma', 'finance_tax_rate'):
        op.drop_table(table)
