"""Barcode scanners in serial mode (RS-232, or USB set to "virtual COM port" by scanning the
setting barcode in the scanner's manual): each code printed as text ended by CR, LF or CR LF.

Some scanners are set to frame a code with STX/ETX: those are dropped. A line that is not
printable text (a wrong baud rate) is ``Garbled``.
"""

from __future__ import annotations

import datetime as dt

from devices.drivers.base import LineDriver
from devices.events import Event, Garbled, Scanned
from devices.scan_codes import classify

FRAMING = "\x02\x03"  # STX, ETX


class BarcodeSerial(LineDriver):
    name = "barcode_serial"

    def feed_line(self, line: str, received_at: dt.datetime) -> list[Event]:
        text = line.strip().strip(FRAMING).strip()
        reading = classify(text)
        if reading is None:
            return [Garbled(line, "not a barcode (check the scanner's baud rate)")]
        return [Scanned(reading.code, reading.format, text)]
