"""What module authors call: holidays, working days and the occasions of a day or a range.

Every function takes an open SQLAlchemy session and plain ``datetime.date`` values (Gregorian,
as stored). Removed (soft-deleted) occasions are never returned.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement

from kernel.occasions.models import Occasion
from kernel.occasions.workweek import weekend

# A partner's ``religion`` field (modules/base/choices.py) → (religion, sect) of occasions.
PARTNER_RELIGIONS: dict[str, tuple[str, str | None]] = {
    "shia": ("islam", "shia"),
    "sunni": ("islam", "sunni"),
    "christian": ("christian", None),
    "jewish": ("jewish", None),
    "zoroastrian": ("zoroastrian", None),
}
# Safety net for next_working_day: no office closes for more than this many days in a row.
MAX_DAYS_OFF = 60


def _audience(religion: str | None, sect: str | None) -> ColumnElement[bool] | None:
    """Occasions that concern everyone, plus those of ``religion`` (and of ``sect`` or all sects).

    ``religion`` may be an occasion religion ("islam") or a partner's religion value ("shia",
    "sunni", "christian", ...); ``None`` means no filter. A religion we have no occasions for
    ("other") gets the national occasions only.
    """
    if religion is None:
        return None
    if religion in PARTNER_RELIGIONS:
        religion, implied = PARTNER_RELIGIONS[religion]
        sect = sect or implied
    own = Occasion.religion == religion
    if sect:
        own = and_(own, or_(Occasion.sect == "", Occasion.sect == sect))
    return or_(Occasion.religion == "", own)


def occasions_between(session: Session, start: dt.date, end: dt.date, religion: str | None = None,
                      sect: str | None = None, holidays_only: bool = False) -> list[Occasion]:
    """Occasions from ``start`` up to but not including ``end``, by date then name."""
    stmt = select(Occasion).where(Occasion.deleted_at.is_(None), Occasion.date >= start, Occasion.date < end)
    audience = _audience(religion, sect)
    if audience is not None:
        stmt = stmt.where(audience)
    if holidays_only:
        stmt = stmt.where(Occasion.holiday.is_(True))
    return list(session.scalars(stmt.order_by(Occasion.date, Occasion.holiday.desc(), Occasion.id)))


def occasions_on(session: Session, day: dt.date, religion: str | None = None,
                 sect: str | None = None) -> list[Occasion]:
    """The occasions of one day, e.g. ``occasions_on(s, d, religion=partner.religion)`` for greetings."""
    return occasions_between(session, day, day + dt.timedelta(days=1), religion, sect)


def holidays_between(session: Session, start: dt.date, end: dt.date) -> set[dt.date]:
    """Official holidays (not the weekly weekend) from ``start`` up to but not including ``end``."""
    stmt = select(Occasion.date).where(Occasion.deleted_at.is_(None), Occasion.holiday.is_(True),
                                       Occasion.date >= start, Occasion.date < end)
    return set(session.scalars(stmt))


def is_holiday(session: Session, day: dt.date) -> bool:
    """True on the weekly day(s) off (Friday by default) and on official holidays."""
    if isinstance(day, dt.datetime):
        day = day.date()
    return day.weekday() in weekend(session) or bool(holidays_between(session, day, day + dt.timedelta(days=1)))


def next_working_day(session: Session, day: dt.date, after: bool = False) -> dt.date:
    """The first working day on or after ``day`` (strictly after it with ``after=True``).

    "Move to the next working day": a reminder due on Friday 4 Tir 1405 (Ashura, and a
    Friday) moves to Saturday. One query for the whole look-ahead, not one per day.
    """
    if isinstance(day, dt.datetime):
        day = day.date()
    start = day + dt.timedelta(days=1) if after else day
    off_days = weekend(session)
    closed = holidays_between(session, start, start + dt.timedelta(days=MAX_DAYS_OFF))
    for i in range(MAX_DAYS_OFF):
        candidate = start + dt.timedelta(days=i)
        if candidate.weekday() not in off_days and candidate not in closed:
            return candidate
    return start + dt.timedelta(days=MAX_DAYS_OFF)


def working_days(session: Session, days: Sequence[dt.date]) -> list[dt.date]:
    """The given days that are working days (order kept)."""
    if not days:
        return []
    off_days = weekend(session)
    closed = holidays_between(session, min(days), max(days) + dt.timedelta(days=1))
    return [d for d in days if d.weekday() not in off_days and d not in closed]
