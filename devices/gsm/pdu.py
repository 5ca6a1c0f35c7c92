"""The PDUs a GSM modem exchanges in PDU mode (3GPP 23.040 §9.2.2): SMS-SUBMIT (what we send),
SMS-DELIVER (what we receive) and SMS-STATUS-REPORT (a delivery report), in the hex form of
``AT+CMGS``/``AT+CMGL`` with the service centre address in front (``00``: the SIM's own).

A long text is split the way marketing bills it (:mod:`modules.marketing.sms_parts`: 153 GSM-7
septets or 67 UCS-2 units a part) and each part carries a concatenation header (UDH IEI 00,
8-bit reference) so the phone joins them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from devices.gsm import gsm7

GSM, UCS2 = "gsm", "ucs2"
GSM_SINGLE, GSM_PART, UCS2_SINGLE, UCS2_PART = 160, 153, 70, 67  # as modules/marketing/sms_parts.py
VALIDITY_24H = 0xA7  # relative validity period (23.040 §9.2.3.12.1): 12 h + (167-143) × 30 min
SUBMIT_FO, SRR, UDHI, VPF_RELATIVE = 0x01, 0x20, 0x40, 0x10
TEHRAN = dt.timedelta(hours=3, minutes=30)


@dataclass(frozen=True)
class Concat:
    ref: int
    total: int
    seq: int


@dataclass(frozen=True)
class Submit:
    number: str
    text: str
    encoding: str
    concat: Concat | None
    status_report: bool
    mr: int


@dataclass(frozen=True)
class Deliver:
    sender: str
    text: str
    sent_at: dt.datetime  # the service centre's time stamp, naive UTC
    concat: Concat | None


@dataclass(frozen=True)
class StatusReport:
    mr: int
    recipient: str
    sent_at: dt.datetime
    done_at: dt.datetime
    status: int  # TP-ST (23.040 §9.2.3.15)

    @property
    def state(self) -> str:
        """delivered (0x00-0x1F), pending (0x20-0x3F: the centre still tries), failed (the rest)."""
        if self.status < 0x20:
            return "delivered"
        return "pending" if self.status < 0x40 else "failed"


# -- splitting ------------------------------------------------------------------------------------
def split(text: str) -> tuple[str, list[str]]:
    """The encoding and the parts of ``text``: one part up to 160/70, else 153/67 a part; an
    extension character's two septets, or a surrogate pair, is never cut in two."""
    if gsm7.encodable(text):
        if len(gsm7.to_septets(text)) <= GSM_SINGLE:
            return GSM, [text]
        return GSM, _cut(text, GSM_PART, lambda c: 2 if c in gsm7.EXTENSION else 1)
    if len(text.encode("utf-16-le")) // 2 <= UCS2_SINGLE:
        return UCS2, [text]
    return UCS2, _cut(text, UCS2_PART, lambda c: 2 if ord(c) > 0xFFFF else 1)


def _cut(text: str, size: int, width: Callable[[str], int]) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    used = 0
    for c in text:
        w = width(c)
        if used + w > size:
            parts.append("".join(current))
            current, used = [], 0
        current.append(c)
        used += w
    if current:
        parts.append("".join(current))
    return parts


# -- encoding -------------------------------------------------------------------------------------
def submits(number: str, text: str, ref: int, *, status_report: bool = True) -> list[tuple[str, int]]:
    """The SMS-SUBMIT PDUs of ``text`` to ``number``, each with the length ``AT+CMGS`` wants
    (the octets after the service centre address); ``ref`` joins the parts of a long text."""
    encoding, parts = split(text)
    return [submit(number, part, encoding, Concat(ref & 0xFF, len(parts), i + 1) if len(parts) > 1 else None,
                   status_report=status_report) for i, part in enumerate(parts)]


