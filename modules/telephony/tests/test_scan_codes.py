"""DEV-02 on the Python side: track 1/2, EAN and Code-128 told apart (the same examples as the
browser's scan.js), and the serial card reader's and barcode scanner's drivers fed in pieces."""

from __future__ import annotations

import datetime as dt

import pytest

from devices.drivers.barcode_serial import BarcodeSerial
from devices.drivers.card_reader import CardReader
from devices.events import Garbled, Scanned
from devices.scan_codes import check_digit_ok, classify
from modules.telephony.tests.scan_cases import CASES, PAN, TRACK1, TRACK2

T0 = dt.datetime(2026, 12, 7, 10, 0)


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_what_a_reader_printed_is_told_apart(text, expected):
    reading = classify(text)
    assert (None if reading is None else (reading.code, reading.format, reading.name)) == expected


def test_the_gs1_check_digit():
    assert check_digit_ok("6260123456786") and check_digit_ok("96385074") and check_digit_ok("036000291452")
    assert not check_digit_ok("6260123456781") and not check_digit_ok("۶۲۶۰۱۲۳۴۵۶۷۸۶") and not check_digit_ok("7")


def test_a_swipe_on_one_line_or_one_line_per_track_is_one_scan():
    reader = CardReader()
    # Both tracks on one line, arriving in three pieces as a serial port delivers them.
    line = (TRACK1 + TRACK2 + "\r\n").encode("latin-1")
    events = reader.feed(line[:10], T0) + reader.feed(line[10:40], T0) + reader.feed(line[40:], T0)
    assert events == [Scanned(PAN, "track1", TRACK1 + TRACK2)]
    # One line per track: track 2 repeats the number of the same swipe and is not a second scan.
    events = reader.feed((TRACK1 + "\r\n" + TRACK2 + "\r\n").encode("latin-1"), T0 + dt.timedelta(seconds=5))
    assert events == [Scanned(PAN, "track1", TRACK1)]
    # The same card swiped again a few seconds later is a new scan (a second item, a second visit).
    events = reader.feed((TRACK2 + "\r\n").encode("latin-1"), T0 + dt.timedelta(seconds=9))
    assert events == [Scanned(PAN, "track2", TRACK2)]


def test_a_bad_swipe_or_noise_on_a_card_reader_is_garbled_not_a_scan():
    reader = CardReader()
    events = reader.feed(b"%E?;E?\r\nHELLO\r\n6260123456786\r\n", T0)
    assert [type(e) for e in events] == [Garbled, Garbled, Garbled]
    assert events[0].raw == "%E?;E?"


def test_a_serial_barcode_scanner_with_cr_lf_or_stx_etx_framing():
    scanner = BarcodeSerial()
    events = scanner.feed(b"6260123456786\r", T0) + scanner.feed(b"\x02INV-1405/0042\x03\r\n", T0)
    events += scanner.feed(b"962\n", T0) + scanner.feed(b"\xff\xfe\x01\r", T0)
    assert events[:3] == [Scanned("6260123456786", "ean13", "6260123456786"),
                          Scanned("INV-1405/0042", "code128", "INV-1405/0042"),
                          Scanned("962", "code128", "962")]
    assert isinstance(events[3], Garbled)  # a wrong baud rate's bytes
