"""Persian alphabetical order: a sort_key beside the names of partners, geography and groups

Revision ID: afc69c7dd084
Revises: 5c0e9a1d2b7f
Create Date: 2026-12-06 18:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from kernel.migrations import backfill_sort_keys

revision = 'afc69c7dd084'
down_revision = '5c0e9a1d2b7f'
branch_labels = None
depends_on = None

LIVE = "deleted_at IS NULL"
TABLES = ('base_partner', 'base_country', 'base_province', 'base_city', 'base_region', 'base_group')
KEY = sa.String(length=400).with_variant(sa.String(length=400, collation='C'), 'postgresql')


def upgrade() -> None:
    # ADD COLUMN with a constant default is instant on both engines (no table rewrite).
    for table in TABLES:
        op.add_column(table, sa.Column('sort_key', KEY, nullable=False, server_default=''))
    # The old name-order indexes go first, so the backfill does not update them as well.
    op.drop_index('ix_base_partner_name_id', table_name='base_partner')
    op.drop_index('ix_base_partner_kind_name', table_name='base_partner')
    op.drop_index('ix_base_partner_province_live_name', table_name='base_partner')
    for table in TABLES:
        backfill_sort_keys(op.get_bind(), table, 'name')
    op.create_index('ix_base_partner_sort_id', 'base_partner', ['sort_key', 'id'], unique=False)
    op.create_index('ix_base_partner_kind_sort', 'base_partner', ['kind', 'sort_key', 'id'], unique=False)
    op.create_index('ix_base_partner_province_live_sort', 'base_partner', ['province_id', 'sort_key', 'id'],
                    unique=False, sqlite_where=sa.text(LIVE), postgresql_where=sa.text(LIVE))
    op.create_index('ix_base_city_sort', 'base_city', ['sort_key', 'id'], unique=False)
    op.create_index('ix_base_region_city_sort', 'base_region', ['city_id', 'sort_key', 'id'], unique=False)


def downgrade() -> None:
    op.drop_index('ix_base_region_city_sort', table_name='base_region')
    op.drop_index('ix_base_city_sort', table_name='base_city')
    op.drop_index('ix_base_partner_province_live_sort', table_name='base_partner')
    op.drop_index('ix_base_partner_kind_sort', table_name='base_partner')
    op.drop_index('ix_base_partner_sort_id', table_name='base_partner')
    op.create_index('ix_base_partner_province_live_name', 'base_partner', ['province_id', 'name', 'id'],
                    unique=False, sqlite_where=sa.text(LIVE), postgresql_where=sa.text(LIVE))
    op.create_index('ix_base_partner_kind_name', 'base_partner', ['kind', 'name', 'id'], unique=False)
    op.create_index('ix_base_partner_name_id', 'base_partner', ['name', 'id'], unique=False)
    for table in reversed(TABLES):
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column('sort_key')
