"""sales: the board's indexes — cards in order per stage (partial on live rows), column totals from an index

Revision ID: b7e3d1c5a9f2
Revises: f2f49a4b70fd
Create Date: 2026-12-07 20:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'b7e3d1c5a9f2'
down_revision = 'a3d68a37dfef'
branch_labels = None
depends_on = None

LIVE = sa.text("deleted_at IS NULL")


def upgrade() -> None:
    op.drop_index('ix_sales_opportunity_board', table_name='sales_opportunity')
    op.create_index('ix_sales_opportunity_board', 'sales_opportunity',
                    ['pipeline_id', 'stage_id', 'position', 'id', 'owner_id', 'partner_id'],
                    unique=False, sqlite_where=LIVE, postgresql_where=LIVE)
    op.create_index('ix_sales_opportunity_owner_totals', 'sales_opportunity',
                    ['pipeline_id', 'outcome', 'stage_id', 'owner_id', 'expected_value', 'partner_id', 'deleted_at'],
                    unique=False, sqlite_where=LIVE, postgresql_where=LIVE)


def downgrade() -> None:
    op.drop_index('ix_sales_opportunity_owner_totals', table_name='sales_opportunity')
    op.drop_index('ix_sales_opportunity_board', table_name='sales_opportunity')
    op.create_index('ix_sales_opportunity_board', 'sales_opportunity',
                    ['pipeline_id', 'stage_id', 'deleted_at', 'position'], unique=False)
