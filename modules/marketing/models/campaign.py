"""A campaign — a marketing plan («طرح بازاریابی», MKT-01): whom it targets (a partner list's
filters), what it is for, when it runs, what it may cost and what it did cost.

A marketer writes it and submits it; a manager (``marketing.campaign.approve``) approves or
rejects it with a reason; only then do its steps run. From submission on, its targets and budget
are fixed (the manager approved those), so the form refuses to change them. ``state`` moves only
through :mod:`modules.marketing.campaigns.states`, and every move is a change in the record's
history with who made it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, Money, Record

CAMPAIGN_STATES = (("draft", "Draft plan"), ("submitted", "Submitted for approval"), ("approved", "Approved"),
                   ("rejected", "Rejected"), ("running", "Running"), ("done", "Done"), ("cancelled", "Cancelled"))
# While a campaign is in one of these its plan (targets, budget, steps) may still change.
EDITABLE = ("draft", "rejected")
# Its steps may run (on their date or at once).
LIVE = ("approved", "running")


class Campaign(Record, Base):
    __tablename__ = "marketing_campaign"
    name: Mapped[str] = mapped_column(String(200))
    goal: Mapped[str | None] = mapped_column(Text)
    # The partner list's query string (its ``f_*`` filters and ``q``), as compose's filter audience.
    target_query: Mapped[str | None] = mapped_column(String(2000))
    start_on: Mapped[dt.date]
    end_on: Mapped[dt.date]
    budget: Mapped[Money] = mapped_column(default=0, server_default="0")
    # Costs typed by hand (printing, a stand at a fair); the messages' costs are added to it.
    manual_cost: Mapped[Money | None]
    state: Mapped[str] = mapped_column(String(12), default="draft", server_default="draft", index=True)
    # The manager's reason for a rejection (or a note with an approval), kept in the history too.
    decision_note: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("kernel_user.id"))
    decided_at: Mapped[dt.datetime | None]
    search_key: Mapped[str] = mapped_column(String(2000), default="")
