"""When a reminder is due: once, daily, weekly, monthly on a Jalali day, yearly on a Jalali date.

Occurrences are counted on the local (Tehran) wall clock, so "every day at 09:00" stays at
09:00, and on the Jalali calendar, so "the 1st of every month" follows Farvardin's 31 days and
Esfand's 29. A day that a month lacks (the 31st in Mehr, Esfand 30 in a common year) falls on
the month's last day. Storage stays in UTC: every function takes and returns naive UTC.
"""

from __future__ import annotations

import datetime as dt

from kernel.db import utcnow
from kernel.persian.jalali import days_in_month, jalali_to_date, to_jalali
from kernel.timezone import DEFAULT_TZ, to_local, to_utc

REPEAT_CODES = ("none", "daily", "weekly", "monthly", "yearly")


def occurrence(first_local: dt.datetime, repeat: str, n: int) -> dt.datetime:
    """The ``n``-th occurrence (0 = the first) on the local wall clock."""
    if repeat in ("none", "daily", "weekly"):
        return first_local + dt.timedelta(days=n * (7 if repeat == "weekly" else 1))
    j = to_jalali(first_local.date())
    months = n if repeat == "monthly" else 12 * n
    total = j.year * 12 + (j.month - 1) + months
    year, month = divmod(total, 12)
    month += 1
    day = min(j.day, days_in_month(year, month))
    return dt.datetime.combine(jalali_to_date(year, month, day), first_local.time())


def _below(first_local: dt.datetime, repeat: str, moment_local: dt.datetime) -> int:
    """An occurrence number at or below the one at ``moment_local`` (then stepped forward)."""
    days = (moment_local - first_local).days
    if days <= 0:
        return 0
    per = {"daily": 1, "weekly": 7, "monthly": 31, "yearly": 366}[repeat]
    return max(0, days // per - 1)


def next_after(first_at: dt.datetime, repeat: str, after: dt.datetime, tz: str = DEFAULT_TZ) -> dt.datetime | None:
    """The first occurrence strictly after ``after`` (UTC), or None for a one-off that has passed."""
    if repeat == "none":
        return first_at if first_at > after else None
    first_local, after_local = to_local(first_at, tz), to_local(after, tz)
    n = _below(first_local, repeat, after_local)
    while (moment := occurrence(first_local, repeat, n)) <= after_local:
        n += 1
    return to_utc(moment, tz)


def latest_until(first_at: dt.datetime, repeat: str, now: dt.datetime, tz: str = DEFAULT_TZ) -> dt.datetime | None:
    """The last occurrence at or before ``now`` (UTC): the one to raise after a downtime."""
    if first_at > now:
        return None
    if repeat == "none":
        return first_at
    first_local, now_local = to_local(first_at, tz), to_local(now, tz)
    n = _below(first_local, repeat, now_local)
    while occurrence(first_local, repeat, n + 1) <= now_local:
        n += 1
    return to_utc(occurrence(first_local, repeat, n), tz)


def first_due(first_at: dt.datetime, repeat: str, now: dt.datetime | None = None,
              tz: str = DEFAULT_TZ) -> dt.datetime:
    """When a new (or re-timed) reminder is next due. A one-off keeps its time even if it has
    passed (it fires at once: the user asked for it); a recurring one whose first time is past
    starts at its next occurrence, rather than raising an alarm for a day already gone."""
    now = now or utcnow()
    if repeat == "none" or first_at >= now:
        return first_at
    return next_after(first_at, repeat, now, tz) or first_at
