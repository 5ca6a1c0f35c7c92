"""A carpet design (CRP-01): its code («۱۲۰۱», «A-1201»), reeds and colours, and the finance
product it is sold as (whose variants are its sizes and colours); and the dealers of the sales
network, each a partner."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, Record


class CarpetDesign(Record, Base):
    __tablename__ = "carpet_design"
    __table_args__ = (Index("ix_carpet_design_code", "code"),)

    code: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(120))
    reeds: Mapped[int | None] = mapped_column(Integer, index=True)  # شانه: 700, 1000, 1200
    density: Mapped[int | None] = mapped_column(Integer)  # تراکم: knots per metre of length
    colours: Mapped[int | None] = mapped_column(Integer)  # how many colours the design is woven with
    product_id: Mapped[int] = mapped_column(BigId, ForeignKey("finance_product.id"), index=True)
    description: Mapped[str | None] = mapped_column(Text)
    search_key: Mapped[str] = mapped_column(String(400), default="", index=True)


class Dealer(Record, Base):
    """A partner who sells the maker's carpets (a dealer of the sales network)."""

    __tablename__ = "carpet_dealer"
    __table_args__ = (Index("ux_carpet_dealer_partner", "partner_id", unique=True),)

    partner_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_partner.id"))
    city: Mapped[str | None] = mapped_column(String(80))
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    note: Mapped[str | None] = mapped_column(Text)
    search_key: Mapped[str] = mapped_column(String(400), default="", index=True)
