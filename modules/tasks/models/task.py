"""A task (TSK-01/02): what is to be done, by whom, by when, about which partner or record."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, Integer, String, Text, inspect, text
from sqlalchemy.orm import Mapped, mapped_column

from kernel import Base, BigId, InputError, Record, SortKey, utcnow
from kernel.records import nulls_first

PRIORITIES = (("low", "Low"), ("normal", "Normal"), ("high", "High"), ("urgent", "Urgent"))
_LIVE_OPEN = text("deleted_at IS NULL AND done_at IS NULL")


class Task(Record, Base):
    __tablename__ = "tasks_task"
    # "Mine" in the own/team record scope: the tasks I created, gave to someone, or was given.
    __owner_columns__ = ("owner_id", "assignee_id", "referred_by_id")
    # A task about a partner (or linked to any record) is as visible as that record, except to
    # the people whose task it is: they see it with the partner shown as "—".
    __scope_follows__ = ("partner_id", "link_id")
    __scope_spares_mine__ = True
    __table_args__ = (
        # The work queue: a user's open tasks by due date. Partial, so 2,000,000 finished tasks
        # cost the queue nothing; the same index counts today's and overdue tasks for the menu.
        # It carries the other owner columns so the record scope's test needs no table row: a
        # queue's page of ids and its count are index-only scans (PostgreSQL, 10,000 open tasks:
        # "coming tasks" 9.7 → 0.3 ms, their count 9 → 0.1 ms).
        Index("ix_tasks_task_open_due", "assignee_id", "due_at", "id",
              sqlite_where=_LIVE_OPEN, postgresql_where=_LIVE_OPEN,
              postgresql_include=["owner_id", "referred_by_id"]),
        # "Sent tasks": what I referred to others, newest first.
        Index("ix_tasks_task_referred", "referred_by_id", "id"),
        Index("ix_tasks_task_assignee", "assignee_id", "id"),
        Index("ix_tasks_task_due", "due_at", "id"),
        Index("ix_tasks_task_link", "link_resource", "link_id"),
        # A list sorted by title walks the Persian alphabetical key (پ, چ, ک, گ in their places).
        Index("ix_tasks_task_sort", "sort_key", "id"),
    )
    title: Mapped[str] = mapped_column(String(200))
    sort_key: Mapped[str] = mapped_column(SortKey, default="")
    description: Mapped[str | None] = mapped_column(Text)
    priority: Mapped[str] = mapped_column(String(10), default="normal", server_default="normal")
    due_at: Mapped[dt.datetime | None]
    # 0–100; 100 closes the task (done_at is set), anything less opens it again.
    progress: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    done_at: Mapped[dt.datetime | None]
    partner_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("base_partner.id"), index=True)
    # About our own company (a meeting to arrange, a report to write) rather than a customer.
    internal: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    # A generic link to any record of any module: an invoice, a contract, a ticket.
    link_resource: Mapped[str | None] = mapped_column(String(80))
    link_id: Mapped[int | None] = mapped_column(BigInteger)
    assignee_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("kernel_user.id"))
    # Who gave the task to the assignee, and when: "sent tasks" are the ones I referred.
    referred_by_id: Mapped[int | None] = mapped_column(BigId, ForeignKey("kernel_user.id"))
    referred_at: Mapped[dt.datetime | None]
    # When to raise an alarm for the assignee (a reminder row of its own is kept in step).
    remind_at: Mapped[dt.datetime | None]
    search_key: Mapped[str] = mapped_column(String(2000), default="")

    def before_save(self) -> None:
        if self.progress is None:
            self.progress = 0
        if not 0 <= self.progress <= 100:
            raise InputError("Completion must be between 0 and 100")
        if self.progress == 100 and self.done_at is None:
            self.done_at = utcnow()
        elif self.progress < 100:
            self.done_at = None
        actor_id = self.acting_user_id()
        if self.assignee_id is None:
            self.assignee_id = self.owner_id or self.created_by_id or actor_id
        changed = inspect(self).attrs.assignee_id.history.has_changes()
        if changed and actor_id and self.assignee_id != actor_id:
            # Referred: a new assignee chosen by someone else (TSK-02).
            self.referred_by_id = actor_id
            self.referred_at = utcnow()
            self._referred_now = True  # read by the task's event handler: the assignee gets an alarm
        elif changed and self.assignee_id == actor_id:
            self.referred_by_id = None
            self.referred_at = None


# A list of open tasks sorted by due date (the "open tasks" filter, any user's scope) walks this
# index in order and stops after its page, instead of sorting every open task: for a user limited
# to a province, whose every row needs its partner checked, 150 ms → 1 ms at 31,000 open tasks.
Index("ix_tasks_task_open_by_due", nulls_first(Task.due_at, "datetime", inline=False), Task.id,
      sqlite_where=_LIVE_OPEN, postgresql_where=_LIVE_OPEN)
