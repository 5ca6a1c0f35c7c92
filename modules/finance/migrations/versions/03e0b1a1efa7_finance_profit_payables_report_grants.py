"""finance: the profit-per-product and payables reports (FIN-14, FIN-18) granted to the roles that
already see what they show, as every finance report before them was granted when it came

Revision ID: 03e0b1a1efa7
Revises: c4d8e2f6a913
Create Date: 2026-12-08 12:00:00

Revision c4e8a1f2d9b3 brought both reports and granted neither: no role held the purchases'
permissions yet, and costs and margins are not every sales clerk's to see. Since then roles have
been given purchases, and the reports stayed hidden from them until an administrator found them
on the roles page. The rule here is the earlier reports' — a role that reads the report's data
gets the report — with the care the cost needs:

* **Payables to suppliers** (``finance.payables.report``): to every role holding
  ``finance.purchase.view``, the data it reads (purchases, their payments, our cheques).
* **Profit per product at average cost** (``finance.profit_per_product.report``): to every role
  holding both ``finance.purchase.view`` (the cost side: what we paid for each product) and
  ``finance.sales_by_product.report`` (the revenue side: the per-product sales report granted with
  the other finance reports in f3b1c8d2e4a7). Such a role learns nothing it could not already
  compute; a role that sees sales but not what we pay is not shown our margins.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '03e0b1a1efa7'
down_revision = 'c4d8e2f6a913'
branch_labels = None
depends_on = None

# The report's permission → the permissions a role must hold, all of them, to be given it.
REPORTS = {
    'finance.payables.report': ('finance.purchase.view',),
    'finance.profit_per_product.report': ('finance.purchase.view', 'finance.sales_by_product.report'),
}


def upgrade() -> None:
    for report, needed in REPORTS.items():
        op.execute(sa.text(
            "INSERT INTO kernel_role_permission (role_id, permission) "
            "SELECT rp.role_id, :report FROM kernel_role_permission rp WHERE rp.permission IN :needed "
            "GROUP BY rp.role_id HAVING COUNT(DISTINCT rp.permission) = :count "
            "AND NOT EXISTS (SELECT 1 FROM kernel_role_permission x WHERE x.role_id = rp.role_id "
            "AND x.permission = :report)")
            .bindparams(sa.bindparam('needed', list(needed), expanding=True), report=report, count=len(needed)))


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM kernel_role_permission WHERE permission IN :perms").bindparams(
        sa.bindparam('perms', list(REPORTS), expanding=True)))
