"""What the device service is told about one device, and what it hands the device's link."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from devices.drivers.base import Driver
from devices.events import Event


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


@dataclass
class DeviceSpec:
    key: Any  # the application's id of the device
    url: str
    make_driver: Callable[[], Driver]  # a fresh driver for each open (no half line survives a replug)
    baudrate: int = 9600
    parity: str = "N"  # N, E, O, M, S
    bytesize: int = 8
    stopbits: float = 1
    fingerprint: Any = None  # anything else that, when it changes, means "reopen" (the driver, an edit time)
    link: str = "serial"  # how the device is reached: a key of devices.links.links()
    username: str = ""  # a network link's login (Asterisk's manager user)
    secret: str = field(default="", repr=False)  # never in a log line or a repr

    def same_setup(self, other: DeviceSpec) -> bool:
        # The login too: a new secret is set on its own page, which is no edit of the device's row.
        return ((self.url, self.baudrate, self.parity, self.bytesize, self.stopbits, self.fingerprint, self.link,
                 self.username, self.secret)
                == (other.url, other.baudrate, other.parity, other.bytesize, other.stopbits, other.fingerprint,
                    other.link, other.username, other.secret))


@dataclass
class LinkIO:
    """The service's side of one open attempt: a link calls ``opened()`` once the device answers
    (the state becomes connected and the back-off starts again from its minimum), then
    ``received(events)`` for everything it reads, until ``stop`` is set."""

    stop: threading.Event
    read_timeout: float
    on_opened: Callable[[], None]
    received: Callable[[list[Event]], None]
    was_opened: bool = False

    def opened(self) -> None:
        self.was_opened = True
        self.on_opened()
