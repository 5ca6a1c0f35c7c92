"""The arithmetic of a payment plan (FIN-08), without a database: instalment dates monthly on a
Jalali day, and an amount split into N parts with the remainder on the last."""

from __future__ import annotations

import datetime as dt

import jdatetime

from kernel.persian.jalali import days_in_month


def monthly(first: dt.date, count: int, every: int = 1) -> list[dt.date]:
    """``count`` dates from ``first``, each ``every`` Jalali months after the one before, on the
    Jalali day of ``first`` — or the month's last day where the month is shorter: from
    31 Shahrivar the next is 30 Mehr, then 30 Aban … and 29 (or 30) Esfand, then 31 Farvardin."""
    start = jdatetime.date.fromgregorian(date=first)
    out: list[dt.date] = []
    for k in range(count):
        months = start.month - 1 + k * every
        year, month = start.year + months // 12, months % 12 + 1
        day = min(start.day, days_in_month(year, month))
        out.append(jdatetime.date(year, month, day).togregorian())
    return out


def split(total: int, count: int) -> list[int]:
    """``total`` Rials in ``count`` equal whole parts, what does not divide on the last one:
    100 in 3 → 33, 33, 34."""
    if count <= 0:
        return []
    part = total // count
    return [part] * (count - 1) + [total - part * (count - 1)]
