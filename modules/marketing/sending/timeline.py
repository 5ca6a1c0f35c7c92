"""Every message to a partner is a communication on the partner's timeline (BASE-10): written
when the panel accepts it, its result following the delivery state. Written with one statement
per batch (not one ORM object each): a bulk send of 100,000 would otherwise spend its time here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import case, insert, select, update
from sqlalchemy.orm import Session

from modules.base.models import Communication, Partner
from modules.marketing.models import Message

RESULTS = {"sent": "SMS sent, awaiting its delivery report", "delivered": "SMS delivered",
           "failed": "SMS not delivered"}
# An e-mail has no delivery report: accepted by the SMTP server is "sent"; a bounce is "failed".
EMAIL_RESULTS = {"sent": "E-mail sent", "delivered": "E-mail sent", "failed": "E-mail not delivered"}
LINK = "marketing.message"


def result_text(kernel: Any, state: str, error: str | None = None, channel: str = "sms") -> str:
    text = kernel.t("fa", (EMAIL_RESULTS if channel == "email" else RESULTS)[state])
    return f"{text}: {error}" if error and state == "failed" else text


def record(kernel: Any, session: Session, moved: Sequence[tuple[Any, Any]], now: dt.datetime) -> None:
    """``moved``: (the message's row before the change, its :class:`~.states.Change`)."""
    new = [(row, c) for row, c in moved if row.partner_id is not None and row.communication_id is None
           and c.state in ("sent", "delivered")]
    if new:
        provinces = dict(session.execute(select(Partner.id, Partner.province_id).where(
            Partner.id.in_({row.partner_id for row, _ in new}))).all())
        ids = session.scalars(insert(Communication).returning(Communication.id, sort_by_parameter_order=True), [{
            "kind": _kind(row), "direction": "out", "subject": (_subject(row) or row.body)[:200], "started_at": now,
            "result": result_text(kernel, c.state, channel=_kind(row)), "partner_id": row.partner_id,
            "province_id": provinces.get(row.partner_id), "link_resource": LINK, "link_id": row.id,
            "search_key": "", "created_at": now, "updated_at": now, "created_by_id": row.created_by_id,
            "owner_id": row.created_by_id} for row, c in new]).all()
        session.execute(update(Message).execution_options(synchronize_session=False),
                        [{"id": row.id, "communication_id": cid} for (row, _), cid in zip(new, ids, strict=True)])
    later = [(row, c) for row, c in moved if row.communication_id is not None and c.state in RESULTS]
    if later:
        texts = {row.communication_id: result_text(kernel, c.state, c.error, _kind(row)) for row, c in later}
        session.execute(update(Communication).where(Communication.id.in_(texts)).values(
            result=case(texts, value=Communication.id), updated_at=now).execution_options(
            synchronize_session=False))


def _kind(row: Any) -> str:
    return "email" if getattr(row, "channel", "sms") == "email" else "sms"


def _subject(row: Any) -> str | None:
    # An e-mail shows its subject on the timeline; an SMS, its text.
    return getattr(row, "subject", None) if _kind(row) == "email" else None
