"""Shared steps of the SMS pipe's tests."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from sqlalchemy import func, select

from kernel.jobs import run_due
from kernel.outbox import OutboxMessage
from modules.marketing.models import Message, Send

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
T0 = dt.datetime(2030, 1, 1, 8, 0, 0)  # after any real utcnow(): every queued row is due


def mobiles(n: int, start: int = 0) -> list[str]:
    return [f"+98912{start + i:07d}" for i in range(n)]


def drain(kernel: Any, *, start: dt.datetime = T0, step: dt.timedelta = dt.timedelta(minutes=10),
          rounds: int = 20) -> dt.datetime:
    """Run the jobs, moving the clock on so retries with back-off come due, until the SMS
    outbox is empty; the clock reached."""
    now = start
    for _ in range(rounds):
        run_due(kernel, now=now, limit=1000)
        with kernel.sessions() as s:
            waiting = s.scalar(select(func.count()).select_from(OutboxMessage).where(
                OutboxMessage.topic == "marketing.sms_batch", OutboxMessage.status.in_(("pending", "running"))))
        if not waiting:
            return now
        now += step
    raise AssertionError("the SMS outbox did not drain")


def states(kernel: Any) -> dict[str, int]:
    with kernel.sessions() as s:
        return dict(s.execute(select(Message.state, func.count()).group_by(Message.state)).all())


def send_row(kernel: Any, send_id: int) -> Send:
    with kernel.sessions() as s:
        row = s.get(Send, send_id)
        assert row is not None
        s.expunge(row)
        return row
