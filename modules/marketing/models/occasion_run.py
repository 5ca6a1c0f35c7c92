"""One batch of an occasion rule for one occasion day: the unique key that makes a rule send
once per day, whether the job runs twice, is retried, or two workers race (the second one's
insert fails on the key and it sends nothing)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, IdPK, utcnow


class OccasionRun(Base):
    __tablename__ = "marketing_occasion_run"
    __table_args__ = (UniqueConstraint("rule_id", "on_date", name="uq_marketing_occasion_run"),)
    id: Mapped[IdPK]
    rule_id: Mapped[int] = mapped_column(BigId, ForeignKey("marketing_occasion_rule.id"))
    on_date: Mapped[dt.date]  # the occasion's day (a birthday's day this year), not the send's
    send_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("marketing_send.id"))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
