"""finance customer standing: each customer's open balance and payment-behaviour counts, score
and band, kept by the history's changes, for the customers list (FIN-12)

The customers list sorts a million customers by balance or by score: the table holds one row per
customer with some history, kept in each change's transaction by ``modules/finance/standing.py``;
the list reads a page of it in the order of one of its indexes. Here it is filled once from what
is already there: one ``INSERT … SELECT … GROUP BY`` over the invoices, the plan rows and the
cheques' history, then the score and band of every row by one ``UPDATE`` (the formula of
``modules/finance/score.py``, copied as SQL: a migration must not follow later model code).
Overdue rows are counted as of the database's current date.

The two new reports (cheques by state and due date, collected per user) are granted to the roles
that read their data, as the finance reports before them (migration ``f3b1c8d2e4a7``).

Revision ID: b8e5d3f1a2c7
Revises: c3e9a5d1f720
Create Date: 2026-12-07 05:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = 'b8e5d3f1a2c7'
down_revision = 'c3e9a5d1f720'
branch_labels = None
depends_on = None

TABLE = 'finance_customer_standing'
_ID = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')
COUNTS = ('invoices', 'on_time', 'late', 'late_days', 'overdue', 'bounced', 'legal', 'returned')
INDEXES = (('ix_finance_customer_standing_balance', ['balance', 'partner_id']),
           ('ix_finance_customer_standing_score', ['score', 'partner_id']),
           ('ix_finance_customer_standing_band_balance', ['band', 'balance', 'partner_id']),
           ('ix_finance_customer_standing_band_score', ['band', 'score', 'partner_id']))


# Each report is its own permission (<key>.report); a role that reads the report's data gets it.
REPORTS = {'finance.cheques_by_state.report': 'finance.cheque.view',
           'finance.collected_per_user.report': 'finance.receipt.view'}


def _grant_reports() -> None:
    for report_perm, data_perm in REPORTS.items():
        op.execute(sa.text(
            "INSERT INTO kernel_role_permission (role_id, permission) "
            "SELECT rp.role_id, :report FROM kernel_role_permission rp WHERE rp.permission = :data "
            "AND NOT EXISTS (SELECT 1 FROM kernel_role_permission x WHERE x.role_id = rp.role_id "
            "AND x.permission = :report)").bindparams(report=report_perm, data=data_perm))


def _sources(dialect: str) -> sa.Subquery:
    inv = sa.table('finance_invoice', sa.column('id'), sa.column('partner_id'), sa.column('state'),
                   sa.column('deleted_at'), sa.column('balance'))
    row = sa.table('finance_instalment', sa.column('invoice_id'), sa.column('state'), sa.column('paid_on'),
                   sa.column('due_date'), sa.column('deleted_at'))
    chq = sa.table('finance_cheque', sa.column('id'), sa.column('partner_id'))
    ev = sa.table('finance_cheque_event', sa.column('cheque_id'), sa.column('from_state'), sa.column('to_state'))
    zero = sa.literal(0)

    def cols(pid: sa.ColumnElement, **given: sa.ColumnElement) -> list[sa.ColumnElement]:
        return [pid.label('pid'), given.get('balance', zero).label('balance'),
                *(given.get(c, zero).label(c) for c in COUNTS)]

    issued = sa.and_(inv.c.state == 'issued', inv.c.deleted_at.is_(None))
    if dialect == 'postgresql':
        days = row.c.paid_on - row.c.due_date
    else:
        days = sa.cast(sa.func.julianday(row.c.paid_on) - sa.func.julianday(row.c.due_date), sa.Integer)
    late = days > 0
    bounce_back = sa.and_(ev.c.to_state == 'returned', ev.c.from_state.in_(('bounced', 'legal')))
    parts = [
        sa.select(*cols(inv.c.partner_id, balance=inv.c.balance, invoices=sa.literal(1))).where(issued),
        sa.select(*cols(inv.c.partner_id, on_time=sa.case((late, 0), else_=1), late=sa.case((late, 1), else_=0),
                        late_days=sa.case((late, days), else_=0)))
        .select_from(row.join(inv, inv.c.id == row.c.invoice_id))
        .where(row.c.deleted_at.is_(None), row.c.state == 'paid', row.c.paid_on.is_not(None)),
        sa.select(*cols(inv.c.partner_id, overdue=sa.literal(1)))
        .select_from(row.join(inv, inv.c.id == row.c.invoice_id))
        .where(issued, row.c.deleted_at.is_(None), row.c.state != 'paid', row.c.due_date < sa.func.current_date()),
        sa.select(*cols(chq.c.partner_id, bounced=sa.case((ev.c.to_state == 'bounced', 1), else_=0),
                        legal=sa.case((ev.c.to_state == 'legal', 1), else_=0),
                        returned=sa.case((bounce_back, 1), else_=0)))
        .select_from(ev.join(chq, chq.c.id == ev.c.cheque_id))
        .where(sa.or_(ev.c.to_state.in_(('bounced', 'legal')), bounce_back)),
    ]
    return sa.union_all(*parts).subquery()


def _backfill() -> None:
    conn = op.get_bind()
    src = _sources(conn.dialect.name)
    target = sa.table(TABLE, *(sa.column(c) for c in ('partner_id', 'balance', *COUNTS, 'score', 'band')))
    conn.execute(target.insert().from_select(
        ['partner_id', 'balance', *COUNTS],
        sa.select(src.c.pid, sa.func.sum(src.c.balance), *(sa.func.sum(src.c[c]) for c in COUNTS))
        .group_by(src.c.pid)))
    t = target.c
    weight = t.on_time + t.late + t.overdue + 3 * t.bounced + t.returned + 2 * t.legal
    late_credit = 90 * t.late - t.late_days
    num = 100 * (90 * t.on_time + sa.case((late_credit > 0, late_credit), else_=0))
    den = 90 * weight
    score = sa.case((weight > 0, (2 * num + den) // (2 * den)), else_=-1)  # whole: half up
    conn.execute(target.update().values(score=score))
    conn.execute(target.update().values(band=sa.case((t.score >= 80, 'good'), (t.score >= 50, 'fair'),
                                                     (t.score >= 0, 'bad'), else_='none')))


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column('partner_id', _ID, autoincrement=False, nullable=False),
        sa.Column('balance', sa.BigInteger(), server_default='0', nullable=False),
        *(sa.Column(c, sa.Integer(), server_default='0', nullable=False) for c in COUNTS),
        sa.Column('score', sa.Integer(), server_default='-1', nullable=False),
        sa.Column('band', sa.String(length=8), server_default='none', nullable=False),
        sa.PrimaryKeyConstraint('partner_id', name=op.f('pk_finance_customer_standing')),
    )
    for name, columns in INDEXES:
        op.create_index(name, TABLE, columns, unique=False)
    _backfill()
    _grant_reports()
    # A new table has no statistics: without them a planner may not take the indexes.
    op.execute(f'ANALYZE {TABLE}')


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM kernel_role_permission WHERE permission IN :perms").bindparams(
        sa.bindparam('perms', list(REPORTS), expanding=True)))
    for name, _columns in INDEXES:
        op.drop_index(name, table_name=TABLE)
    op.drop_table(TABLE)
