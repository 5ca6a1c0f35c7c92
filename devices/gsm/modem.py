"""What an SMS panel asks of a GSM modem: send a text (as one message or a concatenated one),
list what the SIM holds (received messages and delivery reports), delete what was stored, and
the state shown for diagnostics (PIN, signal, registration).

The port is opened with pyserial (``serial_for_url``, exclusive) for one job's use and closed
after it: one process talks to the modem at a time, and a port another process holds is
:data:`PORT_BUSY` (try later), a port that is not there :data:`PORT_MISSING`."""

from __future__ import annotations

import errno
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs

import serial

from devices.gsm import gsm7, pdu
from devices.gsm.at import NO_ANSWER, PIN_NEEDED, PIN_WRONG, AtChannel, AtError

PORT_MISSING = "The modem's port does not exist (is the modem plugged in?)"
PORT_BUSY = "The modem's port is in use by another program"
PORT_FAILED = "The modem's port could not be opened"
PART_ATTEMPTS, PART_PAUSE = 3, 1.0  # a later part of a long text refused for a passing reason
SEND_TIMEOUT = 60.0  # seconds for +CMGS: a network may take this long to accept a message
# Characters whose GSM-7 code is their ASCII code: such a text goes in text mode as it is typed
# (no '@' (00), '$' (02), '_' (11): in text mode those bytes would be read as control codes).
_TEXT_MODE = re.compile(r"[A-Za-z0-9 !\"#%&'()*+,\-./:;<=>?\n]*")


@dataclass(frozen=True)
class PortSettings:
    url: str  # /dev/ttyUSB0, /dev/pts/7, rfc2217://host:port … ; "?baud=9600" sets the speed
    pin: str | None = None
    baud: int = 115200

    @classmethod
    def parse(cls, address: str, pin: str | None = None) -> PortSettings:
        url, _, query = address.strip().partition("?")
        baud = parse_qs(query).get("baud", ["115200"])[0]
        if not baud.isdigit():
            raise ValueError("baud")
        return cls(url=url, pin=pin or None, baud=int(baud))


@dataclass(frozen=True)
class Stored:
    index: int
    message: pdu.Deliver | pdu.StatusReport


@dataclass(frozen=True)
class Diagnostics:
    pin: str  # READY, SIM PIN, …
    signal_dbm: int | None  # None: unknown (+CSQ 99)
    registration: str  # home, roaming, searching, denied, not registered
    model: str


_REGISTRATION = {0: "not registered", 1: "home", 2: "searching", 3: "denied", 5: "roaming"}


