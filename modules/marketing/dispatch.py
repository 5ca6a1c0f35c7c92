"""Handing queued messages to the outbox (MKT-02, MKT-03): the one door every sender uses — a
send to many, a single message from a partner's page, a reminder of another module.

The caller writes the messages (state ``queued``) and calls :func:`queue_messages` or
:func:`queue_send` in the same transaction: the outbox rows exist only if that transaction
commits, so a send and its messages go out together or not at all. One outbox row carries a
batch of message ids of one channel; the channel's job (``TOPICS``) claims it, sends, and
records each message's state."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel.outbox import enqueue_many
from modules.marketing.models import Message

TOPICS = {"sms": "marketing.sms_batch", "email": "marketing.email_batch"}
BATCH = 100  # message ids per outbox row: one panel call (a panel's batch_size caps it further)


def queue_messages(session: Session, messages: Iterable[tuple[int, str]], batch: int = BATCH) -> int:
    """Outbox rows for ``(message id, channel)`` pairs, ``batch`` ids a row, by channel; the
    number of rows written."""
    by_channel: dict[str, list[int]] = {}
    for message_id, channel in messages:
        if channel not in TOPICS:
            raise ValueError(f"unknown channel {channel!r}")
        by_channel.setdefault(channel, []).append(message_id)
    rows = 0
    for channel, ids in by_channel.items():
        payloads = [{"messages": ids[i:i + batch]} for i in range(0, len(ids), batch)]
        enqueue_many(session, TOPICS[channel], payloads)
        rows += len(payloads)
    return rows


def queue_send(session: Session, send_id: int, batch: int = BATCH) -> int:
    """Outbox rows for every queued message of a send (its skipped ones stay as they are)."""
    ids = session.execute(select(Message.id, Message.channel).where(
        Message.send_id == send_id, Message.state == "queued").order_by(Message.id)).all()
    return queue_messages(session, [(i, c) for i, c in ids], batch)


