"""A device's end of a serial cable, on a pseudo-terminal.

``os.openpty()`` gives a pair: the simulator writes what the device would print into the
master; the application opens the slave's path (``/dev/pts/N``) with pyserial as if it were
``/dev/ttyUSB0``. ``link`` gives a stable path (a symlink to the current pty), so ``unplug()``
(the pty closed, the link removed: the device node is gone) then ``replug()`` (a new pty, as a
USB adapter gets a new node) is seen by the application as the same port going away and coming
back.

Like a PBX printing SMDR to a printer that is off, the simulator prints only while someone has
the port open: until then (and while unplugged) lines wait in order and are printed once the
reader has configured the port and kept it open for ``settle`` seconds (pyserial empties the
input buffer while it opens a port; a real PBX starts printing when the far side raises DTR).
"""

from __future__ import annotations

import os
import select
import termios
import threading
import time
from pathlib import Path
from typing import Self


class PtyDevice:
    settle = 0.3

    def __init__(self, link: str | Path | None = None) -> None:
        self.link = Path(link) if link else None
        self._master: int | None = None
        self._slave_name = ""
        self._lock = threading.RLock()
        self._backlog: list[bytes] = []
        self._listening_since: float | None = None
        self._stopped = threading.Event()
        self._pump: threading.Thread | None = None

    # -- the cable ---------------------------------------------------------------------------
    def start(self) -> Self:
        self._plug()
        self._pump = threading.Thread(target=self._run, name=f"{type(self).__name__}-pump", daemon=True)
        self._pump.start()
        return self

    @property
    def path(self) -> str:
        """The path the application opens (the link when there is one)."""
        return str(self.link) if self.link else self._slave_name

    def unplug(self) -> None:
        with self._lock:
            if self._master is not None:
                os.close(self._master)
            self._master = None
            self._listening_since = None
            if self.link and self.link.is_symlink():
                self.link.unlink()

    def replug(self) -> None:
        self._plug()

    def close(self) -> None:
        self._stopped.set()
        if self._pump is not None:
            self._pump.join(2)
        self.unplug()

    def _plug(self) -> None:
        master, slave = os.openpty()
        name = os.ttyname(slave)
        os.close(slave)  # the application's open is the only one: its close is seen here
        with self._lock:
            self._master, self._slave_name = master, name
            self._listening_since = None
            if self.link:
                tmp = self.link.with_name(self.link.name + ".new")
                if tmp.is_symlink() or tmp.exists():
                    tmp.unlink()
                tmp.symlink_to(name)
                os.replace(tmp, self.link)  # atomic: the application sees the old or the new pty
        self.plugged()

    def plugged(self) -> None:
        """Called after each (re)plug; a device prints its banner here."""

    # -- the wire ----------------------------------------------------------------------------
    def write(self, data: bytes) -> None:
        """What the device prints: sent when a reader listens, in order."""
        with self._lock:
            self._backlog.append(data)
            self._flush()

    def listening(self) -> bool:
        """Someone has the port open (the master is not hung up)."""
        with self._lock:
            if self._master is None:
                return False
            poll = select.poll()
            poll.register(self._master, select.POLLHUP)
            hung_up = any(ev & select.POLLHUP for _, ev in poll.poll(0))
            if hung_up:
                self._listening_since = None
            elif self._listening_since is None:
                self._listening_since = time.monotonic()
            return not hung_up

    def _flush(self) -> None:
        if not self._backlog or not self.listening() or self._master is None:
            return
        if self._listening_since is None:
            return
        listened = time.monotonic() - self._listening_since
        # pyserial configures the port (raw mode) and then empties its input: print once the
        # reader is configured and settled, or after a while for a reader that never configures.
        configured = not termios.tcgetattr(self._master)[3] & termios.ICANON
        if listened < self.settle or (not configured and listened < 2.0):
            return
        while self._backlog:
            os.write(self._master, self._backlog[0])
            self._backlog.pop(0)

    def _run(self) -> None:
        while not self._stopped.wait(0.02):
            try:
                with self._lock:
                    self._flush()
                self.tick()
            except OSError:
                continue  # unplugged under our feet: the next plug starts again

    def drain(self, timeout: float = 5.0) -> bool:
        """Wait until everything printed was written into the pty (or ``timeout``); answers whether
        it was. The reader may not have read it yet: closing the pty right after loses the rest."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if not self._backlog:
                    return True
            time.sleep(0.02)
        return False

    def tick(self) -> None:
        """Called every 20 ms by the pump; a device that answers commands reads them here."""

    def read_available(self) -> bytes:
        with self._lock:
            if self._master is None or not self.listening():
                return b""
            ready, _, _ = select.select([self._master], [], [], 0)
            return os.read(self._master, 1024) if ready else b""

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.close()
