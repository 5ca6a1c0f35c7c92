"""An Asterisk manager (AMI) session over TCP, through panoramisk, in the device's own thread.

Each open attempt runs one session on a fresh asyncio event loop: connect to ``host:port``
(the device's port: ``192.168.1.10:5038`` or ``tcp://192.168.1.10:5038``), log in with the
device's user name and secret and ``Events: on``, hand every event to the driver, and send a
``Ping`` every ``keepalive`` seconds (a switched-off server or a cut cable sends no FIN: an
unanswered Ping is how a dead session is seen). Whatever ends the session — a refused login
(``Response: Error``), Asterisk restarting (``Event: Shutdown``, then the socket closes), a
connection refused or lost — is raised, and the service retries it with back-off. panoramisk
reconnects by itself; that is switched off here, so that the device's state, its back-off and
its error on the status page are the service's, as for a serial port.
"""

from __future__ import annotations

import asyncio
import re
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from panoramisk import Manager
from panoramisk.ami_protocol import AMIProtocol

from devices.spec import DeviceSpec, LinkIO, utcnow

DEFAULT_PORT = 5038
CONNECT_TIMEOUT = 5.0
LOGIN_TIMEOUT = 5.0
_ADDRESS = re.compile(r"^(?:tcp://)?(?P<host>\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.\-]+)(?::(?P<port>\d{1,5}))?/?$")


class AmiRefused(ConnectionError):
    """Asterisk answered the login with an error (a wrong user name or secret, or a host not
    allowed by the user's ``permit=``)."""


def parse_address(url: str) -> tuple[str, int]:
    """``192.168.1.10:5038``, ``tcp://pbx.local:5038``, ``pbx.local`` (port 5038) → host, port."""
    m = _ADDRESS.match(url.strip())
    if m is None:
        raise ValueError(f"not an AMI address (host:port): {url!r}")
    port = int(m["port"] or DEFAULT_PORT)
    if not 0 < port < 65536:
        raise ValueError(f"not a TCP port: {port}")
    return m["host"].strip("[]"), port


class _Session(Manager):
    """panoramisk's Manager, told not to reconnect by itself: a lost connection ends the session."""

    def __init__(self, lost: asyncio.Future[str], **config: Any) -> None:
        super().__init__(**config)
        self.lost = lost

    def connection_lost(self, exc: Any) -> None:
        pinger: Any = getattr(self, "pinger", None)  # panoramisk sets it untyped
        if pinger is not None:
            pinger.cancel()
            self.pinger = None
        if not self.lost.done():
            shutdown = getattr(exc, "get", None) and exc.get("Event", "").lower() == "shutdown"
            self.lost.set_result("Asterisk is shutting down" if shutdown else "Asterisk closed the connection")


class AmiLink:
    keepalive = 10.0  # seconds between two Pings

    def run(self, spec: DeviceSpec, io: LinkIO) -> None:
        loop = asyncio.new_event_loop()
        # Events are recorded by one thread of their own, in order: a sink that waits (the database
        # restarting) must not stall the session — its Pings would go unanswered and the events
        # still in the socket would be lost with it. Whatever was read is recorded before run() ends.
        recorder = ThreadPoolExecutor(max_workers=1, thread_name_prefix=f"device-{spec.key}-record")
        try:
            asyncio.set_event_loop(loop)  # panoramisk makes its futures on the thread's loop
            loop.run_until_complete(self._session(spec, io, loop, recorder))
        finally:
            recorder.shutdown(wait=True)
            pending = asyncio.all_tasks(loop)
            for task in pending:
                task.cancel()
            if pending:
                loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            asyncio.set_event_loop(None)
            loop.close()

    async def _session(self, spec: DeviceSpec, io: LinkIO, loop: asyncio.AbstractEventLoop,
                       recorder: ThreadPoolExecutor) -> None:
        host, port = parse_address(spec.url)
        lost: asyncio.Future[str] = loop.create_future()
        # panoramisk's own pinger is pushed out of the way (10^9 s): ours below checks the answer.
        manager = _Session(lost, host=host, port=port, username=spec.username, secret=spec.secret, events="on",
                           loop=loop, ping_delay=10**9, encoding="utf8")
        driver: Any = spec.make_driver()
        manager.register_event("*", lambda _manager, message: recorder.submit(
            io.received, driver.feed_message(message, utcnow())))
        try:
            transport, protocol = await asyncio.wait_for(loop.create_connection(AMIProtocol, host, port),
                                                         CONNECT_TIMEOUT)
        except TimeoutError as exc:  # a firewall that drops, rather than refuses, the connection
            raise TimeoutError(f"Asterisk did not answer the connection in {CONNECT_TIMEOUT:.0f} s") from exc
        connected: asyncio.Future[tuple[Any, Any]] = loop.create_future()
        connected.set_result((transport, protocol))
        manager.connection_made(connected)  # sends the Login action
        try:
            login = manager.authenticated_future
            answer = await self._first(login, lost, LOGIN_TIMEOUT, "Asterisk did not answer the login")
            if not answer.success:
                raise AmiRefused(f"Asterisk refused the login: {answer.get('Message') or answer.get('Response')}")
            io.opened()
            while not io.stop.is_set():
                if lost.done():
                    raise ConnectionError(lost.result())
                await self._until_next_ping(io, lost)
                if not io.stop.is_set() and not lost.done():
                    ping = manager.send_action({"Action": "Ping"})
                    await self._first(ping, lost, self.keepalive, "Asterisk did not answer a Ping")
        finally:
            manager.close()

    async def _until_next_ping(self, io: LinkIO, lost: asyncio.Future[str]) -> None:
        waited = 0.0
        while waited < self.keepalive and not io.stop.is_set() and not lost.done():
            await asyncio.wait([lost], timeout=io.read_timeout)
            waited += io.read_timeout

    @staticmethod
    async def _first(answer: Any, lost: asyncio.Future[str], timeout: float, silence: str) -> Any:
        """The action's answer, unless the connection is lost or nothing comes in ``timeout``."""
        done, _ = await asyncio.wait([answer, lost], timeout=timeout, return_when=asyncio.FIRST_COMPLETED)
        if answer in done:
            return answer.result()
        if lost in done:
            raise ConnectionError(lost.result())
        raise TimeoutError(silence)
