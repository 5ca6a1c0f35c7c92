"""finance: the open invoices by customer, with what the ageing reads (ix_finance_invoice_owed)

Revision ID: f2c4e6a8b0d1
Revises: e7b3d9a1c542
Create Date: 2026-12-07 12:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'f2c4e6a8b0d1'
down_revision = 'e7b3d9a1c542'
branch_labels = None
depends_on = None

_OPEN = sa.text("deleted_at IS NULL AND state = 'issued' AND balance > 0")


def upgrade() -> None:
    op.create_index("ix_finance_invoice_owed", "finance_invoice", ["partner_id", "id", "date", "balance"],
                    sqlite_where=_OPEN, postgresql_where=_OPEN)


def downgrade() -> None:
    op.drop_index("ix_finance_invoice_owed", table_name="finance_invoice")
