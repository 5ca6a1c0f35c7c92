"""Letter templates (MKT-05): a subject and a body with merge fields («{addressee}», «{date}» …)
filled for each addressee when a letter is written from it (:mod:`modules.marketing.letters.merge`)."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, Record


class LetterTemplate(Record, Base):
    __tablename__ = "marketing_letter_template"
    name: Mapped[str] = mapped_column(String(120))
    category_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("marketing_category.id"), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
