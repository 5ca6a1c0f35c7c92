"""What card readers and scanners print, and what it is: shared by the Python tests of
``devices.scan_codes`` and the browser test of the same rules in ``kernel/static/kernel/scan.js``."""

from __future__ import annotations

PAN = "6037991234567890"
TRACK1 = f"%B{PAN}^REZAEI/ZAHRA               ^29051010000000000000?"
TRACK2 = f";{PAN}=29051010000000000?"

# (what the reader typed or printed, (code, format, name) or None for nothing readable)
CASES: list[tuple[str, tuple[str, str, str] | None]] = [
    (TRACK1, (PAN, "track1", "REZAEI/ZAHRA")),
    (TRACK2, (PAN, "track2", "")),
    (TRACK1 + TRACK2, (PAN, "track1", "REZAEI/ZAHRA")),  # both tracks of one swipe
    ("%B6037 9912 3456 7890^ ^2905?", (PAN, "track1", "")),  # a PAN printed in groups
    ("%E?" + TRACK2, (PAN, "track2", "")),  # track 1 unreadable, track 2 read
    ("%E?;E?", None),  # a swipe too fast: nothing read
    (";00420042?", ("00420042", "track2", "")),  # a club card coded on track 2 only
    ("%CLUB0042?", ("CLUB0042", "track1", "")),  # a club card's own text on track 1
    ("6260123456786", ("6260123456786", "ean13", "")),
    ("6260123456789", ("6260123456789", "code128", "")),  # 13 digits, wrong check digit
    ("4006381333931", ("4006381333931", "ean13", "")),
    ("96385074", ("96385074", "ean8", "")),
    ("036000291452", ("036000291452", "upca", "")),
    ("INV-1405/0042", ("INV-1405/0042", "code128", "")),
    ("  ", None),
]
