"""Geography (BASE-07): country → province → city → region, shipped with data and user-extensible."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, Record, SortKey


class Country(Record, Base):
    __tablename__ = "base_country"
    name: Mapped[str] = mapped_column(String(80), unique=True)
    name_en: Mapped[str] = mapped_column(String(80), default="")
    code: Mapped[str | None] = mapped_column(String(2), unique=True)
    search_key: Mapped[str] = mapped_column(String(400), default="")
    sort_key: Mapped[str] = mapped_column(SortKey, default="")


class Province(Record, Base):
    """A province of Iran; its area code is what local phone numbers of its cities lack."""

    __tablename__ = "base_province"
    name: Mapped[str] = mapped_column(String(80), unique=True)
    name_en: Mapped[str] = mapped_column(String(80), default="")
    area_code: Mapped[str | None] = mapped_column(String(4))
    search_key: Mapped[str] = mapped_column(String(400), default="", index=True)
    sort_key: Mapped[str] = mapped_column(SortKey, default="")


class City(Record, Base):
    __tablename__ = "base_city"
    __table_args__ = (UniqueConstraint("province_id", "name", name="uq_base_city_province_name"),
                      Index("ix_base_city_sort", "sort_key", "id"))
    name: Mapped[str] = mapped_column(String(80))
    province_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_province.id"), index=True)
    search_key: Mapped[str] = mapped_column(String(400), default="")
    sort_key: Mapped[str] = mapped_column(SortKey, default="")


class Region(Record, Base):
    """A district of a city (منطقه ۳ تهران, a neighbourhood): users add their own."""

    __tablename__ = "base_region"
    # A city's regions in alphabetical order (a city may have hundreds of neighbourhoods).
    __table_args__ = (UniqueConstraint("city_id", "name", name="uq_base_region_city_name"),
                      Index("ix_base_region_city_sort", "city_id", "sort_key", "id"))
    name: Mapped[str] = mapped_column(String(80))
    city_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_city.id"), index=True)
    search_key: Mapped[str] = mapped_column(String(400), default="")
    sort_key: Mapped[str] = mapped_column(SortKey, default="")
