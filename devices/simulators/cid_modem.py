"""A caller-ID modem on a pseudo-terminal: answers AT commands, rings with the caller's number.

Like a real modem it sends the number only after it was told to (``AT+VCID=1``); before that a
call is just ``RING``, and a power cycle (``replug``) forgets it. It answers ``OK`` to the
commands it knows and ``ERROR`` to ``AT#CID`` (a Conexant chipset), as real ones do.
"""

from __future__ import annotations

import datetime as dt

from devices.simulators.pty_device import PtyDevice


class CidModemSim(PtyDevice):
    def __init__(self, link: str | None = None) -> None:
        super().__init__(link)
        self.commands: list[str] = []
        self.caller_id = False
        self._heard = b""

    def plugged(self) -> None:
        self.caller_id = False
        self._heard = b""

    def ring(self, number: str, at: dt.datetime | None = None, name: str = "", rings: int = 2) -> None:
        at = at or dt.datetime.now()
        block = "\r\nRING\r\n"
        if self.caller_id:
            block += f"\r\nDATE = {at:%m%d}\r\nTIME = {at:%H%M}\r\nNMBR = {number}\r\n"
            if name:
                block += f"NAME = {name}\r\n"
        block += "\r\nRING\r\n" * (rings - 1)
        self.write(block.encode("latin-1"))

    def tick(self) -> None:
        self._heard += self.read_available()
        while b"\r" in self._heard:
            command, self._heard = self._heard.split(b"\r", 1)
            self._answer(command.decode("latin-1").strip())

    def _answer(self, command: str) -> None:
        if not command:
            return
        self.commands.append(command)
        upper = command.upper()
        if upper in ("AT+VCID=1", "AT+VCID=2"):
            self.caller_id = True
        answer = "ERROR" if upper.startswith("AT#CID") or not upper.startswith("AT") else "OK"
        self.write(f"\r\n{answer}\r\n".encode("latin-1"))
