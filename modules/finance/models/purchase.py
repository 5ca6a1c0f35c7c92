"""Purchase invoices from suppliers (FIN-18), their lines and what we paid against them.

A purchase is ``draft`` → ``posted`` (numbered from the series ``finance.purchase``, ``PUR-``;
its lines move the products' average cost) → ``void`` (keeps its number; the average cost is
put back exactly). ``paid`` and ``balance`` are kept by the payments in the same transaction,
under a lock of the purchase's row, like an invoice's ``received`` and ``balance``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, IdPK, Record
from modules.finance.models.document_base import DiscountValue, Quantity
from modules.finance.totals import PERCENT

PURCHASE_STATES = (("draft", "Draft"), ("posted", "Posted"), ("void", "Void"))
# How we paid a supplier: cash, a transfer or deposit slip from one of our accounts, a customer's
# cheque endorsed to them, or a cheque of our own.
PAYMENT_METHODS = (("cash", "Cash"), ("transfer", "Bank transfer or deposit slip"),
                   ("endorsed", "Customer's cheque endorsed"), ("own_cheque", "Our cheque"))


class Purchase(Record, Base):
    __tablename__ = "finance_purchase"
    # As visible as its supplier, like the sales documents are as visible as their customer.
    __scope_follows__ = ("partner_id",)
    __table_args__ = (
        UniqueConstraint("number", name="uq_finance_purchase_number"),
        Index("ix_finance_purchase_partner_date", "partner_id", "date", "id"),
    )
    number: Mapped[str | None] = mapped_column(String(40))  # ours, taken when posted
    partner_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_partner.id"))  # the supplier
    supplier_number: Mapped[str | None] = mapped_column(String(60))  # the supplier's own invoice number
    date: Mapped[dt.date] = mapped_column(index=True)
    state: Mapped[str] = mapped_column(String(12), default="draft", server_default="draft", index=True)
    notes: Mapped[str | None] = mapped_column(Text)
    # Rates in force on the date (basis points), kept once posted.
    vat_rate_bp: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    municipal_rate_bp: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    net_amount: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    vat_amount: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    municipal_amount: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    grand_total: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    paid: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    balance: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    posted_at: Mapped[dt.datetime | None]
    void_reason: Mapped[str | None] = mapped_column(String(300))
    voided_at: Mapped[dt.datetime | None]


class PurchaseLine(Base):
    """One line: a product (variant), a quantity, our unit cost before VAT, an optional discount.
    It belongs to its purchase (no page, scope or recycle bin of its own)."""

    __tablename__ = "finance_purchase_line"
    __table_args__ = (Index("ix_finance_purchase_line_doc", "purchase_id", "position", "id"),)
    id: Mapped[IdPK]
    purchase_id: Mapped[int] = mapped_column(BigId, ForeignKey("finance_purchase.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    product_id: Mapped[int] = mapped_column(BigId, ForeignKey("finance_product.id"), index=True)
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    unit_cost: Mapped[int] = mapped_column(BigInteger)
    discount_kind: Mapped[str] = mapped_column(String(10), default=PERCENT, server_default=PERCENT)
    discount_value: Mapped[Decimal] = mapped_column(DiscountValue, default=Decimal(0), server_default="0")
    tax_exempt: Mapped[bool] = mapped_column(Boolean, default=False)
    gross: Mapped[int] = mapped_column(BigInteger, default=0)
    discount_amount: Mapped[int] = mapped_column(BigInteger, default=0)
    taxable: Mapped[int] = mapped_column(BigInteger, default=0)  # net of discounts: what the cost is
    vat: Mapped[int] = mapped_column(BigInteger, default=0)
    municipal: Mapped[int] = mapped_column(BigInteger, default=0)
    total: Mapped[int] = mapped_column(BigInteger, default=0)


class PurchasePayment(Record, Base):
    """Money we gave a supplier against a posted purchase. A payment by a cheque (a customer's
    endorsed to the supplier, or our own) stops counting when that cheque bounces or comes back:
    ``cancelled_on`` is set and the purchase is open again by its amount."""

    __tablename__ = "finance_purchase_payment"
    __scope_follows__ = ("purchase_id",)
    __table_args__ = (Index("ix_finance_purchase_payment_purchase", "purchase_id", "date", "id"),)
    purchase_id: Mapped[int] = mapped_column(BigId, ForeignKey("finance_purchase.id"))
    date: Mapped[dt.date] = mapped_column(index=True)
    amount: Mapped[int] = mapped_column(BigInteger)
    method: Mapped[str] = mapped_column(String(12), default="cash", server_default="cash")
    account_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("finance_bank_account.id"), index=True)
    reference: Mapped[str | None] = mapped_column(String(60))  # the transfer's or slip's tracking number
    cheque_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("finance_cheque.id"), index=True)
    own_cheque_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("finance_own_cheque.id"), index=True)
    note: Mapped[str | None] = mapped_column(String(300))
    cancelled_on: Mapped[dt.date | None]
