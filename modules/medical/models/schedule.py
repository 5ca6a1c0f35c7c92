"""A doctor's week: shifts per weekday (Saturday-first, 0 = Saturday … 6 = Friday, local time
"HH:MM") and the days they do not work. Official holidays and the weekly day off come from the
platform's occasions (``kernel.occasions.is_holiday``)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, Record


class Shift(Record, Base):
    __tablename__ = "medical_shift"
    __table_args__ = (Index("ix_medical_shift_doctor", "doctor_id", "weekday"),)
    doctor_id: Mapped[int] = mapped_column(BigId, ForeignKey("medical_doctor.id"))
    weekday: Mapped[int] = mapped_column(Integer)  # 0 Saturday … 6 Friday
    starts: Mapped[str] = mapped_column(String(5))  # "08:00", local time
    ends: Mapped[str] = mapped_column(String(5))


class DayOff(Record, Base):
    __tablename__ = "medical_day_off"
    __table_args__ = (Index("ix_medical_day_off_doctor", "doctor_id", "day"),)
    doctor_id: Mapped[int] = mapped_column(BigId, ForeignKey("medical_doctor.id"))
    day: Mapped[dt.date]
    note: Mapped[str | None] = mapped_column(String(200))
