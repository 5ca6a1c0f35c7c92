"""Shared steps of the e-mail channel's tests: a marketing kernel pointed at a real SMTP
server, a real SMTP server (aiosmtpd) that refuses chosen recipients for good (550) or for a
while (451), e-mail senders and partners, draining the e-mail outbox, and DSN bounce reports."""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Iterator
from email import message_from_bytes, policy
from typing import Any

import pytest
from sqlalchemy import func, select

from kernel.jobs import run_due
from kernel.outbox import OutboxMessage
from kernel.testing import actor_of, create_user
from modules.marketing.models import Message

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
T0 = dt.datetime(2030, 1, 1, 8, 0, 0)
FROM = "crm@peyvand.test"
MAILER = ("marketing.email.send", "marketing.sms.send", "marketing.send.view", "marketing.message.view",
          "marketing.template.*", "marketing.category.view", "base.partner.view")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Smtp:
    """A real SMTP server. ``messages``: the mail it took; ``permanent``: addresses answered
    550 at RCPT; ``temporary``: address → how many more times to answer 451."""

    def __init__(self) -> None:
        self.messages: list[Any] = []
        self.permanent: set[str] = set()
        self.temporary: dict[str, int] = {}
        self.port = free_port()
        self.controller: Any = None

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, options: Any) -> str:
        if address in self.permanent:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown"
        if self.temporary.get(address, 0) > 0:
            self.temporary[address] -= 1
            return "451 4.7.1 Greylisted, please try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def start(self) -> Smtp:
        from aiosmtpd.controller import Controller

        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def to(self, address: str) -> list[Any]:
        return [m for m in self.messages if m["To"] == address]


@pytest.fixture
def smtp() -> Iterator[Smtp]:
    server = Smtp().start()
    try:
        yield server
    finally:
        server.stop()


def mail_kernel(make_kernel: Any, engine: str, port: int | None, **kw: Any) -> Any:
    """A marketing kernel sending through 127.0.0.1:``port`` (None: no SMTP configured)."""
    smtp = {"smtp_host": "127.0.0.1", "smtp_port": port, "smtp_from": FROM} if port else {}
    return make_kernel(edition="tier1", modules=("marketing",), engine=engine, **smtp, **kw)


def mailer(kernel: Any, name: str = "nasrin") -> Any:
    return actor_of(kernel, create_user(kernel, name, perms=MAILER))


def drain(kernel: Any, *, start: dt.datetime = T0, step: dt.timedelta = dt.timedelta(minutes=10),
          rounds: int = 20) -> dt.datetime:
    """Run the jobs, the clock moving on so retries come due, until the e-mail outbox is empty."""
    now = start
    for _ in range(rounds):
        run_due(kernel, now=now, limit=1000)
        if not waiting(kernel):
            return now
        now += step
    raise AssertionError("the e-mail outbox did not drain")


def waiting(kernel: Any) -> int:
    with kernel.sessions() as s:
        return int(s.scalar(select(func.count()).select_from(OutboxMessage).where(
            OutboxMessage.topic == "marketing.email_batch", OutboxMessage.status.in_(("pending", "running")))) or 0)


def by_address(kernel: Any) -> dict[str, tuple[str, str | None]]:
    """address → (state, error) of every e-mail message."""
    with kernel.sessions() as s:
        rows = s.execute(select(Message.address, Message.state, Message.error).where(Message.channel == "email"))
        return {a: (st, e) for a, st, e in rows}


def dsn(original_id: int, to: str, reporting: str = "mailer-daemon@mx.example.ir") -> bytes:
    """A delivery status notification (RFC 3464) for our message ``original_id``."""
    return f"""From: Mail Delivery System <{reporting}>
To: {FROM}
Subject: Undelivered Mail Returned to Sender
Message-ID: <dsn-{original_id}@mx.example.ir>
Date: Mon, 07 Dec 2026 10:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b1"

--b1
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mx.example.ir. Your message could not be delivered.

--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.ir

Final-Recipient: rfc822; {to}
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <{to}>: Mailbox does not exist

--b1
Content-Type: text/rfc822-headers

From: {FROM}
To: {to}
Subject: =?utf-8?b?2YbZiNix2YjYsiDZhdio2KfYsdqp?=
Message-ID: <marketing-{original_id}@peyvand.test>

--b1--
""".replace("\n", "\r\n").encode()
