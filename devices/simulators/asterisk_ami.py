"""An Asterisk manager interface (AMI) on a local TCP port, for tests and for trying caller ID
without a PBX.

It greets like Asterisk 16–20 (``Asterisk Call Manager/5.0.2``), answers ``Login`` (with the
ActionID it was given; a wrong user name or secret gets ``Response: Error`` and the connection
is closed, as Asterisk does), ``Ping``, ``Events`` and ``Logoff``, and sends the events of the
calls it is told to place to every client logged in with events on: an incoming call rings an
extension (``Newchannel``, ``DialBegin``, ``Newstate`` Ringing), is answered or not, hangs up
(``Hangup``, then the ``Cdr`` of ``cdr_manager``); an extension dials out. ``restart()`` is
"core restart now": ``Event: Shutdown``, every connection dropped, the port refusing
connections for a moment, then listening again. Event layouts follow the Asterisk 16–20 AMI
event documentation; the times in ``Cdr`` are the server's local clock.
"""

from __future__ import annotations

import datetime as dt
import itertools
import socket
import threading
import time
from dataclasses import dataclass, field
from typing import Self
from zoneinfo import ZoneInfo

BANNER = "Asterisk Call Manager/5.0.2"
EOL = "\r\n"


@dataclass
class SimAmiCall:
    number: str  # the caller's number (incoming) or the digits dialled (outgoing)
    extension: str
    trunk: str
    direction: str
    started: dt.datetime  # the server's local clock
    uniqueid: str
    dest_uniqueid: str
    ring_seconds: int = 0
    answered: bool = False
    events: list[str] = field(default_factory=list)

    @property
    def ext_channel(self) -> str:
        return f"PJSIP/{self.extension}-{self.dest_uniqueid.split('.')[1].zfill(8)}"

    @property
    def trunk_channel(self) -> str:
        return f"PJSIP/{self.trunk}-{self.uniqueid.split('.')[1].zfill(8)}"


class _Client:
    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.logged_in = False
        self.events = False
        self.lock = threading.Lock()

    def send(self, text: str) -> bool:
        with self.lock:
            try:
                self.sock.sendall(text.encode("utf-8"))
                return True
            except OSError:
                return False

    def drop(self) -> None:
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


