"""A campaign's target (MKT-01): one partner of its list, fixed when the manager approves it, with
what it got (the letter, the call task) and its response. Messages are found by the steps'
sends and the partner, so they are not copied here.

Not a ``Record``: targets are written by the approval and the steps, thousands at a time; the
response a user sets is stamped with who and when (``response_by_id``, ``response_at``)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, IdPK

RESPONSES = (("none", "No response yet"), ("replied", "Replied by SMS"), ("interested", "Interested"),
             ("not_interested", "Not interested"), ("bought", "Bought"), ("call_back", "Call back later"),
             ("other", "Other"))


class CampaignTarget(Base):
    __tablename__ = "marketing_campaign_target"
    # A partner's record scope applies to its targets: a reader sees those of partners they see.
    __scope_follows__ = ("partner_id",)
    __table_args__ = (
        UniqueConstraint("campaign_id", "partner_id", name="uq_marketing_campaign_target"),
        # An inbound SMS looks up the partner's targets in live campaigns.
        Index("ix_marketing_campaign_target_partner", "partner_id", "campaign_id"),
    )
    id: Mapped[IdPK]
    campaign_id: Mapped[int] = mapped_column(BigId, ForeignKey("marketing_campaign.id"))
    partner_id: Mapped[int] = mapped_column(BigId, ForeignKey("base_partner.id"))
    letter_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("marketing_letter.id"))
    # The call task (tasks module, when enabled): no foreign key, marketing does not depend on tasks.
    task_id: Mapped[int | None] = mapped_column(BigId)
    response: Mapped[str] = mapped_column(String(16), default="none", server_default="none")
    response_note: Mapped[str | None] = mapped_column(String(300))
    response_at: Mapped[dt.datetime | None]
    response_by_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("kernel_user.id"))
