"""Lunar Hijri dates for religious occasions (they move about 11 days a year against Jalali).

``hijridate`` computes the Umm al-Qura calendar. Iran's official lunar dates follow moon
sighting and can be a day off from it, so every conversion takes a correction table:
``{hijri_year: days}``, optionally refined per month with ``{(hijri_year, month): days}``
(a month's entry wins over its year's). ``days`` is added to the Gregorian date before the
Umm al-Qura lookup, so ``-1`` means "in Iran this month began one day after Umm al-Qura's"
(the usual case). The table is data the organisation keeps up to date, not code.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from typing import NamedTuple

from hijridate import Gregorian, Hijri

from kernel.errors import InputError
from kernel.persian.textnorm import to_ascii_digits, to_persian_digits

Corrections = Mapping[int | tuple[int, int], int]
_DATE = re.compile(r"([0-9]{1,4})\s*[/\-.]\s*([0-9]{1,2})\s*[/\-.]\s*([0-9]{1,2})", re.ASCII)

MONTHS_FA = (
    "محرم", "صفر", "ربیع‌الاول", "ربیع‌الثانی", "جمادی‌الاول", "جمادی‌الثانی",
    "رجب", "شعبان", "رمضان", "شوال", "ذی‌القعده", "ذی‌الحجه",
)  # fmt: skip
MONTHS_EN = (
    "Muharram", "Safar", "Rabi al-Awwal", "Rabi al-Thani", "Jumada al-Awwal", "Jumada al-Thani",
    "Rajab", "Shaban", "Ramadan", "Shawwal", "Dhu al-Qadah", "Dhu al-Hijjah",
)  # fmt: skip


class HijriDate(NamedTuple):
    """A lunar Hijri year, month (1 = Muharram) and day."""

    year: int
    month: int
    day: int


def _umm_al_qura(d: dt.date) -> HijriDate:
    try:
        h = Gregorian(d.year, d.month, d.day).to_hijri()
    except OverflowError as exc:  # the tables cover 1343–1500 AH (1924–2077)
        raise ValueError(f"{d} is outside the supported Hijri range") from exc
    return HijriDate(h.year, h.month, h.day)


def shift_of(corrections: Corrections | None, year: int, month: int) -> int:
    """The correction of one Hijri month: its own entry, else its year's, else 0."""
    table = corrections or {}
    return table.get((year, month), table.get(year, 0))


def to_hijri(d: dt.date, corrections: Corrections | None = None) -> HijriDate:
    """The lunar Hijri date of a Gregorian date (or datetime's date), as observed in Iran.

    ``corrections`` maps a Hijri year, or a (year, month), to the days that shift it (see the
    module docstring). Each shift in the table is tried: the answer is a Hijri date whose own
    month's shift is the one that produced it; where two months claim the day (a month that
    ran long in Iran and the next one's first day) the new month wins. Without such an answer
    the year's shift decides, as with a year-only table. Raises ``ValueError`` outside
    1343–1500 AH.
    """
    if isinstance(d, dt.datetime):
        d = d.date()
    h = _umm_al_qura(d)
    table = corrections or {}
    if any(isinstance(k, tuple) for k in table):
        found = []
        for s in sorted({0, *table.values()}):
            c = _umm_al_qura(d + dt.timedelta(days=s)) if s else h
            if shift_of(table, c.year, c.month) == s:
                found.append(c)
        if found:
            return max(found)
    shift = table.get(h.year, 0)
    return _umm_al_qura(d + dt.timedelta(days=shift)) if shift else h


def from_hijri(year: int, month: int, day: int, corrections: Corrections | None = None) -> dt.date:
    """The Gregorian date of a lunar Hijri date as observed in Iran (e.g. 10 Muharram of a year)."""
    try:
        g = Hijri(year, month, day).to_gregorian()
    except OverflowError as exc:
        raise ValueError(f"{year}/{month}/{day} AH is outside the supported range") from exc
    return dt.date(g.year, g.month, g.day) - dt.timedelta(days=shift_of(corrections, year, month))


def format_hijri(d: dt.date, lang: str = "fa", corrections: Corrections | None = None) -> str:
    """ "۱۲ جمادی‌الثانی ۱۴۴۸ ق" in Persian, "12 Jumada al-Thani 1448 AH" in English."""
    h = to_hijri(d, corrections)
    if lang == "fa":
        return to_persian_digits(f"{h.day} {MONTHS_FA[h.month - 1]} {h.year}") + " ق"
    return f"{h.day} {MONTHS_EN[h.month - 1]} {h.year} AH"


def hijri_to_date(year: int, month: int, day: int, corrections: Corrections | None = None) -> dt.date:
    """The Gregorian date of a Hijri date a user typed, with a user-facing error when it does not exist.

    A month is 29 or 30 days long: "30 Safar" in a year whose Safar has 29 days is refused,
    naming the month, rather than silently becoming 1 Rabi al-Awwal.
    """
    if not 1343 <= year <= 1500:
        raise InputError("Enter the Hijri year between 1343 and 1500, e.g. 1448")
    if not 1 <= month <= 12:
        raise InputError("Hijri month must be between 1 and 12")
    if not 1 <= day <= 30:
        raise InputError("Hijri day must be between 1 and 30")
    try:
        return from_hijri(year, month, day, corrections)
    except ValueError:
        raise InputError("Month {month} of {year} AH has 29 days", month=month, year=year) from None


def parse_hijri_date(raw: str, corrections: Corrections | None = None) -> dt.date:
    """A Gregorian ``date`` from a lunar Hijri date typed as year/month/day ("۱۴۴۸/۰۱/۱۰")."""
    m = _DATE.fullmatch(to_ascii_digits(raw).strip())
    if not m:
        raise InputError("Enter a Hijri date as year/month/day, e.g. 1448/01/10")
    year, month, day = (int(g) for g in m.groups())
    return hijri_to_date(year, month, day, corrections)
