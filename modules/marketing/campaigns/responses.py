"""Responses per target (MKT-01): set by hand on the campaign's targets page, and "replied by
SMS" on its own when an SMS from the target arrives while the campaign runs (``InboundReceived``
from :mod:`modules.marketing.inbound`); an opt-out reply («لغو۱۱») is "not interested". A
response set by hand is never overwritten by an inbound message."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from kernel import Actor, InputError, NotFound, utcnow
from kernel.persian.textnorm import clean_input
from kernel.records import get_record
from kernel.timezone import local_today
from modules.marketing.events import InboundReceived
from modules.marketing.models import Campaign, CampaignTarget, Inbound
from modules.marketing.models.campaign import LIVE
from modules.marketing.models.campaign_target import RESPONSES


def set_response(kernel: Any, session: Session, actor: Actor, campaign_id: int, target_id: int, response: str,
                 note: str = "", now: dt.datetime | None = None) -> CampaignTarget:
    """A user's response for one target of a campaign they may edit (its scope applies)."""
    get_record(kernel, session, actor, kernel.resources["marketing.campaign"], campaign_id, "edit")
    target = session.scalars(select(CampaignTarget).where(CampaignTarget.id == target_id,
                                                          CampaignTarget.campaign_id == campaign_id)).first()
    if target is None:
        raise NotFound("marketing.campaign_target")
    if response not in dict(RESPONSES):
        raise InputError("Choose one of the listed values")
    target.response, target.response_note = response, clean_input(note or "").strip()[:300] or None
    target.response_at, target.response_by_id = now or utcnow(), actor.user_id or None
    session.flush()
    return target


def on_inbound(event: Any, session: Session, kernel: Any) -> None:
    """``handle_event``: an SMS from a target of a live campaign, received between its dates."""
    if not isinstance(event, InboundReceived) or event.partner_id is None or event.channel != "sms":
        return
    inbound = session.get(Inbound, event.inbound_id)
    at = inbound.received_at if inbound is not None else utcnow()
    day = local_today(kernel.config.timezone, at)
    live = select(Campaign.id).where(Campaign.state.in_(LIVE), Campaign.deleted_at.is_(None),
                                     Campaign.start_on <= day, Campaign.end_on >= day)
    session.execute(update(CampaignTarget).where(
        CampaignTarget.partner_id == event.partner_id, CampaignTarget.response == "none",
        CampaignTarget.campaign_id.in_(live)).values(
        response="not_interested" if event.opt_out else "replied", response_note=event.body[:300], response_at=at))
