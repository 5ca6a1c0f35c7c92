"""Iran's Hijri corrections: the shipped table plus the administrator's own months.

When Iran's moon sighting starts a lunar month on another day than the computed one, the
administrator says so once ("Muharram 1448 began on 27 June 2026") and every occasion of that
month moves with it on the next fill. Stored as the instance setting
``calendar.hijri_corrections`` (``{"1448-01": -1}``), which wins over the shipped entries.
"""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy.orm import Session

from kernel.errors import InputError
from kernel.models import Setting
from kernel.occasions.definitions import shipped
from kernel.persian.hijri import Corrections, from_hijri

SETTING = "calendar.hijri_corrections"
MAX_SHIFT = 2  # sighting moves a month's start by a day, rarely two; more is a typing mistake


def _own(session: Session) -> dict[str, int]:
    row = session.get(Setting, SETTING)
    return {str(k): int(v) for k, v in json.loads(row.value).items()} if row else {}


def corrections(session: Session) -> Corrections:
    """The table every conversion of this instance uses: shipped, then the administrator's months."""
    table: dict[int | tuple[int, int], int] = dict(shipped().corrections)
    for key, days in _own(session).items():
        year, _, month = key.partition("-")
        table[(int(year), int(month))] = days
    return table


def set_month_start(session: Session, year: int, month: int, first_day: dt.date) -> int:
    """Record that Hijri ``year``/``month`` began on ``first_day`` in Iran; returns the shift."""
    if not 1343 <= year <= 1500:
        raise InputError("Enter the Hijri year between 1343 and 1500, e.g. 1448")
    if not 1 <= month <= 12:
        raise InputError("Hijri month must be between 1 and 12")
    computed = from_hijri(year, month, 1)
    shift = (computed - first_day).days
    if abs(shift) > MAX_SHIFT:
        raise InputError("A lunar month begins at most two days away from the computed day")
    own = _own(session)
    own[f"{year}-{month:02d}"] = shift
    row = session.get(Setting, SETTING) or Setting(key=SETTING, value="")
    row.value = json.dumps(own, sort_keys=True)
    session.add(row)
    session.flush()
    return shift
