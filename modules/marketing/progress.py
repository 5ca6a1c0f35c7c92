"""A send's progress (MKT-02): its messages counted by state, read from the log itself — the
sending pipe moves each message along (queued → sent → delivered or failed), so the counts are
right whichever worker wrote them, and one grouped read of the (send, state) index answers."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from modules.marketing.models import Message

SHOWN = 200  # recipients listed on the send's page; the log lists them all
DONE_STATES = ("sent", "delivered", "failed", "skipped")


@dataclass(frozen=True)
class Progress:
    total: int
    by_state: dict[str, int]

    @property
    def finished(self) -> int:
        return sum(self.by_state.get(s, 0) for s in DONE_STATES)

    @property
    def percent(self) -> int:
        return 100 if self.total == 0 else self.finished * 100 // self.total

    @property
    def awaiting(self) -> int:
        """Messages a panel accepted whose delivery report has not come yet."""
        return self.by_state.get("sent", 0)

    def as_json(self, state: str) -> dict[str, Any]:
        return {"total": self.total, "percent": self.percent, "state": state, "awaiting": self.awaiting,
                **{s: self.by_state.get(s, 0) for s in ("queued", "sending", *DONE_STATES)}}


def progress(session: Session, send_id: int) -> Progress:
    rows = session.execute(select(Message.state, func.count()).where(Message.send_id == send_id)
                           .group_by(Message.state))
    by_state = {state: n for state, n in rows}
    return Progress(sum(by_state.values()), by_state)


def shown_states(session: Session, send_id: int, limit: int = SHOWN) -> dict[int, str]:
    """The state of each recipient the send's page lists (its first ``limit``): the page's
    rows follow their messages as the delivery reports arrive."""
    ids = select(Message.id).where(Message.send_id == send_id).order_by(Message.id).limit(limit).subquery()
    rows = session.execute(select(Message.id, Message.state).where(Message.id.in_(select(ids.c.id))))
    return {int(i): str(st) for i, st in rows}


def recipients(session: Session, send_id: int, limit: int = SHOWN) -> list[Any]:
    """The first recipients of a send with their state and why one was not sent."""
    return list(session.execute(select(Message.id, Message.partner_id, Message.address, Message.state,
                                       Message.skip_reason, Message.parts, Message.error)
                                .where(Message.send_id == send_id).order_by(Message.id).limit(limit)))
