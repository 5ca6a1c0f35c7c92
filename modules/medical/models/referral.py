"""A referral (MED-03): a patient referred to a doctor or to a group of doctors, with a note;
open until an appointment is booked from it (or it is closed)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, Record


class Referral(Record, Base):
    __tablename__ = "medical_referral"
    __table_args__ = (Index("ix_medical_referral_open", "state", "doctor_id", "group_id"),)
    patient_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_partner.id"), index=True)
    doctor_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("medical_doctor.id"))
    group_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("medical_doctor_group.id"))
    note: Mapped[str | None] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(10), default="open")  # open | booked | closed
