"""Diseases and allergies the clinic keeps (a table it edits), each with an optional educational
SMS sent after a visit; and which patients have them, since when (MED-01 "grouped by disease").

A patient's diseases and allergies are diagnoses: rows of :class:`PatientDisease` are seen only
with the ``medical.records`` permission (:mod:`modules.medical.privacy`)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, IdPK, Record

KINDS = (("disease", "Disease"), ("allergy", "Allergy"))


class Disease(Record, Base):
    __tablename__ = "medical_disease"

    name: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(12), default="disease")
    education_sms: Mapped[str | None] = mapped_column(Text)
    search_key: Mapped[str] = mapped_column(String(400), default="", index=True)


class PatientDisease(Record, Base):
    __tablename__ = "medical_patient_disease"
    __scope_follows__ = ("partner_id",)
    # The patients of a disease newest first (the list filtered by disease, a keyset walk), and the
    # per-disease counts of the report read from the index alone (bench/bench_medical_file.py).
    __table_args__ = (Index("ix_medical_patient_disease_disease", "disease_id", "id"),
                      Index("ix_medical_patient_disease_counts", "disease_id", "partner_id", "deleted_at"))

    partner_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_partner.id"), index=True)
    disease_id: Mapped[int] = mapped_column(BigId, ForeignKey("medical_disease.id"))
    since: Mapped[dt.date | None] = mapped_column(index=True)
    notes: Mapped[str | None] = mapped_column(String(300))
    search_key: Mapped[str] = mapped_column(String(400), default="", index=True)


class EducationSent(Base):
    """One educational message per visit and disease: the unique pair keeps a second "seen" of
    the same appointment from sending it again."""

    __tablename__ = "medical_education_sent"
    __table_args__ = (UniqueConstraint("appointment_id", "disease_id"),
                      Index("ix_medical_education_sent_partner", "partner_id"))

    id: Mapped[IdPK]
    appointment_id: Mapped[int] = mapped_column(BigInteger)
    disease_id: Mapped[int] = mapped_column(BigId, ForeignKey("medical_disease.id"))
    partner_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_partner.id"))
    send_id: Mapped[int | None] = mapped_column(BigInteger)
    sent_at: Mapped[dt.datetime]
