"""The shipped occasion definitions (kernel/data/occasions.toml) and their dates in a Jalali year.

Pure computation, no database: ``dates_in_year(definition, 1405)`` is every Gregorian date on
which the occasion falls between Nowruz 1405 and Nowruz 1406. A lunar occasion can fall twice
in one solar year (the lunar year is 11 days shorter), so the answer is a list.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from kernel.persian.hijri import Corrections, from_hijri, to_hijri
from kernel.persian.jalali import jalali_to_date, jalali_year_range

DATA_FILE = Path(__file__).resolve().parents[1] / "data" / "occasions.toml"
CALENDARS = ("jalali", "hijri", "gregorian", "easter", "fixed")
RELIGIONS = ("", "islam", "christian", "jewish", "zoroastrian")
SECTS = ("", "shia", "sunni", "armenian")


@dataclass(frozen=True)
class OccasionDef:
    """One shipped occasion: where it sits in its calendar, whom it concerns, whether Iran rests."""

    key: str
    calendar: str
    name: str
    name_en: str
    month: int = 0
    day: int = 0
    holiday: bool = False
    religion: str = ""
    sect: str = ""
    dates: tuple[dt.date, ...] = field(default=())


@dataclass(frozen=True)
class Shipped:
    definitions: tuple[OccasionDef, ...]
    # Iran's Hijri corrections by year (1448) or by (year, month) (1447, 1): kernel.persian.hijri.
    corrections: dict[int | tuple[int, int], int]


@cache
def shipped(path: Path = DATA_FILE) -> Shipped:
    """The definitions and the Iranian Hijri correction table, read once per process."""
    raw = tomllib.loads(path.read_text(encoding="utf-8"))
    defs = []
    for item in raw.get("occasion", []):
        d = OccasionDef(
            key=item["key"], calendar=item["calendar"], name=item["name"], name_en=item["name_en"],
            month=int(item.get("month", 0)), day=int(item.get("day", 0)), holiday=bool(item.get("holiday")),
            religion=item.get("religion", ""), sect=item.get("sect", ""),
            dates=tuple(dt.date.fromisoformat(s) for s in item.get("dates", ())),
        )
        if d.calendar not in CALENDARS or d.religion not in RELIGIONS or d.sect not in SECTS:
            raise ValueError(f"{path}: occasion {d.key!r} has an unknown calendar, religion or sect")
        defs.append(d)
    keys = [d.key for d in defs]
    if len(keys) != len(set(keys)):
        raise ValueError(f"{path}: occasion keys must be unique")
    corrections: dict[int | tuple[int, int], int] = {}
    for key, days in raw.get("hijri_corrections", {}).items():
        year, _, month = str(key).partition("-")
        corrections[(int(year), int(month)) if month else int(year)] = int(days)
    return Shipped(tuple(defs), corrections)


def easter(year: int) -> dt.date:
    """Western (Gregorian) Easter Sunday: the anonymous Gregorian algorithm (Meeus)."""
    a, b, c = year % 19, year // 100, year % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return dt.date(year, month, day + 1)


def hijri_date(year: int, month: int, day: int, corrections: Corrections) -> dt.date:
    """The Gregorian date of a Hijri day; day 0 is the month's last day (29 or 30)."""
    if day:
        return from_hijri(year, month, day, corrections)
    try:
        return from_hijri(year, month, 30, corrections)
    except ValueError:  # a 29-day month
        return from_hijri(year, month, 29, corrections)


def dates_in_year(d: OccasionDef, jyear: int, corrections: Corrections) -> list[dt.date]:
    """Every Gregorian date of occasion ``d`` in Jalali year ``jyear`` (half-open Nowruz range)."""
    start, end = jalali_year_range(jyear)
    if d.calendar == "jalali":
        return [jalali_to_date(jyear, d.month, d.day)]
    if d.calendar == "fixed":
        candidates = list(d.dates)
    elif d.calendar in ("gregorian", "easter"):
        candidates = []
        for gyear in (start.year, end.year):
            try:
                candidates.append(easter(gyear) if d.calendar == "easter" else dt.date(gyear, d.month, d.day))
            except ValueError:  # 29 February in a common year
                continue
    else:
        try:
            first, last = to_hijri(start, corrections).year, to_hijri(end, corrections).year
        except ValueError:  # hijridate's tables end in 1500 AH (2077): no lunar occasions then
            return []
        candidates = []
        for hyear in range(first, last + 1):
            try:
                candidates.append(hijri_date(hyear, d.month, d.day, corrections))
            except ValueError:  # outside hijridate's 1343–1500 AH
                continue
    return sorted({c for c in candidates if start <= c < end})
