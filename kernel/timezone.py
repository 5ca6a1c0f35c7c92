"""Storage is naive UTC; people see and type their local time (Iran by default)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

DEFAULT_TZ = "Asia/Tehran"


@lru_cache(maxsize=8)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def to_local(value: dt.datetime, tz: str = DEFAULT_TZ) -> dt.datetime:
    """Naive UTC (as stored) → naive local wall-clock time."""
    return value.replace(tzinfo=dt.UTC).astimezone(_zone(tz)).replace(tzinfo=None)


def to_utc(value: dt.datetime, tz: str = DEFAULT_TZ) -> dt.datetime:
    """Naive local wall-clock time (as typed) → naive UTC for storage."""
    return value.replace(tzinfo=_zone(tz)).astimezone(dt.UTC).replace(tzinfo=None)


def local_today(tz: str = DEFAULT_TZ, now: dt.datetime | None = None) -> dt.date:
    """Today where the users are (``now`` is naive UTC; the clock when omitted)."""
    now = now or dt.datetime.now(dt.UTC).replace(tzinfo=None)
    return to_local(now, tz).date()


def day_bounds(day: dt.date, tz: str = DEFAULT_TZ) -> tuple[dt.datetime, dt.datetime]:
    """A local day as a half-open UTC range [start, end): what "due today" means in storage."""
    start = to_utc(dt.datetime.combine(day, dt.time()), tz)
    return start, to_utc(dt.datetime.combine(day + dt.timedelta(days=1), dt.time()), tz)
