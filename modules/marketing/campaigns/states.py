"""A campaign's moves (MKT-01): draft → submitted → approved or rejected → running → done, and
cancelled from any live state. A marketer submits (``marketing.campaign.edit``); only a manager
(``marketing.campaign.approve``) approves or rejects, a rejection with its reason. Each move is a
change of the record (its history shows who moved it, from what, to what, and the reason), and
approving fixes the targets (:func:`modules.marketing.campaigns.targets.freeze`)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kernel import Actor, InputError, PermissionDenied, RecordChanged, utcnow
from kernel.persian.textnorm import clean_input
from kernel.records import get_record
from modules.marketing.campaigns import targets
from modules.marketing.models import Campaign, CampaignStep

RESOURCE = "marketing.campaign"
EDIT, APPROVE = "marketing.campaign.edit", "marketing.campaign.approve"
NOT_A_MANAGER = "Only a manager with the permission to approve campaigns may approve or reject one"


@dataclass(frozen=True)
class Move:
    sources: tuple[str, ...]
    target: str
    permission: str
    refused: str  # the msgid when the campaign is in another state


MOVES = {
    "submit": Move(("draft", "rejected"), "submitted", EDIT, "Only a draft or rejected campaign can be submitted"),
    "approve": Move(("submitted",), "approved", APPROVE, "Only a submitted campaign can be approved or rejected"),
    "reject": Move(("submitted",), "rejected", APPROVE, "Only a submitted campaign can be approved or rejected"),
    "finish": Move(("approved", "running"), "done", EDIT, "Only an approved or running campaign can be closed"),
    "cancel": Move(("draft", "submitted", "approved", "rejected", "running"), "cancelled", EDIT,
                   "A closed or cancelled campaign cannot be cancelled"),
}


def _check_submit(kernel: Any, session: Session, actor: Actor, campaign: Campaign) -> None:
    steps = session.scalar(select(func.count()).select_from(CampaignStep).where(
        CampaignStep.campaign_id == campaign.id, CampaignStep.deleted_at.is_(None))) or 0
    if not steps:
        raise InputError("Add at least one step before submitting the campaign")
    if not targets.count_listed(kernel, session, targets.marketer(session, campaign), campaign.target_query):
        raise InputError("The campaign's target list is empty")


def move(kernel: Any, session: Session, actor: Actor, campaign_id: int, action: str, note: str = "",
         now: dt.datetime | None = None) -> Campaign:
    """Move the campaign by ``action`` (a key of :data:`MOVES`) in the caller's transaction;
    ``PermissionDenied`` for a user without the move's permission, ``InputError`` (in Persian)
    when the campaign is not in a state it moves from, or the move lacks what it needs."""
    m = MOVES[action]
    if not actor.can(m.permission):
        raise PermissionDenied(NOT_A_MANAGER if m.permission == APPROVE else "You do not have permission to do this")
    campaign = get_record(kernel, session, actor, kernel.resources[RESOURCE], campaign_id, for_update=True)
    if campaign.state not in m.sources:
        raise InputError(m.refused)
    note = clean_input(note or "").strip()
    if action == "reject" and not note:
        raise InputError("Write the reason for the rejection")
    if action == "submit":
        _check_submit(kernel, session, actor, campaign)
    if action in ("approve", "reject"):
        campaign.decision_note, campaign.decided_by_id, campaign.decided_at = note or None, actor.user_id, now or utcnow()
    if action == "approve":
        targets.freeze(kernel, session, campaign)
    campaign.state = m.target
    session.flush()
    kernel.emit(RecordChanged(RESOURCE, campaign.id, "update"), session)
    return campaign


def started(session: Session, campaign: Campaign) -> None:
    """The first step that runs puts an approved campaign into ``running``."""
    if campaign.state == "approved":
        campaign.state = "running"
        session.flush()
