"""Sends relative to a date (MKT-02, FIN-19): "one day before each invoice's end date", "on the
morning of each departure". A rule names a date source an enabled module declares
(``kernel.register_date_sources``), how many days ahead, and the message; each day a job sends
it about every record whose date falls that many days ahead. ``DateRuleSent`` remembers each
record and date it was sent for, so a record is sent about once per date — whether the job ran
twice, was retried, or the clock was moved — and again only if its date moves."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, IdPK, Record, utcnow


class DateRule(Record, Base):
    __tablename__ = "marketing_date_rule"
    name: Mapped[str] = mapped_column(String(120))
    source: Mapped[str] = mapped_column(String(80))  # a DateSource key: "finance.invoice_due", …
    days_before: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    category_id: Mapped[int] = mapped_column(BigId, ForeignKey("marketing_category.id"))
    template_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("marketing_template.id"))
    body: Mapped[str | None] = mapped_column(Text)  # the text, when no template is chosen
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")


class DateRuleSent(Base):
    """One record of a rule sent about for one date."""

    __tablename__ = "marketing_date_rule_sent"
    __table_args__ = (UniqueConstraint("rule_id", "record_id", "on_date", name="uq_marketing_date_rule_sent"),)
    id: Mapped[IdPK]
    rule_id: Mapped[int] = mapped_column(BigId, ForeignKey("marketing_date_rule.id"))
    record_id: Mapped[int] = mapped_column(BigId)
    on_date: Mapped[dt.date]
    send_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("marketing_send.id"))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
