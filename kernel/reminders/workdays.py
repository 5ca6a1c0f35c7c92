"""A reminder that rings on working days only: a time that falls on the weekend or an official
holiday (the occasions calendar, KER-19) moves to the next working day, at the same local time.

Only the time it rings moves: the next occurrence is still counted from the reminder's own
first time, so "the 1st of every month" stays the 1st after a Nowruz that pushed it to the 5th.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from kernel.occasions.service import next_working_day
from kernel.timezone import DEFAULT_TZ, to_local, to_utc


def on_working_day(session: Session, moment: dt.datetime, tz: str = DEFAULT_TZ) -> dt.datetime:
    """``moment`` (naive UTC), or the same local time on the next working day."""
    local = to_local(moment, tz)
    day = next_working_day(session, local.date())
    if day == local.date():
        return moment
    return to_utc(dt.datetime.combine(day, local.time()), tz)
