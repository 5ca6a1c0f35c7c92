"""Warranty cards (CRP-02): one per sold carpet, made from an issued invoice's line or printed
ahead in a batch for a dealer, registered by the end customer's SMS with the card's code."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, Record

STATES = (("printed", "Printed"), ("registered", "Registered"), ("void", "Void"))


class WarrantyBatch(Record, Base):
    """Cards printed for a dealer ahead of sale: no invoice line, the dealer known."""

    __tablename__ = "carpet_warranty_batch"

    dealer_id: Mapped[int] = mapped_column(BigId, ForeignKey("carpet_dealer.id"), index=True)
    design_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("carpet_design.id"), index=True)
    count: Mapped[int] = mapped_column(Integer)
    note: Mapped[str | None] = mapped_column(Text)


class WarrantyCard(Record, Base):
    __tablename__ = "carpet_warranty_card"
    __table_args__ = (Index("ux_carpet_warranty_card_code", "code", unique=True),
                      Index("ix_carpet_warranty_card_dealer", "dealer_id", "state"),
                      Index("ix_carpet_warranty_card_invoice", "invoice_id", "invoice_line_id"),
                      Index("ix_carpet_warranty_card_created", "created_at"))

    code: Mapped[str] = mapped_column(String(12))
    state: Mapped[str] = mapped_column(String(12), default="printed", server_default="printed", index=True)
    design_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("carpet_design.id"), index=True)
    product_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("finance_product.id"), index=True)
    invoice_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("finance_invoice.id"))
    invoice_line_id: Mapped[int | None] = mapped_column(BigInteger)
    serial: Mapped[str | None] = mapped_column(String(80), index=True)
    dealer_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("carpet_dealer.id"))
    batch_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("carpet_warranty_batch.id"), index=True)
    partner_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("base_partner.id"), index=True)
    mobile: Mapped[str | None] = mapped_column(String(20))
    registered_at: Mapped[dt.datetime | None] = mapped_column(index=True)
    void_reason: Mapped[str | None] = mapped_column(String(300))
    search_key: Mapped[str] = mapped_column(String(400), default="", index=True)
