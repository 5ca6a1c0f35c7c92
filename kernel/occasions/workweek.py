"""The weekly days off: Friday by default, configurable per organisation.

Stored as instance settings (``kernel_setting``) of Python weekday numbers (Monday 0 … Sunday
6): ``calendar.weekend`` (default ``[4]``, Friday) and ``calendar.half_days`` (default ``[3]``,
Thursday, a half day in many Iranian offices; half days are working days for
``next_working_day``, and shown as such).
"""

from __future__ import annotations

import json

from sqlalchemy.orm import Session

from kernel.errors import InputError
from kernel.models import Setting

WEEKEND_KEY = "calendar.weekend"
HALF_DAYS_KEY = "calendar.half_days"
DEFAULT_WEEKEND = (4,)
DEFAULT_HALF_DAYS = (3,)
# Saturday first, as an Iranian week is shown.
WEEK_ORDER = (5, 6, 0, 1, 2, 3, 4)
DAY_NAMES = {5: "Saturdays", 6: "Sundays", 0: "Mondays", 1: "Tuesdays", 2: "Wednesdays", 3: "Thursdays",
             4: "Fridays"}


def _days(session: Session, key: str, default: tuple[int, ...]) -> frozenset[int]:
    row = session.get(Setting, key)
    if row is None:
        return frozenset(default)
    return frozenset(int(d) for d in json.loads(row.value) if 0 <= int(d) <= 6)


def weekend(session: Session) -> frozenset[int]:
    """The weekdays (Monday 0 … Sunday 6) nobody works."""
    return _days(session, WEEKEND_KEY, DEFAULT_WEEKEND)


def half_days(session: Session) -> frozenset[int]:
    """The weekdays that are half working days (Thursday by default)."""
    return _days(session, HALF_DAYS_KEY, DEFAULT_HALF_DAYS)


def set_workweek(session: Session, weekend_days: set[int], half: set[int]) -> None:
    """Save the weekend and half days; a week with no working day at all is refused."""
    if not all(0 <= d <= 6 for d in weekend_days | half):
        raise InputError("Not a valid value")
    if len(weekend_days) >= 7:
        raise InputError("At least one day of the week must be a working day")
    for key, days in ((WEEKEND_KEY, weekend_days), (HALF_DAYS_KEY, half - weekend_days)):
        row = session.get(Setting, key) or Setting(key=key, value="")
        row.value = json.dumps(sorted(days))
        session.add(row)