def submit(number: str, text: str, encoding: str, concat: Concat | None = None, *,
           status_report: bool = True, mr: int = 0, validity: int = VALIDITY_24H) -> tuple[str, int]:
    fo = SUBMIT_FO | VPF_RELATIVE | (SRR if status_report else 0) | (UDHI if concat else 0)
    tpdu = bytes([fo, mr & 0xFF]) + _address(number) + bytes([0x00, 0x08 if encoding == UCS2 else 0x00,
                                                             validity]) + _user_data(text, encoding, concat)
    return "00" + tpdu.hex().upper(), len(tpdu)


def deliver(sender: str, text: str, sent_at: dt.datetime, concat: Concat | None = None,
            smsc: str = "+989120000000") -> str:
    """An SMS-DELIVER as a modem lists it (the simulator's inbound messages, the tests)."""
    encoding = GSM if gsm7.encodable(text) else UCS2
    tpdu = (bytes([0x04 | (UDHI if concat else 0)]) + _address(sender)
            + bytes([0x00, 0x08 if encoding == UCS2 else 0x00]) + _scts(sent_at) + _user_data(text, encoding, concat))
    return (_smsc(smsc) + tpdu).hex().upper()


def status_report(mr: int, recipient: str, sent_at: dt.datetime, done_at: dt.datetime, status: int,
                  smsc: str = "+989120000000") -> str:
    tpdu = bytes([0x06, mr & 0xFF]) + _address(recipient) + _scts(sent_at) + _scts(done_at) + bytes([status])
    return (_smsc(smsc) + tpdu).hex().upper()


def _user_data(text: str, encoding: str, concat: Concat | None) -> bytes:
    udh = bytes([5, 0x00, 3, concat.ref, concat.total, concat.seq]) if concat else b""
    if encoding == UCS2:
        body = text.encode("utf-16-be")
        return bytes([len(udh) + len(body)]) + udh + body
    septets = gsm7.to_septets(text)
    fill = (7 - len(udh) * 8 % 7) % 7
    header_septets = (len(udh) * 8 + fill) // 7
    return bytes([header_septets + len(septets)]) + udh + gsm7.pack(septets, fill)


def _address(number: str) -> bytes:
    digits = number.lstrip("+")
    if digits.isdigit():
        toa = 0x91 if number.startswith("+") else 0x81
        return bytes([len(digits), toa]) + _semi_octets(digits)
    packed = gsm7.pack(gsm7.to_septets(number))  # an alphanumeric sender (an operator's name)
    return bytes([len(packed) * 2, 0xD0]) + packed


def _smsc(number: str) -> bytes:
    if not number:
        return b"\x00"
    digits = number.lstrip("+")
    body = bytes([0x91 if number.startswith("+") else 0x81]) + _semi_octets(digits)
    return bytes([len(body)]) + body


def _semi_octets(digits: str) -> bytes:
    if len(digits) % 2:
        digits += "F"
    return bytes.fromhex("".join(digits[i + 1] + digits[i] for i in range(0, len(digits), 2)))


