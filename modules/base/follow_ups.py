"""Follow-up dates of communications, and planned communications (BASE-17), as date sources
(the work queue's "follow-ups due", the daily reminder report): a follow-up is open until a later
communication with the partner exists, a plan until it is done or cancelled."""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists
from sqlalchemy.orm import aliased

from kernel import DateSource
from modules.base.models import Communication, PlannedCommunication


def not_followed_up(model: Any) -> Any:
    later = aliased(Communication)
    return ~exists().where(later.partner_id == model.partner_id, later.started_at > model.started_at,
                           later.deleted_at.is_(None))


SOURCES = (
    DateSource("base.follow_up", "Follow-ups due", "base.communication", "follow_up_on", user_field="owner_id",
               partner_field="partner_id", open=not_followed_up),
    # BASE-17: a plan is due at its time and stays in the queue, overdue, until done or cancelled.
    DateSource("base.planned", "Planned communications", "base.planned_communication", "planned_at",
               user_field="user_id", partner_field="partner_id",
               open=lambda m: PlannedCommunication.state == "planned", sequence=90),

)
