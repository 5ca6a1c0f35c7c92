"""What a panel reports back — delivery states and received messages — by webhook or by
polling, applied the same way. A delivery for a provider id this panel never gave us (a report
meant for another system, a forged call) changes nothing; a repeated one is refused by the
state rules of :func:`~.states.move`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel import utcnow
from modules.marketing import inbound
from modules.marketing.models import Message, Panel
from modules.marketing.panels import DELIVERED, FAILED, Delivery, Incoming
from modules.marketing.sending.states import Change, move

UNDELIVERED = "The panel reported it undelivered"
POLL_WINDOW = dt.timedelta(days=3)  # a report later than this is not asked for
POLL_LIMIT = 500  # ids per status call


def apply(kernel: Any, session: Session, panel: Panel, deliveries: Sequence[Delivery],
          incoming: Sequence[Incoming]) -> tuple[int, int]:
    """(messages moved, inbound messages logged)."""
    final = {d.provider_id: d for d in deliveries if d.state in (DELIVERED, FAILED)}
    moved = 0
    if final:
        ids = dict(session.execute(select(Message.provider_id, Message.id).where(
            Message.panel_id == panel.id, Message.provider_id.in_(final))).all())
        moved = move(kernel, session, [
            Change(ids[p], "delivered") if d.state == DELIVERED else
            Change(ids[p], "failed", error=kernel.t("fa", UNDELIVERED)) for p, d in final.items() if p in ids])
    for m in incoming:
        inbound.receive(kernel, session, channel="sms", source=f"panel:{panel.id}", provider_id=m.provider_id,
                        address=m.mobile, body=m.body, received_at=m.received_at, to_line=m.to_line)
    return moved, len(incoming)


def poll(kernel: Any, session: Session, now: dt.datetime | None = None) -> None:
    """The periodic job: ask each active panel for its delivery states and received messages.
    A panel that does not answer is skipped until the next run (its error goes to the job log
    only if every panel failed)."""
    from modules.marketing.panels import PanelError
    from modules.marketing.sending import panel_of

    now = now or utcnow()
    errors: list[str] = []
    panels = list(session.scalars(select(Panel).where(Panel.active.is_(True), Panel.deleted_at.is_(None))))
    for panel in panels:
        try:
            _, adapter = panel_of.adapter(kernel, panel)
        except LookupError:
            continue
        waiting = list(session.scalars(select(Message.provider_id).where(
            Message.panel_id == panel.id, Message.state == "sent", Message.provider_id.is_not(None),
            Message.sent_at >= now - POLL_WINDOW).order_by(Message.id).limit(POLL_LIMIT)))
        try:
            deliveries = adapter.deliveries([p for p in waiting if p])
            incoming = adapter.received(None)
        except PanelError as exc:
            errors.append(f"{panel.name}: {exc} {exc.detail}")
            continue
        apply(kernel, session, panel, deliveries, incoming)
    if errors and len(errors) == len(panels):
        raise RuntimeError("; ".join(errors))
