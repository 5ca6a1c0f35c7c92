"""The consumer of ``marketing.sms_batch`` outbox rows (``{"messages": [ids]}``, written by
:mod:`modules.marketing.dispatch`), run by the kernel's workers with ``own_transactions``.

For each chunk of a panel's ``batch_size``: claim its messages (queued → sending) and COMMIT,
wait for the panel's rate, call the panel with no transaction open, then record each answer
(sent with its provider id and cost, or failed with the panel's reason) in a second transaction.

Exactly once, across crashes and ``kill -9``: a message found in ``sending`` when a batch starts
was claimed by an attempt that died between its two commits, so it may or may not have reached
the panel. If the panel is idempotent (it keeps our local id, the message's row id: Kavenegar's
``localid``) it is sent again with the same id, and the panel answers the first send without
sending twice. Otherwise it is marked failed, "unknown whether the panel received it; not sent
again": a duplicate SMS (billed, and seen by the customer twice) is the worse mistake, and the
user sees exactly which recipients are in doubt.

Retries: a panel error that may pass (unreachable, timed out, 5xx) sends the batch's remaining
messages to a new outbox row after a back-off (30 s, doubling up to 30 min, 10 attempts: about
two hours), then fails them
with the panel's reason. An error that cannot pass (no credit, a refused key) fails them at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import and_, select, update

from kernel.actor import SYSTEM
from kernel.db import transaction
from kernel.outbox import enqueue
from modules.marketing.models import Message, Send
from modules.marketing.panels import Outgoing, PanelError, PanelKind, SmsPanel
from modules.marketing.sending import panel_of, rate
from modules.marketing.sending.states import Change, move

TOPIC = "marketing.sms_batch"
MAX_ATTEMPTS = 10
FIRST_RETRY = 30  # seconds, doubling up to LAST_RETRY: about two hours in all before giving up
LAST_RETRY = 1800
UNKNOWN = "Unknown whether the panel received it: not sent again"
NO_PANEL = "No active SMS panel is configured"


def panel_error(kernel: Any, exc: PanelError) -> str:
    text = kernel.t("fa", str(exc))
    return f"{text} ({exc.detail})" if exc.detail else text


def run_batch(kernel: Any, payload: dict[str, Any], now: dt.datetime) -> None:
    ids = [int(i) for i in payload.get("messages", ())]
    attempt = int(payload.get("attempt", 1))
    with kernel.sessions() as s:
        rows = s.execute(select(Message.id, Message.state, Message.panel_id, Message.send_id)
                         .where(Message.id.in_(ids), Message.channel == "sms",
                                Message.state.in_(("queued", "sending"))).order_by(Message.id)).all()
        plan: dict[int | None, list[Any]] = {}
        panels: dict[int, tuple[PanelKind, SmsPanel, int, int]] = {}
        chosen: dict[tuple[int | None, int | None], int | None] = {}
        for r in rows:
            key = (r.panel_id, r.send_id)
            if key not in chosen:
                panel = panel_of.choose(s, r.panel_id, r.send_id)
                try:
                    if panel is not None and panel.id not in panels:
                        kind, adapter = panel_of.adapter(kernel, panel)
                        # A kind may cap the batch (a GSM modem sends one message a call).
                        size = min(panel.batch_size, int(kind.extra.get("max_batch", panel.batch_size)))
                        panels[panel.id] = (kind, adapter, max(size, 1), panel.per_second)
                except LookupError:
                    panel = None
                chosen[key] = panel.id if panel is not None else None
            plan.setdefault(chosen[key], []).append(r)
    if None in plan:
        with transaction(kernel.sessions, SYSTEM) as s:
            _fail(kernel, s, [r.id for r in plan.pop(None)], kernel.t("fa", NO_PANEL), now)
    for panel_id, panel_rows in plan.items():
        assert panel_id is not None
        _through(kernel, panel_id, panels[panel_id], panel_rows, attempt, now)


def _through(kernel: Any, panel_id: int, panel: tuple[PanelKind, SmsPanel, int, int], rows: Sequence[Any],
             attempt: int, now: dt.datetime) -> None:
    kind, adapter, batch_size, per_second = panel
    leftovers = [r.id for r in rows if r.state == "sending"]
    if leftovers and not kind.idempotent:
        with transaction(kernel.sessions, SYSTEM) as s:
            _fail(kernel, s, leftovers, kernel.t("fa", UNKNOWN), now)
        leftovers = []
    todo = leftovers + [r.id for r in rows if r.state == "queued"]
    progressed = False
    for start in range(0, len(todo), batch_size):
        chunk = todo[start:start + batch_size]
        with transaction(kernel.sessions, SYSTEM) as s:
            _claim(s, chunk, panel_id)
            outgoing = [Outgoing(i, a, b) for i, a, b in s.execute(
                select(Message.id, Message.address, Message.body).where(
                    Message.id.in_(chunk), Message.state == "sending").order_by(Message.id)).all()]
        if not outgoing:
            continue
        rate.wait_turn(panel_id, len(outgoing), per_second)
        try:
            answers = adapter.send(outgoing)
        except PanelError as exc:
            # Attempts count failures in a row: a batch that moved on since its last failure
            # starts counting again, so a long batch on a flaky panel is not given up half-way.
            _after_error(kernel, kind, exc, [o.local_id for o in outgoing], todo[start + batch_size:],
                         1 if progressed else attempt, now)
            return
        progressed = True
        with transaction(kernel.sessions, SYSTEM) as s:
            move(kernel, s, [Change(a.local_id, "failed", error=a.error) if a.error else
                             Change(a.local_id, "sent", provider_id=a.provider_id, cost=a.cost) for a in answers],
                 now)
            _finish_sends(s, [o.local_id for o in outgoing])


def _claim(session: Any, ids: list[int], panel_id: int) -> None:
    # Guarded by the state: a message another attempt already took is left to it.
    session.execute(update(Message).where(Message.id.in_(ids), Message.state == "queued")
                    .values(state="sending", panel_id=panel_id).execution_options(synchronize_session=False))


def _after_error(kernel: Any, kind: PanelKind, exc: PanelError, chunk: list[int], rest: list[int], attempt: int,
                 now: dt.datetime) -> None:
    reason = panel_error(kernel, exc)
    with transaction(kernel.sessions, SYSTEM) as s:
        if not exc.retry or attempt >= MAX_ATTEMPTS:
            # The panel will not take them (no credit, a refused key) or never answered: each
            # message says why, and nothing of the batch is left half sent.
            _fail(kernel, s, chunk + rest, reason, now)
            return
        if exc.maybe_sent and not kind.idempotent:
            _fail(kernel, s, chunk, f"{kernel.t('fa', UNKNOWN)} — {reason}", now)
            retry = rest
        elif exc.maybe_sent:
            retry = chunk + rest  # still "sending": resent with the same local ids
        else:
            move(kernel, s, [Change(i, "queued") for i in chunk], now)
            retry = chunk + rest
        s.execute(update(Message).where(Message.id.in_(retry)).values(error=reason)
                  .execution_options(synchronize_session=False))
        if retry:
            delay = dt.timedelta(seconds=min(FIRST_RETRY * 2 ** (attempt - 1), LAST_RETRY))
            enqueue(s, TOPIC, {"messages": retry, "attempt": attempt + 1}, available_at=now + delay)


def _fail(kernel: Any, session: Any, ids: list[int], reason: str, now: dt.datetime) -> None:
    move(kernel, session, [Change(i, "failed", error=reason) for i in ids], now)
    _finish_sends(session, ids)


def _finish_sends(session: Any, ids: list[int]) -> None:
    """A send whose messages have all left the queue is done."""
    send_ids = set(session.scalars(select(Message.send_id).where(Message.id.in_(ids), Message.send_id.is_not(None))))
    for send_id in send_ids:
        waiting = session.scalar(select(Message.id).where(and_(
            Message.send_id == send_id, Message.state.in_(("queued", "sending")))).limit(1))
        if waiting is None:
            session.execute(update(Send).where(Send.id == send_id, Send.state.in_(("queued", "sending")))
                            .values(state="done").execution_options(synchronize_session=False))
