"""An alarm: a reminder that fell due, shown to its user until they dismiss it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, IdPK, utcnow

_UNSEEN = text("seen_at IS NULL")


class Alarm(Base):
    __tablename__ = "tasks_alarm"
    __table_args__ = (
        # Exactly once: one alarm per reminder and due time, whichever worker got there first.
        UniqueConstraint("reminder_id", "due_at", name="uq_tasks_alarm_reminder_due"),
        Index("ix_tasks_alarm_unseen", "user_id", "id", sqlite_where=_UNSEEN, postgresql_where=_UNSEEN),
        Index("ix_tasks_alarm_user", "user_id", "due_at"),
    )
    id: Mapped[IdPK]
    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("kernel_user.id", ondelete="CASCADE"))
    reminder_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("tasks_reminder.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20), default="reminder")  # reminder | referral
    title: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(300), default="")
    due_at: Mapped[dt.datetime]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    seen_at: Mapped[dt.datetime | None]
