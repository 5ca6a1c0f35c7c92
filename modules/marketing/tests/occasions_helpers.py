"""What the occasion tests share: a marketing kernel, a user who writes and approves occasion
rules, rules made through the resource's path (its validation included), the occasions table's
dates, and the rules' batches read back."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select

from kernel.actor import SYSTEM
from kernel.occasions import Occasion
from kernel.testing import actor_of, create_user
from modules.marketing.models import Message, Send
from modules.marketing.occasions.job import run_occasions
from modules.marketing.tests.compose_helpers import category, make

GREETING, CONDOLENCE = "تبریک", "تسلیت"
MANAGER = ("marketing.occasion_rule.*", "marketing.occasion.approve", "marketing.send.view",
           "marketing.message.view", "marketing.category.view", "marketing.template.view", "base.partner.view",
           "marketing.sms.send")


def manager(kernel: Any, name: str = "nasrin", perms: tuple[str, ...] = MANAGER) -> Any:
    return actor_of(kernel, create_user(kernel, name, perms=perms))


def rule(kernel: Any, actor: Any, occasion: str, body: str = "{name}، زادروزتان خجسته باد",
         **values: Any) -> int:
    return make(kernel, "marketing.occasion_rule", actor, **{
        "name": f"تبریک {occasion}", "occasion": occasion, "category_id": category(kernel, GREETING), "body": body,
        "days_before": 0, "send_hour": 9, "active": True, **values})


def occasion_date(kernel: Any, key: str, jyear: int = 1405) -> dt.date:
    with kernel.sessions() as s:
        return s.scalars(select(Occasion.date).where(Occasion.key == key, Occasion.year == jyear)).one()


def run_job(kernel: Any, now: dt.datetime) -> None:
    with kernel.session(SYSTEM) as s:
        run_occasions(kernel, s, now)


def sends(kernel: Any) -> list[tuple[int, str, str | None]]:
    """(id, state, label) of every send, in order."""
    with kernel.sessions() as s:
        return [(i, st, label) for i, st, label in s.execute(select(Send.id, Send.state, Send.audience_label)
                                                             .order_by(Send.id))]


def texts(kernel: Any, send_id: int) -> list[tuple[str, str, str | None, str]]:
    """(address, state, skip reason, text) of a send's messages, in order."""
    with kernel.sessions() as s:
        rows = s.execute(select(Message.address, Message.state, Message.skip_reason, Message.body)
                         .where(Message.send_id == send_id).order_by(Message.id))
        return [(a, st, r, b) for a, st, r, b in rows]
