"""The kernel's reminder and alarm tables.

A reminder points at what it is about through a generic link (``link_resource`` + ``link_id``,
a resource name and a record id: ``"base.partner"``/12, ``"tasks.task"``/7), like a
communication does, so the kernel knows no module's table and any module can remind about its
own records (a cheque's due date, a policy's renewal).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, String, Text, UniqueConstraint, inspect, text
from sqlalchemy.orm import Mapped, mapped_column, object_session

from kernel.db import Base, BigId, IdPK, Record, utcnow
from kernel.errors import InputError
from kernel.reminders.recurrence import REPEAT_CODES, first_due
from kernel.reminders.workdays import on_working_day

REPEATS = (
    ("none", "Once"), ("daily", "Every day"), ("weekly", "Every week"),
    ("monthly", "Every month (same Jalali day)"), ("yearly", "Every year (same Jalali date)"),
)
_DUE = text("deleted_at IS NULL AND next_at IS NOT NULL")
_UNSEEN = text("seen_at IS NULL")


class Reminder(Record, Base):
    """One-off or recurring; each due time raises one :class:`Alarm` for its user."""

    __tablename__ = "kernel_reminder"
    # "Mine" in the own/team record scope: the reminders I made and the ones made for me.
    __owner_columns__ = ("owner_id", "user_id")
    # A reminder linked to a record is as visible as the record, except to its own people.
    __scope_follows__ = ("link_id",)
    __scope_spares_mine__ = True
    __table_args__ = (
        # The scan each half minute reads only live reminders still to fire, in due order.
        Index("ix_kernel_reminder_next", "next_at", "id", sqlite_where=_DUE, postgresql_where=_DUE),
        # "Reminders due today" of a user, in order (without the id PostgreSQL sorted 2,000 rows).
        Index("ix_kernel_reminder_user", "user_id", "next_at", "id"),
        # A record's reminders (a task's "remind at", a partner's page, a purge removing them).
        Index("ix_kernel_reminder_link", "link_resource", "link_id"),
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
    # Ring on the next working day when a time falls on the weekend or an official holiday.
    working_days: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # What it is about: a resource name and a record id (no foreign key: any module's record).
    link_resource: Mapped[str | None] = mapped_column(String(80))
    link_id: Mapped[int | None] = mapped_column(BigInteger)

    def before_save(self) -> None:
        # Column defaults apply only at INSERT, after this runs: settle them here.
        self.repeat = self.repeat or "none"
        if self.active is None:
            self.active = True
        if self.by_email is None:
            self.by_email = False
        if self.working_days is None:
            self.working_days = False
        if self.repeat not in REPEAT_CODES:
            raise InputError("Choose one of the listed values")
        if bool(self.link_resource) != (self.link_id is not None):
            raise InputError("Give both the linked record's type and its number, or neither")
        if self.user_id is None:
            # The owner is stamped after before_save: a new row's owner is the acting user.
            self.user_id = self.owner_id or self.created_by_id or self.acting_user_id()
        state = inspect(self)
        timing = any(state.attrs[n].history.has_changes() for n in ("first_at", "repeat", "active", "working_days"))
        if state.pending or timing:
            # A new or re-timed reminder starts again from its first time (or the next one after
            # now, for a recurring reminder whose first time has passed).
            self.next_at = first_due(self.first_at, self.repeat) if self.active else None
            session = object_session(self)
            if self.working_days and self.next_at is not None and session is not None:
                with session.no_autoflush:
                    self.next_at = on_working_day(session, self.next_at)


class Alarm(Base):
    """A reminder that fell due (or a notice raised now, such as a referral), shown to its user
    on every page until they dismiss it."""

    __tablename__ = "kernel_alarm"
    __table_args__ = (
        # Exactly once: one alarm per reminder and due time, whichever worker got there first.
        UniqueConstraint("reminder_id", "due_at", name="uq_kernel_alarm_reminder_due"),
        Index("ix_kernel_alarm_unseen", "user_id", "id", sqlite_where=_UNSEEN, postgresql_where=_UNSEEN),
        Index("ix_kernel_alarm_user", "user_id", "due_at"),
    )
    id: Mapped[IdPK]
    user_id: Mapped[int] = mapped_column(BigId, ForeignKey("kernel_user.id", ondelete="CASCADE"))
    reminder_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("kernel_reminder.id", ondelete="CASCADE"))
    # "reminder" (raised by the scan), "referral" (something given to the user), or a module's own.
    kind: Mapped[str] = mapped_column(String(20), default="reminder")
    title: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(300), default="")
    due_at: Mapped[dt.datetime]
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    seen_at: Mapped[dt.datetime | None]
