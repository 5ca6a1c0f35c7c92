"""Each customer's proformas and invoices counted and totalled, kept as the documents change
(FIN-12, report (c): "the customers list with the number and Rial total of proformas and
invoices of each, goods and services apart").

One row per customer and Jalali year of the documents' date, plus one for all years
(``year = 0``), kept in the transaction of every change by :mod:`modules.finance.customer_totals`.
The report then reads a page of rows in index order instead of aggregating 800,000 documents.

No foreign key to the partner: base's merge moves every foreign key to a partner by itself (and
would fold two customers' rows by deleting one); these rows follow their documents instead, whose
partner change the keeping sees like any other change.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Index, Integer
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId

ALL_YEARS = 0
# The counted cells, each a count and its Rial total, in the report's order of columns.
CELLS = ("proforma_goods", "proforma_services", "invoice_goods", "invoice_services")


def _amount() -> Mapped[int]:
    return mapped_column(BigInteger, default=0, server_default="0")


class CustomerTotal(Base):
    __tablename__ = "finance_customer_total"
    __table_args__ = (
        # The report's order, the largest buyers first: a page is a walk of this index backwards
        # from the last row shown (a keyset cursor), at any depth.
        Index("ix_finance_customer_total_rank", "year", "invoiced", "offered", "partner_id"),
    )

    partner_id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=False)
    # The Jalali year of the documents' date (1 Farvardin to Esfand's end); 0 for all years.
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    proforma_goods: Mapped[int] = _amount()
    proforma_goods_total: Mapped[int] = _amount()
    proforma_services: Mapped[int] = _amount()
    proforma_services_total: Mapped[int] = _amount()
    invoice_goods: Mapped[int] = _amount()
    invoice_goods_total: Mapped[int] = _amount()
    invoice_services: Mapped[int] = _amount()
    invoice_services_total: Mapped[int] = _amount()
    # The Rials offered (proformas) and invoiced, goods and services together: the sort keys.
    offered: Mapped[int] = _amount()
    invoiced: Mapped[int] = _amount()
