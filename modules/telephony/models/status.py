"""What the device service last knew of each device, and the lines it could not read.

Kept apart from ``Device`` (a ``Record`` with history): the service writes here on every state
change and every garbled line, which is no edit of the device by anyone.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, IdPK, utcnow

KEEP_GARBLED = 50  # per device: enough to diagnose a wrong baud rate or date format


class DeviceStatus(Base):
    __tablename__ = "telephony_device_status"
    device_id: Mapped[int] = mapped_column(BigId, ForeignKey("telephony_device.id", ondelete="CASCADE"),
                                           primary_key=True)
    state: Mapped[str] = mapped_column(String(12))  # connected | retrying | stopped
    error: Mapped[str | None] = mapped_column(Text)
    changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    last_line_at: Mapped[dt.datetime | None]


class GarbledLine(Base):
    __tablename__ = "telephony_garbled_line"
    __table_args__ = (Index("ix_telephony_garbled_line_device", "device_id", "id"),)
    id: Mapped[IdPK]
    device_id: Mapped[int] = mapped_column(BigId, ForeignKey("telephony_device.id", ondelete="CASCADE"))
    raw: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(String(200))
    at: Mapped[dt.datetime] = mapped_column(default=utcnow)
