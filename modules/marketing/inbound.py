"""Inbound messages (MKT-07): one door for an SMS a panel received (webhook or polling) and an
e-mail fetched from the mailbox. Idempotent on (channel, source, provider_id), so a retried
webhook or an overlapping poll logs a message once. The sender is matched to a partner by the
canonical mobile (the partner's own or one of its contact rows) or the e-mail address; a match
is logged as a communication (direction in) on the partner's timeline; an opt-out reply
(«لغو», «لغو۱۱», «لغو 11», digits in any script) becomes an opt-out; the rest wait in the inbox
(state ``unassigned``) for a user to assign them."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kernel import InputError, utcnow
from kernel.persian.phones import canonical_phone
from kernel.persian.textnorm import to_ascii_digits
from modules.base.models import Communication, Contact, Partner
from modules.marketing.events import InboundReceived
from modules.marketing.models import Inbound, OptOut

# «لغو» then, optionally, a number (the line's suffix the panels print: «لغو۱۱»).
_OPT_OUT = re.compile(r"^\s*(لغو|لغو\s*عضویت|cancel|stop)\s*\d*\s*$", re.IGNORECASE)
_INVISIBLE = dict.fromkeys(map(ord, "\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u00a0"), " ")
LINK = "marketing.inbound"


def is_opt_out(body: str) -> bool:
    text = to_ascii_digits(body.translate(_INVISIBLE)).replace("ي", "ی").replace("ك", "ک")
    return bool(_OPT_OUT.match(text))


def canonical_address(channel: str, address: str) -> str:
    if channel == "email":
        return address.strip().lower()
    try:
        return canonical_phone(address)
    except InputError:
        return address.strip()[:254]  # a short code or a name: kept as it came, matched to nobody


def match_partner(session: Session, channel: str, address: str) -> int | None:
    if channel == "email":
        found = session.scalar(select(Partner.id).where(func.lower(Partner.email) == address,
                                                        Partner.deleted_at.is_(None)).order_by(Partner.id).limit(1))
        kinds = ("email",)
    else:
        found = session.scalar(select(Partner.id).where(Partner.mobile == address, Partner.deleted_at.is_(None))
                               .order_by(Partner.id).limit(1))
        kinds = ("mobile",)
    if found is None:
        found = session.scalar(select(Contact.partner_id).where(
            Contact.kind.in_(kinds), Contact.value == address, Contact.deleted_at.is_(None))
            .order_by(Contact.id).limit(1))
    return found


def receive(kernel: Any, session: Session, *, channel: str, source: str, provider_id: str, address: str,
            body: str, received_at: dt.datetime, to_line: str | None = None,
            subject: str | None = None) -> Inbound:
    """Log one received message (in the caller's transaction); the row already logged when the
    same message comes again."""
    known = session.scalars(select(Inbound).where(Inbound.channel == channel, Inbound.source == source,
                                                  Inbound.provider_id == provider_id)).first()
    if known is not None:
        return known
    address = canonical_address(channel, address)
    partner_id = match_partner(session, channel, address)
    opt_out = is_opt_out(body)
    row = Inbound(channel=channel, source=source, provider_id=provider_id[:200], address=address, to_line=to_line,
                  subject=subject, body=body, received_at=received_at, partner_id=partner_id,
                  state="opt_out" if opt_out else ("matched" if partner_id else "unassigned"))
    session.add(row)
    session.flush()
    if opt_out:
        session.add(OptOut(partner_id=partner_id, address=address, source="reply", at=received_at,
                           note=body[:300]))
    if partner_id is not None:
        row.communication_id = log_communication(session, row, partner_id)
    kernel.emit(InboundReceived(row.id, channel, address, body, partner_id, opt_out), session)
    return row


def log_communication(session: Session, row: Inbound, partner_id: int) -> int:
    comm = Communication(kind="sms" if row.channel == "sms" else "email", direction="in",
                         subject=(row.subject or row.body)[:200] or "-", result=row.body, started_at=row.received_at,
                         partner_id=partner_id, link_resource=LINK, link_id=row.id)
    session.add(comm)
    session.flush()
    return int(comm.id)


def assign(session: Session, row: Inbound, partner_id: int) -> None:
    """A user names the partner of an unmatched message: it joins the partner's timeline."""
    if session.get(Partner, partner_id) is None:
        raise InputError("Choose a partner")
    row.partner_id = partner_id
    row.state = "assigned"
    row.communication_id = log_communication(session, row, partner_id)
    row.updated_at = utcnow()
