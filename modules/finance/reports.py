"""The finance reports (FIN-12, FIN-17, FAQ 8, FAQ 11), each a page, an xlsx and a PDF through
the kernel's report machinery, each its own permission (``<key>.report``).

Every query reads the documents through ``kernel.scoped_select`` (a document is as visible as
its customer) and aggregates in the database (``GROUP BY``), so a report costs one statement
whatever the number of documents; what it reads is narrowed first by an indexed column (the
open invoices' partial index, the date, the partner). Report (c), the customers, reads instead
the totals the documents keep per customer (``report_customers.py``), a page at a time. Amounts are integer Rials, kept as numbers
so a spreadsheet can add them; dates are Jalali, digits Persian on the page and in the PDF.

Which documents count: a proforma once issued (``issued`` or ``converted``; drafts and cancelled
ones are not offers any more, except in the report by state, which shows every state); an
invoice while ``issued`` (a void invoice sold nothing; a draft is not yet an invoice).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select

from kernel import InputError, Report, ReportParam
from kernel.persian.jalali import format_jalali, parse_jalali_date
from kernel.persian.numbers import format_code
from kernel.persian.textnorm import to_ascii_digits
from kernel.timezone import local_today
from modules.base.models import Partner
from modules.finance.models import Invoice, Proforma
from modules.finance.models.document import PROFORMA_STATES
from modules.finance.models.document_base import DOC_KINDS
from modules.finance.report_commissions import REPORT as COMMISSIONS
from modules.finance.report_customers import PAGE_SIZE, customer_totals
from modules.finance.report_customers import year_param as customers_year
from modules.finance.report_profit import REPORTS as PURCHASE_REPORTS
from modules.finance.report_sales import sales_by_product, year_param

LIMIT = 5000


def _kinds(**_: Any) -> list[tuple[str, str]]:
    return list(DOC_KINDS)


def _whole(value: str) -> int | None:
    """A whole number typed in any digits, or None when empty."""
    text = to_ascii_digits(value or "").replace(",", "").replace("٬", "").strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 6:
        raise InputError("Enter a whole number of days")
    return int(text)


def _period(params: dict[str, str], start: str = "from", end: str = "to") -> tuple[dt.date | None, dt.date | None]:
    """From/to Jalali days (inclusive), each optional (the parameters named ``start``, ``end``)."""
    first = parse_jalali_date(params[start]) if params.get(start) else None
    last = parse_jalali_date(params[end]) if params.get(end) else None
    if first and last and last < first:
        raise InputError("The end is before the start")
    return first, last


def _dated(stmt: Any, model: Any, first: dt.date | None, last: dt.date | None) -> Any:
    if first is not None:
        stmt = stmt.where(model.date >= first)
    if last is not None:
        stmt = stmt.where(model.date <= last)
    return stmt


def _visible_partners(kernel: Any, actor: Any) -> Any:
    """The partners the actor may see, as a subquery of (id, name, sort_key): names of marketers
    outside the scope stay unnamed."""
    return kernel.scoped_select(actor, Partner).with_only_columns(Partner.id, Partner.name, Partner.sort_key).subquery()


# -- (a) unsettled invoices (FAQ 11) ----------------------------------------------------------
def unsettled_invoices(session: Any, actor: Any, params: dict[str, str], kernel: Any, lang: str,
                       **_: Any) -> tuple[list[str], list[list[Any]]]:
    """Issued invoices with an open balance, oldest first, and how long each has been open.

    An invoice falls due on its date until instalments (FIN-08) give it due dates of its own: days
    overdue is the number of days since the invoice's date."""
    today = local_today(kernel.config.timezone)
    at_least = _whole(params.get("days", ""))
    # The same condition as the partial index ix_finance_invoice_open, which gives the order too.
    stmt = (kernel.scoped_select(actor, Invoice).add_columns(Partner.name)
            .join(Partner, Partner.id == Invoice.partner_id)
            .where(Invoice.state == "issued", Invoice.balance > 0))
    if at_least is not None:
        stmt = stmt.where(Invoice.date <= today - dt.timedelta(days=at_least))
    rows: list[list[Any]] = []
    sums = [0, 0, 0]
    for inv, customer in session.execute(stmt.order_by(Invoice.date, Invoice.id).limit(LIMIT)):
        rows.append([customer, format_code(inv.number, lang), format_jalali(inv.date, lang), inv.grand_total,
                     inv.received, inv.balance, max((today - inv.date).days, 0)])
        sums = [sums[0] + inv.grand_total, sums[1] + inv.received, sums[2] + inv.balance]
    if rows:
        rows.append([kernel.t(lang, "Total"), "", "", *sums, ""])
    return ["Customer", "Number", "Date", "Grand total (Rials)", "Received (Rials)", "Open balance (Rials)",
            "Days overdue"], rows


