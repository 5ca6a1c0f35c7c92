"""sales: the board's column totals kept by the database (triggers append changes), filled from the deals

Revision ID: d8b2f4a6c1e3
Revises: c9e1a7b3d5f0
Create Date: 2026-12-07 23:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from modules.sales.board_total_sql import create_triggers, drop_triggers

revision = 'd8b2f4a6c1e3'
down_revision = 'c9e1a7b3d5f0'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('sales_board_total',
    sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('pipeline_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('stage_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('owner_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
    sa.Column('outcome', sa.String(length=6), nullable=False),
    sa.Column('n', sa.Integer(), nullable=False),
    sa.Column('total', sa.BigInteger(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales_board_total'))
    )
    op.create_index('ix_sales_board_total_key', 'sales_board_total',
                    ['pipeline_id', 'outcome', 'stage_id', 'owner_id', 'n', 'total'], unique=False)
    conn = op.get_bind()
    create_triggers(conn)
    # The deals already there, one row per key (the triggers add what comes after).
    conn.execute(sa.text(
        "INSERT INTO sales_board_total (pipeline_id, stage_id, owner_id, outcome, n, total) "
        "SELECT pipeline_id, stage_id, COALESCE(owner_id, 0), outcome, count(*), COALESCE(sum(expected_value), 0) "
        "FROM sales_opportunity WHERE deleted_at IS NULL "
        "GROUP BY pipeline_id, stage_id, COALESCE(owner_id, 0), outcome"))


def downgrade() -> None:
    drop_triggers(op.get_bind())
    op.drop_index('ix_sales_board_total_key', table_name='sales_board_total')
    op.drop_table('sales_board_total')
