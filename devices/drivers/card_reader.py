"""Magnetic card readers in serial (RS-232 or USB virtual COM) mode.

A swipe prints the tracks the reader decodes, sentinels included, ended by CR (or CR LF): both
on one line (``%B6037…^REZAEI/ZAHRA^2905…?;6037…=2905…?``) or each on its own line, depending
on the reader's setting. A swipe is one ``Scanned`` event: when track 2 follows on its own line
with the number track 1 already gave, it is the same swipe, not a second one. A track the reader
could not read (``%E?``, ``;E?``) or a line that is no track is ``Garbled``.
"""

from __future__ import annotations

import datetime as dt

from devices.drivers.base import LineDriver
from devices.events import Event, Garbled, Scanned
from devices.scan_codes import TRACK1, TRACK2, classify, is_track_data

SAME_SWIPE = dt.timedelta(seconds=1)  # track 2's line follows track 1's within milliseconds


class CardReader(LineDriver):
    name = "card_reader"

    def __init__(self, timezone: str = "Asia/Tehran") -> None:
        super().__init__(timezone)
        self._last: tuple[str, dt.datetime] | None = None

    def feed_line(self, line: str, received_at: dt.datetime) -> list[Event]:
        text = line.strip()
        reading = classify(text) if is_track_data(text) else None
        if reading is None or reading.format not in (TRACK1, TRACK2):
            return [Garbled(line, "not a card track (swipe the card again)")]
        last, self._last = self._last, (reading.code, received_at)
        if (reading.format == TRACK2 and last is not None and last[0] == reading.code
                and received_at - last[1] <= SAME_SWIPE):
            self._last = None  # a third line with the number again is a new swipe
            return []
        return [Scanned(reading.code, reading.format, text)]
