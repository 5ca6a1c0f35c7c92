"""finance customer totals: each customer's proformas and invoices counted and totalled per
Jalali year (and for all years), kept by the documents' changes, for report (c)

Report (c) aggregated every issued document of the period for each request (3–5.7 s on 800,000
documents, bench/bench_finance.py). The table holds the aggregate, one row per customer and Jalali
year of the documents' date plus one for all years (year 0); ``modules/finance/customer_totals.py``
keeps it in each change's transaction, and the report reads a page of it in the order of
``ix_finance_customer_total_rank``. Here it is filled once from the documents already there: one
``INSERT … SELECT … GROUP BY`` over both tables for the years, one over those rows for all years.

Revision ID: a7d4c2e9b1f6
Revises: a6c3e8f2d417
Create Date: 2026-12-07 03:00:00
"""

from __future__ import annotations

import datetime as dt

import jdatetime
import sqlalchemy as sa
from alembic import op

revision = 'a7d4c2e9b1f6'
down_revision = 'a6c3e8f2d417'
branch_labels = None
depends_on = None

TABLE = 'finance_customer_total'
_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
# As modules/finance/customer_totals (copied: a migration must not follow later model code).
CELLS = ('proforma_goods', 'proforma_services', 'invoice_goods', 'invoice_services')
KINDS = (('goods', 'goods'), ('service', 'services'))
DOCS = (('proforma', 'finance_proforma', ('issued', 'converted')), ('invoice', 'finance_invoice', ('issued',)))
COLUMNS = (*(c for cell in CELLS for c in (cell, f'{cell}_total')), 'offered', 'invoiced')


def _documents(name: str) -> sa.TableClause:
    return sa.table(name, sa.column('partner_id', sa.BigInteger), sa.column('date', sa.Date),
                    sa.column('kind', sa.String), sa.column('grand_total', sa.BigInteger),
                    sa.column('state', sa.String), sa.column('deleted_at', sa.DateTime))


def _jalali_year(day: sa.ColumnElement[dt.date], first: dt.date, last: dt.date) -> sa.ColumnElement[int]:
    """The Jalali year of a date column, as a CASE over the 1 Farvardin of each year between the
    documents' first and last date (Nowruz falls on 20 or 21 March: no arithmetic gives it)."""
    years = range(jdatetime.date.fromgregorian(date=first).year, jdatetime.date.fromgregorian(date=last).year + 1)
    starts = [(y, jdatetime.date(y, 1, 1).togregorian()) for y in years]
    if len(starts) == 1:
        return sa.literal(starts[0][0])
    return sa.case(*((day >= start, y) for y, start in reversed(starts[1:])), else_=starts[0][0])


def _backfill() -> None:
    conn = op.get_bind()
    parts, firsts, lasts = [], [], []
    for _doc, name, states in DOCS:
        t = _documents(name)
        live = sa.and_(t.c.deleted_at.is_(None), t.c.state.in_(states), t.c.kind.in_([k for k, _ in KINDS]))
        first, last = conn.execute(sa.select(sa.func.min(t.c.date), sa.func.max(t.c.date)).where(live)).one()
        if first is not None:
            firsts.append(dt.date.fromisoformat(str(first)))
            lasts.append(dt.date.fromisoformat(str(last)))
    if not firsts:
        return
    first, last = min(firsts), max(lasts)
    for doc, name, states in DOCS:
        t = _documents(name)
        parts.append(sa.select(t.c.partner_id, _jalali_year(t.c.date, first, last).label('year'),
                               sa.literal(doc).label('doc'), t.c.kind, t.c.grand_total)
                     .where(t.c.deleted_at.is_(None), t.c.state.in_(states), t.c.kind.in_([k for k, _ in KINDS])))
    docs = sa.union_all(*parts).subquery()
    sums = []
    for doc, _name, _states in DOCS:
        for kind, _cell in KINDS:
            mine = sa.and_(docs.c.doc == doc, docs.c.kind == kind)
            sums += [sa.func.sum(sa.case((mine, 1), else_=0)), sa.func.sum(sa.case((mine, docs.c.grand_total), else_=0))]
    for doc, _name, _states in DOCS:
        sums.append(sa.func.sum(sa.case((docs.c.doc == doc, docs.c.grand_total), else_=0)))
    target = sa.table(TABLE, *(sa.column(c) for c in ('partner_id', 'year', *COLUMNS)))
    conn.execute(target.insert().from_select(['partner_id', 'year', *COLUMNS],
                                             sa.select(docs.c.partner_id, docs.c.year, *sums)
                                             .group_by(docs.c.partner_id, docs.c.year)))
    # All years: the sums of each customer's years (year 0).
    years = target.alias('y')
    conn.execute(target.insert().from_select(
        ['partner_id', 'year', *COLUMNS],
        sa.select(years.c.partner_id, sa.literal(0), *(sa.func.sum(years.c[c]) for c in COLUMNS))
        .group_by(years.c.partner_id)))


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column('partner_id', _ID, autoincrement=False, nullable=False),
        sa.Column('year', sa.Integer(), autoincrement=False, nullable=False),
        *(sa.Column(c, sa.BigInteger(), server_default='0', nullable=False) for c in COLUMNS),
        sa.PrimaryKeyConstraint('partner_id', 'year', name=op.f('pk_finance_customer_total')),
    )
    op.create_index('ix_finance_customer_total_rank', TABLE, ['year', 'invoiced', 'offered', 'partner_id'],
                    unique=False)
    _backfill()
    # A new table has no statistics: without them a planner may not take the rank index.
    op.execute(f'ANALYZE {TABLE}')


def downgrade() -> None:
    op.drop_index('ix_finance_customer_total_rank', table_name=TABLE)
    op.drop_table(TABLE)
