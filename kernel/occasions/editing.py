"""The administrator's changes to the occasions table: add, edit (move), remove, restore.

Each takes the session of one transaction; bad input raises ``InputError`` before anything
is changed, so the caller's rollback leaves the table as it was.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy.orm import Session

from kernel.db import utcnow
from kernel.errors import InputError
from kernel.occasions.corrections import corrections
from kernel.occasions.definitions import SECTS
from kernel.occasions.models import Occasion
from kernel.persian.hijri import Corrections, parse_hijri_date, to_hijri
from kernel.persian.jalali import parse_jalali_date, to_jalali

# What the form offers: the religions of occasions ("" = everyone).
RELIGION_CHOICES = (("", "Everyone"), ("islam", "Islam"), ("christian", "Christianity"),
                    ("jewish", "Judaism"), ("zoroastrian", "Zoroastrianism"))
SECT_CHOICES = (("", "All sects"), ("shia", "Shia"), ("sunni", "Sunni"), ("armenian", "Armenian"))


SOURCE_LABELS = {"computed": "Computed", "edited": "Edited by the administrator",
                 "added": "Added by the administrator"}


@dataclass
class OccasionInput:
    """The fields of the occasion form, as typed."""

    name: str = ""
    name_en: str = ""
    date: str = ""  # Jalali
    hijri: str = ""  # lunar Hijri, optional: wins when it was typed or changed
    hijri_was: str = ""  # what the edit form showed in it, so an untouched field never moves the day
    holiday: bool = False
    religion: str = ""
    sect: str = ""

    @classmethod
    def from_form(cls, data: Mapping[str, object]) -> OccasionInput:
        def text(key: str) -> str:
            return str(data.get(key) or "").strip()

        return cls(name=text("name")[:200], name_en=text("name_en")[:200], date=text("date"), hijri=text("hijri"),
                   holiday=bool(data.get("holiday")), religion=text("religion"), sect=text("sect"),
                   hijri_was=text("hijri_was"))


def _date(form: OccasionInput, current: dt.date | None, table: Corrections) -> tuple[dt.date, bool]:
    """The chosen day and whether it came from the Hijri field (both fields are checked)."""
    by_hijri = parse_hijri_date(form.hijri, table) if form.hijri else None
    by_jalali = parse_jalali_date(form.date) if form.date else None
    if by_hijri is not None and (form.hijri != form.hijri_was or current is None):
        return by_hijri, True
    if by_jalali is not None:
        return by_jalali, False
    if by_hijri is not None:
        return by_hijri, True
    raise InputError("Enter a date as year/month/day, e.g. 1405/09/01")


def _apply(obj: Occasion, form: OccasionInput, current: dt.date | None, table: Corrections) -> None:
    if not form.name:
        raise InputError("This field is required")
    if form.religion not in {r for r, _ in RELIGION_CHOICES} or form.sect not in SECTS:
        raise InputError("Not a valid value")
    day, lunar = _date(form, current, table)
    # A move by the Jalali date keeps the definition ("10 Muharram, seen a day later"); a Hijri
    # date typed by the administrator becomes the occasion's own.
    if day != current and lunar:
        h = to_hijri(day, table)
        obj.calendar, obj.month, obj.day = "hijri", h.month, h.day
    elif current is None:
        j = to_jalali(day)
        obj.calendar, obj.month, obj.day = "jalali", j.month, j.day
    obj.date = day
    obj.name, obj.name_en = form.name, form.name_en
    obj.holiday, obj.religion, obj.sect = form.holiday, form.religion, form.sect if form.religion else ""


def add_occasion(session: Session, form: OccasionInput) -> Occasion:
    """A new occasion or declared holiday (e.g. a closure for air pollution); kept by refills."""
    obj = Occasion(key=f"added-{uuid.uuid4().hex[:12]}", occurrence=1, source="added", calendar="jalali")
    _apply(obj, form, None, corrections(session))
    obj.year = to_jalali(obj.date).year
    session.add(obj)
    session.flush()
    return obj


def edit_occasion(session: Session, obj: Occasion, form: OccasionInput) -> Occasion:
    """Edit or move an occasion; a computed row becomes "edited" and a refill leaves it alone."""
    _apply(obj, form, obj.date, corrections(session))
    if obj.source == "computed":
        obj.source = "edited"
    session.flush()
    return obj


def remove_occasion(session: Session, obj: Occasion) -> None:
    """Soft delete: the row stays (so a refill does not bring it back) and can be restored."""
    obj.deleted_at = utcnow()
    session.flush()


def restore_occasion(session: Session, obj: Occasion) -> None:
    obj.deleted_at = None
    session.flush()
