"""Sales per product per Jalali year, this year beside last year (FIN-17, FAQ 8: "compare the
sales of one product year by year").

A Jalali year starts at Nowruz, not on 1 January, so the two years are two Gregorian date ranges
computed once ([1 Farvardin of last year, 1 Farvardin of next year)); the invoices of that range
are read through the record scope and their lines summed per product in one ``GROUP BY``, each sum
split by the year with a ``CASE``. Sales are the lines' taxable amounts (after line and document
discounts, before VAT): what was sold, not the taxes collected on it.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import case, func, select

from kernel import InputError, ReportParam
from kernel.persian.jalali import MAX_YEAR, MIN_YEAR, jalali_to_date, to_jalali
from kernel.persian.numbers import format_code
from kernel.persian.textnorm import to_ascii_digits
from kernel.timezone import local_today
from modules.finance.models import Invoice, InvoiceLine, Product

LIMIT = 5000


def year_param() -> ReportParam:
    return ReportParam("year", "Jalali year")


def chosen_year(raw: str, kernel: Any) -> int:
    """The year typed (any digits), this Jalali year when empty."""
    text = to_ascii_digits(raw or "").strip()
    if not text:
        return int(to_jalali(local_today(kernel.config.timezone)).year)
    if not (text.isdigit() and len(text) == 4 and MIN_YEAR < int(text) <= MAX_YEAR):
        raise InputError("Enter the year in the Jalali calendar, e.g. 1405")
    return int(text)


def quantity(value: Any) -> int | Decimal:
    """A summed quantity as people write it: whole numbers as integers, else to the thousandth."""
    d = Decimal(str(value or 0)).quantize(Decimal("0.001"))
    return int(d) if d == d.to_integral_value() else d.normalize()


def change(before: int, after: int) -> Decimal | str:
    """The change in percent, to a tenth (half up); "—" when there was nothing to compare with."""
    if before <= 0:
        return "—"
    return (Decimal(after - before) * 100 / before).quantize(Decimal("0.1"), ROUND_HALF_UP)


def sales_by_product(session: Any, actor: Any, params: dict[str, str], kernel: Any, lang: str,
                     **_: Any) -> tuple[list[str], list[list[Any]]]:
    year = chosen_year(params.get("year", ""), kernel)
    last_start, this_start, next_start = (jalali_to_date(y, 1, 1) for y in (year - 1, year, year + 1))
    invoices = (kernel.scoped_select(actor, Invoice)
                .where(Invoice.state == "issued", Invoice.date >= last_start, Invoice.date < next_start)
                .with_only_columns(Invoice.id, Invoice.date).subquery())
    this = invoices.c.date >= this_start

    def per_year(column: Any, in_this: bool) -> Any:
        return func.coalesce(func.sum(case((this if in_this else ~this, column), else_=0)), 0)

    stmt = (select(Product.name, Product.code, per_year(InvoiceLine.quantity, False), per_year(InvoiceLine.quantity, True),
                   per_year(InvoiceLine.taxable, False), per_year(InvoiceLine.taxable, True))
            .select_from(invoices).join(InvoiceLine, InvoiceLine.invoice_id == invoices.c.id)
            .join(Product, Product.id == InvoiceLine.product_id)
            .group_by(Product.id, Product.name, Product.code, Product.sort_key)
            .order_by(per_year(InvoiceLine.taxable, True).desc(), Product.sort_key, Product.id).limit(LIMIT))
    kind = params.get("kind", "")
    if kind:
        if kind not in ("goods", "service"):
            raise InputError("Choose one of the listed values")
        stmt = stmt.where(Product.kind == kind)
    rows = [[name, format_code(code, lang), quantity(q0), quantity(q1), int(s0), int(s1), change(int(s0), int(s1))]
            for name, code, q0, q1, s0, s1 in session.execute(stmt)]
    t = kernel.t
    return ["Product", "Code", t(lang, "Quantity in {year}", year=year - 1), t(lang, "Quantity in {year}", year=year),
            t(lang, "Sales in {year} (Rials)", year=year - 1), t(lang, "Sales in {year} (Rials)", year=year),
            "Change (%)"], rows
