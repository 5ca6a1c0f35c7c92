"""Medical documents in a patient's file (MED-01): a lab result, imaging, a prescription, a
report — typed, dated (Jalali on screen), described; the file itself is the record's attachment
(the kernel's attachments, served only to whoever may see the document). Seen only with the
``medical.records`` permission (:mod:`modules.medical.privacy`)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, Record

DOCUMENT_KINDS = (("lab", "Lab result"), ("imaging", "Imaging"), ("prescription", "Prescription"),
                  ("report", "Medical report"), ("other", "Other document"))


class Document(Record, Base):
    __tablename__ = "medical_document"
    __scope_follows__ = ("partner_id",)
    __table_args__ = (Index("ix_medical_document_partner_date", "partner_id", "taken_on"),)

    partner_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_partner.id"))
    kind: Mapped[str] = mapped_column(String(20), default="lab", index=True)
    taken_on: Mapped[dt.date] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    search_key: Mapped[str] = mapped_column(String(800), default="", index=True)
