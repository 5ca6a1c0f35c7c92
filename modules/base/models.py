"""Geography (BASE-07): provinces of Iran, shipped with the module and extensible by users."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, Record


class Province(Record, Base):
    __tablename__ = "base_province"
    name: Mapped[str] = mapped_column(String(80), unique=True)
    name_en: Mapped[str] = mapped_column(String(80), default="")
    area_code: Mapped[str | None] = mapped_column(String(4))
    search_key: Mapped[str] = mapped_column(String(400), default="", index=True)
