"""One AT command and its answer (3GPP 27.007 §4, 27.005 §3): the command goes out with CR,
lines come back until a final result code — ``OK``, ``ERROR``, ``+CME ERROR: n`` (the phone,
27.007 §9.2) or ``+CMS ERROR: n`` (the SMS service, 27.005 §3.2.5) — or a time limit passes.
An error becomes :class:`AtError` with a reason a user can read (an English msgid, translated
in marketing's catalogue) and whether trying again later may help. Unsolicited lines that
arrive meanwhile (``+CDS:`` status reports) are kept aside, not taken for the answer."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

CTRL_Z, ESC = b"\x1a", b"\x1b"
_FINAL = re.compile(r"^(OK|ERROR|\+CME ERROR: *(.*)|\+CMS ERROR: *(.*)|NO CARRIER)$")

# 27.005 §3.2.5 and the 24.011/23.040 causes a network passes through (+CMS ERROR: 0…127).
RECIPIENT_REFUSED = "The operator refused this recipient"
BARRED = "The operator refused to send from this SIM (barred or out of credit)"
NO_SIM = "The modem has no working SIM card"
PIN_NEEDED = "The SIM card asks for its PIN: enter it in the panel's password"
PIN_WRONG = "The SIM card refused the PIN"
NO_NETWORK = "The modem is not registered on the network"
NETWORK_BUSY = "The network is busy"
MODEM_FAILED = "The modem reported an error"
NO_ANSWER = "The modem did not answer in time"
INVALID = "The modem refused the message's format"

_CMS: dict[int, tuple[str, bool]] = {
    **dict.fromkeys((1, 21, 27, 28, 29, 30, 96, 98, 99), (RECIPIENT_REFUSED, False)),
    **dict.fromkeys((8, 10, 50), (BARRED, False)),
    **dict.fromkeys((38, 41, 42, 47, 332), (NETWORK_BUSY, True)),
    **dict.fromkeys((304, 305, 95, 97), (INVALID, False)),
    **dict.fromkeys((310, 313, 315), (NO_SIM, True)),
    **dict.fromkeys((311, 312), (PIN_NEEDED, True)),
    **dict.fromkeys((316, 317, 318), (PIN_WRONG, False)),
    **dict.fromkeys((330, 331), (NO_NETWORK, True)),
}
_CME: dict[int, tuple[str, bool]] = {
    10: (NO_SIM, True), 13: (NO_SIM, True), 15: (NO_SIM, True), 11: (PIN_NEEDED, True), 12: (PIN_WRONG, False),
    16: (PIN_WRONG, False), 30: (NO_NETWORK, True), 31: (NO_NETWORK, True),
}


@dataclass
class AtError(Exception):
    reason: str  # an English msgid
    code: str = ""  # what the modem said, shown beside the reason
    retry: bool = True
    per_message: bool = False  # about this recipient or text only: the next message may go
    maybe_sent: bool = False  # the message was handed over and the answer lost: it may have gone

    def __str__(self) -> str:
        return f"{self.reason} ({self.code})" if self.code else self.reason


def error_of(line: str) -> AtError:
    """The :class:`AtError` a final error line means."""
    m = re.match(r"^\+(CMS|CME) ERROR: *(\d+)", line)
    if not m:
        return AtError(MODEM_FAILED, line)
    code = int(m.group(2))
    table = _CMS if m.group(1) == "CMS" else _CME
    reason, retry = table.get(code, (MODEM_FAILED, True))
    return AtError(reason, line, retry=retry, per_message=reason in (RECIPIENT_REFUSED, INVALID))


@dataclass
class AtChannel:
    """Commands and answers over an open pyserial port (``timeout`` set small: reads poll)."""

    port: Any
    timeout: float = 5.0
    unsolicited: list[str] = field(default_factory=list)
    in_flight: bool = False  # a message was handed over and its answer not read yet
    _buffer: bytes = b""

    def command(self, command: str, *, timeout: float | None = None) -> list[str]:
        """Send ``command``; the answer's lines (without the echo and the final ``OK``)."""
        self.port.write(command.encode("ascii") + b"\r")
        return self._answer(command, timeout or self.timeout)

    def command_with_body(self, command: str, body: bytes, *, timeout: float) -> list[str]:
        """``AT+CMGS``: the command, the modem's ``> `` prompt, then the body and Ctrl-Z."""
        self.port.write(command.encode("ascii") + b"\r")
        deadline = time.monotonic() + self.timeout
        while b">" not in self._buffer:
            while (line := self._line()) is not None:
                if _FINAL.match(line):
                    raise error_of(line)
            if time.monotonic() > deadline:
                self.port.write(ESC)  # leave the prompt: nothing was sent
                raise AtError(NO_ANSWER, f"{command}: no prompt")
            self._read()
        self._buffer = self._buffer[self._buffer.index(b">") + 1:].lstrip(b" ")
        self.port.write(body + CTRL_Z)
        self.in_flight = True
        try:
            return self._answer(command, timeout)
        except AtError as exc:
            exc.maybe_sent = exc.reason == NO_ANSWER
            raise
        finally:
            self.in_flight = False

    def _answer(self, command: str, timeout: float) -> list[str]:
        deadline = time.monotonic() + timeout
        out: list[str] = []
        expecting_pdu = False
        while True:
            while (line := self._line()) is not None:
                if expecting_pdu:  # the PDU line after "+CDS: <length>"
                    self.unsolicited.append(f"+CDS:{line}")
                    expecting_pdu = False
                elif line.startswith("+CDS:"):
                    expecting_pdu = True
                elif line.startswith(("+CDSI:", "+CMTI:", "RING")) or line == command:
                    continue  # an indication or our own echo
                elif _FINAL.match(line):
                    if line == "OK":
                        return out
                    raise error_of(line)
                else:
                    out.append(line)
            if time.monotonic() > deadline:
                raise AtError(NO_ANSWER, command)
            self._read()

    def _read(self) -> None:
        chunk = self.port.read(self.port.in_waiting or 1)
        self._buffer += chunk

    def _line(self) -> str | None:
        """The next complete, non-empty line; None until one has arrived."""
        while b"\n" in self._buffer:
            raw, self._buffer = self._buffer.split(b"\n", 1)
            text = raw.decode("latin-1").strip()
            if text:
                return text
        return None
