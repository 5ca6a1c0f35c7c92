"""The waiting list: a patient who wants an earlier time with a doctor or a group, on wished
weekdays; offered to the receptionist when a cancellation frees a slot."""

from __future__ import annotations

from sqlalchemy import Boolean, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, Record


class WaitingEntry(Record, Base):
    __tablename__ = "medical_waiting"
    patient_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_partner.id"), index=True)
    doctor_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("medical_doctor.id"), index=True)
    group_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("medical_doctor_group.id"), index=True)
    days: Mapped[str | None] = mapped_column(String(40))  # wished weekdays, e.g. "شنبه، دوشنبه"
    note: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
