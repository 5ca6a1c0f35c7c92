"""A barcode scanner in serial (USB virtual COM) mode on a pseudo-terminal: each code printed
with the suffix it is set to (CR by default, as most ship)."""

from __future__ import annotations

from devices.simulators.pty_device import PtyDevice


class BarcodeScannerSim(PtyDevice):
    def __init__(self, link: str | None = None, suffix: bytes = b"\r") -> None:
        super().__init__(link)
        self.suffix = suffix

    def scan(self, code: str) -> None:
        self.write(code.encode("latin-1") + self.suffix)
