"""The drivers read the documented formats and never raise (docs/devices.md "Formats")."""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from devices.drivers.base import Driver
from devices.drivers.cid_modem import CidModem
from devices.drivers.panasonic_smdr import PanasonicSmdr, parse_line
from devices.events import CallRecord, CallStarted, Garbled
from devices.simulators.panasonic_pbx import HEADER, SEPARATOR, SimCall, format_record

NOW = dt.datetime(2026, 12, 7, 7, 0)
# The sample lines of devices/drivers/panasonic_smdr.py and docs/devices.md.
SAMPLE = f"""{SEPARATOR}
{HEADER}
{SEPARATOR}
12/07/26 10:29AM  101   01  <I>02188776655                  0'05 00:01'15
12/07/26 10:31AM  102   02  09121234567                          00:00'42 1234
12/07/26 10:35AM  103   01  <I>09351234567                  0'25 00:00'00            NA
12/07/26 02:05PM  104   03  <I>                             0'03 00:02'10            TR
"""


def records(text: str, driver: Driver | None = None) -> list[Any]:
    return (driver or PanasonicSmdr("Asia/Tehran")).feed(text.replace("\n", "\r\n").encode("latin-1"), NOW)


def fed(driver: Driver, data: bytes) -> list[Any]:
    return list(driver.feed(data, NOW))


def test_the_documented_smdr_lines_are_read_and_the_header_skipped():
    first, second, third, fourth = records(SAMPLE)
    # 10:29 in Tehran (UTC+03:30) is 06:59 UTC.
    assert first == CallRecord(direction="incoming", number="02188776655", started_at=dt.datetime(2026, 12, 7, 6, 59),
                               raw="12/07/26 10:29AM  101   01  <I>02188776655                  0'05 00:01'15",
                               line="01", extension="101", ring_seconds=5, duration_seconds=75, answered=True)
    assert (second.direction, second.number, second.extension, second.line) == ("outgoing", "09121234567", "102", "02")
    assert (second.ring_seconds, second.duration_seconds, second.account_code, second.answered) == (None, 42, "1234", True)
    assert (third.answered, third.condition, third.ring_seconds) == (False, "NA", 25)
    assert (fourth.number, fourth.condition, fourth.started_at) == ("", "TR", dt.datetime(2026, 12, 7, 10, 35))


def test_day_first_dates_24_hour_clocks_and_four_digit_years():
    dmy = PanasonicSmdr("Asia/Tehran", date_order="DMY")
    [call] = records("07/12/2026 14:05  201 05 09121234567 01:02'03\n", dmy)
    assert call.started_at == dt.datetime(2026, 12, 7, 10, 35)
    assert call.duration_seconds == 3723
    [end] = records("12/07/26 10:30AM 101 01 <I>88776655 0'05 00:01'00\n", PanasonicSmdr("UTC", time_is_end=True))
    assert end.started_at == dt.datetime(2026, 12, 7, 10, 29)


def test_a_missed_call_is_a_zero_length_incoming_record():
    [call] = records("12/07/26 10:35AM 103 01 <I>09351234567 0'25 00:00'00\n")
    assert call.answered is False
    [outgoing] = records("12/07/26 10:35AM 103 01 09351234567 00:00'00\n")
    assert outgoing.answered is True  # an outgoing record is a call the PBX connected


def test_garbled_lines_are_reported_with_their_text():
    bad = {
        "**/**/** **:**** 101 01 <I>0912 0'05 00:01'15": "clock was changed",
        "13/45/26 10:29AM 101 01 <I>0912 0'05 00:01'15": "impossible date",
        "12/07/26 13:29PM 101 01 <I>0912 0'05 00:01'15": "impossible time",
        "12/07/26 10:29AM 101 01 <I>0912 0'75 00:01'15": "impossible duration",
        "12/07/26 10:29AM 101 01 <I>0912 0'05 00:01'15 12 34 56": "not an SMDR call record",
        "12/07/26 10:29AM 101 01 <I>0912 0'05 00:01'15 ab!": "account code",
        "\x00\x7f garbage from a wrong baud rate \xfe": "not an SMDR call record",
    }
    for line, reason in bad.items():
        [event] = records(line + "\n")
        assert isinstance(event, Garbled), line
        assert event.raw == line and reason in event.reason


def test_a_line_split_across_reads_is_joined():
    driver = PanasonicSmdr("UTC")
    assert driver.feed(b"12/07/26 10:29AM  101   01  <I>0218877", NOW) == []
    [call] = fed(driver, b"6655  0'05 00:01'15\r\n")
    assert call.number == "02188776655"


def test_the_simulator_prints_what_the_parser_reads():
    for call in (SimCall("09121234567", dt.datetime(2026, 12, 7, 23, 59), ring_seconds=65, duration_seconds=3601),
                 SimCall("9#", dt.datetime(2026, 1, 2, 0, 1), "outgoing", "3001", "12", account_code="77",
                         condition="TR")):
        event = parse_line(format_record(call), "UTC")
        assert isinstance(event, CallRecord)
        assert event.started_at == call.at and event.extension == call.extension and event.line == call.line
        assert event.duration_seconds == call.duration_seconds
        assert event.number == call.number.rstrip("#")
        assert event.account_code == call.account_code and event.condition == call.condition


@settings(max_examples=300, deadline=None)
@given(st.lists(st.binary(max_size=700), max_size=6))
def test_no_bytes_make_a_driver_raise(chunks):
    for driver in (PanasonicSmdr("Asia/Tehran"), CidModem("Asia/Tehran")):
        for chunk in chunks:
            for event in driver.feed(chunk, NOW):
                assert isinstance(event, (CallRecord, CallStarted, Garbled))


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789/:' <>IAPMNTRFW*#\t", max_size=90))
def test_no_smdr_like_line_makes_the_parser_raise(line):
    event = parse_line(line, "Asia/Tehran")
    assert event is None or isinstance(event, (CallRecord, Garbled))


def test_the_modem_reports_the_number_between_the_rings():
    modem = CidModem("Asia/Tehran")
    assert modem.init_commands() == [b"ATZ\r", b"AT+VCID=1\r", b"AT#CID=1\r"]
    stream = b"AT+VCID=1\r\r\nOK\r\n\r\nRING\r\n\r\nDATE = 1207\r\nTIME = 1029\r\nNMBR = 09121234567\r\n\r\nRING\r\n"
    [call] = modem.feed(stream, NOW)
    assert call == CallStarted(direction="incoming", number="09121234567", started_at=NOW,
                               raw="DATE = 1207\nTIME = 1029\nNMBR = 09121234567")
    [private] = fed(modem, b"RING\r\nDATE=1207\r\nTIME=1030\r\nNMBR=P\r\n")
    assert private.number == "P"
    [out_of_area] = fed(modem, b"NMBR = o\r\n")
    assert out_of_area.number == "O"


def test_the_modem_reports_what_it_cannot_read():
    modem = CidModem("Asia/Tehran")
    [bad_number] = modem.feed(b"DATE = 1207\r\nNMBR = 0912-ABC\r\n", NOW)
    assert isinstance(bad_number, Garbled) and "NMBR = 0912-ABC" in bad_number.raw
    [noise] = modem.feed(b"\xff\xfeZZZ\r\n", NOW)
    assert isinstance(noise, Garbled) and noise.reason == "not a caller-ID modem line"
    assert modem.feed(b"OK\r\nERROR\r\nNO CARRIER\r\nRING\r\n", NOW) == []
