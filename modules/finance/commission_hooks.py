"""What the commissions (FIN-13) do when something happens, inside the transaction of the change:
an invoice issued, edited or voided moves its commission rows; a partner placed in the tree of
agents gets base's role "Sales agent" (through base's roles service, never by writing base's
tables); the rows follow their agent's user account; commission rows and payments are never
deleted (a mistake is corrected by a reversal, which the invoice's void or edit writes)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from kernel import Conflict, RecordChanged, RecordDeleted

AGENT_ROLE = "agent"


def on_commission_event(kernel: Any, event: Any, session: Session) -> None:
    from modules.finance.services.commissions import agent_user_changed, on_event

    on_event(kernel, event, session)
    if isinstance(event, RecordDeleted) and event.resource in ("finance.commission", "finance.commission_payment"):
        raise Conflict("Commissions and their payments are kept: a void or an edit of the invoice reverses them")
    if isinstance(event, RecordChanged) and event.resource == "finance.agent":
        from modules.base.services.roles import add_role
        from modules.finance.models import Agent

        agent = session.get(Agent, event.record_id)
        if agent is None:
            return
        if event.action in ("create", "update", "restore") and agent.deleted_at is None:
            add_role(session, agent.partner_id, AGENT_ROLE)
        agent_user_changed(session, agent.id)
