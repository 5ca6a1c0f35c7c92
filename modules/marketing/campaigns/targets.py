"""A campaign's targets: its partner list's filters read as the marketer reads the list (their
record scope), fixed when the manager approves — the people the manager approved are the ones
the steps reach, even if the list changes afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from kernel import Actor, InputError
from kernel.security import load_actor
from modules.base.models import Partner
from modules.marketing import audiences
from modules.marketing.models import Campaign, CampaignTarget
from modules.marketing.placeholders import Recipient

CHUNK = 5000


def marketer(session: Session, campaign: Campaign) -> Actor:
    """The actor the campaign works as: its owner (the marketer), with their scope today."""
    user_id = campaign.owner_id or campaign.created_by_id
    actor = load_actor(session, user_id) if user_id else None
    if actor is None:
        raise InputError("The campaign's marketer is no longer an active user: give the campaign another owner")
    return actor


def partners(kernel: Any, session: Session, actor: Actor, query: str | None) -> Any:
    """The SELECT of the ids of the partner list's filters ``query`` in the actor's scope."""
    audience = audiences.normalise(kernel, session, {"kind": "filter", "query": query or ""})
    return audiences.partners_select(kernel, session, actor, audience).with_only_columns(Partner.id)


def count_listed(kernel: Any, session: Session, actor: Actor, query: str | None) -> int:
    from sqlalchemy import func

    return int(session.scalar(select(func.count()).select_from(partners(kernel, session, actor, query)
                                                               .order_by(None).subquery())) or 0)


def freeze(kernel: Any, session: Session, campaign: Campaign) -> int:
    """The targets written, once (a partner already a target stays as it is); their count."""
    ids = session.scalars(partners(kernel, session, marketer(session, campaign), campaign.target_query)).all()
    known = set(session.scalars(select(CampaignTarget.partner_id).where(CampaignTarget.campaign_id == campaign.id)))
    rows = [{"campaign_id": campaign.id, "partner_id": pid, "response": "none"} for pid in ids if pid not in known]
    for i in range(0, len(rows), CHUNK):
        session.execute(insert(CampaignTarget), rows[i:i + CHUNK])
    return len(known) + len(rows)


def target_rows(session: Session, campaign_id: int) -> list[CampaignTarget]:
    return list(session.scalars(select(CampaignTarget).where(CampaignTarget.campaign_id == campaign_id)
                                .order_by(CampaignTarget.id)))


def recipients(kernel: Any, session: Session, actor: Actor, targets: list[CampaignTarget]) -> Iterator[Recipient]:
    """The targets as a send's recipients, in their order; one the actor can no longer see is left out."""
    people = audiences.partners_by_id(kernel, session, actor, {t.partner_id for t in targets})
    for t in targets:
        if t.partner_id in people:
            yield people[t.partner_id]
