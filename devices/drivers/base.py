"""The driver contract and the line splitting every line-oriented device shares.

A driver is told the bytes that arrived (``feed``) and answers the events they complete; it
keeps whatever is left of a line until the rest arrives. ``init_commands`` are written to the
port each time it is (re)opened (a modem must be told to report caller ID again after a
power cycle). Drivers never raise on bad input: a line they cannot read is a ``Garbled`` event.
"""

from __future__ import annotations

import abc
import datetime as dt
from typing import Protocol, runtime_checkable
from zoneinfo import ZoneInfo

from devices.events import Event, Garbled

MAX_LINE = 512  # a longer "line" is noise (a wrong baud rate prints no line ends): cut it off


@runtime_checkable
class Driver(Protocol):
    """What the device service needs of a driver."""

    name: str

    def init_commands(self) -> list[bytes]:
        """Bytes to write after the port opens, in order."""
        ...

    def feed(self, data: bytes, received_at: dt.datetime) -> list[Event]:
        """The events completed by ``data`` (``received_at``: naive UTC, when it was read)."""
        ...


def to_utc(local: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    """A naive local wall-clock time of the device → naive UTC."""
    return local.replace(tzinfo=tz).astimezone(dt.UTC).replace(tzinfo=None)


def from_utc(utc: dt.datetime, tz: ZoneInfo) -> dt.datetime:
    return utc.replace(tzinfo=dt.UTC).astimezone(tz).replace(tzinfo=None)


class LineDriver(abc.ABC):
    """Splits the byte stream on CR or LF and hands each non-empty line to ``feed_line``, which
    each line-based driver implements (an abstract method: a driver without it cannot be made)."""

    name = "line"
    encoding = "latin-1"  # PBX printers and modems speak bytes; latin-1 decodes any of them

    def __init__(self, timezone: str = "Asia/Tehran") -> None:
        self.tz = ZoneInfo(timezone)
        self._pending = b""

    def init_commands(self) -> list[bytes]:
        return []

    def feed(self, data: bytes, received_at: dt.datetime) -> list[Event]:
        events: list[Event] = []
        buf = self._pending + data
        *lines, self._pending = buf.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n")
        if len(self._pending) > MAX_LINE:
            lines.append(self._pending)
            self._pending = b""
        for raw_bytes in lines:
            line = raw_bytes.decode(self.encoding).rstrip()
            if not line.strip():
                continue
            if len(raw_bytes) > MAX_LINE:
                events.append(Garbled(line[:MAX_LINE], "line too long"))
                continue
            try:
                events.extend(self.feed_line(line, received_at))
            except Exception as exc:
                events.append(Garbled(line, f"driver error: {exc!r}"))
        return events

    @abc.abstractmethod
    def feed_line(self, line: str, received_at: dt.datetime) -> list[Event]:
        """The events of one line (a call record, a caller's number), or none."""
