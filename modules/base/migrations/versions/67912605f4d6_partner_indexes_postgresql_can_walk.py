"""partner indexes PostgreSQL can walk: live partners of a province by name (partial), by id

Revision ID: 67912605f4d6
Revises: 13c7e01b4710
Create Date: 2026-11-23 17:55:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '67912605f4d6'
down_revision = '13c7e01b4710'
branch_labels = None
depends_on = None

LIVE = "deleted_at IS NULL"


def upgrade() -> None:
    # (province_id, deleted_at, name, id) gave PostgreSQL no name order (IS NULL is not an
    # equality to its planner): the same rows as a partial index on (province_id, name, id).
    # The province_id index gets id (SQLite's rowid already followed it) and, on PostgreSQL,
    # deleted_at as an INCLUDE column: counts merge it index-only with a role's index.
    with op.batch_alter_table('base_partner', schema=None) as batch_op:
        batch_op.drop_index('ix_base_partner_province_live_name')
        batch_op.create_index('ix_base_partner_province_live_name', ['province_id', 'name', 'id'], unique=False,
                              sqlite_where=sa.text(LIVE), postgresql_where=sa.text(LIVE))
        batch_op.drop_index('ix_base_partner_province_id')
        batch_op.create_index('ix_base_partner_province_id', ['province_id', 'id'], unique=False,
                              postgresql_include=['deleted_at'])


def downgrade() -> None:
    with op.batch_alter_table('base_partner', schema=None) as batch_op:
        batch_op.drop_index('ix_base_partner_province_id')
        batch_op.create_index('ix_base_partner_province_id', ['province_id'], unique=False)
        batch_op.drop_index('ix_base_partner_province_live_name')
        batch_op.create_index('ix_base_partner_province_live_name', ['province_id', 'deleted_at', 'name', 'id'],
                              unique=False)
