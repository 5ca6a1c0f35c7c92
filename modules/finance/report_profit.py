"""Profit per product at weighted-average cost (FIN-14, FAQ 4) and what we owe suppliers
(FIN-18), each a page, an xlsx and a PDF through the kernel's report machinery.

**Profit per product** over a Jalali period: the lines of the invoices issued in it (read through
the record scope), per product: quantity sold, revenue (the lines' taxable amounts: after
discounts, before VAT, as "Sales per product" counts them), cost (each line's quantity × the
average cost it kept when its invoice was issued, rounded half-up to a Rial per product), profit
and margin (profit ÷ revenue, to a tenth of a percent). A line sold before its product was ever
purchased kept no cost: the product's profit is then not shown and the row says "Cost unknown".
One ``GROUP BY`` statement narrowed by the invoices' date index.

**Payables** per supplier: the posted purchase invoices (count and total), what was paid, what is
still open, and our cheques the supplier still holds (given, not cleared). Two statements.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import func, select

from kernel import Report, ReportParam
from kernel.persian.numbers import format_code
from modules.base.models import Partner
from modules.finance.models import InvoiceLine, OwnCheque, Product, Purchase
from modules.finance.report_sales import quantity
from modules.finance.services import invoice_facts

LIMIT = 5000


def margin(profit: int, revenue: int) -> Decimal | str:
    if revenue <= 0:
        return "—"
    return (Decimal(profit) * 100 / revenue).quantize(Decimal("0.1"), ROUND_HALF_UP)


def profit_per_product(session: Any, actor: Any, params: dict[str, str], kernel: Any, lang: str,
                       **_: Any) -> tuple[list[str], list[list[Any]]]:
    from modules.finance.reports import _period

    first, last = _period(params)
    invoices = invoice_facts.issued_invoices(kernel, actor, first, last)
    stmt = (select(Product.name, Product.code, func.sum(InvoiceLine.quantity), invoice_facts.REVENUE,
                   invoice_facts.COST, invoice_facts.UNKNOWN)
            .select_from(invoices).join(InvoiceLine, InvoiceLine.invoice_id == invoices.c.id)
            .join(Product, Product.id == InvoiceLine.product_id)
            .group_by(Product.id, Product.name, Product.code, Product.sort_key)
            .order_by(func.sum(InvoiceLine.taxable).desc(), Product.sort_key, Product.id).limit(LIMIT))
    rows: list[list[Any]] = []
    sums = [0, 0, 0]
    for name, code, qty, revenue, cost, missing in session.execute(stmt):
        revenue = int(revenue or 0)
        cost = invoice_facts.whole_rials(cost)
        if missing:
            rows.append([name, format_code(code, lang), quantity(qty), revenue, cost, "—", "—",
                         kernel.t(lang, "Cost unknown")])
            sums[0] += revenue
            continue
        profit = revenue - cost
        rows.append([name, format_code(code, lang), quantity(qty), revenue, cost, profit, margin(profit, revenue), ""])
        sums = [sums[0] + revenue, sums[1] + cost, sums[2] + profit]
    if rows:
        rows.append([kernel.t(lang, "Total"), "", "", sums[0], sums[1], sums[2], "", ""])
    return ["Product", "Code", "Quantity sold", "Revenue (Rials)", "Cost at the average (Rials)", "Profit (Rials)",
            "Margin (%)", "Note"], rows


def payables(session: Any, actor: Any, params: dict[str, str], kernel: Any, lang: str,
             **_: Any) -> tuple[list[str], list[list[Any]]]:
    docs = kernel.scoped_select(actor, Purchase).where(Purchase.state == "posted").subquery()
    stmt = (select(docs.c.partner_id, Partner.name, func.count(), func.sum(docs.c.grand_total),
                   func.sum(docs.c.paid), func.sum(docs.c.balance))
            .select_from(docs).join(Partner, Partner.id == docs.c.partner_id)
            .group_by(docs.c.partner_id, Partner.name, Partner.sort_key)
            .order_by(func.sum(docs.c.balance).desc(), Partner.sort_key, docs.c.partner_id).limit(LIMIT))
    held = dict(session.execute(
        kernel.scoped_select(actor, OwnCheque).where(OwnCheque.state == "issued")
        .with_only_columns(OwnCheque.partner_id, func.sum(OwnCheque.amount)).group_by(OwnCheque.partner_id)).all())
    rows: list[list[Any]] = []
    sums = [0, 0, 0, 0, 0]
    for partner_id, name, count, total, paid, open_ in session.execute(stmt):
        line = [int(count), int(total or 0), int(paid or 0), int(open_ or 0), int(held.get(partner_id) or 0)]
        rows.append([name, *line])
        sums = [a + b for a, b in zip(sums, line, strict=True)]
    if rows:
        rows.append([kernel.t(lang, "Total"), *sums])
    return ["Supplier", "Posted purchase invoices", "Total (Rials)", "Paid (Rials)", "Open (Rials)",
            "Our cheques outstanding (Rials)"], rows


REPORTS = [
    Report("finance.profit_per_product", "Profit per product at average cost", profit_per_product,
           "finance.invoice.view", params=(ReportParam("from", "From", "date"), ReportParam("to", "Until", "date")),
           sequence=55),
    Report("finance.payables", "Payables to suppliers", payables, "finance.purchase.view", sequence=56),
]
