"""The letter register (MKT-05): every letter written, with its number in its Jalali year.

A number is typed by hand (FAQ 17: "numbers are typed by the user") or taken from the kernel's
series ``marketing.letter`` — a setting chooses (:mod:`modules.marketing.letters.numbering`).
Either way it is unique in the letter's Jalali year: the unique constraint on (year, number)
guards it beside the form's check, and a deleted letter keeps its number (never reused).
The body is kept as written, merge fields included: the letter's own number, date and
addressee fill them whenever it is printed, so a reprint reads as the first print did.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, Record
from kernel.persian.jalali import to_jalali


class Letter(Record, Base):
    __tablename__ = "marketing_letter"
    __table_args__ = (
        UniqueConstraint("year", "number", name="uq_marketing_letter_year_number"),
        # The register is read newest first.
        Index("ix_marketing_letter_date_id", "date", "id"),
    )
    number: Mapped[str] = mapped_column(String(40), default="")
    # The Jalali year of ``date``: numbers are unique per year and the series counts per year.
    year: Mapped[int] = mapped_column(Integer, default=0)
    date: Mapped[dt.date]
    # Whom it is to: a person, or a company (addressed to ``contact_id`` if given, else by
    # base's rules: its liaison, or "the management of …").
    partner_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_partner.id"), index=True)
    contact_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("base_partner.id"), index=True)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text, default="")
    category_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("marketing_category.id"), index=True)
    template_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("marketing_letter_template.id"), index=True)
    # The group letter it was written with (one PDF of them all), or None for a single letter.
    batch: Mapped[str | None] = mapped_column(String(32), index=True)
    search_key: Mapped[str] = mapped_column(String(2000), default="")
    __before_save_row_only__ = True

    def before_save(self) -> None:
        if self.date is not None:
            self.year = to_jalali(self.date).year
