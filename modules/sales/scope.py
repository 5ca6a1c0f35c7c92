"""Geographic scope of deals and leads: a role limited to places sees those whose customer is
in them; a lead with no customer yet has no place, so such a role sees it only when it is the
user's own. Ownership scope (own, team) is the kernel's, on the record's own owner."""

from __future__ import annotations

from typing import Any

from sqlalchemy import and_, exists, or_

from kernel.actor import Actor
from modules.base.models import Partner
from modules.base.scope import partner_condition, unrestricted
from modules.sales.models import Lead, Opportunity


def record_filter(actor: Actor, model: type, action: str) -> Any:
    if actor.is_admin or not actor.role_ids:
        return None
    if model is Opportunity:
        # unrestricted() is one uncorrelated EXISTS: true for most roles, and then the
        # per-row test of the customer is never run.
        return or_(unrestricted(actor), exists().where(Partner.id == Opportunity.partner_id, partner_condition(actor)))
    if model is Lead:
        return or_(unrestricted(actor), and_(Lead.partner_id.is_(None), Lead.owner_id == actor.user_id),
                   exists().where(Partner.id == Lead.partner_id, partner_condition(actor)))
    return None
