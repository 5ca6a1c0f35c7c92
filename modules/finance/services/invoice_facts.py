"""What an issued invoice's lines earned, for other modules' reports: revenue (the lines'
taxable amounts — after discounts, before VAT), cost (each line's quantity × the average cost it
kept when its invoice was issued) and how many lines kept no cost (sold before any purchase).

"Profit per product" (:mod:`modules.finance.report_profit`) groups these by product; sales groups
them by the invoice's owner (the salesperson) and by customer. One ``GROUP BY`` statement over the
invoices the actor may see, issued in the period.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from sqlalchemy import case, func, select

from modules.finance.models import Invoice, InvoiceLine
from modules.finance.totals import round_half_up

REVENUE = func.sum(InvoiceLine.taxable)
COST = func.sum(InvoiceLine.quantity * func.coalesce(InvoiceLine.cost, 0))
UNKNOWN = func.sum(case((InvoiceLine.cost.is_(None), 1), else_=0))


def whole_rials(value: Any) -> int:
    """A summed cost as a whole Rial, half up (SQLite multiplies as REAL: back through its text)."""
    return round_half_up(Decimal(str(value or 0)))


@dataclass
class Earned:
    revenue: int = 0
    cost: int = 0
    unknown: int = 0  # lines that kept no cost: their profit cannot be told

    @property
    def profit(self) -> int | None:
        return None if self.unknown else self.revenue - self.cost


def issued_invoices(kernel: Any, actor: Any, first: dt.date | None, last: dt.date | None) -> Any:
    """The ids (and owner, customer) of the issued invoices the actor may see, dated in the period."""
    stmt = kernel.scoped_select(actor, Invoice).where(Invoice.state == "issued")
    if first is not None:
        stmt = stmt.where(Invoice.date >= first)
    if last is not None:
        stmt = stmt.where(Invoice.date <= last)
    return stmt.with_only_columns(Invoice.id, Invoice.owner_id, Invoice.partner_id, Invoice.date).subquery()


def earned_by(kernel: Any, session: Any, actor: Any, first: dt.date | None, last: dt.date | None,
              by: str) -> dict[int, Earned]:
    """Revenue, cost and unknown-cost lines of the invoices per ``by`` ("owner_id" or "partner_id")."""
    docs = issued_invoices(kernel, actor, first, last)
    key = docs.c[by]
    rows = session.execute(select(key, REVENUE, COST, UNKNOWN).select_from(docs)
                           .join(InvoiceLine, InvoiceLine.invoice_id == docs.c.id).group_by(key))
    return {int(k): Earned(int(rev or 0), whole_rials(cost), int(unk or 0)) for k, rev, cost, unk in rows
            if k is not None}


def last_invoiced(kernel: Any, session: Any, actor: Any, partner_ids: set[int]) -> dict[int, dt.date]:
    """Each customer's latest issued invoice date (of those the actor may see): the last purchase."""
    if not partner_ids:
        return {}
    stmt = (kernel.scoped_select(actor, Invoice).where(Invoice.state == "issued", Invoice.partner_id.in_(partner_ids))
            .with_only_columns(Invoice.partner_id, func.max(Invoice.date)).group_by(Invoice.partner_id))
    return {int(p): d for p, d in session.execute(stmt) if d is not None}
