"""Opt-outs (MKT-02): a partner or a mobile that asked for no more advertising — by an SMS reply
(«لغو۱۱»), by the per-partner flag, or by an import. Advertising categories honour them; service
messages (a payment reminder, an appointment) still go."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, Record, utcnow

OPT_OUT_SOURCES = (("reply", "SMS reply"), ("flag", "Set by a user"), ("import", "Imported"))


class OptOut(Record, Base):
    __tablename__ = "marketing_opt_out"
    __table_args__ = (Index("ix_marketing_opt_out_address", "address"),)
    partner_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("base_partner.id"), index=True)
    address: Mapped[str | None] = mapped_column(String(254))  # a canonical mobile or an e-mail address
    # None: every advertising category.
    category_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("marketing_category.id"))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    source: Mapped[str] = mapped_column(String(10), default="flag", server_default="flag")
    note: Mapped[str | None] = mapped_column(String(300))