# -- (b) proformas by marketer and state -------------------------------------------------------
def proformas_by_marketer(session: Any, actor: Any, params: dict[str, str], kernel: Any, lang: str,
                          **_: Any) -> tuple[list[str], list[list[Any]]]:
    """How many proformas each marketer has in each state, and their Rial total, over a period."""
    first, last = _period(params)
    docs = _dated(kernel.scoped_select(actor, Proforma), Proforma, first, last).subquery()
    marketers = _visible_partners(kernel, actor)
    stmt = (select(docs.c.marketer_id, marketers.c.name, docs.c.state, func.count(),
                   func.coalesce(func.sum(docs.c.grand_total), 0))
            .select_from(docs).outerjoin(marketers, marketers.c.id == docs.c.marketer_id)
            .group_by(docs.c.marketer_id, marketers.c.name, marketers.c.sort_key, docs.c.state)
            # Marketers in Persian alphabetical order (sort_key), those without one last.
            .order_by(docs.c.marketer_id.is_(None), marketers.c.sort_key.is_(None), marketers.c.sort_key,
                      docs.c.marketer_id))
    states = dict(PROFORMA_STATES)
    order = {code: i for i, (code, _label) in enumerate(PROFORMA_STATES)}
    found = session.execute(stmt).all()
    place: dict[Any, int] = {}
    for r in found:
        place.setdefault(r[0], len(place))
    # Within a marketer, the states in their life's order (draft, issued, converted, cancelled).
    found.sort(key=lambda r: (place[r[0]], order.get(r[2], 99)))
    rows = []
    for marketer_id, name, state, count, total in found:
        who = kernel.t(lang, "Without a marketer") if marketer_id is None else (name or "—")
        rows.append([who, kernel.t(lang, states.get(state, state)), int(count), int(total)])
    return ["Marketer", "State", "Count", "Total (Rials)"], rows


# -- (c) customers with their proformas and invoices, goods and services apart (FIN-12): kept
# per customer by the documents' changes and read a page at a time (report_customers.py) --------


DATE_PARAMS = (ReportParam("from", "From", "date"), ReportParam("to", "Until", "date"))
REPORTS = [
    Report("finance.unsettled_invoices", "Unsettled invoices", unsettled_invoices, "finance.invoice.view",
           params=(ReportParam("days", "Open for at least (days)"),), sequence=50),
    Report("finance.proformas_by_marketer", "Proformas by marketer and state", proformas_by_marketer,
           "finance.proforma.view", params=DATE_PARAMS, sequence=51),
    Report("finance.customer_totals", "Customers' proformas and invoices, goods and services apart",
           customer_totals, "finance.invoice.view", params=(customers_year(),), sequence=52,
           page_size=PAGE_SIZE),
    Report("finance.sales_by_product", "Sales per product, this year and last", sales_by_product,
           "finance.invoice.view", params=(year_param(), ReportParam("kind", "Goods or services", "choice", _kinds)),
           sequence=53),
    COMMISSIONS,  # FIN-13
    *PURCHASE_REPORTS,  # -- purchases: profit per product (FIN-14) and payables (FIN-18)
]
# -- statement: ageing of receivables and receivables per customer (FIN-12)
from modules.finance.report_ageing import AGEING, RECEIVABLES  # noqa: E402

REPORTS += [AGEING, RECEIVABLES]
