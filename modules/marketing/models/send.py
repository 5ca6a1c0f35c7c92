"""A send (MKT-02, MKT-03): one message to many recipients, queued at once or at a set time, with
its counts as the messages go out. The audience is kept as it was chosen (a partner, a list's
filters, a group, a range of mobiles), so the page says to whom it went."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, Record

SEND_STATES = (("draft", "Draft"), ("scheduled", "Scheduled"),
               ("pending", "Batch awaiting approval"), ("queued", "Queued"), ("sending", "Sending"),
               ("done", "Done"), ("cancelled", "Cancelled"))


class Send(Record, Base):
    __tablename__ = "marketing_send"
    channel: Mapped[str] = mapped_column(String(10), default="sms", server_default="sms")
    category_id: Mapped[int] = mapped_column(BigId, ForeignKey("marketing_category.id"), index=True)
    template_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("marketing_template.id"))
    panel_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("marketing_panel.id"))
    subject: Mapped[str | None] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    # {"kind": "partner" | "filter" | "group" | "range" | …, …} as JSON: who was chosen, and how.
    audience: Mapped[str] = mapped_column(Text, default="{}")
    audience_label: Mapped[str | None] = mapped_column(String(300))
    scheduled_at: Mapped[dt.datetime | None]  # naive UTC; None: at once
    state: Mapped[str] = mapped_column(String(10), default="draft", server_default="draft", index=True)
    total: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    sent: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    delivered: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    failed: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    skipped: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    cost: Mapped[int] = mapped_column(BigInteger, default=0, server_default="0")  # Rials
    note: Mapped[str | None] = mapped_column(Text)
