"""Competitors' products and prices (FIN-02): what a competitor (a partner with the role
"competitor") asks for its product that competes with ours, as observed on a day."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, Record


class CompetitorPrice(Record, Base):
    __tablename__ = "finance_competitor_price"
    __table_args__ = (Index("ix_finance_competitor_price_product", "product_id", "competitor_id", "observed_on"),)
    # As visible as the competitor: a user limited to Isfahan does not see Tehran's competitors.
    __scope_follows__ = ("competitor_id",)
    product_id: Mapped[int] = mapped_column(BigId, ForeignKey("finance_product.id"))
    competitor_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_partner.id"), index=True)
    # The competitor's own name for its product («فرش ۷۰۰ شانه طرح افشان»).
    competitor_product: Mapped[str] = mapped_column(String(200))
    price: Mapped[int] = mapped_column(BigInteger)
    observed_on: Mapped[dt.date]
    notes: Mapped[str | None] = mapped_column(Text)
    search_key: Mapped[str] = mapped_column(String(400), default="")
