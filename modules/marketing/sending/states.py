"""Every change of a message's state goes through :func:`move`: it checks the step is allowed
(so a late or repeated report cannot move a message back), writes the message, keeps its send's
counters (sent, delivered, failed, cost) and its timeline entry right, in the caller's
transaction. Counting here, from the state each message really left, keeps the counters equal
to a count of the log whatever order reports arrive in.

Counters: ``sent`` counts messages the panel accepted (and keeps counting them once delivered
or reported undelivered), ``delivered`` those reported delivered, ``failed`` those refused by
the panel or reported undelivered, ``cost`` what the panel billed."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kernel import utcnow
from modules.marketing.models import Message, Send
from modules.marketing.sending import timeline

# to-state: the states it may be reached from
ALLOWED: dict[str, frozenset[str]] = {
    "sending": frozenset({"queued"}),
    "queued": frozenset({"sending"}),  # a call that surely did not reach the panel
    "sent": frozenset({"sending"}),
    "delivered": frozenset({"sent", "sending"}),
    "failed": frozenset({"queued", "sending", "sent"}),
}


@dataclass(frozen=True)
class Change:
    message_id: int
    state: str
    provider_id: str | None = None
    panel_id: int | None = None
    cost: int = 0
    error: str | None = None


def move(kernel: Any, session: Session, changes: Sequence[Change], now: dt.datetime | None = None) -> int:
    """Apply the allowed ``changes``; return how many messages moved."""
    if not changes:
        return 0
    now = now or utcnow()
    wanted = {c.message_id: c for c in changes}
    rows = session.execute(select(Message.id, Message.state, Message.send_id, Message.partner_id,
                                  Message.communication_id, Message.body, Message.created_by_id, Message.channel,
                                  Message.subject)
                           .where(Message.id.in_(wanted))).all()
    values: list[dict[str, Any]] = []
    deltas: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    moved: list[tuple[Any, Change]] = []
    for row in rows:
        c = wanted[row.id]
        if row.state not in ALLOWED.get(c.state, ()):
            continue
        v: dict[str, Any] = {"id": row.id, "state": c.state}
        if c.state in ("sent", "delivered") and row.state in ("queued", "sending"):
            v.update(sent_at=now, cost=c.cost, error=None)  # an earlier attempt's error no longer holds
            if c.provider_id is not None:
                v["provider_id"] = c.provider_id
        if c.panel_id is not None:
            v["panel_id"] = c.panel_id
        if c.state == "delivered":
            v["delivered_at"] = now
        if c.error is not None:
            v["error"] = c.error  # None leaves the column as it is (a delivery keeps nothing to say)
        values.append(v)
        moved.append((row, c))
        if row.send_id is not None:
            d = deltas[row.send_id]
            if "sent_at" in v:
                d["sent"] += 1
                d["cost"] += c.cost
            if c.state == "delivered":
                d["delivered"] += 1
            if c.state == "failed":
                d["failed"] += 1
    if not values:
        return 0
    session.execute(update(Message).execution_options(synchronize_session=False), values)
    for send_id, d in deltas.items():
        if any(d.values()):
            session.execute(update(Send).where(Send.id == send_id).values(
                sent=Send.sent + d["sent"], delivered=Send.delivered + d["delivered"],
                failed=Send.failed + d["failed"], cost=Send.cost + d["cost"]).execution_options(
                synchronize_session=False))
    timeline.record(kernel, session, moved, now)
    return len(values)
