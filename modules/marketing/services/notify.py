"""One service SMS that another module sends about its own record, now: the clinic's booking
confirmation, the insurance agency's thank-you after a purchase, the carpet maker's answer to a
warranty registration. It is a send of one message, written by the composer's writer (so
placeholders such as ``{name}`` fill) and handed to the outbox in the caller's transaction: the
message exists only if the caller's change commits, and the channel's job sends it."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel import Actor, InputError
from kernel.actor import SYSTEM
from kernel.db import utcnow
from modules.base.models import Partner
from modules.marketing import audiences, compose
from modules.marketing.models import Category, Send
from modules.marketing.placeholders import Recipient

SERVICE_CATEGORY = "اطلاع‌رسانی"  # seeded by marketing's first migration; not advertising


def category_named(session: Session, name: str | None) -> Category:
    """The live category of that name, else the first live service (non-advertising) one."""
    live = select(Category).where(Category.deleted_at.is_(None))
    found = session.scalars(live.where(Category.name == (name or SERVICE_CATEGORY))).first()
    found = found or session.scalars(live.where(Category.advertising.is_(False)).order_by(Category.sequence)).first()
    if found is None:
        raise InputError("Add a send category first")
    return found


def send_sms(kernel: Any, session: Session, body: str, *, partner_id: int | None = None,
             mobile: str | None = None, category: str | None = None, label: str = "",
             about: Any = None, actor: Actor | None = None, now: dt.datetime | None = None) -> Send:
    """Queue ``body`` to a partner (their mobile) or to a bare ``mobile`` (any form a user types;
    kept canonical). The returned send's one message is ``queued``, or ``skipped`` with the
    reason the log shows (no mobile; an opt-out, for an advertising ``category``). ``about`` is
    the record a placeholder of the sending module reads; ``label`` names the send in the log
    ("Warranty card W-…"). Raises ``InputError`` for a mobile that is not one."""
    now = now or utcnow()
    actor = actor or SYSTEM
    chosen = category_named(session, category)
    person = session.get(Partner, partner_id) if partner_id is not None else None
    national = audiences.parse_mobile(mobile, "mobile") if mobile else None  # AudienceError: an InputError
    number = audiences.canonical(national) if national is not None else None
    if person is not None:
        who = Recipient(person.id, person.kind, number or person.mobile, person.name, person.first_name,
                        person.last_name, person.title, person.gender, person.email)
    else:
        who = Recipient(None, "", number)
    send = Send(channel="sms", category_id=chosen.id, body=body, state="queued",
                # The audiences the send's page knows: the partner, or a "range" of one mobile.
                audience=json.dumps({"kind": "partner", "id": person.id} if person is not None
                                    else {"kind": "range", "start": f"0{national}", "end": f"0{national}"}),
                audience_label=(label or who.name or number or "")[:300],
                owner_id=actor.user_id or None, created_by_id=actor.user_id or None)
    session.add(send)
    session.flush()
    compose.finish(session, send, compose.write_messages(kernel, session, actor, send, chosen, [(who, about)],
                                                         now, dedupe=False))
    return send


def send_sms_to_many(kernel: Any, session: Session, body: str, recipients: Sequence[tuple[int, Any]], *,
                     category: str | None = None, label: str = "", actor: Actor | None = None,
                     now: dt.datetime | None = None) -> Send | None:
    """One send of ``body`` to many partners, each message about its own record: ``recipients``
    are ``(partner_id, about)`` pairs (two records of one partner are two messages). What a daily
    job sends — an insurance agency's renewal reminders — in one send and one outbox hand-over
    instead of one per message (10,000 renewals: ~90 s one by one). Placeholders fill per message
    from its partner and ``about``; a partner without a mobile is skipped with the reason. None
    when there is nobody."""
    if not recipients:
        return None
    now = now or utcnow()
    actor = actor or SYSTEM
    chosen = category_named(session, category)
    ids = {pid for pid, _ in recipients}
    people: dict[int, Recipient] = {}
    columns = (Partner.id, Partner.kind, Partner.mobile, Partner.name, Partner.first_name, Partner.last_name,
               Partner.title, Partner.gender, Partner.email)
    listed = sorted(ids)
    for start in range(0, len(listed), 1000):
        for row in session.execute(select(*columns).where(Partner.id.in_(listed[start:start + 1000]))):
            people[row.id] = Recipient(*row)
    nobody = Recipient(None, "", None)
    send = Send(channel="sms", category_id=chosen.id, body=body, state="queued",
                audience=json.dumps({"kind": "service", "count": len(recipients)}),
                audience_label=(label or body)[:300],
                owner_id=actor.user_id or None, created_by_id=actor.user_id or None)
    session.add(send)
    session.flush()
    pairs = [(people.get(pid, nobody), about) for pid, about in recipients]
    compose.finish(session, send, compose.write_messages(kernel, session, actor, send, chosen, pairs, now,
                                                         dedupe=False))
    return send
