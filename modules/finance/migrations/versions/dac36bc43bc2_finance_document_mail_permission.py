"""finance: e-mailing a proforma or an invoice is its own permission, finance.document.mail, given
to every role that could e-mail until now (the roles holding a document's print permission)

Revision ID: dac36bc43bc2
Revises: 338e80b3e3d0
Create Date: 2026-12-08 09:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'dac36bc43bc2'
down_revision = '338e80b3e3d0'
branch_labels = None
depends_on = None

MAIL = 'finance.document.mail'
PRINT = ('finance.proforma.print', 'finance.invoice.print')


def upgrade() -> None:
    op.execute(sa.text(
        "INSERT INTO kernel_role_permission (role_id, permission) "
        "SELECT DISTINCT rp.role_id, :mail FROM kernel_role_permission rp WHERE rp.permission IN :print "
        "AND NOT EXISTS (SELECT 1 FROM kernel_role_permission x WHERE x.role_id = rp.role_id "
        "AND x.permission = :mail)").bindparams(sa.bindparam('print', list(PRINT), expanding=True), mail=MAIL))


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM kernel_role_permission WHERE permission = :mail").bindparams(mail=MAIL))
