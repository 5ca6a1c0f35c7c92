"""What the composing tests share: a marketing kernel on either engine, its users, partners
made through the forms' path, and the send's rows read back."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select

from kernel import records
from kernel.actor import SYSTEM
from kernel.testing import actor_of, create_user
from modules.marketing.models import Category, Message, Send

ENGINES = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
SENDER = ("marketing.sms.send", "marketing.send.view", "marketing.message.view", "marketing.template.*",
          "marketing.category.view", "base.partner.view")
ADS, REMINDER = "تبلیغات", "یادآوری پرداخت"


def marketing_kernel(make_kernel: Any, engine: str = "sqlite", **kw: Any) -> Any:
    return make_kernel(edition="tier1", modules=("marketing",), engine=engine, **kw)


def make(kernel: Any, resource: str, actor: Any = SYSTEM, **values: Any) -> int:
    with kernel.session(actor) as s:
        return int(records.create_record(kernel, s, actor, kernel.resources[resource], values).id)


def person(kernel: Any, first: str, last: str, mobile: str | None, owner: Any = None, **values: Any) -> int:
    """A person (``owner``: the actor whose own record it is)."""
    return make(kernel, "base.partner", kind="person", first_name=first, last_name=last, mobile=mobile,
                owner_id=owner.user_id if owner is not None else None, **values)


def company(kernel: Any, name: str, mobile: str | None = None, owner: Any = None) -> int:
    return make(kernel, "base.partner", kind="company", name=name, mobile=mobile,
                owner_id=owner.user_id if owner is not None else None)


def sender(kernel: Any, name: str = "sara", scope: str = "all") -> Any:
    return actor_of(kernel, create_user(kernel, name, perms=SENDER, scope=scope))


def category(kernel: Any, name: str) -> int:
    with kernel.sessions() as s:
        return int(s.scalars(select(Category.id).where(Category.name == name)).one())


def messages(kernel: Any, send_id: int) -> list[tuple[str, str, str | None, int]]:
    """(address, state, skip reason, parts) of a send's messages, in order."""
    with kernel.sessions() as s:
        rows = s.execute(select(Message.address, Message.state, Message.skip_reason, Message.parts)
                         .where(Message.send_id == send_id).order_by(Message.id))
        return [(a, st, r, p) for a, st, r, p in rows]


def count_sends(kernel: Any) -> tuple[int, int]:
    with kernel.sessions() as s:
        return (s.scalar(select(func.count()).select_from(Send)) or 0,
                s.scalar(select(func.count()).select_from(Message)) or 0)