class AsteriskSim:
    def __init__(self, username: str = "peyvand", secret: str = "peyvand-demo", host: str = "127.0.0.1",
                 port: int = 0, timezone: str = "Asia/Tehran") -> None:
        self.username, self.secret, self.host, self.port = username, secret, host, port
        self.tz = ZoneInfo(timezone)
        self.actions: list[dict[str, str]] = []  # every action received, for the tests
        self.logins = 0  # successful logins since the start
        self.refused = 0
        self.answer_pings = True  # False: a hung server (the TCP connection stays, nothing answers)
        self._clients: list[_Client] = []
        self._lock = threading.RLock()
        self._listener: socket.socket | None = None
        self._seq = itertools.count(1)
        self._closed = False

    # -- the server ------------------------------------------------------------------------
    def start(self) -> Self:
        self._listen()
        return self

    @property
    def address(self) -> str:
        """What a device's port field takes: ``127.0.0.1:PORT``."""
        return f"{self.host}:{self.port}"

    def _listen(self) -> None:
        listener = socket.create_server((self.host, self.port))  # SO_REUSEADDR: the same port after a restart
        self.port = listener.getsockname()[1]
        with self._lock:
            self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), name="asterisk-sim-accept", daemon=True).start()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                sock, _ = listener.accept()
            except OSError:
                return  # closed: a restart or the end
            client = _Client(sock)
            with self._lock:
                self._clients.append(client)
            client.send(BANNER + EOL)
            threading.Thread(target=self._serve, args=(client,), name="asterisk-sim-client", daemon=True).start()

    def _serve(self, client: _Client) -> None:
        pending = ""
        try:
            while True:
                data = client.sock.recv(4096)
                if not data:
                    break
                pending += data.decode("utf-8", "replace").replace("\r\n", "\n")
                while "\n\n" in pending:
                    block, pending = pending.split("\n\n", 1)
                    if block.strip() and not self._answer(client, _fields(block)):
                        return
        except OSError:
            pass
        finally:
            self._forget(client)

    def _answer(self, client: _Client, action: dict[str, str]) -> bool:
        """Answer one action; False closes the connection."""
        self.actions.append(action)
        name = action.get("action", "").lower()
        aid = f"ActionID: {action['actionid']}{EOL}" if "actionid" in action else ""
        if name == "login":
            if action.get("username") != self.username or action.get("secret") != self.secret:
                self.refused += 1
                client.send(f"Response: Error{EOL}{aid}Message: Authentication failed{EOL}{EOL}")
                return False
            client.logged_in, client.events = True, action.get("events", "on").lower() != "off"
            self.logins += 1
            client.send(f"Response: Success{EOL}{aid}Message: Authentication accepted{EOL}{EOL}")
            if client.events:
                client.send(_block("FullyBooted", [("Privilege", "system,all"), ("Uptime", "120"),
                                                   ("LastReload", "120"), ("Status", "Fully Booted")]))
            return True
        if not client.logged_in:
            client.send(f"Response: Error{EOL}{aid}Message: Authentication Required{EOL}{EOL}")
            return True
        if name == "ping":
            if self.answer_pings:
                client.send(f"Response: Success{EOL}{aid}Ping: Pong{EOL}Timestamp: {time.time():.6f}{EOL}{EOL}")
        elif name == "events":
            client.events = action.get("eventmask", "on").lower() != "off"
            client.send(f"Response: Success{EOL}{aid}Events: {'On' if client.events else 'Off'}{EOL}{EOL}")
        elif name == "logoff":
            client.send(f"Response: Goodbye{EOL}{aid}Message: Thanks for all the fish.{EOL}{EOL}")
            return False
        else:
            client.send(f"Response: Error{EOL}{aid}Message: Invalid/unknown command{EOL}{EOL}")
        return True

    def _forget(self, client: _Client) -> None:
        with self._lock:
            if client in self._clients:
                self._clients.remove(client)
        client.drop()

    def listeners(self) -> int:
        """Clients logged in with events on: who would hear a call now."""
        with self._lock:
            return sum(1 for c in self._clients if c.logged_in and c.events)

    def wait_for_listener(self, timeout: float = 10.0) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.listeners():
                return True
            time.sleep(0.02)
        return False

    def restart(self, down: float = 1.0) -> None:
        """``core restart now``: Shutdown to every client, the connections dropped, the port closed
        for ``down`` seconds (connections refused), then listening again on the same port."""
        with self._lock:
            listener, self._listener = self._listener, None
        _close_listener(listener)  # first: a client told of the shutdown must not get back in before it
        self.emit("Shutdown", [("Privilege", "system,all"), ("Shutdown", "Uncleanly"), ("Restart", "True")])
        self._stop_listening()
        time.sleep(down)
        if not self._closed:
            self._listen()

    def _stop_listening(self) -> None:
        with self._lock:
            listener, self._listener = self._listener, None
            clients, self._clients = self._clients, []
        _close_listener(listener)
        for client in clients:
            client.drop()

    def close(self) -> None:
        self._closed = True
        self._stop_listening()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.close()

    # -- events ----------------------------------------------------------------------------
    def emit(self, event: str, fields: list[tuple[str, str]]) -> str:
        """Send one event to every listening client; answers the block sent."""
        block = _block(event, fields)
        with self._lock:
            clients = [c for c in self._clients if c.logged_in and c.events]
        for client in clients:
            client.send(block)
        return block

    def _channel_fields(self, prefix: str, channel: str, state: tuple[str, str], cid: str, connected: str,
                        exten: str, uniqueid: str, linkedid: str) -> list[tuple[str, str]]:
        return [(f"{prefix}Channel", channel), (f"{prefix}ChannelState", state[0]),
                (f"{prefix}ChannelStateDesc", state[1]), (f"{prefix}CallerIDNum", cid or "<unknown>"),
                (f"{prefix}CallerIDName", "<unknown>"), (f"{prefix}ConnectedLineNum", connected or "<unknown>"),
                (f"{prefix}ConnectedLineName", "<unknown>"), (f"{prefix}Language", "en"),
                (f"{prefix}AccountCode", ""), (f"{prefix}Context", "from-internal"), (f"{prefix}Exten", exten),
                (f"{prefix}Priority", "1"), (f"{prefix}Uniqueid", uniqueid), (f"{prefix}Linkedid", linkedid)]

    def _new_call(self, number: str, extension: str, trunk: str, direction: str,
                  at: dt.datetime | None) -> SimAmiCall:
        local = at or dt.datetime.now(self.tz).replace(tzinfo=None, microsecond=0)
        epoch = int(local.replace(tzinfo=self.tz).timestamp())
        first, second = next(self._seq), next(self._seq)
        return SimAmiCall(number, extension, trunk, direction, local, f"{epoch}.{first}", f"{epoch}.{second}")

    def ring(self, number: str, extension: str, trunk: str = "mokhaberat", at: dt.datetime | None = None) -> SimAmiCall:
        """A caller on the trunk rings an extension: Newchannel ×2, DialBegin, Newstate Ringing."""
        call = self._new_call(number, extension, trunk, "incoming", at)
        link = call.uniqueid
        caller = self._channel_fields("", call.trunk_channel, ("4", "Ring"), number, "", extension, link, link)
        phone = self._channel_fields("Dest", call.ext_channel, ("5", "Ringing"), extension, number, extension,
                                     call.dest_uniqueid, link)
        call.events += [
            self.emit("Newchannel", [("Privilege", "call,all"), *caller]),
            self.emit("Newchannel", [("Privilege", "call,all"), *[(k[4:], v) for k, v in phone]]),
            self.emit("DialBegin", [("Privilege", "call,all"), *caller, *phone, ("DialString", extension)]),
            self.emit("Newstate", [("Privilege", "call,all"), *[(k[4:], v) for k, v in phone]]),
        ]
        return call

    def answer(self, call: SimAmiCall, after: int = 5) -> None:
        call.ring_seconds, call.answered = after, True
        up = self._channel_fields("", call.ext_channel, ("6", "Up"), call.extension, call.number, call.extension,
                                  call.dest_uniqueid, call.uniqueid)
        call.events += [self.emit("Newstate", [("Privilege", "call,all"), *up]),
                        self.emit("DialEnd", [("Privilege", "call,all"), ("Channel", call.trunk_channel),
                                              ("Uniqueid", call.uniqueid), ("DestChannel", call.ext_channel),
                                              ("DestUniqueid", call.dest_uniqueid), ("DialStatus", "ANSWER")])]

    def hangup(self, call: SimAmiCall, talk: int = 60, disposition: str = "") -> str:
        """Both channels hang up and the Cdr follows; answers the Cdr block."""
        if not call.answered and not call.ring_seconds:
            call.ring_seconds = 20  # rang until the caller gave up
        talk = talk if call.answered else 0
        for channel, uniqueid in ((call.ext_channel, call.dest_uniqueid), (call.trunk_channel, call.uniqueid)):
            call.events.append(self.emit("Hangup", [("Privilege", "call,all"), ("Channel", channel),
                                                    ("Uniqueid", uniqueid), ("Linkedid", call.uniqueid),
                                                    ("Cause", "16"), ("Cause-txt", "Normal Clearing")]))
        cdr = self.emit("Cdr", self.cdr_fields(call, talk, disposition))
        call.events.append(cdr)
        return cdr

    def cdr_fields(self, call: SimAmiCall, talk: int, disposition: str = "") -> list[tuple[str, str]]:
        incoming = call.direction == "incoming"
        a_channel, b_channel = ((call.trunk_channel, call.ext_channel) if incoming
                                else (call.ext_channel, call.trunk_channel))
        answer = call.started + dt.timedelta(seconds=call.ring_seconds)
        end = answer + dt.timedelta(seconds=talk)
        fmt = "%Y-%m-%d %H:%M:%S"
        return [("Privilege", "cdr,all"), ("AccountCode", ""),
                ("Source", call.number if incoming else call.extension),
                ("Destination", call.extension if incoming else call.number),
                ("DestinationContext", "from-trunk" if incoming else "from-internal"),
                ("CallerID", f'"" <{call.number if incoming else call.extension}>'), ("Channel", a_channel),
                ("DestinationChannel", b_channel), ("LastApplication", "Dial"),
                ("LastData", f"PJSIP/{call.extension},30" if incoming else f"PJSIP/{call.number}@{call.trunk},300"),
                ("StartTime", call.started.strftime(fmt)),
                ("AnswerTime", answer.strftime(fmt) if call.answered else ""), ("EndTime", end.strftime(fmt)),
                ("Duration", str(call.ring_seconds + talk)), ("BillableSeconds", str(talk)),
                ("Disposition", disposition or ("ANSWERED" if call.answered else "NO ANSWER")),
                ("AMAFlags", "DOCUMENTATION"),
                # Party A's unique id: the trunk's channel for an incoming call, the phone's for an outgoing one.
                ("UniqueID", call.uniqueid if incoming else call.dest_uniqueid), ("UserField", "")]

    def call(self, number: str, extension: str, ring: int = 5, talk: int = 60, answered: bool = True,
             at: dt.datetime | None = None) -> SimAmiCall:
        """A whole incoming call: rings, is answered after ``ring`` s (or not), hangs up, Cdr."""
        call = self.ring(number, extension, at=at)
        if answered:
            self.answer(call, ring)
        else:
            call.ring_seconds = ring
        self.hangup(call, talk)
        return call

    def dial_out(self, extension: str, number: str, talk: int = 60, answered: bool = True,
                 trunk: str = "mokhaberat", at: dt.datetime | None = None) -> SimAmiCall:
        """An extension calls out through the trunk: DialBegin to the trunk, then hang-up and Cdr."""
        call = self._new_call(number, extension, trunk, "outgoing", at)
        phone = self._channel_fields("", call.ext_channel, ("6", "Up"), extension, number, number,
                                     call.dest_uniqueid, call.dest_uniqueid)
        line = self._channel_fields("Dest", call.trunk_channel, ("5", "Ringing"), number, extension, number,
                                    call.uniqueid, call.dest_uniqueid)
        call.events.append(self.emit("DialBegin", [("Privilege", "call,all"), *phone, *line,
                                                   ("DialString", f"{number}@{trunk}")]))
        call.ring_seconds, call.answered = 3, answered
        call.events.append(self.emit("Cdr", self.cdr_fields(call, talk if answered else 0)))
        return call


def _close_listener(listener: socket.socket | None) -> None:
    """Stop listening now: close() alone leaves a socket that another thread's accept() is blocked
    on still accepting connections until that accept() returns; shutdown() wakes it."""
    if listener is None:
        return
    try:
        listener.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass
    listener.close()


def _block(event: str, fields: list[tuple[str, str]]) -> str:
    return f"Event: {event}{EOL}" + "".join(f"{k}: {v}{EOL}" for k, v in fields) + EOL


def _fields(block: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for line in block.split("\n"):
        key, sep, value = line.partition(":")
        if sep:
            out[key.strip().lower()] = value.strip()
    return out
