"""Stock documents (INV-01): a goods receipt (رسید انبار), an issue (حواله خروج) or a transfer
between warehouses, with its lines.

A document is ``draft`` → ``posted`` (numbered from its kind's series, ``inventory.receipt`` /
``inventory.issue`` / ``inventory.transfer``; its lines move the stock levels and write the stock
card) → ``void`` (keeps its number; its moves are reversed). ``source`` and ``source_id`` say what
it came from, when anything: ``("invoice", id)`` for the issue an invoice made, ``("purchase", id)``
for a receipt of a posted purchase invoice; such a document moves no average cost (finance did).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, IdPK, Record
from modules.finance.models.document_base import Quantity

KINDS = (("receipt", "Goods receipt"), ("issue", "Goods issue"), ("transfer", "Transfer"))
STATES = (("draft", "Draft"), ("posted", "Posted"), ("void", "Void"))


class StockDocument(Record, Base):
    __tablename__ = "inventory_document"
    __table_args__ = (
        UniqueConstraint("number", name="uq_inventory_document_number"),
        Index("ix_inventory_document_source", "source", "source_id"),
        Index("ix_inventory_document_kind_date", "kind", "date", "id"),
    )
    kind: Mapped[str] = mapped_column(String(10))  # receipt | issue | transfer
    number: Mapped[str | None] = mapped_column(String(40))  # taken when posted
    date: Mapped[dt.date]
    state: Mapped[str] = mapped_column(String(8), default="draft", server_default="draft", index=True)
    # A receipt's destination, an issue's or a transfer's origin.
    warehouse_id: Mapped[int] = mapped_column(BigId, ForeignKey("inventory_warehouse.id"), index=True)
    to_warehouse_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("inventory_warehouse.id"))  # transfer
    partner_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("base_partner.id"), index=True)
    source: Mapped[str | None] = mapped_column(String(20))
    source_id: Mapped[int | None] = mapped_column(BigInteger)
    notes: Mapped[str | None] = mapped_column(Text)
    posted_at: Mapped[dt.datetime | None]
    void_reason: Mapped[str | None] = mapped_column(String(300))
    voided_at: Mapped[dt.datetime | None]


class StockDocumentLine(Base):
    """One line: a product (a variant is a product row), a quantity, and for a receipt its unit
    cost in Rials before VAT. ``serials`` are the serial numbers of the units, one per line of
    text, for products that track them (as many as the quantity)."""

    __tablename__ = "inventory_document_line"
    __table_args__ = (Index("ix_inventory_document_line_doc", "document_id", "position", "id"),)
    id: Mapped[IdPK]
    document_id: Mapped[int] = mapped_column(BigId, ForeignKey("inventory_document.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    product_id: Mapped[int] = mapped_column(BigId, ForeignKey("finance_product.id"), index=True)
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    unit_cost: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")
    serials: Mapped[str | None] = mapped_column(Text)
