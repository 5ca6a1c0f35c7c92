"""Reminders (TSK-03): one-off or recurring, each raising an alarm for its user when due."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, String, Text, inspect, text
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, InputError, Record
from modules.tasks.recurrence import first_due

REPEATS = (
    ("none", "Once"), ("daily", "Every day"), ("weekly", "Every week"),
    ("monthly", "Every month (same Jalali day)"), ("yearly", "Every year (same Jalali date)"),
)
_DUE = text("deleted_at IS NULL AND next_at IS NOT NULL")


class Reminder(Record, Base):
    __tablename__ = "tasks_reminder"
    __owner_columns__ = ("owner_id", "user_id")
    __table_args__ = (
        # The scan each minute reads only live reminders still to fire, in due order.
        Index("ix_tasks_reminder_next", "next_at", "id", sqlite_where=_DUE, postgresql_where=_DUE),
        # "Reminders due today" of a user, in order (without the id PostgreSQL sorted 2,000 rows).
        Index("ix_tasks_reminder_user", "user_id", "next_at", "id"),
        Index("ix_tasks_reminder_task", "task_id"),
    )
    title: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)
    # Whose alarm it is (the owner by default: a reminder for oneself).
    user_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("kernel_user.id"))
    # The first time it is due, as typed; later occurrences keep its Jalali day and local time.
    first_at: Mapped[dt.datetime]
    repeat: Mapped[str] = mapped_column(String(10), default="none", server_default="none")
    # The next time to raise an alarm; empty once a one-off reminder has fired.
    next_at: Mapped[dt.datetime | None]
    active: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    # Also e-mail the alarm to the user (through the outbox, once per alarm).
    by_email: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    task_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("tasks_task.id", ondelete="CASCADE"))
    partner_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("base_partner.id"), index=True)
    link_resource: Mapped[str | None] = mapped_column(String(80))
    link_id: Mapped[int | None] = mapped_column(BigInteger)

    def before_save(self) -> None:
        # Column defaults apply only at INSERT, after this runs: settle them here.
        self.repeat = self.repeat or "none"
        if self.active is None:
            self.active = True
        if self.repeat not in {code for code, _ in REPEATS}:
            raise InputError("Choose one of the listed values")
        if self.user_id is None:
            # The owner is stamped after before_save: a new row's owner is the acting user.
            self.user_id = self.owner_id or self.created_by_id or self.acting_user_id()
        state = inspect(self)
        timing = any(state.attrs[n].history.has_changes() for n in ("first_at", "repeat", "active"))
        if state.pending or timing:
            # A new or re-timed reminder starts again from its first time (or the next one after
            # now, for a recurring reminder whose first time has passed).
            self.next_at = first_due(self.first_at, self.repeat) if self.active else None
