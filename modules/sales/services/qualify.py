"""Qualifying a lead (SAL-01): it becomes an opportunity of a partner, in one transaction.

A lead that names no partner makes one from what it holds (a company when it has a company
name, else a person), with its mobile and e-mail; the lead stays, marked qualified and linked
to the opportunity, so its history and the partner's communications are kept and reachable.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from kernel import InputError, utcnow
from kernel.records import create_record, get_record, update_record
from modules.sales.models import Opportunity


def qualify(kernel: Any, session: Session, actor: Any, lead_id: int, title: str = "",
            expected_value: int = 0) -> Opportunity:
    leads = kernel.resources["sales.lead"]
    lead = get_record(kernel, session, actor, leads, lead_id, "edit", for_update=True)
    if lead.opportunity_id is not None:
        raise InputError("This lead is already an opportunity")
    if lead.status == "disqualified":
        raise InputError("A disqualified lead cannot become an opportunity; change its status first")
    partner_id = lead.partner_id or _new_partner(kernel, session, actor, lead)
    opp = create_record(kernel, session, actor, kernel.resources["sales.opportunity"], {
        "title": (title or lead.title).strip()[:200], "partner_id": partner_id, "needs": lead.needs,
        "expected_value": max(0, int(expected_value or 0)),
    })
    opp.lead_id = lead.id
    update_record(kernel, session, actor, leads, lead.id, {
        "status": "qualified", "partner_id": partner_id, "opportunity_id": opp.id, "qualified_at": utcnow()})
    return opp


def _new_partner(kernel: Any, session: Session, actor: Any, lead: Any) -> int:
    company = (lead.company_name or "").strip()
    values: dict[str, Any] = {"kind": "company" if company else "person",
                              "name": company or (lead.contact_name or "").strip() or lead.title,
                              "mobile": lead.mobile, "email": lead.email}
    partner = create_record(kernel, session, actor, kernel.resources["base.partner"],
                            {k: v for k, v in values.items() if v})
    return int(partner.id)

