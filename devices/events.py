"""What a device driver reports: typed, immutable events the device service hands to its sink.

Times are naive UTC (the database's convention); a driver converts the PBX's or modem's naive
local clock with the time zone it is configured with. Numbers are kept exactly as the device
printed them: matching them to partners is the application's business, not the driver's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Literal

Direction = Literal["incoming", "outgoing"]


@dataclass(frozen=True)
class CallStarted:
    """A line is ringing now (a caller-ID modem saw the number between two rings)."""

    direction: Direction
    number: str  # as given; "" when the device sent none, "P" private, "O" out of area
    started_at: dt.datetime  # naive UTC
    raw: str
    line: str = ""
    extension: str = ""
    name: str = ""
    # The device's own name for the call (Asterisk: the dialling channel's Uniqueid and the
    # extension rung), stable across a reconnect: the ringing and the record of one call share it.
    call_id: str = ""


@dataclass(frozen=True)
class CallRecord:
    """A finished call as the PBX recorded it (one SMDR line)."""

    direction: Direction
    number: str  # the caller's number (incoming) or the digits dialled (outgoing), as printed
    started_at: dt.datetime  # naive UTC
    raw: str
    line: str = ""  # the CO (trunk) line
    extension: str = ""
    ring_seconds: int | None = None
    duration_seconds: int = 0
    answered: bool = True
    account_code: str = ""
    condition: str = ""  # the PBX's condition code: TR transfer, FW forward, NA not answered, …
    call_id: str = ""  # as on CallStarted: the record completes the ringing call of the same id


@dataclass(frozen=True)
class Garbled:
    """A line the driver could not read; kept with its raw text for the status page."""

    raw: str
    reason: str


Event = CallStarted | CallRecord | Garbled
