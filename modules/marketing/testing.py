"""Test helpers of the SMS pipe, for this module's tests and any module that sends through it:
the ``fake_panel`` fixture (a started :class:`~modules.marketing.fake_panel.FakePanel`), the
``imap_server`` fixture (a real Dovecot, for inbound e-mail),
``add_panel`` (a panel row pointing at it), ``queue_sms`` (a send of queued messages, handed to
the outbox as the compose side does) and ``python -m modules.marketing.testing URL MODULES``, a
worker process running the jobs until killed (the crash tests ``kill -9`` it)."""

from __future__ import annotations

import secrets
import sys
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from sqlalchemy import select

from modules.marketing.fake_panel import FakePanel, PanelState


@pytest.fixture
def fake_panel() -> Iterator[FakePanel]:
    panel = FakePanel(PanelState()).start()
    try:
        yield panel
    finally:
        panel.stop()


@pytest.fixture
def imap_server() -> Iterator[Any]:
    """A real IMAP server (Dovecot, non-root, throw-away Maildir): ``.append(raw)`` puts a mail
    in its INBOX, ``.settings()`` is the ``marketing.imap`` setting pointing at it."""
    from modules.marketing.mail.imap_server import ImapServer

    server = ImapServer().start()
    try:
        yield server
    finally:
        server.stop()


def add_panel(kernel: Any, fake: FakePanel, **values: Any) -> int:
    from modules.marketing.models import Panel

    with kernel.session() as s:
        row = Panel(**{"name": "کاوه‌نگار آزمایشی", "kind": "kavenegar", "base_url": fake.base_url,
                       "api_key": fake.state.api_key, "sender": "10004346", "is_default": True, "per_second": 100_000,
                       "batch_size": 100, "webhook_token": secrets.token_urlsafe(24), **values})
        s.add(row)
        s.flush()
        return int(row.id)


def queue_sms(kernel: Any, mobiles: Sequence[str], body: str = "سلام، نوروز مبارک", *,
              partner_ids: Sequence[int | None] | None = None, batch: int = 100) -> int:
    """A send of one message per mobile (canonical +98…), queued and in the outbox; its id."""
    from sqlalchemy import insert

    from modules.marketing.dispatch import queue_send
    from modules.marketing.models import Category, Message, Send

    with kernel.session() as s:
        category = s.scalars(select(Category.id).order_by(Category.id)).first()
        send = Send(channel="sms", category_id=category, body=body, state="queued", total=len(mobiles))
        s.add(send)
        s.flush()
        partners = list(partner_ids) if partner_ids is not None else [None] * len(mobiles)
        s.execute(insert(Message), [{"send_id": send.id, "channel": "sms", "category_id": category, "address": m,
                                     "body": body, "partner_id": p, "state": "queued"}
                                    for m, p in zip(mobiles, partners, strict=True)])
        queue_send(s, send.id, batch=batch)
        return int(send.id)


def start_worker(url: str, start: Any, speed: float, modules: str = "marketing") -> Any:
    """A worker process (``python -m modules.marketing.testing``) on ``url`` whose clock starts
    at ``start`` (a datetime) and runs ``speed`` times faster; returned once it is ready, to be
    killed (``kill -9``) or stopped by the caller."""
    import os
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen([sys.executable, "-m", "modules.marketing.testing", url, modules, start.isoformat(),
                             str(speed)], cwd=root, stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(root)})
    assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    return proc


def wait_until(predicate: Any, timeout: float, what: str) -> None:
    """Poll ``predicate`` until true; AssertionError naming ``what`` after ``timeout`` seconds."""
    import time

    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.02)


def _worker(url: str, modules: str, start: str, speed: float) -> None:
    """Run the jobs of a kernel on ``url`` until killed, on a clock that starts at ``start``
    and runs ``speed`` times faster than the wall clock: retry delays and leases of minutes pass
    in a second, and each new worker can start after the leases of a killed one have expired."""
    import datetime as dt
    import time
    from pathlib import Path
    from tempfile import mkdtemp

    from kernel.config import Config
    from kernel.jobs import run_due
    from kernel.kernel import Kernel

    conf = Config(home=Path(mkdtemp()), database_url=url, edition="tier1", extra_modules=tuple(modules.split(",")),
                  secret_key="worker")
    kernel = Kernel(conf)
    base, t0 = dt.datetime.fromisoformat(start), time.monotonic()
    print("ready", flush=True)
    while True:
        now = base + dt.timedelta(seconds=(time.monotonic() - t0) * speed)
        if not run_due(kernel, now=now, limit=5):
            time.sleep(0.05)


if __name__ == "__main__":
    _worker(sys.argv[1], sys.argv[2], sys.argv[3], float(sys.argv[4]))
