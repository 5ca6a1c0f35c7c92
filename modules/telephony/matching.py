"""From the number a device printed to a partner, through the canonical form every phone is
stored in (``+98…``: base's partner mobile/phone and contact rows, BASE-09)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel import InputError
from kernel.persian.phones import canonical_phone
from modules.base.models import Contact, Partner


def canonical_number(number: str, default_area: str) -> str | None:
    """``09121234567``, ``۰۹۱۲…``, ``88776655`` (a local number: the organisation's area code) →
    ``+98…``; ``None`` for no number, a private or out-of-area call, or digits that are no phone
    (an internal short code)."""
    digits = number.strip()
    if not digits or not any(c.isdigit() for c in digits):
        return None
    try:
        return canonical_phone(digits, default_area.lstrip("0") or "21")
    except InputError:
        return None


def match_partner(session: Session, canonical: str) -> int | None:
    """The oldest live partner with this number as its mobile, else its phone, else in a contact
    row. One equality on one indexed column per statement: an OR of the two columns with
    ``ORDER BY id LIMIT 1`` may walk the primary key instead (a million partners)."""
    for column in (Partner.mobile, Partner.phone):
        found = session.scalar(select(Partner.id).where(column == canonical, Partner.deleted_at.is_(None))
                               .order_by(Partner.id).limit(1))
        if found is not None:
            return int(found)
    contact = session.scalar(select(Contact.partner_id).where(
        Contact.kind.in_(("mobile", "phone")), Contact.value == canonical, Contact.deleted_at.is_(None))
        .order_by(Contact.id).limit(1))
    return int(contact) if contact is not None else None
