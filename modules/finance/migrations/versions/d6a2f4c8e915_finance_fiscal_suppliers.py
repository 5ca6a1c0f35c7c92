"""fiscal year (FIN-16), the supplier side: an opening balance says whose it is (the customer owed
it to us, or we owed it to the supplier), the year keeps the suppliers' figures of its close, and
a carried item may be a purchase invoice

Revision ID: d6a2f4c8e915
Revises: 03e0b1a1efa7
Create Date: 2026-12-08 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'd6a2f4c8e915'
down_revision = '03e0b1a1efa7'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # The openings written before are all the customers' side: the server default says so.
    with op.batch_alter_table('finance_fiscal_opening', schema=None) as batch_op:
        batch_op.add_column(sa.Column('side', sa.String(length=8), server_default='customer', nullable=False))
    with op.batch_alter_table('finance_fiscal_year', schema=None) as batch_op:
        batch_op.add_column(sa.Column('supplier_openings', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('supplier_total', sa.BigInteger(), server_default='0', nullable=False))
    with op.batch_alter_table('finance_fiscal_carry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('purchase_id', sa.BigInteger(), nullable=True))


def downgrade() -> None:
    # The supplier side's rows would read as customers' without their column: removed first.
    op.execute(sa.text("DELETE FROM finance_fiscal_opening WHERE side = 'supplier'"))
    op.execute(sa.text("DELETE FROM finance_fiscal_carry WHERE kind = 'purchase'"))
    with op.batch_alter_table('finance_fiscal_carry', schema=None) as batch_op:
        batch_op.drop_column('purchase_id')
    with op.batch_alter_table('finance_fiscal_year', schema=None) as batch_op:
        batch_op.drop_column('supplier_total')
        batch_op.drop_column('supplier_openings')
    with op.batch_alter_table('finance_fiscal_opening', schema=None) as batch_op:
        batch_op.drop_column('side')
