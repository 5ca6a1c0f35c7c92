"""Ageing of receivables and receivables per customer (FIN-12), two kernel reports (page, xlsx,
PDF) with their own permissions (``finance.ageing.report``, ``finance.receivables.report``) over
``finance.invoice.view``.

**What is owed and since when.** An open invoice (issued, ``balance`` > 0) with a payment plan
owes each unpaid instalment's rest (amount − cleared money) from that instalment's due date; one
without a plan owes its balance from its own date (it falls due when issued, as "Unsettled
invoices" counts). Days overdue = today − due date: "Not yet due" when the due date is after
today, then 0–30 (due today counts 0), 31–60, 61–90 and over 90 days.

**One statement, one pass.** :func:`open_amounts` reads each open invoice once, with its live
instalments joined to it (``LEFT JOIN``): an invoice without a plan owes its balance from its own
date, one with a plan each unpaid instalment's rest from the instalment's due date. The amounts
are aggregated per customer with ``CASE`` sums on the due date against four boundary days computed
here (no date arithmetic in SQL, so the same statement runs on SQLite and PostgreSQL). The open
invoices come from their partial index in customer order (``ix_finance_invoice_owed``: only issued
invoices with a balance, with the columns read), so the grouping needs no sort; the instalments by
``ix_finance_instalment_invoice``. The open condition is written with literal constants: SQLite
uses a partial index only for a query whose own text implies the index's condition, which a bound
parameter does not. At 1,000,000 partners on SQLite this took the ageing from 2.06 s (a ``UNION
ALL`` of the unplanned invoices and the instalments, grouped by a temporary B-tree) to about 0.6 s
(docs/PERFORMANCE.md). The record scope is the invoices' (an instalment belongs to its invoice).

**Payables** (what we owe suppliers) come with purchase invoices (FIN-18): they are a report of
the same shape beside :data:`RECEIVABLES`, reading the purchase invoices' open balances, so the
two can be read side by side; nothing here needs to change for it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import and_, case, func, literal, literal_column, or_, select

from kernel import Report
from kernel.persian.numbers import format_number
from kernel.timezone import local_today
from modules.base.models import Partner
from modules.finance.models import Cheque, Instalment, Invoice
from modules.finance.services.statement import NOT_CLEARED

LIMIT = 5000
BUCKETS = ("not_due", "d30", "d60", "d90", "over")
BUCKET_TITLES = ["Not yet due", "0–30 days", "31–60 days", "61–90 days", "Over 90 days"]


def _open(kernel: Any, actor: Any) -> list[Any]:
    """The open invoices the actor may see: the partial indexes' own condition, in literals."""
    return [Invoice.deleted_at.is_(None), Invoice.state == literal_column("'issued'"),
            Invoice.balance > literal_column("0"), *kernel.record_conditions(actor, Invoice, "view")]


def open_amounts(kernel: Any, actor: Any, today: dt.date) -> Any:
    """Per customer: (partner_id, not_due, d30, d60, d90, over, total) in Rials, as a subquery."""
    planned = Instalment.invoice_id.is_not(None)  # the LEFT JOIN found a live instalment
    owed = (select(Invoice.partner_id.label("pid"),
                   case((planned, Instalment.due_date), else_=Invoice.date).label("due"),
                   case((planned, Instalment.amount - Instalment.paid), else_=Invoice.balance).label("amount"))
            .outerjoin(Instalment, and_(Instalment.invoice_id == Invoice.id, Instalment.deleted_at.is_(None)))
            .where(*_open(kernel, actor), or_(~planned, Instalment.state != "paid"))
            .subquery())
    edges = [today - dt.timedelta(days=n) for n in (30, 60, 90)]
    due, amount = owed.c.due, owed.c.amount
    # The bucket of each amount: the first condition that holds (CASE takes them in order).
    bucket = case(*((c, literal(i)) for i, c in enumerate([due > today, due >= edges[0], due >= edges[1],
                                                            due >= edges[2]])), else_=literal(len(edges) + 1))
    sums = [func.sum(case((bucket == i, amount), else_=0)).label(name) for i, name in enumerate(BUCKETS)]
    return (select(owed.c.pid, *sums, func.sum(amount).label("total")).group_by(owed.c.pid).subquery())


def ageing(session: Any, actor: Any, params: dict[str, str], kernel: Any, lang: str,
           **_: Any) -> tuple[list[str], list[list[Any]]]:
    """Per customer what is owed by how long it is overdue, the largest totals first, and a
    total row."""
    today = local_today(kernel.config.timezone)
    aged = open_amounts(kernel, actor, today)
    stmt = (select(Partner.name, *(aged.c[b] for b in BUCKETS), aged.c.total)
            .join(aged, aged.c.pid == Partner.id).order_by(aged.c.total.desc(), Partner.id).limit(LIMIT))
    return ["Customer", *BUCKET_TITLES, "Total (Rials)"], with_total(session, stmt, kernel, lang)


def receivables(session: Any, actor: Any, params: dict[str, str], kernel: Any, lang: str,
                **_: Any) -> tuple[list[str], list[list[Any]]]:
    """Per customer: the open balance, the part of it overdue, and the cheques they gave that are
    not money yet (a memo: not deducted), the largest balances first, and a total row."""
    today = local_today(kernel.config.timezone)
    aged = open_amounts(kernel, actor, today)
    cheques = (kernel.scoped_select(actor, Cheque).where(Cheque.state.in_(NOT_CLEARED))
               .with_only_columns(Cheque.partner_id.label("pid"), func.sum(Cheque.amount).label("cheques"))
               .group_by(Cheque.partner_id).subquery())
    overdue = aged.c.d30 + aged.c.d60 + aged.c.d90 + aged.c.over
    stmt = (select(Partner.name, aged.c.total, overdue, func.coalesce(cheques.c.cheques, 0))
            .join(aged, aged.c.pid == Partner.id).outerjoin(cheques, cheques.c.pid == Partner.id)
            .order_by(aged.c.total.desc(), Partner.id).limit(LIMIT))
    return (["Customer", "Open balance (Rials)", "Of which overdue (Rials)", "Cheques not yet cleared (Rials)"],
            with_total(session, stmt, kernel, lang))


def with_total(session: Any, stmt: Any, kernel: Any, lang: str) -> list[list[Any]]:
    """The rows of ``stmt`` (a name, then amounts) and a total row of **every** customer's amounts,
    not only the :data:`LIMIT` listed: each amount's sum and the count ride along as window
    columns (computed before the LIMIT, in the same statement). Past the limit the total row
    says how many customers it adds up."""
    amounts = list(stmt.selected_columns)[1:]
    stmt = stmt.add_columns(*(func.sum(c).over() for c in amounts), func.count().over())
    rows: list[list[Any]] = []
    totals: list[int] = []
    count = 0
    for name, *values in session.execute(stmt):
        rows.append([name, *(int(v or 0) for v in values[:len(amounts)])])
        totals, count = [int(v or 0) for v in values[len(amounts):-1]], int(values[-1])
    if rows:
        label = (kernel.t(lang, "Total") if count <= len(rows)
                 else kernel.t(lang, "Total of all {n} customers", n=format_number(count, lang)))
        rows.append([label, *totals])
    return rows


AGEING = Report("finance.ageing", "Ageing of receivables", ageing, "finance.invoice.view", sequence=55)
RECEIVABLES = Report("finance.receivables", "Receivables per customer", receivables, "finance.invoice.view",
                     sequence=56)
