"""Geography (BASE-07): country → province → city → region, shipped with data and user-extensible."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, Record


class Country(Record, Base):
    __tablename__ = "base_country"
    name: Mapped[str] = mapped_column(String(80), unique=True)
    name_en: Mapped[str] = mapped_column(String(80), default="")
    code: Mapped[str | None] = mapped_column(String(2), unique=True)
    search_key: Mapped[str] = mapped_column(String(400), default="")


class Province(Record, Base):
    """A province of Iran; its area code is what local phone numbers of its cities lack."""

    __tablename__ = "base_province"
    name: Mapped[str] = mapped_column(String(80), unique=True)
    name_en: Mapped[str] = mapped_column(String(80), default="")
    area_code: Mapped[str | None] = mapped_column(String(4))
    search_key: Mapped[str] = mapped_column(String(400), default="", index=True)


class City(Record, Base):
    __tablename__ = "base_city"
    __table_args__ = (UniqueConstraint("province_id", "name", name="uq_base_city_province_name"),)
    name: Mapped[str] = mapped_column(String(80))
    province_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_province.id"), index=True)
    search_key: Mapped[str] = mapped_column(String(400), default="")


class Region(Record, Base):
    """A district of a city (منطقه ۳ تهران, a neighbourhood): users add their own."""

    __tablename__ = "base_region"
    __table_args__ = (UniqueConstraint("city_id", "name", name="uq_base_region_city_name"),)
    name: Mapped[str] = mapped_column(String(80))
    city_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_city.id"), index=True)
    search_key: Mapped[str] = mapped_column(String(400), default="")
