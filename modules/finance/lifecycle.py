"""The partner's stage, derived from its documents (BASE-05): lead → opportunity (it has an
issued proforma) → customer (it has an issued invoice).

A stage is one of base's partner roles, so it shows on the partner and in the partner list's
role filter with nothing more. The stage only moves on, as in a mature CRM's lifecycle: reaching
a stage removes the earlier ones (a customer is no longer a lead nor an opportunity), a customer
who asks for a new proforma stays a customer, and a cancelled proforma or a voided invoice does
not move a partner back (that is a person's decision, on the partner's roles). Roles that are
not stages — supplier, competitor, business partner, sales agent — are never touched.

Runs in the transaction of the issue (``handle_event``): if the issue fails, so does the stage.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from modules.base.services.roles import add_role, remove_roles, roles_of
from modules.finance.events import InvoiceIssued, ProformaIssued

STAGES = ("lead", "opportunity", "customer")


def advance(session: Session, partner_id: int, stage: str) -> bool:
    """Move the partner to ``stage`` unless it is already there or further; True if it moved."""
    held = set(roles_of(session, partner_id))
    rank = STAGES.index(stage)
    if any(STAGES.index(s) >= rank for s in held if s in STAGES):
        return False
    remove_roles(session, partner_id, [s for s in STAGES[:rank] if s in held])
    add_role(session, partner_id, stage)
    return True


def on_event(event: Any, session: Session) -> None:
    if isinstance(event, InvoiceIssued):
        advance(session, event.partner_id, "customer")
    elif isinstance(event, ProformaIssued):
        advance(session, event.partner_id, "opportunity")
