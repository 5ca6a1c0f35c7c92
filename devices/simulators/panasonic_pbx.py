"""A Panasonic KX-TDA printing SMDR lines on a pseudo-terminal, for the calls it is given.

Lines are laid out as a KX-TDA prints them (see ``devices.drivers.panasonic_smdr``): a header
at start and after each replug (kept until a reader listens), then one line per call, CR LF at the ends.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from devices.simulators.pty_device import PtyDevice

SEPARATOR = "-" * 98
HEADER = " Date     Time    Ext   CO  Dial Number                      Ring Duration  Acc code  CD"


@dataclass(frozen=True)
class SimCall:
    number: str  # the caller's number (incoming, "" for none) or the digits dialled
    at: dt.datetime  # the PBX's local clock
    direction: str = "incoming"
    extension: str = "101"
    line: str = "01"
    ring_seconds: int = 5
    duration_seconds: int = 60
    account_code: str = ""
    condition: str = ""


def format_record(call: SimCall, date_order: str = "MDY") -> str:
    date = call.at.strftime("%m/%d/%y" if date_order == "MDY" else "%d/%m/%y")
    time = call.at.strftime("%I:%M%p")
    dial = f"<I>{call.number}" if call.direction == "incoming" else call.number
    ring = f"{call.ring_seconds // 60}'{call.ring_seconds % 60:02d}" if call.direction == "incoming" else ""
    hours, rest = divmod(call.duration_seconds, 3600)
    duration = f"{hours:02d}:{rest // 60:02d}'{rest % 60:02d}"
    return (f"{date} {time}  {call.extension:<5} {call.line:<3} {dial:<32} {ring:>4} {duration}  "
            f"{call.account_code:<9} {call.condition}").rstrip()


class PanasonicPbx(PtyDevice):
    def __init__(self, link: str | None = None, date_order: str = "MDY") -> None:
        super().__init__(link)
        self.date_order = date_order
        self.printed: list[str] = []

    def plugged(self) -> None:
        self.print_line(SEPARATOR)
        self.print_line(HEADER)
        self.print_line(SEPARATOR)

    def print_line(self, text: str) -> None:
        self.write(text.encode("latin-1") + b"\r\n")

    def call(self, call: SimCall) -> str:
        """Print the record of one finished call; answers the line printed."""
        line = format_record(call, self.date_order)
        self.printed.append(line)
        self.print_line(line)
        return line
