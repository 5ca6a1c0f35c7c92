"""Jalali (Solar Hijri) dates at the edges: parsing what users type, formatting what they read.

Storage stays Gregorian (``datetime.date`` / naive local or UTC ``datetime``); only forms,
pages, PDFs and filters such as "this Jalali month" speak Jalali.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

import jdatetime

from kernel.errors import InputError
from kernel.persian.textnorm import BIDI_MARKS, to_ascii_digits, to_persian_digits

Style = Literal["short", "long", "datetime"]

# A Jalali year outside this range is almost always a Gregorian year typed by mistake.
MIN_YEAR, MAX_YEAR = 1200, 1600

_CLEAN = str.maketrans({c: None for c in BIDI_MARKS + "\u200c"})
_DATE = re.compile(r"([0-9]{1,4})\s*[/\-.]\s*([0-9]{1,2})\s*[/\-.]\s*([0-9]{1,2})", re.ASCII)
_TIME = re.compile(r"([0-9]{1,2}):([0-9]{1,2})(?::([0-9]{1,2}))?", re.ASCII)

_GREGORIAN_MONTHS_FA = (
    "ژانویه", "فوریه", "مارس", "آوریل", "مه", "ژوئن",
    "ژوئیه", "اوت", "سپتامبر", "اکتبر", "نوامبر", "دسامبر",
)  # fmt: skip
_GREGORIAN_MONTHS_EN = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def _clean(raw: str) -> str:
    return to_ascii_digits(raw.translate(_CLEAN)).strip()


def days_in_month(year: int, month: int) -> int:
    """Days in a Jalali month (Esfand has 30 in leap years, 29 otherwise)."""
    if month == 12:
        return 30 if jdatetime.date(year, 1, 1).isleap() else 29
    return 31 if month <= 6 else 30


def jalali_to_date(year: int, month: int, day: int) -> dt.date:
    """The Gregorian date of a Jalali year/month/day, with user-facing errors when it does not exist."""
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise InputError("Enter the year in the Jalali calendar, e.g. 1405")
    if not 1 <= month <= 12:
        raise InputError("Month must be between 1 and 12")
    last = days_in_month(year, month)
    if month == 12 and day == 30 and last == 29:
        raise InputError("Esfand {year} has 29 days: {year} is not a leap year", year=year)
    if not 1 <= day <= last:
        raise InputError("Day must be between 1 and {last} in this month", last=last)
    return jdatetime.date(year, month, day).togregorian()


def parse_jalali_date(raw: str) -> dt.date:
    """A Gregorian ``date`` from a Jalali date typed as year/month/day.

    Persian, Arabic-Indic or ASCII digits; "/", "-" or "." between the parts ("۱۴۰۵/۰۹/۰۱",
    "1405-9-1"). A month 13 or an Esfand 30 in a common year is refused with a message
    saying so.
    """
    s = _clean(raw)
    m = _DATE.fullmatch(s)
    if not m:
        raise InputError("Enter a date as year/month/day, e.g. 1405/09/01")
    return jalali_to_date(*(int(g) for g in m.groups()))


def parse_jalali_datetime(raw: str) -> dt.datetime:
    """A naive local ``datetime`` from "۱۴۰۵/۰۹/۰۱ ۱۰:۳۰" (seconds optional; date alone is 00:00)."""
    s = _clean(raw)
    m = _DATE.match(s)
    if not m:
        raise InputError("Enter a date as year/month/day, e.g. 1405/09/01")
    day = jalali_to_date(*(int(g) for g in m.groups()))
    time_part = s[m.end() :].strip()
    if not time_part:
        return dt.datetime.combine(day, dt.time())
    m = _TIME.fullmatch(time_part)
    if not m:
        raise InputError("Enter a time as hour:minute, e.g. 10:30")
    hour, minute, second = int(m[1]), int(m[2]), int(m[3] or 0)
    if hour > 23:
        raise InputError("Hour must be between 0 and 23")
    if minute > 59 or second > 59:
        raise InputError("Minutes and seconds must be between 0 and 59")
    return dt.datetime.combine(day, dt.time(hour, minute, second))


def to_jalali(d: dt.date) -> jdatetime.date:
    """The Jalali date of a Gregorian date (or of a datetime's date), with Persian month names."""
    if isinstance(d, dt.datetime):
        d = d.date()
    return jdatetime.date.fromgregorian(date=d, locale="fa_IR")


def month_name(month: int, lang: str = "fa") -> str:
    """The Jalali month name: "آذر" in Persian, "Azar" in English."""
    names = jdatetime.date.j_months_fa if lang == "fa" else jdatetime.date.j_months_en
    return names[month - 1]


def format_jalali(d: dt.date | dt.datetime | None, lang: str = "fa", style: Style = "short") -> str:
    """A date for people: "۱۴۰۵/۰۹/۰۱" (short), "۱ آذر ۱۴۰۵" (long), "۱۴۰۵/۰۹/۰۱ ۱۰:۳۰" (datetime).

    English keeps ASCII digits and transliterated month names ("1 Azar 1405"). ``None`` gives
    "" so templates can format optional dates directly. A plain ``date`` in the datetime
    style shows the date alone; datetimes are shown in their own clock (convert first).
    """
    if d is None:
        return ""
    j = to_jalali(d)
    if style == "long":
        text = f"{j.day} {month_name(j.month, lang)} {j.year}"
    elif style in ("short", "datetime"):
        text = f"{j.year:04d}/{j.month:02d}/{j.day:02d}"
        if style == "datetime" and isinstance(d, dt.datetime):
            text += f" {d.hour:02d}:{d.minute:02d}"
    else:
        raise ValueError(f"unknown date style {style!r}")
    return to_persian_digits(text) if lang == "fa" else text


def format_gregorian(d: dt.date | dt.datetime | None, lang: str = "fa", style: Style = "long") -> str:
    """The Gregorian date shown beside a Jalali one: "۲۲ نوامبر ۲۰۲۶" / "22 November 2026".

    ``style="short"`` gives "2026-11-22" (ISO order, so it cannot be mistaken for a Jalali
    date written with slashes).
    """
    if d is None:
        return ""
    if style == "long":
        names = _GREGORIAN_MONTHS_FA if lang == "fa" else _GREGORIAN_MONTHS_EN
        text = f"{d.day} {names[d.month - 1]} {d.year}"
    elif style in ("short", "datetime"):
        text = f"{d.year:04d}-{d.month:02d}-{d.day:02d}"
        if style == "datetime" and isinstance(d, dt.datetime):
            text += f" {d.hour:02d}:{d.minute:02d}"
    else:
        raise ValueError(f"unknown date style {style!r}")
    return to_persian_digits(text) if lang == "fa" else text


def jalali_month_range(year: int, month: int) -> tuple[dt.date, dt.date]:
    """Gregorian (first day, day after the last) of a Jalali month: a half-open range for queries."""
    first = jalali_to_date(year, month, 1)
    return first, first + dt.timedelta(days=days_in_month(year, month))


def jalali_year_range(year: int) -> tuple[dt.date, dt.date]:
    """Gregorian (Nowruz, next Nowruz) of a Jalali year: a half-open range for queries."""
    return jalali_to_date(year, 1, 1), jalali_to_date(year + 1, 1, 1)


def today_jalali(today: dt.date | None = None) -> jdatetime.date:
    """Today's Jalali date (server local time unless ``today`` is given), Persian locale."""
    return to_jalali(today or dt.date.today())
