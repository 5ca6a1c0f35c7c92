"""Dates in the JSON API: ISO Gregorian only, years 1900–2200.

Forms take Jalali dates; the API takes ISO ones, and both read "1403-12-30". Before, the API
took it as the Gregorian year 1403 (or, through the form parser, as Jalali when written with
slashes), and a Gregorian "2025-03-21" sent to a date-time field was refused with "Enter the
year in the Jalali calendar". Now anything but ISO Gregorian in the plausible range is refused
with a message that says what to send — the Gregorian day itself when the value is a Jalali date.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from kernel.errors import InputError
from kernel.persian.jalali import jalali_to_date
from kernel.persian.textnorm import to_ascii_digits

API_YEARS = (1900, 2200)
_JALALI = re.compile(r"\s*(1[2-5][0-9]{2})\s*[-/.]\s*([0-9]{1,2})\s*[-/.]\s*([0-9]{1,2})(.*)", re.S)


def _refusal(kind: str, sent: str) -> InputError:
    found = _JALALI.fullmatch(to_ascii_digits(sent))
    if found:
        year, month, day, rest = found.groups()
        try:
            gregorian = jalali_to_date(int(year), int(month), int(day))
        except InputError:
            return InputError("Send a Gregorian date as YYYY-MM-DD ({sent} looks like a Jalali date)", sent=sent)
        # A time after the date is kept, so the suggestion is the whole value to send.
        suggestion = gregorian.isoformat() + (rest if kind == "datetime" and rest[:1] in ("T", " ") else "")
        return InputError("Send a Gregorian date as YYYY-MM-DD ({sent} looks like a Jalali date: send {gregorian})",
                          sent=sent, gregorian=suggestion)
    if kind == "datetime":
        return InputError("Send a Gregorian date and time as YYYY-MM-DDTHH:MM:SS+03:30 (ISO 8601), "
                          "years {first} to {last}", first=API_YEARS[0], last=API_YEARS[1])
    return InputError("Send a Gregorian date as YYYY-MM-DD (ISO 8601), years {first} to {last}",
                      first=API_YEARS[0], last=API_YEARS[1])


def parse_iso(kind: str, value: Any) -> dt.date | dt.datetime:
    """A ``date`` (kind "date") or a naive UTC ``datetime`` (kind "datetime") from an API value;
    an offset ("…+03:30") is converted to UTC, a time without one is taken as UTC."""
    sent = value.strip() if isinstance(value, str) else str(value)
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        moment: dt.date = dt.datetime.fromisoformat(sent) if kind == "datetime" else dt.date.fromisoformat(sent)
    except ValueError:
        raise _refusal(kind, sent) from None
    # Checked before the offset is applied: "0001-01-01T00:00+05:00" overflowed on its way to UTC.
    if not API_YEARS[0] <= moment.year <= API_YEARS[1]:
        raise _refusal(kind, sent)
    if isinstance(moment, dt.datetime) and moment.tzinfo is not None:
        return moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment
