"""The online-shop link's two tables.

``carpet_shop_link`` is a setting, not a business record (no ``Record`` mixin on purpose): it
holds the consumer secret, which the change history would otherwise copy in clear into every
history row, and its last-run columns change every few minutes. ``carpet_shop_order`` is the
ledger of the shop's orders seen: one row per (link, shop order id) — the database refuses a
second — pointing at the proforma made from it, or saying why it waits for attention.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId
from kernel.db import IdPK, utcnow


class ShopLink(Base):
    __tablename__ = "carpet_shop_link"
    id: Mapped[IdPK]
    kind: Mapped[str] = mapped_column(String(40), default="woocommerce")  # a ShopKind.key
    base_url: Mapped[str] = mapped_column(String(300), default="")
    consumer_key: Mapped[str | None] = mapped_column(String(200))
    consumer_secret: Mapped[str | None] = mapped_column(String(200))
    keys_in_query: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    currency: Mapped[str] = mapped_column(String(8), default="IRT", server_default="IRT")
    enabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    every_minutes: Mapped[int] = mapped_column(Integer, default=15, server_default="15")
    # Orders created after this moment (UTC) are asked for; None: the last 30 days.
    orders_after: Mapped[dt.datetime | None]
    last_run_at: Mapped[dt.datetime | None]
    last_ok: Mapped[bool | None] = mapped_column(Boolean)
    last_error: Mapped[str | None] = mapped_column(String(300))  # a msgid of the carpet catalogue
    last_error_detail: Mapped[str | None] = mapped_column(String(300))
    last_imported: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_attention: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_stock_pushed: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The shop's SKUs with no product of that code, as JSON [[sku, name], …] (the page lists them).
    unmatched: Mapped[str] = mapped_column(Text, default="[]")
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class ShopOrder(Base):
    __tablename__ = "carpet_shop_order"
    __table_args__ = (
        UniqueConstraint("link_id", "shop_order_id", name="ux_carpet_shop_order_shop_id"),
        Index("ix_carpet_shop_order_state", "link_id", "state", "id"),
    )
    id: Mapped[IdPK]
    link_id: Mapped[int] = mapped_column(BigId, ForeignKey("carpet_shop_link.id", ondelete="CASCADE"))
    shop_order_id: Mapped[int] = mapped_column(BigInteger)
    number: Mapped[str] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(30))
    ordered_at: Mapped[dt.datetime]
    customer_name: Mapped[str] = mapped_column(String(200), default="")
    mobile: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    total: Mapped[int] = mapped_column(BigInteger, default=0)  # Rials, as the shop charged
    # The order as the shop gave it (lines, shipping), JSON: a retry needs no second call.
    payload: Mapped[str] = mapped_column(Text, default="{}")
    state: Mapped[str] = mapped_column(String(12), default="attention")
    problem: Mapped[str | None] = mapped_column(String(300))  # a msgid of the carpet catalogue
    problem_detail: Mapped[str | None] = mapped_column(String(300))
    partner_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("base_partner.id"), index=True)
    proforma_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("finance_proforma.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
