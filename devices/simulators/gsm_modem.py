"""A GSM modem on a pseudo-terminal: a SIM, a network and a phone at the other end, enough to
send, receive and be told of deliveries through the same AT commands a USB modem (SIM800,
Huawei E173, Quectel EC25…) answers.

It answers AT, ATE0/ATE1, AT+CMEE, AT+CMGF, AT+CSCS, AT+CSMP, AT+CNMI, AT+CPIN?/AT+CPIN=,
AT+CSQ, AT+CREG?, AT+CGMM, AT+CMGS (text and PDU, after a ``> `` prompt, ended by Ctrl-Z,
cancelled by ESC), AT+CMGL/AT+CMGR/AT+CMGD. What was sent is kept in :attr:`sent` (decoded) for
the tests; :meth:`inject` puts a received message (split into parts like a phone sends a long
one) on the SIM, :meth:`report` a delivery report for a sent part, :meth:`fail_next` answers
the next send with ``+CMS ERROR: n``, :meth:`mute_next` takes the next message and never
answers (a modem that hangs after sending); ``unplug``/``replug`` come from :class:`PtyDevice`.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from dataclasses import dataclass, field

from devices.gsm import gsm7, pdu
from devices.simulators.pty_device import PtyDevice


@dataclass
class SentPart:
    mr: int
    number: str
    text: str
    mode: str  # "text" | "pdu"
    encoding: str  # "gsm" | "ucs2"
    concat: pdu.Concat | None
    status_report: bool
    at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC).replace(tzinfo=None))


class GsmModemSim(PtyDevice):
    settle = 0.1

    def __init__(self, link: str | None = None, pin: str | None = None, *, stores_reports: bool = True) -> None:
        super().__init__(link)
        self.pin = pin
        # A modem that cannot keep status reports on the SIM (AT+CNMI ds=2 refused) pushes
        # them as +CDS instead.
        self.stores_reports = stores_reports
        self.unlocked = pin is None
        self.sent: list[SentPart] = []
        self.commands: list[str] = []
        self.storage: dict[int, tuple[int, str]] = {}  # index → (stat, PDU hex)
        self.signal, self.registered = 21, 1
        self._lock_state = threading.Lock()
        self._echo, self._mode, self._csmp_fo = True, 0, 17
        self._heard = b""
        self._body_for: str | None = None
        self._next_mr, self._next_index, self._next_ref = 0, 1, 0
        self._fail: list[int] = []
        self._mute: list[int] = []  # answered sends to let through before each silence

    # -- what a test does ------------------------------------------------------------------------
    def plugged(self) -> None:
        self._echo, self._mode, self._heard, self._body_for = True, 0, b"", None
        self.unlocked = self.pin is None

    def inject(self, sender: str, text: str, at: dt.datetime | None = None) -> list[int]:
        """A message from ``sender`` reaches the SIM (a long one in parts); its storage indexes."""
        at = at or dt.datetime.now(dt.UTC).replace(tzinfo=None).replace(microsecond=0)
        _, parts = pdu.split(text)
        with self._lock_state:
            self._next_ref = (self._next_ref + 1) % 256
            ref = self._next_ref
            return [self._store(0, pdu.deliver(sender, part, at, pdu.Concat(ref, len(parts), i + 1)
                                               if len(parts) > 1 else None)) for i, part in enumerate(parts)]

    def report(self, mr: int, status: int = 0x00, *, unsolicited: bool = False) -> int | None:
        """The network reports the part sent with message reference ``mr`` (0: delivered,
        0x41+: failed): stored on the SIM as ``AT+CNMI=…,2`` asks (its index), or, as a modem
        set otherwise does, pushed as ``+CDS: <length>`` and the PDU to whoever opens the port next."""
        part = next(p for p in self.sent if p.mr == mr)
        now = dt.datetime.now(dt.UTC).replace(tzinfo=None, microsecond=0)
        hex_pdu = pdu.status_report(mr, part.number, part.at.replace(microsecond=0), now, status)
        if unsolicited or not self.stores_reports:
            self.write(f"\r\n+CDS: {_tpdu_length(hex_pdu)}\r\n{hex_pdu}\r\n".encode("ascii"))
            return None
        with self._lock_state:
            return self._store(0, hex_pdu)

    def fail_next(self, code: int, times: int = 1, after: int = 0) -> None:
        """Answer ``+CMS ERROR: code`` to ``times`` sends, once ``after`` more have gone."""
        self._fail.extend([0] * after + [code] * times)

    def mute_next(self, after: int = 0) -> None:
        """Take a message and never answer, once ``after`` more sends were answered."""
        self._mute.append(after)

    def _store(self, stat: int, hex_pdu: str) -> int:
        index = self._next_index
        self._next_index += 1
        self.storage[index] = (stat, hex_pdu)
        return index

    # -- the wire ----------------------------------------------------------------------------------
    def tick(self) -> None:
        self._heard += self.read_available()
        while True:
            if self._body_for is not None:
                end = re.search(b"[\x1a\x1b]", self._heard)
                if not end:
                    return
                body, mark, self._heard = self._heard[:end.start()], self._heard[end.start():end.start() + 1], \
                    self._heard[end.start() + 1:]
                command, self._body_for = self._body_for, None
                if mark == b"\x1a":
                    self._submit(command, body)
                else:
                    self._say("OK")
                continue
            if b"\r" not in self._heard:
                return
            raw, self._heard = self._heard.split(b"\r", 1)
            line = raw.decode("latin-1").strip()
            if line:
                self._command(line)

    def _say(self, *lines: str) -> None:
        self.write("".join(f"\r\n{ln}\r\n" for ln in lines).encode("latin-1"))

    def _command(self, line: str) -> None:
        self.commands.append(line)
        if self._echo:
            self.write(line.encode("latin-1") + b"\r")
        up = line.upper()
        if up == "AT+CNMI=2,1,0,2,0" and not self.stores_reports:
            self._say("+CMS ERROR: 303")
        elif up in ("AT", "AT+CMEE=1") or up.startswith(("AT+CSCS=", "AT+CNMI=")):
            self._say("OK")
        elif up in ("ATE0", "ATE1"):
            self._echo = up == "ATE1"
            self._say("OK")
        elif up.startswith("AT+CSMP="):
            self._csmp_fo = int(up.split("=")[1].split(",")[0])
            self._say("OK")
        elif up in ("AT+CMGF=0", "AT+CMGF=1"):
            self._mode = int(up[-1])
            self._say("OK")
        elif up == "AT+CPIN?":
            self._say(f"+CPIN: {'READY' if self.unlocked else 'SIM PIN'}", "OK")
        elif up.startswith("AT+CPIN="):
            given = line.split("=", 1)[1].strip('"')
            self.unlocked = self.unlocked or given == self.pin
            self._say("OK" if self.unlocked else "+CME ERROR: 16")
        elif up == "AT+CSQ":
            self._say(f"+CSQ: {self.signal},0", "OK")
        elif up == "AT+CREG?":
            self._say(f"+CREG: 0,{self.registered}", "OK")
        elif up == "AT+CGMM":
            self._say("PEYVAND-SIM800", "OK")
        elif not self.unlocked and up.startswith(("AT+CMGS", "AT+CMGL", "AT+CMGR", "AT+CMGD")):
            self._say("+CMS ERROR: 311")
        elif up.startswith("AT+CMGS"):
            self._body_for = line
            self.write(b"\r\n> ")
        elif up.startswith("AT+CMGL"):
            self._list()
        elif up.startswith("AT+CMGR="):
            self._read(int(up.split("=")[1]))
        elif up.startswith("AT+CMGD="):
            index = int(up.split("=")[1].split(",")[0])
            with self._lock_state:
                found = self.storage.pop(index, None)
            self._say("OK" if found else "+CMS ERROR: 321")
        else:
            self._say("ERROR")

    def _list(self) -> None:
        if self._mode != 0:
            self._say("+CMS ERROR: 302")  # this simulator lists in PDU mode only, as the driver asks
            return
        out: list[str] = []
        with self._lock_state:
            for index, (stat, hex_pdu) in sorted(self.storage.items()):
                out += [f"+CMGL: {index},{stat},,{_tpdu_length(hex_pdu)}", hex_pdu]
                self.storage[index] = (1 if stat == 0 else stat, hex_pdu)  # now read
        self._say(*out, "OK")

    def _read(self, index: int) -> None:
        with self._lock_state:
            found = self.storage.get(index)
        if found is None:
            self._say("+CMS ERROR: 321")
            return
        stat, hex_pdu = found
        self._say(f"+CMGR: {stat},,{_tpdu_length(hex_pdu)}", hex_pdu, "OK")

    def _submit(self, command: str, body: bytes) -> None:
        if self._mute and self._mute[0] == 0:
            self._mute.pop(0)
            self._record(command, body)  # it went out; the answer is lost
            return
        if self._mute:
            self._mute[0] -= 1
        code = self._fail.pop(0) if self._fail else 0
        if code:
            self._say(f"+CMS ERROR: {code}")
            return
        try:
            mr = self._record(command, body)
        except (ValueError, IndexError):
            self._say("+CMS ERROR: 304")
            return
        self._say(f"+CMGS: {mr}", "OK")

    def _record(self, command: str, body: bytes) -> int:
        self._next_mr = (self._next_mr + 1) % 256
        if self._mode == 1:
            number = command.split("=", 1)[1].strip('"')
            text = gsm7.from_septets(list(body))
            part = SentPart(self._next_mr, number, text, "text", pdu.GSM, None, bool(self._csmp_fo & 0x20))
        else:
            submit = pdu.decode(body.decode("ascii").strip())
            if not isinstance(submit, pdu.Submit) or int(command.split("=")[1]) != _tpdu_length(body.decode()):
                raise ValueError("not an SMS-SUBMIT of the announced length")
            part = SentPart(self._next_mr, submit.number, submit.text, "pdu", submit.encoding, submit.concat,
                            submit.status_report)
        self.sent.append(part)
        return part.mr

    # -- reading what was sent -----------------------------------------------------------------------
    def messages(self) -> list[tuple[str, str]]:
        """(number, text) of each message sent, a long one's parts joined in order."""
        out: list[tuple[str, str]] = []
        groups: dict[tuple[str, int], list[SentPart]] = {}
        for p in self.sent:
            if p.concat is None:
                out.append((p.number, p.text))
                continue
            key = (p.number, p.concat.ref)
            groups.setdefault(key, []).append(p)
            if len(groups[key]) == p.concat.total:
                parts = sorted(groups.pop(key), key=lambda q: q.concat.seq if q.concat else 0)
                out.append((p.number, "".join(q.text for q in parts)))
        return out


def _tpdu_length(hex_pdu: str) -> int:
    data = bytes.fromhex(hex_pdu.strip())
    return len(data) - 1 - data[0]
