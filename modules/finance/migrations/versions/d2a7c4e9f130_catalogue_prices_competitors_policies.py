"""catalogue: product groups, attributes and variants, commissions, price lists and tiers,
competitor prices, sales policies (FIN-01 … FIN-03)

Revision ID: d2a7c4e9f130
Revises: c1f0a2b3d4e5
Create Date: 2026-12-07 00:30:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = 'd2a7c4e9f130'
down_revision = 'c1f0a2b3d4e5'
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
_SORT = sa.String(length=400).with_variant(sa.String(length=400, collation='C'), 'postgresql')


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
    t = 'finance_product_group'
    op.create_table(t,
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('parent_id', _ID, nullable=True),
        sa.Column('code', sa.String(length=30), nullable=True),
        sa.Column('description', sa.Text(), nullable=True),
        sa.Column('sort_key', _SORT, nullable=False),
        sa.Column('search_key', sa.String(length=400), nullable=False),
        *_record(t), _fk('parent_id', t, t))
    _record_indexes(t)
    op.create_index('ix_finance_product_group_sort', t, ['sort_key', 'id'], unique=False)
    op.create_index('ix_finance_product_group_parent_id', t, ['parent_id'], unique=False)

    t = 'finance_attribute'
    op.create_table(t,
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('kind', sa.String(length=10), server_default='other', nullable=False),
        sa.Column('sequence', sa.Integer(), server_default='100', nullable=False),
        sa.Column('search_key', sa.String(length=400), nullable=False),
        *_record(t))
    _record_indexes(t)

    t = 'finance_attribute_value'
    op.create_table(t,
        sa.Column('attribute_id', _ID, nullable=False),
        sa.Column('name', sa.String(length=80), nullable=False),
        sa.Column('code', sa.String(length=20), nullable=True),
        sa.Column('sequence', sa.Integer(), server_default='100', nullable=False),
        sa.Column('search_key', sa.String(length=400), nullable=False),
        *_record(t), _fk('attribute_id', t, 'finance_attribute'))
    _record_indexes(t)
    op.create_index('ix_finance_attribute_value_attr', t, ['attribute_id', 'sequence', 'id'], unique=False)

    with op.batch_alter_table('finance_product', schema=None) as batch_op:
        batch_op.add_column(sa.Column('group_id', _ID, nullable=True))
        batch_op.add_column(sa.Column('marketer_commission', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('agency_commission', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('variant_key', sa.String(length=200), nullable=True))
        batch_op.create_foreign_key('fk_finance_product_group_id_finance_product_group', 'finance_product_group',
                                    ['group_id'], ['id'])
        batch_op.create_index('ix_finance_product_group_id', ['group_id'], unique=False)
        batch_op.create_index('ix_finance_product_variant', ['parent_id', 'variant_key'], unique=False)
        batch_op.create_index('ux_finance_product_code_live', ['code'], unique=True,
                              sqlite_where=sa.text('deleted_at IS NULL AND code IS NOT NULL'),
                              postgresql_where=sa.text('deleted_at IS NULL AND code IS NOT NULL'))

    op.create_table('finance_product_option',
        sa.Column('product_id', _ID, nullable=False),
        sa.Column('value_id', _ID, nullable=False),
        sa.ForeignKeyConstraint(['product_id'], ['finance_product.id'],
                                name='fk_finance_product_option_product_id_finance_product', ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['value_id'], ['finance_attribute_value.id'],
                                name='fk_finance_product_option_value_id_finance_attribute_value', ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('product_id', 'value_id', name='pk_finance_product_option'))
    op.create_index('ix_finance_product_option_value_id', 'finance_product_option', ['value_id'], unique=False)

    t = 'finance_price_list'
    op.create_table(t,
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('valid_from', sa.Date(), nullable=True),
        sa.Column('valid_to', sa.Date(), nullable=True),
        sa.Column('partner_id', _ID, nullable=True),
        sa.Column('group_id', _ID, nullable=True),
        sa.Column('role_id', _ID, nullable=True),
        sa.Column('active', sa.Boolean(), server_default='1', nullable=False),
        sa.Column('notes', sa.Text(), nullable=True),
        sa.Column('search_key', sa.String(length=400), nullable=False),
        *_record(t), _fk('partner_id', t, 'base_partner'), _fk('group_id', t, 'base_group'),
        _fk('role_id', t, 'base_role_kind'))
    _record_indexes(t)
    op.create_index('ix_finance_price_list_valid', t, ['active', 'valid_from'], unique=False)
    for c in ('partner_id', 'group_id', 'role_id'):
        op.create_index(f'ix_{t}_{c}', t, [c], unique=False)

    t = 'finance_price_list_item'
    op.create_table(t,
        sa.Column('price_list_id', _ID, nullable=False),
        sa.Column('product_id', _ID, nullable=False),
        sa.Column('price', sa.BigInteger(), nullable=False),
        *_record(t), _fk('price_list_id', t, 'finance_price_list'), _fk('product_id', t, 'finance_product'))
    _record_indexes(t)
    op.create_index('ix_finance_price_list_item_list', t, ['price_list_id', 'product_id'], unique=False)
    op.create_index('ix_finance_price_list_item_product_id', t, ['product_id'], unique=False)

    t = 'finance_price_tier'
    op.create_table(t,
        sa.Column('item_id', _ID, nullable=True),
        sa.Column('product_id', _ID, nullable=True),
        sa.Column('above_quantity', sa.BigInteger(), nullable=False),
        sa.Column('unit_price', sa.BigInteger(), nullable=False),
        *_record(t), _fk('item_id', t, 'finance_price_list_item'), _fk('product_id', t, 'finance_product'))
    _record_indexes(t)
    op.create_index('ix_finance_price_tier_item_id', t, ['item_id'], unique=False)
    op.create_index('ix_finance_price_tier_product_id', t, ['product_id'], unique=False)

    t = 'finance_competitor_price'
    op.create_table(t,
        sa.Column('product_id', _ID, nullable=False),
        sa.Column('competitor_id', _ID, nullable=False),
        sa.Column('competitor_product', sa.String(length=200), nullable=False),
        sa.Column('price', sa.BigInteger(), nullable=False),
        sa.Column('observed_on', sa.Date(), nullable=False),
        sa.Column('notes', sa.Text(), nullable=True),
        sa.Column('search_key', sa.String(length=400), nullable=False),
        *_record(t), _fk('product_id', t, 'finance_product'), _fk('competitor_id', t, 'base_partner'))
    _record_indexes(t)
    op.create_index('ix_finance_competitor_price_product', t, ['product_id', 'competitor_id', 'observed_on'],
                    unique=False)
    op.create_index('ix_finance_competitor_price_competitor_id', t, ['competitor_id'], unique=False)

    t = 'finance_sales_policy'
    op.create_table(t,
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('kind', sa.String(length=10), server_default='percent', nullable=False),
        sa.Column('percent', sa.Integer(), nullable=True),
        sa.Column('amount', sa.BigInteger(), nullable=True),
        sa.Column('valid_from', sa.Date(), nullable=True),
        sa.Column('valid_to', sa.Date(), nullable=True),
        sa.Column('partner_id', _ID, nullable=True),
        sa.Column('group_id', _ID, nullable=True),
        sa.Column('product_id', _ID, nullable=True),
        sa.Column('product_group_id', _ID, nullable=True),
        sa.Column('min_invoices', sa.Integer(), nullable=True),
        sa.Column('min_invoice_total', sa.BigInteger(), nullable=True),
        sa.Column('active', sa.Boolean(), server_default='1', nullable=False),
        sa.Column('notes', sa.Text(), nullable=True),
        sa.Column('search_key', sa.String(length=400), nullable=False),
        *_record(t), _fk('partner_id', t, 'base_partner'), _fk('group_id', t, 'base_group'),
        _fk('product_id', t, 'finance_product'), _fk('product_group_id', t, 'finance_product_group'))
    _record_indexes(t)
    for c in ('partner_id', 'group_id', 'product_id'):
        op.create_index(f'ix_{t}_{c}', t, [c], unique=False)

    t = 'finance_policy_step'
    op.create_table(t,
        sa.Column('policy_id', _ID, nullable=False),
        sa.Column('above_quantity', sa.BigInteger(), nullable=False),
        sa.Column('percent', sa.Integer(), nullable=False),
        *_record(t), _fk('policy_id', t, 'finance_sales_policy'))
    _record_indexes(t)
    op.create_index('ix_finance_policy_step_policy_id', t, ['policy_id'], unique=False)


def downgrade() -> None:
    for t in ('finance_policy_step', 'finance_sales_policy', 'finance_competitor_price', 'finance_price_tier',
              'finance_price_list_item', 'finance_price_list', 'finance_product_option'):
        op.drop_table(t)
    with op.batch_alter_table('finance_product', schema=None) as batch_op:
        batch_op.drop_index('ux_finance_product_code_live')
        batch_op.drop_index('ix_finance_product_variant')
        batch_op.drop_index('ix_finance_product_group_id')
        batch_op.drop_constraint('fk_finance_product_group_id_finance_product_group', type_='foreignkey')
        for c in ('variant_key', 'agency_commission', 'marketer_commission', 'group_id'):
            batch_op.drop_column(c)
    for t in ('finance_attribute_value', 'finance_attribute', 'finance_product_group'):
        op.drop_table(t)
