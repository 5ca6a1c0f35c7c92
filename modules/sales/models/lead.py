"""A lead (SAL-01): someone who may buy, before anyone has qualified them. It may name a
partner already known, or only a name and a number typed from a web form or a call."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, Record, utcnow

SOURCES = (("web", "Website"), ("phone", "Phone call"), ("referral", "Referral"), ("exhibition", "Exhibition"),
           ("campaign", "Campaign"), ("sms", "SMS"), ("walk_in", "Walk-in"), ("social", "Social media"),
           ("other", "Other"))
NEED_LEVELS = (("low", "Low"), ("medium", "Medium"), ("high", "High"))
STATUSES = (("new", "New"), ("contacted", "Contacted"), ("qualified", "Qualified"),
            ("disqualified", "Disqualified"))


class Lead(Record, Base):
    __tablename__ = "sales_lead"
    __table_args__ = (Index("ix_sales_lead_owner_status", "owner_id", "status", "updated_at"),
                      Index("ix_sales_lead_created", "created_at"),
                      # Forgotten leads (SAL-06): an owner's open leads by their last activity.
                      Index("ix_sales_lead_activity", "owner_id", "status", "last_activity_at"))
    title: Mapped[str] = mapped_column(String(200))
    partner_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("base_partner.id"), index=True)
    contact_name: Mapped[str | None] = mapped_column(String(200))
    company_name: Mapped[str | None] = mapped_column(String(200))
    mobile: Mapped[str | None] = mapped_column(String(20), index=True)
    email: Mapped[str | None] = mapped_column(String(200))
    source: Mapped[str] = mapped_column(String(12), default="other")
    need_level: Mapped[str] = mapped_column(String(6), default="medium")
    status: Mapped[str] = mapped_column(String(12), default="new")
    needs: Mapped[str | None] = mapped_column(Text)
    # The opportunity it became (the opportunity's lead_id is the foreign key; no cycle here).
    opportunity_id: Mapped[int | None] = mapped_column(BigId, index=True)
    qualified_at: Mapped[dt.datetime | None]
    # The last time anyone touched it: an edit, a communication with its partner (SAL-06).
    last_activity_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    search_key: Mapped[str] = mapped_column(String(1000), default="")
