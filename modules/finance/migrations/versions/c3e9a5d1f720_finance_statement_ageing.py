"""finance statement, ageing and receivables: the unpaid instalments' partial index for the ageing,
and the two new reports granted to the roles that read invoices (FIN-12)

The ageing of receivables reads the instalments still owed of the open invoices; the partial
index holds only those (paid ones, most of them in time, are left out). A role that may view
invoices gets "Ageing of receivables" and "Receivables per customer", as the earlier finance
reports were given (f3b1c8d2e4a7).

Revision ID: c3e9a5d1f720
Revises: c4e8a1f7d263
Create Date: 2026-12-07 06:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'c3e9a5d1f720'
down_revision = 'c4e8a1f7d263'
branch_labels = None
depends_on = None

_UNPAID = sa.text("deleted_at IS NULL AND state <> 'paid'")
REPORTS = {'finance.ageing.report': 'finance.invoice.view', 'finance.receivables.report': 'finance.invoice.view'}


def upgrade() -> None:
    op.create_index('ix_finance_instalment_unpaid', 'finance_instalment', ['invoice_id', 'due_date'], unique=False,
                    sqlite_where=_UNPAID, postgresql_where=_UNPAID)
    for report_perm, data_perm in REPORTS.items():
        op.execute(sa.text(
            "INSERT INTO kernel_role_permission (role_id, permission) "
            "SELECT rp.role_id, :report FROM kernel_role_permission rp WHERE rp.permission = :data "
            "AND NOT EXISTS (SELECT 1 FROM kernel_role_permission x WHERE x.role_id = rp.role_id "
            "AND x.permission = :report)").bindparams(report=report_perm, data=data_perm))


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM kernel_role_permission WHERE permission IN :perms").bindparams(
        sa.bindparam('perms', list(REPORTS), expanding=True)))
    op.drop_index('ix_finance_instalment_unpaid', table_name='finance_instalment')
