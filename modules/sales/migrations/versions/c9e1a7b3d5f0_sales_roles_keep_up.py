"""sales roles keep up: existing roles get the sales orders and the new reports

Revision ID: c9e1a7b3d5f0
Revises: b7e3d1c5a9f2
Create Date: 2026-12-07 21:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'c9e1a7b3d5f0'
down_revision = 'b7e3d1c5a9f2'
branch_labels = None
depends_on = None

# A database in use made its sales roles before orders and the SAL-05 reports existed. A role
# that could work deals keeps working them: who could create deals writes orders, who managed
# deals approves them, and who read the salespeople's evaluation reads the new reports.
GRANTS = {
    'sales.opportunity.create': ('sales.order.view', 'sales.order.create', 'sales.order.edit', 'sales.order.export'),
    'sales.opportunity.*': ('sales.order.view', 'sales.order.create', 'sales.order.edit', 'sales.order.export',
                            'sales.order.approve', 'sales.profit.report'),
    'sales.agents.report': ('sales.conversion_stage.report', 'sales.conversion_source.report',
                            'sales.customers.report'),
}


def upgrade() -> None:
    for held, grants in GRANTS.items():
        for perm in grants:
            op.execute(sa.text(
                "INSERT INTO kernel_role_permission (role_id, permission) "
                "SELECT DISTINCT rp.role_id, :perm FROM kernel_role_permission rp WHERE rp.permission = :held "
                "AND NOT EXISTS (SELECT 1 FROM kernel_role_permission x WHERE x.role_id = rp.role_id "
                "AND x.permission = :perm)").bindparams(perm=perm, held=held))


def downgrade() -> None:
    # Nothing: the grants stay (an administrator may have given them by hand since; a permission
    # nobody checks harms nothing, and going down must not take away what people had).
    pass
