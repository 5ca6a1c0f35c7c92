"""The marketing module joins a database with its tables and the usual send categories."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from kernel.testing import create_user
from modules.marketing.models import Category


def test_marketing_brings_the_usual_send_categories_listed_in_persian(make_kernel: Any, web_client: Any) -> None:
    kernel = make_kernel(edition="tier2", modules=("marketing",))
    with kernel.sessions() as s:
        seeded = {c.name: c.advertising for c in s.scalars(select(Category))}
    assert seeded["تبلیغات"] is True and seeded["یادآوری پرداخت"] is False and len(seeded) == 6
    create_user(kernel, "sara", perms=("marketing.category.view",))
    page = web_client(kernel, "sara").get("/marketing/category/")
    assert page.status_code == 200 and "دسته‌های ارسال" in page.text and "یادآوری پرداخت" in page.text


def test_queued_messages_reach_the_outbox_in_batches_of_their_channel(make_kernel: Any) -> None:
    """dispatch.queue_send: one outbox row per batch of a send's queued messages, per channel;
    its skipped messages are not sent."""
    import json

    from kernel.outbox import OutboxMessage
    from modules.marketing.dispatch import TOPICS, queue_send
    from modules.marketing.models import Message, Send

    kernel = make_kernel(edition="tier1", modules=("marketing",))
    with kernel.session() as s:
        category = s.scalars(select(Category.id).where(Category.name == "تبریک")).one()
        send = Send(channel="sms", category_id=category, body="نوروز مبارک")
        s.add(send)
        s.flush()
        s.add_all([Message(send_id=send.id, category_id=category, address=f"+98912000{i:04d}", body="نوروز مبارک",
                           state="skipped" if i % 10 == 0 else "queued") for i in range(250)])
        s.flush()
        assert queue_send(s, send.id, batch=100) == 3  # 225 queued: 100 + 100 + 25
    with kernel.sessions() as s:
        rows = s.scalars(select(OutboxMessage).where(OutboxMessage.topic == TOPICS["sms"]).order_by(OutboxMessage.id))
        batches = [json.loads(r.payload)["messages"] for r in rows]
        queued = set(s.scalars(select(Message.id).where(Message.state == "queued")))
    assert [len(b) for b in batches] == [100, 100, 25] and set().union(*map(set, batches)) == queued
