"""What proformas and invoices share: the header's columns and the line's, as mixins, so the two
documents are separate tables (an invoice is never a proforma with a flag) with one shape and one
totals function (:mod:`modules.finance.totals`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import BigInteger, Boolean, ForeignKey, Integer, Numeric, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kernel import BigId, IdPK
from modules.finance.models.number_key import NumberKey
from modules.finance.totals import PERCENT

DOC_KINDS = (("goods", "Goods"), ("service", "Services"))
# A quantity to the thousandth (2.5 metres, 0.125 kg); a percentage or Rial discount typed as a
# plain number (FAQ 57) to the hundredth.
Quantity = Numeric(18, 3)
DiscountValue = Numeric(18, 2)


class DocumentHeader(NumberKey):
    """The header of a proforma or an invoice (FIN-04, FIN-07). Amounts are integer Rials, kept
    by :func:`modules.finance.services.totals.recompute` whenever a line or the header changes."""

    # A document is exactly as visible as its customer: an Isfahan user neither sees nor issues
    # documents of a Tehran customer (the customer's own scope decides, when the query runs).
    __scope_follows__ = ("partner_id",)

    # Taken from the series when the document is issued; empty on a draft. Its year and running
    # number are kept apart for the search (NumberKey).
    number: Mapped[str | None] = mapped_column(String(40))
    # Indexed with its date by each table (ix_<table>_partner_date), which also serves the scope.
    partner_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_partner.id"))
    date: Mapped[dt.date] = mapped_column(index=True)
    # The marketer is a partner (a sales agent paid a commission on the lines, FIN-13), not a user.
    marketer_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("base_partner.id"), index=True)
    # -- commissions (FIN-13): the agency that sold it, a partner with the role "Sales agent".
    agency_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("base_partner.id"), index=True)
    title: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(10), default="goods", server_default="goods")
    # The document discount (FAQ 43), distinct from the lines' own discounts.
    discount_kind: Mapped[str] = mapped_column(String(10), default=PERCENT, server_default=PERCENT)
    discount_value: Mapped[Decimal] = mapped_column(DiscountValue, default=Decimal(0), server_default="0")
    # Rates in force on the document's date, kept once issued (basis points: 900 = 9 %).
    vat_rate_bp: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    municipal_rate_bp: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    shipping: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    exit_number: Mapped[str | None] = mapped_column(String(40))
    remittance_number: Mapped[str | None] = mapped_column(String(40))
    # FIN-19: a contract's end or a departure date, a date source of the reminders.
    end_date: Mapped[dt.date | None] = mapped_column(index=True)
    state: Mapped[str] = mapped_column(String(12), default="draft", server_default="draft", index=True)
    issued_at: Mapped[dt.datetime | None]
    # Totals (totals.DocumentTotals), integer Rials.
    net_amount: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    discount_amount: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    vat_amount: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    municipal_amount: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    grand_total: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    search_key: Mapped[str] = mapped_column(String(2000), default="")


class DocumentLine:
    """One line of a proforma or an invoice. The lines belong to their document: they have no
    page, scope or recycle bin of their own, and a change to them is written in the document's
    history (:mod:`modules.finance.services.lines`)."""

    id: Mapped[IdPK]
    position: Mapped[int] = mapped_column(Integer, default=0)
    product_id: Mapped[int] = mapped_column(BigId, ForeignKey("finance_product.id"), index=True)
    description: Mapped[str | None] = mapped_column(String(500))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    unit_price: Mapped[int] = mapped_column(BigInteger)
    serial_number: Mapped[str | None] = mapped_column(String(80))
    discount_kind: Mapped[str] = mapped_column(String(10), default=PERCENT, server_default=PERCENT)
    discount_value: Mapped[Decimal] = mapped_column(DiscountValue, default=Decimal(0), server_default="0")
    # Where the unit price came from: a price list's rule, or empty for the product's base price.
    price_rule: Mapped[str | None] = mapped_column(String(120))
    # The sales policy that gave the line discount (FIN-03), in words; empty when none did.
    discount_rule: Mapped[str | None] = mapped_column(String(120))
    # Typed by someone allowed to override the rules (finance.price.override), or typed where no
    # rule applied: a later change of quantity or product keeps it instead of quoting afresh.
    price_by_hand: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    discount_by_hand: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # Copied from the product when the line is written: a later change of the product does not
    # change the tax of a document already made.
    tax_exempt: Mapped[bool] = mapped_column(Boolean, default=False)
    gross: Mapped[int] = mapped_column(BigInteger, default=0)
    discount_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    net: Mapped[int] = mapped_column(BigInteger, default=0)
    document_discount: Mapped[int] = mapped_column(BigInteger, default=0)
    taxable: Mapped[int] = mapped_column(BigInteger, default=0)
    vat: Mapped[int] = mapped_column(BigInteger, default=0)
    municipal: Mapped[int] = mapped_column(BigInteger, default=0)
    total: Mapped[int] = mapped_column(BigInteger, default=0)


LINE_COPIED = ("position", "product_id", "description", "quantity", "unit_price", "serial_number",
               "discount_kind", "discount_value", "price_rule", "discount_rule", "price_by_hand",
               "discount_by_hand", "tax_exempt", "gross", "discount_amount", "net",
               "document_discount", "taxable", "vat", "municipal", "total")
HEADER_COPIED = ("partner_id", "marketer_id", "agency_id", "title", "description", "kind", "discount_kind", "discount_value",
                 "vat_rate_bp", "municipal_rate_bp", "shipping", "exit_number", "remittance_number", "end_date",
                 "net_amount", "discount_amount", "vat_amount", "municipal_amount", "grand_total")
