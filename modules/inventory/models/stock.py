"""Stock per product and warehouse (INV-01, INV-03), and the stock card it is kept from.

``inventory_stock`` holds, per (product, warehouse), what is on hand and how much of it is
reserved (by sales orders and proformas): available is ``on_hand - reserved``. Posting takes it
down by one conditional UPDATE per line (``… WHERE on_hand - reserved >= q`` when the policy
refuses to go below zero), so two invoices on the last units cannot both pass.

``inventory_move`` is the stock card: one row per line posted, in order, with the balance of
that product in that warehouse after it (the card is read without summing).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, IdPK, utcnow
from modules.finance.models.document_base import Quantity


class StockLevel(Base):
    __tablename__ = "inventory_stock"
    product_id: Mapped[int] = mapped_column(BigId, ForeignKey("finance_product.id", ondelete="CASCADE"),
                                            primary_key=True)
    warehouse_id: Mapped[int] = mapped_column(BigId, ForeignKey("inventory_warehouse.id"), primary_key=True)
    on_hand: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0))
    reserved: Mapped[Decimal] = mapped_column(Quantity, default=Decimal(0))


class StockCardMove(Base):
    __tablename__ = "inventory_move"
    __table_args__ = (
        Index("ix_inventory_move_card", "product_id", "warehouse_id", "id"),
        Index("ix_inventory_move_document", "document_id"),
    )
    id: Mapped[IdPK]
    product_id: Mapped[int] = mapped_column(BigId, ForeignKey("finance_product.id", ondelete="CASCADE"))
    warehouse_id: Mapped[int] = mapped_column(BigId, ForeignKey("inventory_warehouse.id"))
    on: Mapped[dt.date]
    quantity: Mapped[Decimal] = mapped_column(Quantity)  # in: positive, out: negative
    balance: Mapped[Decimal] = mapped_column(Quantity)  # on hand in that warehouse after this move
    unit_cost: Mapped[int] = mapped_column(BigInteger, default=0)  # Rials, as valued at that moment
    document_id: Mapped[int] = mapped_column(BigId, ForeignKey("inventory_document.id"))
    line_id: Mapped[int] = mapped_column(BigInteger)
    cancelled: Mapped[bool] = mapped_column(Boolean, default=False)


class Reservation(Base):
    """Units held for a sales order or a proforma (``source``/``source_id``) in a warehouse until
    they are invoiced, delivered or the order is cancelled (``released_at``)."""

    __tablename__ = "inventory_reservation"
    __table_args__ = (Index("ix_inventory_reservation_source", "source", "source_id"),
                      Index("ix_inventory_reservation_product", "product_id", "warehouse_id"))
    id: Mapped[IdPK]
    product_id: Mapped[int] = mapped_column(BigId, ForeignKey("finance_product.id", ondelete="CASCADE"))
    warehouse_id: Mapped[int] = mapped_column(BigId, ForeignKey("inventory_warehouse.id"))
    quantity: Mapped[Decimal] = mapped_column(Quantity)
    source: Mapped[str] = mapped_column(String(20))
    source_id: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    released_at: Mapped[dt.datetime | None]


class InventoryItem(Base):
    """Inventory's facts about a product of the finance catalogue (its own row beside it, as the
    design asks): whether each unit has a serial number, and the quantity to reorder below."""

    __tablename__ = "inventory_item"
    product_id: Mapped[int] = mapped_column(BigId, ForeignKey("finance_product.id", ondelete="CASCADE"),
                                            primary_key=True)
    tracks_serials: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    reorder_below: Mapped[Decimal | None] = mapped_column(Quantity)


class Serial(Base):
    """One unit of a product that tracks serials: unique per product. ``warehouse_id`` is where it
    is while in stock; None once issued."""

    __tablename__ = "inventory_serial"
    __table_args__ = (Index("ux_inventory_serial", "product_id", "serial", unique=True),
                      Index("ix_inventory_serial_serial", "serial"))
    id: Mapped[IdPK]
    product_id: Mapped[int] = mapped_column(BigId, ForeignKey("finance_product.id", ondelete="CASCADE"))
    serial: Mapped[str] = mapped_column(String(80))
    warehouse_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("inventory_warehouse.id"))
    received_line_id: Mapped[int | None] = mapped_column(BigInteger)
    issued_line_id: Mapped[int | None] = mapped_column(BigInteger)
