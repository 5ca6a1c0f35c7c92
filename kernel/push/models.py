"""The table a pushed message waits in until every worker's hub has read it (kept a day)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from kernel.db import Base, BigId, IdPK, utcnow


class PushMessage(Base):
    __tablename__ = "kernel_push"
    # A reconnecting tab reads its own missed messages by (user_id, id); the hubs read by id alone.
    __table_args__ = (Index("ix_kernel_push_user", "user_id", "id"),)
    id: Mapped[IdPK]
    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("kernel_user.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(60))  # "<module>.<what>", e.g. telephony.call
    data: Mapped[str] = mapped_column(Text)  # JSON
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow, index=True)