def _scts(at: dt.datetime) -> bytes:
    local = at + TEHRAN  # naive UTC → Tehran's time, as an Iranian centre stamps it
    quarters = int(TEHRAN.total_seconds() // 900)
    fields = [local.year % 100, local.month, local.day, local.hour, local.minute, local.second]
    swapped = "".join(f"{v:02d}"[::-1] for v in fields) + f"{quarters:02d}"[::-1]
    return bytes.fromhex(swapped)


# -- decoding -------------------------------------------------------------------------------------
class PduError(ValueError):
    """Not a PDU this driver understands."""


class _Reader:
    def __init__(self, data: bytes) -> None:
        self.data, self.at = data, 0

    def take(self, n: int) -> bytes:
        if self.at + n > len(self.data):
            raise PduError("the PDU ends early")
        chunk = self.data[self.at:self.at + n]
        self.at += n
        return chunk

    def byte(self) -> int:
        return self.take(1)[0]


def decode(pdu_hex: str, *, with_smsc: bool = True) -> Submit | Deliver | StatusReport:
    try:
        r = _Reader(bytes.fromhex(pdu_hex.strip()))
    except ValueError as exc:
        raise PduError("not hexadecimal") from exc
    if with_smsc:
        r.take(r.byte())
    fo = r.byte()
    mti = fo & 0x03
    if mti == 0x00:
        sender = _read_address(r)
        r.byte()  # PID
        dcs = r.byte()
        sent_at = _read_scts(r)
        text, concat = _read_user_data(r, dcs, bool(fo & UDHI))
        return Deliver(sender, text, sent_at, concat)
    if mti == 0x01:
        mr = r.byte()
        number = _read_address(r)
        r.byte()  # PID
        dcs = r.byte()
        vpf = (fo >> 3) & 0x03
        r.take({0: 0, 2: 1}.get(vpf, 7))
        text, concat = _read_user_data(r, dcs, bool(fo & UDHI))
        return Submit(number, text, UCS2 if _alphabet(dcs) == UCS2 else GSM, concat, bool(fo & SRR), mr)
    if mti == 0x02:
        mr = r.byte()
        recipient = _read_address(r)
        sent_at, done_at = _read_scts(r), _read_scts(r)
        return StatusReport(mr, recipient, sent_at, done_at, r.byte())
    raise PduError(f"message type {mti} is not one this driver reads")


def _read_address(r: _Reader) -> str:
    length, toa = r.byte(), r.byte()
    raw = r.take((length + 1) // 2)
    if toa & 0x70 == 0x50:  # alphanumeric (23.040 §9.1.2.5)
        return gsm7.from_septets(gsm7.unpack(raw, length * 4 // 7))
    digits = "".join(f"{b:02X}"[::-1] for b in raw)[:length]
    return ("+" if toa & 0x70 == 0x10 else "") + digits


def _read_scts(r: _Reader) -> dt.datetime:
    raw = r.take(7)
    v = [int(f"{b:02X}"[::-1]) if (b & 0x0F) < 10 and (b >> 4) < 10 else 0 for b in raw[:6]]
    tz_octet = int(f"{raw[6] & 0xF7:02X}"[::-1])
    offset = dt.timedelta(minutes=15 * tz_octet) * (-1 if raw[6] & 0x08 else 1)
    try:
        local = dt.datetime((1900 if v[0] >= 90 else 2000) + v[0], v[1], v[2], v[3], v[4], v[5])
    except ValueError as exc:
        raise PduError("the time stamp is not a date") from exc
    return local - offset


def _alphabet(dcs: int) -> str:
    if dcs & 0xC0 == 0x00:
        return {0: GSM, 1: "8bit", 2: UCS2}.get((dcs >> 2) & 0x03, GSM)
    if dcs & 0xF0 == 0xF0:
        return "8bit" if dcs & 0x04 else GSM
    if dcs & 0xF0 == 0xE0:
        return UCS2
    return GSM


def _read_user_data(r: _Reader, dcs: int, has_header: bool) -> tuple[str, Concat | None]:
    udl = r.byte()
    alphabet = _alphabet(dcs)
    rest = r.data[r.at:]
    concat: Concat | None = None
    header_octets = 0
    if has_header and rest:
        header_octets = rest[0] + 1
        concat = _concat(rest[1:header_octets])
    if alphabet == GSM:
        fill = (7 - header_octets * 8 % 7) % 7 if header_octets else 0
        skip = (header_octets * 8 + fill) // 7
        septets = gsm7.unpack(rest[header_octets:], udl - skip, fill)
        return gsm7.from_septets(septets), concat
    body = rest[header_octets:udl]
    if alphabet == UCS2:
        return body.decode("utf-16-be", "replace"), concat
    return body.decode("latin-1"), concat


def _concat(header: bytes) -> Concat | None:
    i = 0
    while i + 1 < len(header):
        iei, length = header[i], header[i + 1]
        data = header[i + 2:i + 2 + length]
        if iei == 0x00 and length == 3:
            return Concat(data[0], data[1], data[2])
        if iei == 0x08 and length == 4:
            return Concat((data[0] << 8) | data[1], data[2], data[3])
        i += 2 + length
    return None
