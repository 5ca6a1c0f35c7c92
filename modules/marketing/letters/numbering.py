"""Letter numbers: typed by hand (FAQ 17 — the default) or taken from the kernel's series
``marketing.letter`` (``<prefix><Jalali year>-<n>``, gapless per year), as the setting
``marketing.letters.numbering`` says. Either way unique in the letter's Jalali year.

The checks are the resource's ``validate`` and ``complete`` (:mod:`kernel.records`), so the form,
the API, imports and the group letters all obey them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel import InputError, NumberSeries, take_number
from kernel.persian.jalali import to_jalali
from kernel.persian.numbers import ShownCode
from modules.marketing.models import Letter

SERIES = NumberSeries("marketing.letter", "Letters", default_prefix="", sequence=60)
SETTING = "marketing.letters.numbering"
MODES = (("manual", "Typed by hand"), ("automatic", "Automatic, from the number series"))


Shown = ShownCode  # a letter number inside a message


def mode(kernel: Any, session: Session) -> str:
    value = kernel.setting(session, SETTING, "manual")
    return value if value in dict(MODES) else "manual"


def set_mode(kernel: Any, session: Session, value: str) -> None:
    if value not in dict(MODES):
        raise InputError("Choose one of the listed values")
    kernel.set_setting(session, SETTING, value)


def taken(session: Session, year: int, number: str, except_id: int | None = None) -> bool:
    """Whether ``number`` is already a letter's in Jalali ``year`` (deleted letters keep theirs)."""
    stmt = select(Letter.id).where(Letter.year == year, Letter.number == number)
    if except_id is not None:
        stmt = stmt.where(Letter.id != except_id)
    return session.scalars(stmt.limit(1)).first() is not None


def check(values: Mapping[str, Any], record: Any = None, session: Session | None = None, kernel: Any = None,
          **_: Any) -> dict[str, InputError] | None:
    """The register's rules on a letter's number (``Resource.validate``)."""
    if session is None or kernel is None:
        return None
    # Read without flushing the letters a group adds before this one (a flush per letter): they
    # cannot hold this number, being numbered one after another.
    with session.no_autoflush:
        return _check(values, record, session, kernel)


def _check(values: Mapping[str, Any], record: Any, session: Session, kernel: Any) -> dict[str, InputError] | None:
    number = (values.get("number") or "").strip()
    day = values.get("date")
    automatic = mode(kernel, session) == "automatic"
    if record is None:
        if automatic and number:
            return {"number": InputError("Numbers are given automatically: leave the number empty")}
        if not automatic and not number:
            return {"number": InputError("Type the letter's number")}
    elif automatic and number != (record.number or ""):
        return {"number": InputError("A number given automatically cannot be changed")}
    elif not number:
        return {"number": InputError("Type the letter's number")}
    if number and isinstance(day, dt.date):
        year = to_jalali(day).year
        if taken(session, year, number, record.id if record is not None else None):
            return {"number": InputError("The number {number} is already a letter's of {year}",
                                         number=Shown(number), year=year)}
    return None


def complete(letter: Letter, session: Session, kernel: Any, **_: Any) -> None:
    """A new letter without a number takes the series' next one in its Jalali year (automatic
    mode: :func:`check` let it through empty only then)."""
    if not letter.number:
        letter.number = take_number(session, SERIES.key, letter.date)
    letter.year = to_jalali(letter.date).year
