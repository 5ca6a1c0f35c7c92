"""Inbound messages (MKT-07): SMS received by a panel (webhook or polling) and e-mail fetched
over IMAP, matched to a partner by the normalised mobile or address and logged as a
communication; the unmatched wait in the inbox until a user assigns them."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, Record

INBOUND_STATES = (("matched", "Matched"), ("unassigned", "Waiting to be assigned"), ("assigned", "Assigned"),
                  ("opt_out", "Opt-out"))


class Inbound(Record, Base):
    __tablename__ = "marketing_inbound"
    __table_args__ = (
        # A panel's message arriving twice (a webhook retried, a poll overlapping) is kept once.
        UniqueConstraint("channel", "source", "provider_id", name="uq_marketing_inbound_provider"),
        Index("ix_marketing_inbound_state_received", "state", "received_at"),
    )
    channel: Mapped[str] = mapped_column(String(10), default="sms", server_default="sms")
    source: Mapped[str] = mapped_column(String(80))  # the panel ("panel:3") or the mailbox it came from
    provider_id: Mapped[str] = mapped_column(String(200))  # the panel's message id, the e-mail's Message-ID
    address: Mapped[str] = mapped_column(String(254))  # the sender: a canonical mobile or an e-mail address
    to_line: Mapped[str | None] = mapped_column(String(254))
    subject: Mapped[str | None] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    received_at: Mapped[dt.datetime]
    partner_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("base_partner.id"), index=True)
    state: Mapped[str] = mapped_column(String(12), default="unassigned", server_default="unassigned")
    communication_id: Mapped[int | None] = mapped_column(BigId)
