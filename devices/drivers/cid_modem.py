"""Caller-ID modems (the cheap voice/data modems sold for caller ID in Iran, Conexant and
Rockwell chipsets alike).

On open the modem is reset and told to report caller ID: ``ATZ``, ``AT+VCID=1`` (formatted
caller ID) and ``AT#CID=1`` (the older command of some chipsets; the one a modem does not know
just answers ``ERROR``). It then prints, for each call::

    RING

    DATE = 1207
    TIME = 1029
    NMBR = 09121234567
    NAME = REZA

    RING

``DATE``/``TIME``/``NMBR``/``NAME`` may come with or without spaces around ``=``, and in any
order before the number. The call is reported when ``NMBR`` arrives, as a ``CallStarted``
(incoming) with the number as sent: digits, ``P`` (private) or ``O`` (out of area). Its time is
when the line was read (the modem's DATE/TIME have no year and no seconds; they stay in the raw
text). A ``NAME`` after the number is not waited for (Iranian lines send none). A modem cannot
know whether the call was answered nor its length. Echoed commands, ``OK``, ``ERROR``,
``RING``, ``CONNECT``, ``NO CARRIER`` are ignored; any other line is ``Garbled``.
"""

from __future__ import annotations

import datetime as dt
import re

from devices.drivers.base import LineDriver
from devices.events import CallStarted, Event, Garbled

_FIELD = re.compile(r"^\s*(DATE|TIME|NMBR|NAME|DDN_NMBR|MESG)\s*=\s*(.*?)\s*$", re.IGNORECASE)
_QUIET = re.compile(r"^\s*(AT.*|OK|ERROR|RING|CONNECT.*|NO CARRIER|NO DIALTONE|BUSY)\s*$", re.IGNORECASE)
_NUMBER = re.compile(r"^(\+?[0-9]{1,20}|[POpo])$")


class CidModem(LineDriver):
    name = "cid_modem"

    def __init__(self, timezone: str = "Asia/Tehran") -> None:
        super().__init__(timezone)
        self._block: list[str] = []

    def init_commands(self) -> list[bytes]:
        return [b"ATZ\r", b"AT+VCID=1\r", b"AT#CID=1\r"]

    def feed_line(self, line: str, received_at: dt.datetime) -> list[Event]:
        text = line.strip()
        field = _FIELD.match(text)
        if field is None:
            if _QUIET.match(text):
                if text.upper() == "RING" and self._block:
                    self._block = []  # a DATE/TIME without a number: a call we cannot report
                return []
            return [Garbled(line, "not a caller-ID modem line")]
        key, value = field[1].upper(), field[2]
        self._block.append(text)
        if key not in ("NMBR", "DDN_NMBR"):
            return []
        raw, self._block = "\n".join(self._block), []
        if not _NUMBER.match(value):
            return [Garbled(raw, "unreadable caller number")]
        return [CallStarted(direction="incoming", number=value.upper() if value in "pPoO" else value,
                            started_at=received_at, raw=raw)]
