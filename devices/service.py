"""The device service: every configured device read in its own thread, events to one sink.

Each device is reached through its link (``devices.links``): a serial port opened with
pyserial's ``serial_for_url`` — a serial device (``/dev/ttyUSB0``), a pseudo-terminal
(``/dev/pts/3``, a simulator) and a PBX's TCP output (``socket://192.168.1.20:2300``) are the
same to it — or an Asterisk manager (AMI) session over TCP. What is read is fed to the device's
driver; the events it answers go to ``sink(device_key, event)``.

A device never stops the service: a port that does not exist, is busy (opened exclusively),
or disappears mid-call (a USB cable pulled), an Asterisk that refuses the login or restarts,
moves the device to ``retrying`` with the error and the link is reopened with back-off
(``backoff_min`` doubling up to ``backoff_max``). A sink
that fails (the database is restarting) is called again with the same event until it
succeeds, so the sink must be idempotent — the telephony module's is (a unique key per record).
A driver never raises (bad lines are ``Garbled`` events).

The set of devices is not fixed: ``reconcile`` starts a device added since, stops one removed or
deactivated, and reopens one whose settings changed (its ``fingerprint``), leaving the others
reading — an administrator's edit needs no restart of the service.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import serial

from devices.events import Event, Garbled
from devices.links import links
from devices.spec import DeviceSpec, LinkIO, utcnow

__all__ = ["CONNECTED", "CONNECTING", "RETRYING", "STOPPED", "DeviceService", "DeviceSpec", "DeviceState", "utcnow"]

log = logging.getLogger("peyvand.devices")

CONNECTING = "connecting"  # not tried yet
CONNECTED = "connected"
RETRYING = "retrying"
STOPPED = "stopped"


@dataclass
class DeviceState:
    state: str = CONNECTING
    error: str = ""
    last_line_at: dt.datetime | None = None
    opened: int = 0  # how many times the port was opened


StateCallback = Callable[[Any, str, str], None]


@dataclass
class DeviceService:
    specs: list[DeviceSpec]
    sink: Callable[[Any, Event], None]
    on_state: StateCallback | None = None
    backoff_min: float = 0.5
    backoff_max: float = 30.0
    read_timeout: float = 0.2
    states: dict[Any, DeviceState] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _readers: dict[Any, tuple[threading.Thread, threading.Event]] = field(default_factory=dict)

    def start(self) -> DeviceService:
        for spec in self.specs:
            self._start_device(spec)
        return self

    def reconcile(self, specs: list[DeviceSpec]) -> None:
        """Make the running devices ``specs``: start the new, stop the gone, reopen the changed."""
        wanted = {spec.key: spec for spec in specs}
        running = {spec.key: spec for spec in self.specs}
        for key, spec in running.items():
            if key not in wanted or not spec.same_setup(wanted[key]):
                self._stop_device(key)
        for key, spec in wanted.items():
            if key not in running or not running[key].same_setup(spec):
                self._start_device(spec)
        self.specs = list(wanted.values())

    def request_stop(self) -> None:
        """Ask every reader to finish (safe in a signal handler); ``stop()`` also waits for them."""
        self._stop.set()
        for _, stop in self._readers.values():
            stop.set()

    def stop(self, timeout: float = 5.0) -> None:
        self.request_stop()
        for thread, _ in self._readers.values():
            thread.join(timeout)

    def wait(self, timeout: float | None = None) -> bool:
        """Until ``stop()`` (a signal handler calls it), or ``timeout`` seconds: True once stopped."""
        if timeout is not None:
            return self._stop.wait(timeout)
        while not self._stop.wait(1.0):
            pass
        return True

    def _start_device(self, spec: DeviceSpec) -> None:
        self.states[spec.key] = DeviceState()
        stop = threading.Event()
        thread = threading.Thread(target=self._run, args=(spec, stop), name=f"device-{spec.key}", daemon=True)
        self._readers[spec.key] = (thread, stop)
        thread.start()

    def _stop_device(self, key: Any, timeout: float = 5.0) -> None:
        reader = self._readers.pop(key, None)
        if reader is not None:
            thread, stop = reader
            stop.set()
            thread.join(timeout)  # the port is closed before a changed device reopens it (exclusive)

    # -- one device --------------------------------------------------------------------------
    def _run(self, spec: DeviceSpec, stop: threading.Event) -> None:
        delay = self.backoff_min
        link = links().get(spec.link)
        while not stop.is_set():
            io = LinkIO(stop, self.read_timeout, partial(self._opened, spec), partial(self._received, spec, stop))
            try:
                if link is None:
                    raise ValueError(f"no link named {spec.link!r}")
                link.run(spec, io)
            except (serial.SerialException, OSError, ValueError) as exc:
                self._set_state(spec.key, RETRYING, _describe(exc))
                log.warning("device %s (%s): %s; retrying in %.1f s", spec.key, spec.url, exc, delay)
            except Exception as exc:
                self._set_state(spec.key, RETRYING, _describe(exc))
                log.exception("device %s (%s) failed; retrying in %.1f s", spec.key, spec.url, delay)
            if io.was_opened:
                delay = self.backoff_min
            if stop.wait(delay):
                break
            delay = min(delay * 2, self.backoff_max)
        self._set_state(spec.key, STOPPED, "")

    def _opened(self, spec: DeviceSpec) -> None:
        self.states[spec.key].opened += 1
        self._set_state(spec.key, CONNECTED, "")

    def _received(self, spec: DeviceSpec, stop: threading.Event, events: list[Event]) -> None:
        self.states[spec.key].last_line_at = utcnow()
        for event in events:
            if isinstance(event, Garbled):
                log.warning("device %s: garbled line %r (%s)", spec.key, event.raw, event.reason)
            self._deliver(spec.key, event, stop)

    def _deliver(self, key: Any, event: Event, stop: threading.Event) -> None:
        delay = self.backoff_min
        while True:
            try:
                self.sink(key, event)
                return
            except Exception:
                log.exception("device %s: could not record %r; trying again in %.1f s", key, event, delay)
                if stop.wait(delay):
                    log.error("device %s: stopped before %r was recorded", key, event)
                    return
                delay = min(delay * 2, self.backoff_max)

    def _set_state(self, key: Any, state: str, error: str) -> None:
        current = self.states.setdefault(key, DeviceState())
        changed = (current.state, current.error) != (state, error)
        current.state, current.error = state, error
        if changed and self.on_state is not None:
            try:
                self.on_state(key, state, error)
            except Exception:
                log.exception("device %s: could not record its state", key)


def _describe(exc: BaseException) -> str:
    return (str(exc) or type(exc).__name__)[:500]
