"""Exact lookups for the top-bar search (KER-12): a phone typed in any digits or format, a
national ID, a club card. Each is one indexed equality, so they answer at once at any size,
before the fragment search of every resource."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, union

from kernel import InputError, SearchHit, SearchProvider
from kernel.persian.phones import canonical_phone
from kernel.persian.textnorm import to_ascii_digits
from modules.base.models import Contact, Partner

KIND_LABEL = {"person": "Person", "company": "Company"}


def lookup(session: Any, actor: Any, query: str, limit: int, kernel: Any = None, **_: Any) -> list[SearchHit]:
    digits = "".join(ch for ch in to_ascii_digits(query) if ch.isdigit())
    if len(digits) < 8:
        return []
    # One indexed equality per column, united: an OR across columns would make SQLite scan.
    lookups: list[Any] = [select(Partner.id).where(Partner.card_number == digits),
                          select(Partner.id).where(Partner.economic_code == digits)]
    try:
        phone = canonical_phone(query, kernel.config.default_area_code if kernel else "21")
    except InputError:
        phone = None
    if phone:
        lookups += [select(Partner.id).where(Partner.mobile == phone), select(Partner.id).where(Partner.phone == phone),
                    select(Contact.partner_id).where(Contact.value == phone, Contact.deleted_at.is_(None))]
    if len(digits) == 10:
        lookups.append(select(Partner.id).where(Partner.national_id == digits))
    ids = union(*lookups).subquery()
    stmt = (kernel.scoped_select(actor, Partner).where(Partner.id.in_(select(ids.c[0])))
            .order_by(Partner.sort_key, Partner.id).limit(limit))
    return [SearchHit(p.name, f"/base/partner/{p.id}/profile", KIND_LABEL.get(p.kind, ""), record=f"base.partner:{p.id}")
            for p in session.scalars(stmt)]


def providers(kernel: Any) -> list[SearchProvider]:
    def search(session: Any, actor: Any, query: str, limit: int) -> list[SearchHit]:
        return lookup(session, actor, query, limit, kernel=kernel)

    return [SearchProvider("base.partner_numbers", "Partners", search, permission="base.partner.view", sequence=10,
                           exact=True)]
