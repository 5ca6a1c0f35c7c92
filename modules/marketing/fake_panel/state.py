"""What the fake panel remembers: accounts' credit, every message it accepted (once per local
id, as Kavenegar's ``localid`` promises), delivery outcomes, inbound messages waiting to be
read, and the failures it was told to produce. Thread-safe: the HTTP server is threaded."""

from __future__ import annotations

import datetime as dt
import math
import random
import threading
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

DELIVERED, UNDELIVERED, QUEUED = 10, 11, 1  # Kavenegar's status codes (kavenegar.com/rest.html)


class Refused(Exception):
    """The panel refuses the call: ``kind`` says why ("key", "credit", "input"), each panel's
    API turns it into its own status code and words."""

    def __init__(self, kind: str, message: str = "") -> None:
        super().__init__(message or kind)
        self.kind, self.message = kind, message


def parts(body: str) -> int:
    """How many parts a panel bills: 70 UCS-2 characters (67 per part when split) for Persian,
    160 (153) for plain GSM text — the way Iranian panels count."""
    ucs2 = any(ord(c) > 127 for c in body)
    single, each = (70, 67) if ucs2 else (160, 153)
    return 1 if len(body) <= single else math.ceil(len(body) / each)


@dataclass
class Sent:
    messageid: int
    receptor: str
    sender: str
    message: str
    localid: str | None
    cost: int
    at: dt.datetime
    status: int = QUEUED


@dataclass
class Inbox:
    messageid: int
    sender: str
    receptor: str
    message: str
    at: dt.datetime
    read: bool = False


@dataclass
class PanelState:
    api_key: str = "demo-key"
    credit: int = 10_000_000  # Rials
    price: int = 1_200  # Rials a part
    fail_ratio: float = 0.0  # calls refused before doing anything (HTTP 502)
    lose_ratio: float = 0.0  # calls done, but the answer is lost (HTTP 502 after sending)
    delay: float = 0.0  # seconds before answering: a timeout for a client that waits less
    honour_localid: bool = True
    seed: int = 13
    sent: dict[int, Sent] = field(default_factory=dict)
    by_local: dict[str, int] = field(default_factory=dict)
    sends_per_local: Counter[str] = field(default_factory=Counter)  # real sends: must stay 1 each
    sends_per_mobile: Counter[str] = field(default_factory=Counter)  # for panels without a local id
    calls: Counter[str] = field(default_factory=Counter)  # requests by path tail
    inbox: list[Inbox] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    _next_id: int = 900_000_000

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def next_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def roll(self, ratio: float) -> bool:
        return ratio > 0 and self.rng.random() < ratio

    def outcome(self, receptor: str) -> int:
        """The delivery rule: a mobile ending in 9 is never delivered."""
        return UNDELIVERED if receptor.endswith("9") else DELIVERED

    def add_inbound(self, sender: str, message: str, receptor: str = "10004346") -> int:
        with self.lock:
            item = Inbox(self.next_id(), sender, receptor, message, dt.datetime.now(dt.UTC).replace(tzinfo=None))
            self.inbox.append(item)
            return item.messageid

    def total_sends(self) -> int:
        return len(self.sent)

    def accept(self, items: Sequence[tuple[str, str, str, str | None]]) -> list[Sent]:
        """Send ``(receptor, sender, message, local id)``s, all or none: a resend of a known local
        id answers the first send again (when ``honour_localid``); not enough credit refuses the
        whole call, as the panels do. Call with ``lock`` held."""
        known = self.by_local if self.honour_localid else {}
        fresh = [m for _, _, m, lid in items if lid is None or lid not in known]
        if sum(parts(m) * self.price for m in fresh) > self.credit:
            raise Refused("credit")
        out = []
        for receptor, sender, message, lid in items:
            if lid is not None and lid in known:
                out.append(self.sent[known[lid]])
                continue
            sent = Sent(self.next_id(), receptor, sender, message, lid, parts(message) * self.price,
                        dt.datetime.now(dt.UTC).replace(tzinfo=None))
            self.credit -= sent.cost
            self.sent[sent.messageid] = sent
            self.sends_per_mobile[receptor] += 1
            if lid is not None:
                self.by_local[lid] = sent.messageid
                self.sends_per_local[lid] += 1
            out.append(sent)
        return out

    def unread(self, line: str | None = None) -> list[Inbox]:
        """Inbound messages not handed out yet, now marked read. Call with ``lock`` held."""
        waiting = [m for m in self.inbox if not m.read and (not line or m.receptor == line)]
        for m in waiting:
            m.read = True
        return waiting
