"""Report (c): each customer's proformas and invoices, how many and their Rial total, goods and
services apart (FIN-12), the largest buyers first, for a Jalali year or for all years.

It reads the totals the documents keep (``finance_customer_total``,
:mod:`modules.finance.customer_totals`) a page at a time: 50 rows in the order of the index
``(year, invoiced, offered, partner_id)``, walked backwards from the last row shown (the cursor is
that row's three values), so the first page and the thousandth cost the same few index entries.

The record scope: a document is exactly as visible as its customer (``__scope_follows__``), so
for a user whose roles limit the documents only through the customers (all records, limited to
provinces or not) the kept rows are read joined to the customers the user may see. A user of
"own" or "team" records sees only some of a customer's documents, which no kept row can answer:
their report is aggregated from the documents they may see (few, by the owner's index), in the
same order and pages.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy import and_, case, func, literal, select, tuple_, union_all

from kernel import InputError, ReportPage, ReportParam
from kernel.persian.jalali import jalali_to_date
from kernel.persian.textnorm import to_persian_digits
from modules.base.models import Partner
from modules.finance.customer_totals import COLUMNS, COUNTED
from modules.finance.models import CustomerTotal, Invoice, Proforma
from modules.finance.models.customer_total import ALL_YEARS, CELLS
from modules.finance.report_sales import chosen_year

PAGE_SIZE = 50
ALL = "all"
TITLES = ["Customer", "Proformas of goods", "Proformas of goods (Rials)", "Proformas of services",
          "Proformas of services (Rials)", "Invoices of goods", "Invoices of goods (Rials)",
          "Invoices of services", "Invoices of services (Rials)"]
_CURSOR = re.compile(r"^(-?\d{1,19})_(-?\d{1,19})_(\d{1,19})$")
_KINDS = (("goods", "goods"), ("service", "services"))


def year_choices(session: Any, actor: Any, **_: Any) -> list[tuple[str, str]]:
    """"All years", then the years the kept rows hold, newest first (two index probes)."""
    t = CustomerTotal
    low, high = session.execute(select(select(func.min(t.year)).where(t.year > ALL_YEARS).scalar_subquery(),
                                       select(func.max(t.year)).scalar_subquery())).one()
    years = range(int(high), int(low) - 1, -1) if low is not None and high else range(0)
    shown = (lambda y: to_persian_digits(str(y))) if getattr(actor, "lang", "fa") == "fa" else str
    return [(ALL, "All years"), *((str(y), shown(y)) for y in years)]


def _year(raw: str, kernel: Any) -> int:
    return ALL_YEARS if raw == ALL else chosen_year(raw, kernel)


def _after(raw: str) -> tuple[int, int, int] | None:
    if not raw:
        return None
    found = _CURSOR.match(raw)
    if found is None:
        raise InputError("This page of the report no longer exists: start from its first page")
    return int(found.group(1)), int(found.group(2)), int(found.group(3))


def _kept(kernel: Any, actor: Any, year: int, proformas: bool) -> Any:
    """(name, customer, the cells …, offered, invoiced) from the kept rows, in the scope."""
    t = CustomerTotal
    stmt = (select(Partner.name, t.partner_id.label("pid"), *(getattr(t, c) for c in COLUMNS))
            .join(Partner, Partner.id == t.partner_id)
            .where(t.year == year, *kernel.record_conditions(actor, Partner, "view")))
    if not proformas:  # a customer with proformas only is none of this user's business
        stmt = stmt.where(t.invoice_goods + t.invoice_services > 0)
    return stmt.subquery()


def _live(kernel: Any, actor: Any, year: int, proformas: bool) -> Any:
    """The same columns aggregated from the documents the actor may see (own / team scopes)."""
    parts = []
    for model, prefix in ((Proforma, "proforma"), (Invoice, "invoice")):
        if model is Proforma and not proformas:
            continue
        stmt = (kernel.scoped_select(actor, model)
                .where(model.state.in_(COUNTED[model]), model.kind.in_([k for k, _ in _KINDS]))
                .with_only_columns(model.partner_id.label("pid"), literal(prefix).label("doc"),
                                   model.kind.label("kind"), model.grand_total.label("total")))
        if year != ALL_YEARS:
            stmt = stmt.where(model.date >= jalali_to_date(year, 1, 1), model.date < jalali_to_date(year + 1, 1, 1))
        parts.append(stmt)
    docs = union_all(*parts).subquery()
    sums = []
    for prefix in ("proforma", "invoice"):
        for kind, _cell in _KINDS:
            mine = and_(docs.c.doc == prefix, docs.c.kind == kind)
            sums += [func.sum(case((mine, 1), else_=0)), func.sum(case((mine, docs.c.total), else_=0))]
    sums += [func.sum(case((docs.c.doc == prefix, docs.c.total), else_=0)) for prefix in ("proforma", "invoice")]
    grouped = (select(docs.c.pid, *(s.label(c) for s, c in zip(sums, COLUMNS, strict=True)))
               .group_by(docs.c.pid).subquery())
    return (select(Partner.name, grouped.c.pid, *(grouped.c[c] for c in COLUMNS))
            .join(Partner, Partner.id == grouped.c.pid).subquery())


def customer_totals(session: Any, actor: Any, params: dict[str, str], kernel: Any, lang: str,
                    page: ReportPage = ReportPage(size=PAGE_SIZE), **_: Any) -> tuple[list[str], list[list[Any]], str]:
    """A page of customers with their documents' counts and Rial totals, the largest buyers
    first (invoiced, then offered, then the newer customer)."""
    year = _year(params.get("year", ""), kernel)
    after = _after(page.after)
    proformas = bool(actor.can("finance.proforma.view"))
    # Only the customers limit this user's documents: the kept rows answer (module docstring).
    kept = not kernel.filter_answers(actor, Proforma, "view") and not kernel.filter_answers(actor, Invoice, "view")
    rows = _kept(kernel, actor, year, proformas) if kept else _live(kernel, actor, year, proformas)
    key = (rows.c.invoiced, rows.c.offered, rows.c.pid)
    stmt = select(rows).order_by(*(k.desc() for k in key)).limit(page.size + 1)
    if after is not None:
        stmt = stmt.where(tuple_(*key) < tuple_(*(literal(v) for v in after)))
    found = session.execute(stmt).all()
    following = ""
    if len(found) > page.size:
        found = found[:page.size]
        last = found[-1]._mapping
        following = f"{int(last['invoiced'])}_{int(last['offered'])}_{int(last['pid'])}"
    out = []
    for row in found:
        m = row._mapping
        cells = [int(m[c] or 0) for cell in CELLS for c in (cell, f"{cell}_total")]
        if not proformas:
            cells[:4] = [0, 0, 0, 0]
        out.append([m["name"], *cells])
    return TITLES, out, following


def year_param() -> ReportParam:
    return ReportParam("year", "Jalali year", "choice", year_choices)
