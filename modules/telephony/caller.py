"""What the incoming-call pop-up shows of a call: the caller (in the reader's record scope),
their company, and the facts other modules add through ``telephony_caller_facts``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from kernel import NotFound
from modules.base.models import Communication, Employment, Partner
from modules.telephony.models import Call


@dataclass
class CallerCard:
    call: Call
    partner: Partner | None  # None: an unknown number, or a caller the reader may not see
    company: str = ""
    facts: list[tuple[str, str]] = field(default_factory=list)  # (translated label, text)
    logged: bool = False


def readable_call(kernel: Any, session: Any, actor: Any, call_id: int) -> tuple[Call, bool]:
    """The call and whether its caller is in the actor's scope. A call is as visible as its
    partner; the one exception is a call that rang at the actor's own extension: they hear the
    number anyway, so they get the number (and nothing of the partner)."""
    call = session.scalar(kernel.scoped_select(actor, Call).where(Call.id == call_id))
    if call is not None:
        return call, True
    own = session.get(Call, call_id)
    if own is None or own.user_id is None or own.user_id != actor.user_id:
        raise NotFound("No such record")
    return own, False


def is_logged(session: Any, call: Call) -> bool:
    """Logged once: the communication written for it still exists (a deleted one frees the call)."""
    if call.communication_id is None:
        return False
    return bool(session.scalar(select(Communication.id).where(Communication.id == call.communication_id,
                                                              Communication.deleted_at.is_(None))))


def _company(kernel: Any, session: Any, actor: Any, partner: Partner) -> str:
    if partner.kind != "person":
        return ""
    company = session.scalar(
        kernel.scoped_select(actor, Partner).join(Employment, Employment.company_id == Partner.id)
        .where(Employment.person_id == partner.id, Employment.ended_on.is_(None), Employment.deleted_at.is_(None))
        .order_by(Employment.is_liaison.desc(), Employment.id).limit(1))
    return str(company.name) if company is not None else ""


def caller_card(kernel: Any, session: Any, actor: Any, call_id: int, lang: str) -> CallerCard:
    call, visible = readable_call(kernel, session, actor, call_id)
    card = CallerCard(call=call, partner=None, logged=is_logged(session, call))
    if not visible or call.partner_id is None:
        return card
    partner = session.scalar(kernel.scoped_select(actor, Partner).where(Partner.id == call.partner_id))
    if partner is None:
        return card
    card.partner = partner
    card.company = _company(kernel, session, actor, partner)
    answers = kernel.pm.hook.telephony_caller_facts(kernel=kernel, session=session, actor=actor,
                                                    partner_id=partner.id, lang=lang)
    facts = sorted((f for answer in answers if answer for f in answer), key=lambda f: f[0])
    card.facts = [(kernel.t(lang, label), text) for _seq, label, text in facts]
    return card
