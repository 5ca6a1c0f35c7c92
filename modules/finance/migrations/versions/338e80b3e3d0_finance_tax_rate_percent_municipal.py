"""finance tax rates: the rate typed as a percent (column ``rate``, still basis points), and the
municipal tax as its own kind of row, seeded at 0

The tax-rate form took basis points (900); people type «۹٪». The column keeps basis points and is
renamed ``rate`` (the model reads it through ``kernel.scaled.Percent``: ``Decimal("9")``), and
the history of the rows already written is rewritten the same way, so it reads «۹٪» too.

Municipal tax is a kind of tax-rate row with its own dates. Iran's VAT law puts the municipal
share inside the one VAT rate printed on an invoice (9 %, 10 % from 1403/01/01, the rows seeded by
9caa02a8f9a9), so the municipal rate seeded here is 0 from 1399/01/01: the totals stay what the
law gives, and an administrator adds a row from the day a separate duty applies (docs/finance.md,
"Tax rates by date").

Revision ID: 338e80b3e3d0
Revises: a5c9e2f4b710
Create Date: 2026-12-08 09:00:00
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import sqlalchemy as sa
from alembic import op

revision = '338e80b3e3d0'
down_revision = 'a5c9e2f4b710'
branch_labels = None
depends_on = None

# Shown in the list of rates: «the municipal share is inside the VAT rate».
NOTE = 'سهم شهرداری در نرخ مالیات بر ارزش افزوده آمده است'


def _history(old: str, new: str, to_new: object) -> None:
    """Rename the field in the tax rates' history rows and convert its values."""
    conn = op.get_bind()
    h = sa.table('kernel_history', sa.column('id', sa.Integer), sa.column('table_name', sa.String),
                 sa.column('changes', sa.Text))
    for hid, changes in conn.execute(sa.select(h.c.id, h.c.changes).where(h.c.table_name == 'finance_tax_rate')).all():
        data = json.loads(changes or '{}')
        if old not in data:
            continue
        data[new] = [None if v is None else to_new(v) for v in data.pop(old)]  # type: ignore[operator]
        conn.execute(h.update().where(h.c.id == hid).values(changes=json.dumps(data, ensure_ascii=False)))


def upgrade() -> None:
    with op.batch_alter_table('finance_tax_rate', schema=None) as batch_op:
        batch_op.alter_column('rate_bp', new_column_name='rate', existing_type=sa.Integer(), existing_nullable=False)
    # As the audit writes a Decimal: "9.00".
    _history('rate_bp', 'rate', lambda bp: str((Decimal(int(bp)) / 100).quantize(Decimal('0.01'))))
    rates = sa.table('finance_tax_rate', sa.column('kind', sa.String), sa.column('rate', sa.Integer),
                     sa.column('valid_from', sa.Date), sa.column('note', sa.String),
                     sa.column('created_at', sa.DateTime), sa.column('updated_at', sa.DateTime))
    conn = op.get_bind()
    if not conn.scalar(sa.select(sa.func.count()).select_from(rates).where(rates.c.kind == 'municipal')):
        now = dt.datetime(2026, 12, 8)
        op.bulk_insert(rates, [{'kind': 'municipal', 'rate': 0, 'valid_from': dt.date(2020, 3, 20), 'note': NOTE,
                                'created_at': now, 'updated_at': now}])


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM finance_tax_rate WHERE kind = 'municipal' AND note = :note").bindparams(note=NOTE))
    _history('rate', 'rate_bp', lambda pct: int(Decimal(str(pct)) * 100))
    with op.batch_alter_table('finance_tax_rate', schema=None) as batch_op:
        batch_op.alter_column('rate', new_column_name='rate_bp', existing_type=sa.Integer(), existing_nullable=False)
