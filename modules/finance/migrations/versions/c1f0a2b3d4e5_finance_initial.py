"""finance initial: the catalogue's products and variants

Revision ID: c1f0a2b3d4e5
Revises:
Create Date: 2026-12-06 23:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'c1f0a2b3d4e5'
down_revision = None
branch_labels = ('finance',)
depends_on = ['afc69c7dd084', 'k0008cachesignal']

_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    op.create_table('finance_product',
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('sort_key', sa.String(length=400).with_variant(sa.String(length=400, collation='C'), 'postgresql'),
              nullable=False),
    sa.Column('code', sa.String(length=60), nullable=True),
    sa.Column('barcode', sa.String(length=60), nullable=True),
    sa.Column('kind', sa.String(length=10), server_default='goods', nullable=False),
    sa.Column('unit', sa.String(length=30), nullable=True),
    sa.Column('price', sa.BigInteger(), server_default='0', nullable=False),
    sa.Column('tax_exempt', sa.Boolean(), server_default='0', nullable=False),
    sa.Column('parent_id', _ID, nullable=True),
    sa.Column('active', sa.Boolean(), server_default='1', nullable=False),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('search_key', sa.String(length=2000), nullable=False),
    sa.Column('id', _ID, nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('created_by_id', _ID, nullable=True),
    sa.Column('updated_by_id', _ID, nullable=True),
    sa.Column('owner_id', _ID, nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['kernel_user.id'], name=op.f('fk_finance_product_created_by_id_kernel_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['owner_id'], ['kernel_user.id'], name=op.f('fk_finance_product_owner_id_kernel_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['kernel_user.id'], name=op.f('fk_finance_product_updated_by_id_kernel_user'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['parent_id'], ['finance_product.id'], name=op.f('fk_finance_product_parent_id_finance_product')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_finance_product'))
    )
    with op.batch_alter_table('finance_product', schema=None) as batch_op:
        batch_op.create_index('ix_finance_product_sort', ['sort_key', 'id'], unique=False)
        batch_op.create_index('ix_finance_product_parent', ['parent_id', 'id'], unique=False)
        batch_op.create_index(batch_op.f('ix_finance_product_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_finance_product_barcode'), ['barcode'], unique=False)
        batch_op.create_index(batch_op.f('ix_finance_product_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index('ix_finance_product_trash', ['deleted_at'], unique=False,
                              sqlite_where=sa.text('deleted_at IS NOT NULL'),
                              postgresql_where=sa.text('deleted_at IS NOT NULL'))


def downgrade() -> None:
    op.drop_table('finance_product')
