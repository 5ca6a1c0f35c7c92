"""Panasonic KX-TDA / KX-TDE / KX-NS SMDR (Station Message Detail Recording) lines.

The PBX prints one line per finished call on its RS-232C port (or a TCP port on KX-TDE/NS)
when SMDR output is on (system programming [800]–[806] on a KX-TDA; Maintenance Console
"SMDR" on a KX-TDE/NS). Columns are separated by spaces; their widths differ between models
and firmware, so this parser reads fields by their shape, not by column position:

    --------------------------------------------------------------------------------------
     Date     Time    Ext   CO  Dial Number                     Ring Duration  Acc code  CD
    --------------------------------------------------------------------------------------
    12/07/26 10:29AM  101   01  <I>02188776655                  0'05 00:01'15
    12/07/26 10:31AM  102   02  09121234567                          00:00'42 1234
    12/07/26 10:35AM  103   01  <I>09351234567                  0'25 00:00'00            NA
    12/07/26 02:05PM  104   03  <I>                             0'03 00:02'10            TR

- Date: ``MM/DD/YY`` (the default; ``DD/MM/YY`` with ``date_order="DMY"``); a four-digit
  year is accepted too.
- Time: ``hh:mmAM``/``hh:mmPM`` (12-hour, the default) or ``hh:mm`` (24-hour). Read as the
  PBX's local time of the call's start and converted to UTC with the configured time zone.
  (The older KX-TD printed the end of the call: ``time_is_end=True`` subtracts the duration.)
- Ext: the extension (or floating number) on the call. CO: the trunk (CO line) number.
- Dial Number: ``<I>`` marks an incoming call, followed by the caller's number when the line
  delivers caller ID (``<I>`` alone when it does not). Anything else is an outgoing call and
  the digits dialled (``0-9 * # P =``; a trailing ``#`` ends dialling).
- Ring: ``m'ss``, the ringing time of an incoming call before it was answered.
- Duration: ``hh:mm'ss``.
- Acc code: the account code entered for the call (digits), optional.
- CD: the condition code, optional: ``TR`` transfer, ``FW`` forwarded to a CO line, ``D0``
  DISA, ``RM`` remote maintenance, ``NA`` not answered.

An incoming call with a duration of ``00:00'00`` or the condition ``NA`` is missed. Header
lines (``Date Time Ext …``) and separators (``----``, ``====``) are skipped. A line with
``**`` in the date or time (the PBX's clock was changed during the call), an impossible date
or any other shape is a ``Garbled(raw, reason)`` event; the parser never raises.
"""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from devices.drivers.base import LineDriver, to_utc
from devices.events import CallRecord, Event, Garbled

_RECORD = re.compile(
    r"""^\s*
    (?P<date>\d{1,2}/\d{1,2}/(?:\d{4}|\d{2}))\s+
    (?P<hour>\d{1,2}):(?P<minute>\d{2})\s*(?P<ampm>[AaPp][Mm])?\s+
    (?P<ext>[0-9*#]{1,8})\s+
    (?P<co>\d{1,4})\s+
    (?P<dial><I>[0-9*#]*|[0-9*#P=]+)\s+
    (?:(?P<ring_m>\d{1,2})'(?P<ring_s>\d{2})\s+)?
    (?P<dur_h>\d{1,2}):(?P<dur_m>\d{2})'(?P<dur_s>\d{2})
    (?P<rest>(?:\s+\S+){0,2})\s*$""",
    re.VERBOSE,
)
_SEPARATOR = re.compile(r"^[\s\-=_*]+$")
_HEADER = re.compile(r"^\s*Date\s+Time\b", re.IGNORECASE)
_CONDITION = re.compile(r"^[A-Z][A-Z0-9]$")
_ACCOUNT = re.compile(r"^[0-9*#]{1,10}$")


class PanasonicSmdr(LineDriver):
    name = "panasonic_smdr"

    def __init__(self, timezone: str = "Asia/Tehran", date_order: str = "MDY", time_is_end: bool = False) -> None:
        super().__init__(timezone)
        if date_order not in ("MDY", "DMY"):
            raise ValueError("date_order is MDY or DMY")
        self.date_order = date_order
        self.time_is_end = time_is_end

    def feed_line(self, line: str, received_at: dt.datetime) -> list[Event]:
        if _SEPARATOR.match(line) or _HEADER.match(line):
            return []
        event = parse_line(line, self.tz, self.date_order, self.time_is_end)
        return [event] if event is not None else []


def parse_line(line: str, tz: ZoneInfo | str = "Asia/Tehran", date_order: str = "MDY",
               time_is_end: bool = False) -> Event | None:
    """One SMDR line → a ``CallRecord``, ``Garbled``, or ``None`` for a header/separator."""
    zone = tz if isinstance(tz, ZoneInfo) else ZoneInfo(tz)
    raw = line.rstrip("\r\n")
    if _SEPARATOR.match(raw) or _HEADER.match(raw):
        return None
    if "**" in raw[:20]:
        return Garbled(raw, "the PBX's clock was changed during the call (** instead of the date or time)")
    m = _RECORD.match(raw)
    if m is None:
        return Garbled(raw, "not an SMDR call record")
    first, second, year_text = m["date"].split("/")
    month, day = (int(first), int(second)) if date_order == "MDY" else (int(second), int(first))
    year = int(year_text) + (2000 if len(year_text) == 2 else 0)
    hour, minute = int(m["hour"]), int(m["minute"])
    if m["ampm"]:
        if not 1 <= hour <= 12:
            return Garbled(raw, "impossible time")
        hour = hour % 12 + (12 if m["ampm"].upper() == "PM" else 0)
    try:
        local = dt.datetime(year, month, day, hour, minute)
    except ValueError:
        return Garbled(raw, "impossible date or time")
    dur_m, dur_s = int(m["dur_m"]), int(m["dur_s"])
    if dur_m > 59 or dur_s > 59 or (m["ring_s"] and int(m["ring_s"]) > 59):
        return Garbled(raw, "impossible duration")
    duration = int(m["dur_h"]) * 3600 + dur_m * 60 + dur_s
    if time_is_end:
        local -= dt.timedelta(seconds=duration)
    account, condition = _rest(m["rest"].split())
    if account is None:
        return Garbled(raw, "unreadable account code or condition")
    dial = m["dial"]
    incoming = dial.startswith("<I>")
    ring = int(m["ring_m"]) * 60 + int(m["ring_s"]) if m["ring_m"] else None
    return CallRecord(
        direction="incoming" if incoming else "outgoing",
        number=dial[3:] if incoming else dial.rstrip("#"),
        started_at=to_utc(local, zone),
        raw=raw,
        line=m["co"],
        extension=m["ext"],
        ring_seconds=ring,
        duration_seconds=duration,
        answered=not (incoming and (duration == 0 or condition == "NA")),
        account_code=account,
        condition=condition,
    )


def _rest(tokens: list[str]) -> tuple[str | None, str]:
    """The optional account code and condition code after the duration."""
    condition = ""
    if tokens and _CONDITION.match(tokens[-1]) and not tokens[-1].isdigit():
        condition = tokens.pop()
    if not tokens:
        return "", condition
    if len(tokens) == 1 and _ACCOUNT.match(tokens[0]):
        return tokens[0], condition
    return None, condition