class Modem:
    def __init__(self, channel: AtChannel, pin: str | None) -> None:
        self.at = channel
        self.pin = pin
        self._mode: int | None = None

    def start(self) -> None:
        """The modem in a known state: no echo, numeric errors, the PIN given if asked,
        delivery reports kept on the SIM (read by the poll job, which may run later)."""
        for attempt in range(3):
            try:
                self.at.command("AT", timeout=2.0)
                break
            except AtError:
                if attempt == 2:
                    raise
        self.at.command("ATE0")
        self._optional("AT+CMEE=1")  # numeric +CME errors; a modem without it still says ERROR
        state = self.pin_state()
        if state == "SIM PIN":
            if not self.pin:
                raise AtError(PIN_NEEDED, "+CPIN: SIM PIN")
            self.at.command(f'AT+CPIN="{self.pin}"')
        elif state != "READY":
            raise AtError(PIN_WRONG if "PUK" in state else PIN_NEEDED, f"+CPIN: {state}", retry="PUK" not in state)
        # Reports kept on the SIM for the poll job; a modem that cannot store them (ds=2) is
        # asked to push them (+CDS, read while the port is open), else sends without reports.
        if not self._optional("AT+CNMI=2,1,0,2,0"):
            self._optional("AT+CNMI=2,1,0,1,0")

    def _optional(self, command: str) -> bool:
        try:
            self.at.command(command)
            return True
        except AtError as exc:
            if exc.reason == NO_ANSWER:
                raise
            return False

    def pin_state(self) -> str:
        lines = self.at.command("AT+CPIN?")
        return next((ln.split(":", 1)[1].strip() for ln in lines if ln.startswith("+CPIN:")), "")

    def _set_mode(self, mode: int) -> None:
        if self._mode != mode:
            self.at.command(f"AT+CMGF={mode}")
            self._mode = mode

    def send(self, number: str, text: str, ref: int) -> list[int]:
        """Send ``text`` to ``number`` (+98…) asking for delivery reports; the message reference
        of each part the network accepted (``+CMGS: <mr>``), in order. A short GSM-7 text goes in
        text mode; Persian (UCS-2) and any long text in PDU mode with a concatenation header.
        An error after some parts went raises :class:`PartlySent` with their references."""
        encoding, parts = pdu.split(text)
        if encoding == pdu.GSM and len(parts) == 1 and _TEXT_MODE.fullmatch(text):
            self._set_mode(1)
            self.at.command('AT+CSCS="GSM"')
            self.at.command("AT+CSMP=49,167,0,0")  # SMS-SUBMIT, 24 h validity, status report requested
            body = bytes(gsm7.to_septets(text))  # CSCS="GSM": one GSM-7 code an octet
            return [_mr(self.at.command_with_body(f'AT+CMGS="{number}"', body, timeout=SEND_TIMEOUT))]
        self._set_mode(0)
        sent: list[int] = []
        for hex_pdu, length in pdu.submits(number, text, ref):
            for attempt in range(PART_ATTEMPTS):
                try:
                    sent.append(_mr(self.at.command_with_body(f"AT+CMGS={length}", hex_pdu.encode("ascii"),
                                                              timeout=SEND_TIMEOUT)))
                    break
                except AtError as exc:
                    if not sent:
                        raise  # nothing went: the whole message may be tried later
                    if exc.maybe_sent or not exc.retry or attempt == PART_ATTEMPTS - 1:
                        raise PartlySent(sent, len(parts), exc) from exc
                    # A later part refused for a passing reason: the same part again (same
                    # reference) still joins the others on the phone; the whole text would not.
                    time.sleep(PART_PAUSE)
        return sent

    def stored(self) -> list[Stored]:
        """Every message the modem holds (``AT+CMGL=4``, PDU mode): received messages and
        delivery reports; what this driver cannot read is left alone."""
        self._set_mode(0)
        lines = self.at.command("AT+CMGL=4", timeout=20.0)
        out: list[Stored] = []
        for head, body in zip(lines, lines[1:], strict=False):
            m = re.match(r"^\+CMGL: *(\d+),", head)
            if not m:
                continue
            try:
                message = pdu.decode(body)
            except pdu.PduError:
                continue
            if isinstance(message, pdu.Deliver | pdu.StatusReport):
                out.append(Stored(int(m.group(1)), message))
        return out

    def unsolicited_reports(self) -> list[pdu.StatusReport]:
        """``+CDS`` reports the modem pushed while we had the port open."""
        out = []
        for line in self.at.unsolicited:
            try:
                message = pdu.decode(line.split(":", 1)[1])
            except pdu.PduError:
                continue
            if isinstance(message, pdu.StatusReport):
                out.append(message)
        return out

    def delete(self, index: int) -> None:
        self.at.command(f"AT+CMGD={index}")

    def diagnostics(self) -> Diagnostics:
        pin = self.pin_state()
        csq = _field(self.at.command("AT+CSQ"), "+CSQ:")
        rssi = int(csq.split(",")[0]) if csq and csq.split(",")[0].isdigit() else 99
        creg = _field(self.at.command("AT+CREG?"), "+CREG:")
        stat = int(creg.split(",")[1]) if creg.count(",") >= 1 and creg.split(",")[1].strip().isdigit() else 0
        try:
            model = " ".join(self.at.command("AT+CGMM"))
        except AtError:
            model = ""
        return Diagnostics(pin, None if rssi == 99 else -113 + 2 * rssi, _REGISTRATION.get(stat, "not registered"),
                           model)


class PartlySent(AtError):
    """Some parts of a long text went, then the modem refused one: resending would double them."""

    def __init__(self, sent: list[int], total: int, cause: AtError) -> None:
        super().__init__(cause.reason, cause.code, retry=False, per_message=True)
        self.sent, self.total = sent, total


def _mr(lines: list[str]) -> int:
    value = _field(lines, "+CMGS:")
    if not value.split(",")[0].strip().isdigit():
        raise AtError("The modem's answer has no message reference", " ".join(lines), retry=False)
    return int(value.split(",")[0])


def _field(lines: list[str], prefix: str) -> str:
    return next((ln[len(prefix):].strip() for ln in lines if ln.startswith(prefix)), "")


@contextmanager
def open_modem(settings: PortSettings, *, timeout: float = 5.0) -> Iterator[Modem]:
    """The modem on ``settings.url``, started, for the ``with`` block only."""
    try:
        port: Any = serial.serial_for_url(settings.url, baudrate=settings.baud, timeout=0.05, exclusive=True)
    except (serial.SerialException, OSError, ValueError) as exc:
        raise AtError(_open_reason(exc), str(exc)) from exc
    channel = AtChannel(port, timeout=timeout)
    try:
        modem = Modem(channel, settings.pin)
        modem.start()
        yield modem
    except (serial.SerialException, OSError) as exc:  # unplugged while in use
        # Unplugged after a message was handed over: it may have gone.
        raise AtError(PORT_FAILED, str(exc), maybe_sent=channel.in_flight) from exc
    finally:
        try:
            port.close()
        except (serial.SerialException, OSError):
            pass


def _open_reason(exc: Exception) -> str:
    code = getattr(exc, "errno", None)
    text = str(exc).lower()
    if code in (errno.ENOENT, errno.ENXIO, errno.ENODEV) or "no such file" in text:
        return PORT_MISSING
    if code in (errno.EAGAIN, errno.EBUSY, errno.EWOULDBLOCK) or "exclusively lock" in text or "busy" in text:
        return PORT_BUSY
    return PORT_FAILED
