"""A sales order (SAL-03): what the salesperson proposes to sell, approved (or returned with a
note) by a manager before any proforma or negotiation. Then finance makes the proforma and the
invoice from it, inventory delivers, and each step is read back onto the order's page.

The life: ``draft → submitted → approved | returned``; a returned order is edited and submitted
again; ``cancelled`` ends it (not once it has a proforma: that is finance's to cancel). Lines are
written only while it is a draft or returned; prices come from finance's pricing for the partner.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, IdPK, Record

STATES = (("draft", "Draft"), ("submitted", "Submitted"), ("approved", "Approved"),
          ("returned", "Returned"), ("cancelled", "Cancelled"))
EDITABLE = ("draft", "returned")


class SalesOrder(Record, Base):
    __tablename__ = "sales_order"
    # As visible as its opportunity (that one's own scope, places included); the owner's scope
    # (own, team) is the kernel's, on owner_id: the salesperson who wrote it.
    __scope_follows__ = ("opportunity_id",)
    __table_args__ = (
        UniqueConstraint("number", name="uq_sales_order_number"),
        # The approver's queue: submitted orders, oldest first.
        Index("ix_sales_order_state", "state", "id"),
        Index("ix_sales_order_partner", "partner_id", "date"),
    )
    number: Mapped[str | None] = mapped_column(String(40))  # taken on the first submit
    opportunity_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("sales_opportunity.id"), index=True)
    partner_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_partner.id"))
    date: Mapped[dt.date] = mapped_column(index=True)
    state: Mapped[str] = mapped_column(String(10), default="draft")
    notes: Mapped[str | None] = mapped_column(Text)
    total: Mapped[int] = mapped_column(BigInteger, default=0)  # Rials, after line discounts, before tax
    submitted_at: Mapped[dt.datetime | None]
    approved_at: Mapped[dt.datetime | None]
    approved_by_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("kernel_user.id"))
    returned_at: Mapped[dt.datetime | None]
    return_note: Mapped[str | None] = mapped_column(Text)  # the manager's note when returning it
    cancelled_at: Mapped[dt.datetime | None]
    proforma_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("finance_proforma.id"), index=True)
    invoice_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("finance_invoice.id"), index=True)
    search_key: Mapped[str] = mapped_column(String(1000), default="")


class SalesOrderLine(Base):
    """A line: a finance product, a quantity, the unit price quoted for the partner, a discount
    (percent); ``total`` in Rials is kept by the services on every change."""

    __tablename__ = "sales_order_line"
    id: Mapped[IdPK]
    order_id: Mapped[int] = mapped_column(BigId, ForeignKey("sales_order.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=1)
    product_id: Mapped[int] = mapped_column(BigId, ForeignKey("finance_product.id"), index=True)
    quantity: Mapped[Decimal] = mapped_column(Numeric(18, 3))
    unit_price: Mapped[int] = mapped_column(BigInteger)  # Rials
    discount_percent: Mapped[Decimal] = mapped_column(Numeric(5, 2), default=Decimal(0))
    total: Mapped[int] = mapped_column(BigInteger, default=0)  # Rials
