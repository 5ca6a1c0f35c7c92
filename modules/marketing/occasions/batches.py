"""A rule's batch for one occasion day: a ``Send`` whose messages are written at once with the
text each recipient will get (``compose.write_messages``: the same rules — no company, no
mobile, opt-outs of advertising — and the same placeholders), then held ``pending`` until a user
with the approve permission approves (→ queued through ``dispatch``) or rejects it. A rule that
sends without approval hands the batch to the outbox at once (``compose.finish``).

Holding the written messages (state ``pending``) rather than re-reading the audience at approval
means the approver approves exactly what the preview showed."""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from kernel import Actor, Conflict
from kernel.persian.jalali import format_jalali
from modules.marketing import compose
from modules.marketing.dispatch import queue_send
from modules.marketing.models import Category, Message, OccasionRule, Send
from modules.marketing.placeholders import Recipient

PENDING = "pending"
REJECTED = "Rejected at approval"
SHOWN = 20  # texts listed by the preview


def make(kernel: Any, session: Session, actor: Actor, rule: OccasionRule, category: Category, body: str,
         day: dt.date, people: Iterable[Recipient], now: dt.datetime) -> Send:
    """The rule's send for ``day`` with one message per recipient; pending unless the rule
    sends without approval."""
    send = Send(channel="sms", category_id=category.id, template_id=rule.template_id, body=body, state=PENDING,
                audience=json.dumps({"kind": "occasion", "rule": rule.id, "on": day.isoformat()}),
                audience_label=f"{rule.name} — {format_jalali(day)}"[:300], owner_id=actor.user_id,
                created_by_id=actor.user_id)
    session.add(send)
    session.flush()
    out = compose.write_messages(kernel, session, actor, send, category, compose.plain(people), now)
    if rule.auto_send:
        compose.finish(session, send, out)
        return send
    session.execute(update(Message).where(Message.send_id == send.id, Message.state == "queued")
                    .values(state=PENDING))
    send.total, send.skipped = out.total, sum(out.skipped.values())
    return send


def _pending(session: Session, send_id: int) -> Send:
    """The batch, locked (PostgreSQL) so two approvals cannot both pass; refused unless pending."""
    send = session.get(Send, send_id, with_for_update=True)
    if send is None or send.state != PENDING:
        raise Conflict("This batch is no longer awaiting approval")
    return send


def approve(kernel: Any, session: Session, actor: Actor, send_id: int) -> Send:
    send = _pending(session, send_id)
    result = session.execute(update(Message).where(Message.send_id == send_id, Message.state == PENDING)
                             .values(state="queued"))
    n = int(getattr(result, "rowcount", 0) or 0)
    send.state = "queued" if n else "done"
    send.note = kernel.t("fa", "Approved by {user}", user=actor.display_name)
    session.flush()
    queue_send(session, send_id)
    return send


def reject(kernel: Any, session: Session, actor: Actor, send_id: int) -> Send:
    send = _pending(session, send_id)
    reason = kernel.t("fa", REJECTED)
    session.execute(update(Message).where(Message.send_id == send_id, Message.state == PENDING)
                    .values(state="skipped", skip_reason=reason))
    send.state = "cancelled"
    send.note = kernel.t("fa", "Rejected by {user}", user=actor.display_name)
    send.skipped = send.total
    return send


@dataclass
class Preview:
    """What the approver reads: how many get it, who is skipped and why, the first texts."""

    total: int = 0
    to_send: int = 0
    parts: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    first: list[tuple[int | None, str, str]] = field(default_factory=list)  # partner, mobile, text


def preview(session: Session, send_id: int, shown: int = SHOWN) -> Preview:
    out = Preview()
    rows = session.execute(select(Message.state, Message.skip_reason, func.count(), func.sum(Message.parts))
                           .where(Message.send_id == send_id).group_by(Message.state, Message.skip_reason))
    for state, reason, n, parts in rows:
        out.total += n
        if state == "skipped":
            out.skipped[reason or ""] += n
        else:
            out.to_send += n
            out.parts += parts or 0
    out.first = [(p, a, b) for p, a, b in session.execute(
        select(Message.partner_id, Message.address, Message.body).where(
            Message.send_id == send_id, Message.state != "skipped").order_by(Message.id).limit(shown))]
    return out
