"""One call as a device reported it: written by the device service only, never edited."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, IdPK, utcnow


class Call(Base):
    __tablename__ = "telephony_call"
    # As visible as its partner (kernel.scope_follows); a call from an unknown number, to every reader.
    __scope_follows__ = ("partner_id",)
    __table_args__ = (
        # Exactly once: a replayed SMDR line or a restarted service finds its call already there.
        UniqueConstraint("device_id", "key", name="uq_telephony_call_device_key"),
        Index("ix_telephony_call_started", "started_at", "id"),
        Index("ix_telephony_call_partner", "partner_id", "started_at"),
        Index("ix_telephony_call_user", "user_id", "started_at"),
        Index("ix_telephony_call_extension", "extension", "started_at"),
        Index("ix_telephony_call_device", "device_id", "started_at"),
        Index("ix_telephony_call_communication", "communication_id"),
    )
    id: Mapped[IdPK]
    device_id: Mapped[int] = mapped_column(BigId, ForeignKey("telephony_device.id"))
    key: Mapped[str] = mapped_column(String(64))  # sha256 of the record's time and raw text
    direction: Mapped[str] = mapped_column(String(10))  # incoming | outgoing
    line: Mapped[str | None] = mapped_column(String(10))
    extension: Mapped[str | None] = mapped_column(String(10))
    number: Mapped[str | None] = mapped_column(String(40))  # as the device gave it
    number_canonical: Mapped[str | None] = mapped_column(String(20), index=True)  # +98…, None if unreadable
    partner_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("base_partner.id"))
    user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("kernel_user.id"))
    started_at: Mapped[dt.datetime]
    ring_seconds: Mapped[int | None] = mapped_column(Integer)
    duration_seconds: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    answered: Mapped[bool | None] = mapped_column(Boolean)  # None: a caller-ID modem cannot know
    account_code: Mapped[str | None] = mapped_column(String(20))
    condition: Mapped[str | None] = mapped_column(String(4))
    raw: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    # The communication "log the call" wrote for it: logged once (modules/telephony/call_log.py).
    communication_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("base_communication.id",
                                                                          ondelete="SET NULL"))
