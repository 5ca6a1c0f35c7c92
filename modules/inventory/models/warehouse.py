"""A warehouse (INV-01): where stock is kept. One is the default: invoices and sales orders take
their stock from it unless told otherwise."""

from __future__ import annotations

from sqlalchemy import Boolean, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, Record


class Warehouse(Record, Base):
    __tablename__ = "inventory_warehouse"
    name: Mapped[str] = mapped_column(String(120), unique=True)
    code: Mapped[str | None] = mapped_column(String(20), unique=True)
    address: Mapped[str | None] = mapped_column(Text)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
