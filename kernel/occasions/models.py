"""The occasions table: one row per occasion per Jalali year, with its Gregorian date.

Rows are filled from the shipped definitions (``source = "computed"``) and then belong to the
administrator: an edited (``"edited"``), added (``"added"``) or removed (soft-deleted) row is
never touched by a refill, because Iran's lunar dates are fixed by observation each year.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kernel.db import Base, Record

SOURCES = ("computed", "edited", "added")


class Occasion(Record, Base):
    """An occasion on one day: Nowruz, Ashura, Christmas, or a holiday the administrator declared."""

    __tablename__ = "kernel_occasion"
    __table_args__ = (
        UniqueConstraint("year", "key", "occurrence"),
        Index("ix_kernel_occasion_date", "date"),
    )
    year: Mapped[int] = mapped_column(Integer)  # Jalali year the row was filled for
    # The shipped definition's key ("ashura"); "added-…" for the administrator's own rows.
    key: Mapped[str] = mapped_column(String(60))
    # A lunar occasion can fall twice in one solar year: 1 and 2.
    occurrence: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="", server_default="")
    date: Mapped[dt.date]
    # The calendar the occasion is defined in (jalali, hijri, gregorian, easter, fixed) and its
    # month/day there: the admin page shows a lunar occasion's Hijri date beside the Jalali one.
    calendar: Mapped[str] = mapped_column(String(10), default="jalali", server_default="jalali")
    month: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    day: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    holiday: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    religion: Mapped[str] = mapped_column(String(20), default="", server_default="")
    sect: Mapped[str] = mapped_column(String(20), default="", server_default="")
    source: Mapped[str] = mapped_column(String(10), default="computed", server_default="computed")

    def label(self, lang: str) -> str:
        return self.name_en or self.name if lang == "en" else self.name
