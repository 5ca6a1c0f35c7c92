"""Appointments and the slots they take.

``medical_taken_slot`` holds one row per (doctor, slot start) of a live appointment, with a
unique key: two bookings of one slot cannot both commit, whichever page, API or process made
them, on SQLite and PostgreSQL alike. The row is written in the booking's transaction and
deleted when the appointment is cancelled, marked no-show or moved."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, IdPK, Record

STATES = (("booked", "Booked"), ("arrived", "Arrived"), ("seen", "Visited"), ("no_show", "No-show"),
          ("cancelled", "Cancelled"))
LIVE = ("booked", "arrived", "seen")


class Appointment(Record, Base):
    __tablename__ = "medical_appointment"
    # The doctor's user makes an appointment "theirs" (the doctor role's own scope).
    __owner_columns__ = ("owner_id", "doctor_user_id")
    __table_args__ = (
        Index("ix_medical_appointment_doctor_start", "doctor_id", "start_at", "state"),
        Index("ix_medical_appointment_patient_start", "patient_id", "start_at"),
        Index("ix_medical_appointment_start", "start_at", "doctor_id", "state"),
    )
    doctor_id: Mapped[int] = mapped_column(BigId, ForeignKey("medical_doctor.id"))
    doctor_user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("kernel_user.id"), index=True)
    patient_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_partner.id"))
    start_at: Mapped[dt.datetime]  # UTC
    end_at: Mapped[dt.datetime]  # UTC
    minutes: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(10), default="booked", index=True)
    note: Mapped[str | None] = mapped_column(Text)
    booked_by_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("kernel_user.id"))
    referral_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("medical_referral.id"), index=True)


class TakenSlot(Base):
    __tablename__ = "medical_taken_slot"
    __table_args__ = (UniqueConstraint("doctor_id", "slot_at", name="uq_medical_taken_slot"),)
    id: Mapped[IdPK]
    doctor_id: Mapped[int] = mapped_column(BigId, ForeignKey("medical_doctor.id"))
    slot_at: Mapped[dt.datetime]
    appointment_id: Mapped[int] = mapped_column(BigId, ForeignKey("medical_appointment.id"), index=True)
