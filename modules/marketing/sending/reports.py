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
from kernel.actor import SYSTEM
from kernel.db import transaction
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


def poll(kernel: Any, now: dt.datetime | None = None) -> None:
    """The periodic job: ask each active panel for its delivery states and received messages.
    Its own transactions (``Job(own_transactions=True)``): the ids waiting for a report are read,
    the panel is asked with no transaction open (on SQLite a slow panel would otherwise hold the
    database's one write lock), and its answer is applied in a short transaction per panel. A
    panel that does not answer is skipped until the next run (its error goes to the job log only
    if every panel failed)."""
    from modules.marketing.panels import PanelError
    from modules.marketing.sending import panel_of

    now = now or utcnow()
    errors: list[str] = []
    with kernel.sessions() as s:
        panels = list(s.scalars(select(Panel).where(Panel.active.is_(True), Panel.deleted_at.is_(None))))
        asks: list[tuple[Panel, Any, list[str]]] = []
        for panel in panels:
            try:
                _, adapter = panel_of.adapter(kernel, panel)
            except LookupError:
                continue
            waiting = s.scalars(select(Message.provider_id).where(
                Message.panel_id == panel.id, Message.state == "sent", Message.provider_id.is_not(None),
                Message.sent_at >= now - POLL_WINDOW).order_by(Message.id).limit(POLL_LIMIT))
            asks.append((panel, adapter, [p for p in waiting if p]))
        s.expunge_all()
    for panel, adapter, waiting in asks:
        try:
            deliveries = adapter.deliveries(waiting)
            incoming = adapter.received(None)
        except PanelError as exc:
            errors.append(f"{panel.name}: {exc} {exc.detail}")
            continue
        with transaction(kernel.sessions, SYSTEM) as s:
            apply(kernel, s, s.merge(panel, load=False), deliveries, incoming)
        # A panel that keeps what it received until told (a GSM modem's SIM) forgets it only now,
        # once it is committed here.
        acknowledge = getattr(adapter, "acknowledge", None)
        if acknowledge is not None:
            acknowledge()
    if errors and len(errors) == len(panels):
        raise RuntimeError("; ".join(errors))
