"""finance, the small gaps of issue 12: the plans' payments get a list (an index by day, and the
permission to see it, finance.payment.view/export/print, given to the roles that see, export or
print receipts); the cheques' due-date calendar reads one covering index of the live cheques

Revision ID: c4d8e2f6a913
Revises: b8e5d3f1a2c7
Create Date: 2026-12-07 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'c4d8e2f6a913'
down_revision = 'b8e5d3f1a2c7'
branch_labels = None
depends_on = None

# What a role holding the receipts' permission gets for the payments' list.
GRANTS = {'finance.payment.view': 'finance.receipt.view', 'finance.payment.export': 'finance.receipt.export',
          'finance.payment.print': 'finance.receipt.print'}


def upgrade() -> None:
    op.create_index('ix_finance_payment_date', 'finance_payment', ['date', 'id'], unique=False)
    op.create_index('ix_finance_cheque_calendar', 'finance_cheque',
                    ['due_date', 'id', 'state', 'amount', 'partner_id', 'deleted_at'], unique=False)
    for new, old in GRANTS.items():
        op.execute(sa.text(
            "INSERT INTO kernel_role_permission (role_id, permission) "
            "SELECT DISTINCT rp.role_id, :new FROM kernel_role_permission rp WHERE rp.permission = :old "
            "AND NOT EXISTS (SELECT 1 FROM kernel_role_permission x WHERE x.role_id = rp.role_id "
            "AND x.permission = :new)").bindparams(new=new, old=old))


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM kernel_role_permission WHERE permission IN :perms")
               .bindparams(sa.bindparam('perms', list(GRANTS), expanding=True)))
    op.drop_index('ix_finance_cheque_calendar', table_name='finance_cheque')
    op.drop_index('ix_finance_payment_date', table_name='finance_payment')
