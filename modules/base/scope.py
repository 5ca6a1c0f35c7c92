"""Geographic record scope (KER-06, BASE-07): roles limited to provinces.

A role with rows in ``base_role_province`` sees partners of those provinces only, and every
record hanging off those partners. The widest role wins: one unrestricted role among a user's
roles lifts the limit. All of it is SQL, so lists, counts, search, exports and the API agree.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, or_, select

from kernel.actor import Actor
from kernel.models import Role
from modules.base.models import Address, Communication, Contact, Employment, Partner, RoleProvince


def allowed_provinces(actor: Actor) -> Any:
    return select(RoleProvince.province_id).where(RoleProvince.role_id.in_(actor.role_ids))


def unrestricted(actor: Actor) -> Any:
    """True when one of the actor's roles has no province list."""
    return exists().where(Role.id.in_(actor.role_ids),
                          ~exists().where(RoleProvince.role_id == Role.id))


def partner_condition(actor: Actor, column: Any) -> Any:
    return or_(unrestricted(actor), column.in_(allowed_provinces(actor)))


def record_filter(actor: Actor, model: type, action: str) -> Any:
    if actor.is_admin or not actor.role_ids:
        return None
    if model is Partner:
        return partner_condition(actor, Partner.province_id)
    if model is Communication:
        return partner_condition(actor, Communication.province_id)
    for child, column in ((Contact, Contact.partner_id), (Address, Address.partner_id),
                          (Employment, Employment.company_id)):
        if model is child:
            visible = select(Partner.id).where(partner_condition(actor, Partner.province_id))
            return column.in_(visible)
    return None
