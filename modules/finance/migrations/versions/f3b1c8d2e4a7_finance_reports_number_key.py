"""finance reports: documents' numbers taken apart for the search (number_year, number_seq) and
the four finance reports granted to the roles that read their data

Revision ID: f3b1c8d2e4a7
Revises: 9caa02a8f9a9
Create Date: 2026-12-07 10:00:00
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = 'f3b1c8d2e4a7'
down_revision = '9caa02a8f9a9'
branch_labels = None
depends_on = None

TABLES = ('finance_proforma', 'finance_invoice')
# As models/number_key.split_number (copied: a migration must not follow later model code).
_TAIL = re.compile(r"(\d{4})-(\d+)$")
BATCH = 5000
# Each report is its own permission (<key>.report); a role that reads the report's data gets it.
REPORTS = {
    'finance.unsettled_invoices.report': 'finance.invoice.view',
    'finance.proformas_by_marketer.report': 'finance.proforma.view',
    'finance.customer_totals.report': 'finance.invoice.view',
    'finance.sales_by_product.report': 'finance.invoice.view',
}


def _backfill(table: str) -> None:
    """Numbers already given, taken apart in batches of ids (a large table is never read whole)."""
    conn = op.get_bind()
    t = sa.table(table, sa.column('id', sa.BigInteger), sa.column('number', sa.String),
                 sa.column('number_year', sa.Integer), sa.column('number_seq', sa.Integer))
    last = 0
    while True:
        rows = conn.execute(sa.select(t.c.id, t.c.number).where(t.c.id > last, t.c.number.is_not(None))
                            .order_by(t.c.id).limit(BATCH)).all()
        if not rows:
            return
        values = []
        for rid, number in rows:
            found = _TAIL.search(number or "")
            if found is not None and int(found.group(2)) <= 2_000_000_000:
                values.append({'rid': rid, 'y': int(found.group(1)), 'n': int(found.group(2))})
        if values:
            conn.execute(t.update().where(t.c.id == sa.bindparam('rid'))
                         .values(number_year=sa.bindparam('y'), number_seq=sa.bindparam('n')), values)
        last = rows[-1][0]


def upgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column('number_year', sa.Integer(), nullable=True))
            batch_op.add_column(sa.Column('number_seq', sa.Integer(), nullable=True))
        _backfill(table)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.create_index(batch_op.f(f'ix_{table}_number_seq'), ['number_seq'], unique=False)
    for report_perm, data_perm in REPORTS.items():
        op.execute(sa.text(
            "INSERT INTO kernel_role_permission (role_id, permission) "
            "SELECT rp.role_id, :report FROM kernel_role_permission rp WHERE rp.permission = :data "
            "AND NOT EXISTS (SELECT 1 FROM kernel_role_permission x WHERE x.role_id = rp.role_id "
            "AND x.permission = :report)").bindparams(report=report_perm, data=data_perm))


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM kernel_role_permission WHERE permission IN :perms").bindparams(
        sa.bindparam('perms', list(REPORTS), expanding=True)))
    for table in TABLES:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_index(batch_op.f(f'ix_{table}_number_seq'))
            batch_op.drop_column('number_seq')
            batch_op.drop_column('number_year')
