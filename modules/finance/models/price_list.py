"""Price lists and quantity tiers (FIN-02).

A price list is valid between two dates (either may be open) for one partner, a partner group
(with its subgroups) or a partner role, or for everyone when none is set; its items give a
product's price. A tier says "more than N units: P each" (FAQ 18: up to 10 units 1,000 Tomans
each, more than 10 units 900 each) on a price-list item, or on the product itself for sales at
its base price. Which list wins is decided by :mod:`modules.finance.services.pricing`.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, Record
from modules.finance.models.scaled import QUANTITY


class PriceList(Record, Base):
    __tablename__ = "finance_price_list"
    __table_args__ = (Index("ix_finance_price_list_valid", "active", "valid_from"),)
    # A list for one partner is exactly as visible as that partner (a Tehran customer's prices
    # are not shown to a user limited to Isfahan); a list for everyone is seen by everyone.
    __scope_follows__ = ("partner_id",)
    name: Mapped[str] = mapped_column(String(120))
    valid_from: Mapped[dt.date | None]
    valid_to: Mapped[dt.date | None]
    partner_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("base_partner.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("base_group.id"), index=True)
    role_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("base_role_kind.id"), index=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    notes: Mapped[str | None] = mapped_column(Text)
    search_key: Mapped[str] = mapped_column(String(400), default="")


class PriceListItem(Record, Base):
    __tablename__ = "finance_price_list_item"
    __table_args__ = (Index("ix_finance_price_list_item_list", "price_list_id", "product_id"),)
    __scope_follows__ = ("price_list_id",)
    price_list_id: Mapped[int] = mapped_column(BigId, ForeignKey("finance_price_list.id"))
    product_id: Mapped[int] = mapped_column(BigId, ForeignKey("finance_product.id"), index=True)
    # Unit price in integer Rials.
    price: Mapped[int] = mapped_column(BigInteger)


class PriceTier(Record, Base):
    """"More than ``above_quantity`` units: ``unit_price`` each", on a list item or a product."""

    __tablename__ = "finance_price_tier"
    __scope_follows__ = ("item_id",)
    item_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("finance_price_list_item.id"), index=True)
    product_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("finance_product.id"), index=True)
    above_quantity: Mapped[Decimal] = mapped_column(QUANTITY)
    unit_price: Mapped[int] = mapped_column(BigInteger)
