"""A patient (MED-01): a base person plus the clinic's administrative row — file number,
insurance, blood group, notes. Diagnoses and documents are not here: they live in their own
tables behind the ``medical.records`` permission (:mod:`modules.medical.privacy`)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, Record

BLOOD_GROUPS = tuple((g, g) for g in ("O+", "O-", "A+", "A-", "B+", "B-", "AB+", "AB-"))


class Patient(Record, Base):
    __tablename__ = "medical_patient"
    # As visible as the person whose file it is.
    __scope_follows__ = ("partner_id",)

    partner_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_partner.id"), unique=True, index=True)
    file_number: Mapped[str] = mapped_column(String(30), unique=True)
    insurer: Mapped[str | None] = mapped_column(String(120))
    insurance_number: Mapped[str | None] = mapped_column(String(40))
    blood_group: Mapped[str | None] = mapped_column(String(3))
    notes: Mapped[str | None] = mapped_column(Text)
    search_key: Mapped[str] = mapped_column(String(600), default="", index=True)
