"""Registering a warranty card by SMS (CRP-02, FAQ 65/67/69): the end customer sends the card's
code to the panel's line; marketing logs the message and emits ``InboundReceived``; here the
card is registered to the sender's mobile — their partner found or created, the card linked,
the message put on their timeline — and a confirmation SMS queued, in that same transaction.
A code registered before, an unknown code or a void card is answered with a reply that says
why and nothing else changes; nothing here raises (a raise would make the panel call again)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel import InputError
from kernel.actor import SYSTEM
from kernel.db import utcnow
from kernel.persian.textnorm import to_ascii_digits
from modules.carpet.codes import candidates
from modules.carpet.models import WarrantyCard

SETTING = "carpet.sms"
DEFAULTS = {
    "line": "",
    "registered": "مشتری گرامی، کارت ضمانت {card_code} به نام شما ثبت شد. از خرید شما سپاسگزاریم.",
    "already": "کارت ضمانت {card_code} پیش‌تر ثبت شده است و دوباره ثبت نمی‌شود.",
    "unknown": "کدی که فرستادید با هیچ کارت ضمانتی جور نیست. لطفاً کد ۸ حرفی روی کارت را دوباره بفرستید.",
    "void": "کارت ضمانت {card_code} باطل شده است. لطفاً با فروشنده تماس بگیرید.",
}
REPLIES = ("registered", "already", "unknown", "void")
MOBILE = re.compile(r"^\+989\d{9}$")  # marketing's canonical mobile


def settings(kernel: Any, session: Session) -> dict[str, str]:
    saved = kernel.setting(session, SETTING, {}) or {}
    return {k: str(saved.get(k) or v) if k != "line" else str(saved.get(k) or "") for k, v in DEFAULTS.items()}


def _digits(text: str | None) -> str:
    return re.sub(r"\D", "", to_ascii_digits(text or ""))


def same_line(configured: str, to_line: str | None) -> bool:
    """«۱۰۰۰۴۳۴۶» and «+9810004346» name one line: compare the digits, ignoring a country prefix."""
    a, b = _digits(configured), _digits(to_line)
    return bool(a and b) and (a == b or a.endswith(b) or b.endswith(a))


@dataclass(frozen=True)
class Outcome:
    answer: str  # registered | already | unknown | void | no_mobile | ignored
    card_id: int | None = None
    partner_id: int | None = None


def _partner_for(kernel: Any, session: Session, mobile: str, matched: int | None) -> int:
    if matched is not None:
        return matched
    from kernel.records import create_record

    local = "0" + mobile[3:] if mobile.startswith("+98") else mobile
    partner = create_record(kernel, session, SYSTEM, kernel.resources["base.partner"],
                            {"kind": "person", "name": local, "mobile": mobile})
    return int(partner.id)


def _reply(kernel: Any, session: Session, text: str, mobile: str, partner_id: int | None,
           card: WarrantyCard | None) -> None:
    from modules.marketing.services.notify import send_sms

    label = f"Warranty card {card.code}" if card is not None else "Warranty card"
    try:
        send_sms(kernel, session, text, partner_id=partner_id, mobile=mobile, label=label, about=card)
    except InputError:
        pass  # the sender is no mobile (a short code, a name): there is no one to answer


def register_from_sms(kernel: Any, session: Session, *, inbound_id: int, address: str, body: str,
                      partner_id: int | None) -> Outcome:
    from modules.marketing.inbound import assign
    from modules.marketing.models import Inbound

    conf = settings(kernel, session)
    inbound = session.get(Inbound, inbound_id)
    codes = candidates(body)
    if conf["line"]:
        if inbound is None or not same_line(conf["line"], inbound.to_line):
            return Outcome("ignored")
    elif not codes:
        return Outcome("ignored")  # no line of its own, and not about a card: another module's message
    # The card's row is locked while it is read: of two messages with the same code at the same
    # moment one registers it, the other waits and is told it was registered.
    found = {c.code: c for c in session.scalars(select(WarrantyCard).where(
        WarrantyCard.code.in_(codes), WarrantyCard.deleted_at.is_(None))
        .with_for_update().execution_options(populate_existing=True))} if codes else {}
    card = next((found[c] for c in codes if c in found), None)
    if card is None:
        _reply(kernel, session, conf["unknown"], address, partner_id, None)
        return Outcome("unknown")
    if card.state == "void":
        _reply(kernel, session, conf["void"], address, partner_id, card)
        return Outcome("void", card.id)
    if card.state != "printed":
        _reply(kernel, session, conf["already"], address, partner_id, card)
        return Outcome("already", card.id)
    if not MOBILE.match(address or ""):
        return Outcome("no_mobile", card.id)  # a short code or a landline: no one to register, nor to answer
    person = _partner_for(kernel, session, address, partner_id)
    card.state, card.partner_id, card.mobile, card.registered_at = "registered", person, address, utcnow()
    session.flush()
    if inbound is not None and inbound.partner_id is None:
        assign(session, inbound, person)  # the message joins the customer's timeline
    _reply(kernel, session, conf["registered"], address, person, card)
    return Outcome("registered", card.id, person)


def on_event(kernel: Any, session: Session, event: Any) -> None:
    from modules.marketing.events import InboundReceived

    if isinstance(event, InboundReceived) and event.channel == "sms" and not event.opt_out:
        register_from_sms(kernel, session, inbound_id=event.inbound_id, address=event.address, body=event.body,
                          partner_id=event.partner_id)
