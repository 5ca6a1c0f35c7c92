"""What a card reader or barcode scanner read, told apart by its shape.

The same rules run in the browser for keyboard-wedge readers (``kernel/static/kernel/scan.js``);
keep the two in step (both are tested on the same examples).

- Magnetic track 1 (IATA, ISO/IEC 7813): ``%B<PAN>^<NAME>^<YYMM><service>…?`` — the code is
  the card number (PAN); a club card coded by its printer may carry any text between ``%`` and
  ``?`` (then the code is that text).
- Magnetic track 2 (ABA): ``;<PAN>=<YYMM><service>…?`` or just ``;<number>?`` — the code is the
  number before ``=``.
- A reader that prints both tracks of a swipe in one line: track 1 wins (it has the same PAN).
- EAN-13, EAN-8 and UPC-A: that many digits with a valid check digit.
- Code-128 (and any other symbology): anything else printable, as read.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

TRACK1, TRACK2, EAN13, EAN8, UPCA, CODE128 = "track1", "track2", "ean13", "ean8", "upca", "code128"
FORMATS = (TRACK1, TRACK2, EAN13, EAN8, UPCA, CODE128)

_SEGMENT = re.compile(r"[%;][^%;?]*\?")  # one track, start sentinel to end sentinel
_TRACK1_BANK = re.compile(r"^%[A-Z]([0-9 ]{1,19})\^([^^?]{0,40})\^[^?]*\?")
_TRACK1_TEXT = re.compile(r"^%([^%?^;]{1,76})\?")
_TRACK2 = re.compile(r"^;([0-9]{1,37})(?:=[0-9]*)?\?")
MAX_CODE = 200  # longer is noise, not a code


@dataclass(frozen=True)
class Reading:
    code: str  # what the reader identifies: a card number, a barcode
    format: str  # one of FORMATS
    name: str = ""  # the card holder's name on track 1 ("REZAEI/ZAHRA"), when there is one


def check_digit_ok(digits: str) -> bool:
    """The GS1 check digit (EAN-13, EAN-8, UPC-A): weights 3 and 1 from the right, before it."""
    if not digits.isascii() or not digits.isdigit() or len(digits) < 2:
        return False
    body = [int(d) for d in digits[:-1]]
    total = sum(d * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == int(digits[-1])


def is_track_data(text: str) -> bool:
    """Starts like a magnetic track (a card reader's output, read or not)."""
    return text.strip()[:1] in ("%", ";")


def _track(segments: list[str]) -> Reading | None:
    # A track the reader could not read comes as "%E?" or ";E?": the other track may still be good.
    for pattern, fmt in ((_TRACK1_BANK, TRACK1), (_TRACK2, TRACK2), (_TRACK1_TEXT, TRACK1)):
        for segment in segments:
            found = pattern.match(segment)
            if found and found[1].strip() != "E":
                if pattern is _TRACK1_BANK:
                    return Reading(found[1].replace(" ", ""), fmt, " ".join(found[2].split()))
                return Reading(found[1].strip(), fmt)
    return None


def classify(text: str) -> Reading | None:
    """The reading of one line or burst (sentinels included), or None for nothing readable
    (not printable, too long, or a card track the reader failed to read)."""
    raw = text.strip()
    if not raw or len(raw) > MAX_CODE * 2 or not raw.isprintable():
        return None
    if is_track_data(raw) and raw.endswith("?"):
        return _track(_SEGMENT.findall(raw))
    if len(raw) > MAX_CODE:
        return None
    if raw.isascii() and raw.isdigit() and check_digit_ok(raw):
        kind = {13: EAN13, 8: EAN8, 12: UPCA}.get(len(raw))
        if kind:
            return Reading(raw, kind)
    return Reading(raw, CODE128)
