"""fiscal year (FIN-16): our own cheques given to suppliers and not yet cleared are carried into
the new year as their own kind (``own_cheque``), by their own id

Revision ID: e7b3d9a1c542
Revises: d6a2f4c8e915
Create Date: 2026-12-09 09:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'e7b3d9a1c542'
down_revision = 'd6a2f4c8e915'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain id, like the other carried items' (an undo removes the rows; the cheque is never purged
    # while its payment exists). Years closed before keep their rows: none of them is our cheque.
    with op.batch_alter_table('finance_fiscal_carry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('own_cheque_id', sa.BigInteger(), nullable=True))


def downgrade() -> None:
    # Without their column these rows would point at nothing: removed first.
    op.execute(sa.text("DELETE FROM finance_fiscal_carry WHERE kind = 'own_cheque'"))
    with op.batch_alter_table('finance_fiscal_carry', schema=None) as batch_op:
        batch_op.drop_column('own_cheque_id')
