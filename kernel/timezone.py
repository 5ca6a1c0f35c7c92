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
