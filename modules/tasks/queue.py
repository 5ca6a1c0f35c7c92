"""The work queue (kartable, TSK-05): a user's overdue and today's tasks, due follow-ups and other
modules' due dates, reminders and alarms, then the coming and undated tasks, and the tasks they
referred to others.

Every list is one indexed query, read through ``kernel.scoped_select`` (a manager opening a
colleague's queue sees only what their own scope allows) and cut to ``SHOWN`` rows with a
count capped at ``CAP``: a user with 10,000 open tasks gets a page as fast as one with ten.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel.db import utcnow
from kernel.persian.jalali import format_jalali
from kernel.records import capped_count_query
from kernel.reminders.dates import date_column, due_for_user, queue_sources
from kernel.reminders.models import Alarm, Reminder
from kernel.timezone import day_bounds, local_today
from modules.tasks.models import Task

# 20 rows a list and counts up to 100 ("100+"): at 10,000 open tasks a page of 50 rows a list
# and counts to 1,000 cost 340 ms (rendering ~330 rows, counting ~12,000 follow-ups); see
# docs/PERFORMANCE.md. "Show all" opens the full list.
SHOWN = 20
CAP = 100
# The titles of the queue's own lists (date sources bring their own labels).
LABELS = ("Overdue tasks", "Today's tasks", "Coming tasks", "Tasks without a due date", "Tasks I referred",
          "Reminders due today", "Alarms")


@dataclass
class Part:
    """One list of the queue: its rows, how many there are (up to CAP) and where the rest are."""

    key: str
    label: str
    rows: list[Any] = field(default_factory=list)
    total: int = 0
    more_url: str = ""
    source: Any = None
    count_stmt: Any = None

    @property
    def capped(self) -> bool:
        return self.total >= CAP


def capped_count(session: Session, stmt: Any) -> int:
    return int(session.scalar(capped_count_query(stmt, CAP)) or 0)


def open_tasks(kernel: Any, actor: Any, user_id: int) -> Any:
    return kernel.scoped_select(actor, Task).where(Task.assignee_id == user_id, Task.done_at.is_(None))


def due_by_tonight(kernel: Any, actor: Any, user_id: int, now: dt.datetime | None = None) -> Any:
    """Open tasks due today or earlier: what the menu's count and the "my day" block show."""
    tz = kernel.config.timezone
    _, end = day_bounds(local_today(tz, now), tz)
    return open_tasks(kernel, actor, user_id).where(Task.due_at < end)


def sent_tasks(kernel: Any, actor: Any, user_id: int) -> Any:
    """Tasks the user referred to someone else ("sent tasks")."""
    return kernel.scoped_select(actor, Task).where(Task.referred_by_id == user_id, Task.assignee_id != user_id)


def part(session: Session, key: str, label: str, stmt: Any, order: tuple[Any, ...], more_url: str,
         shown: int = SHOWN) -> Part:
    """The first rows now; the count (only needed when the page is full) later, with the others
    (:func:`fill_counts`)."""
    # A page of ids first, then their rows: the ids come from the index in order (index-only on
    # PostgreSQL), where a whole-row query let PostgreSQL's planner, misjudging how many open tasks
    # one user has, fetch all of them and sort.
    model = stmt.column_descriptions[0]["entity"]
    ids = stmt.with_only_columns(model.id).order_by(*order).limit(shown)
    rows = list(session.scalars(select(model).where(model.id.in_(ids)).order_by(*order)))
    found = Part(key, label, rows, len(rows), more_url)
    if len(rows) == shown:
        found.count_stmt = stmt
    return found


def fill_counts(session: Session, parts: list[Part]) -> None:
    """Every full list's capped count in one statement: one round trip instead of one a list."""
    wanted = [p for p in parts if p.count_stmt is not None]
    if not wanted:
        return
    counts = [capped_count_query(p.count_stmt, CAP).scalar_subquery() for p in wanted]
    for p, n in zip(wanted, session.execute(select(*counts)).one(), strict=True):
        p.total, p.count_stmt = int(n or 0), None


def task_parts(kernel: Any, session: Session, actor: Any, user_id: int, now: dt.datetime) -> list[Part]:
    tz = kernel.config.timezone
    start, end = day_bounds(local_today(tz, now), tz)
    mine = open_tasks(kernel, actor, user_id)
    order = (Task.due_at, Task.id)
    return [
        part(session, "overdue", "Overdue tasks", mine.where(Task.due_at < start), order,
              f"/tasks/task/?f_assignee_id={user_id}&f_state=overdue"),
        part(session, "today", "Today's tasks", mine.where(Task.due_at >= start, Task.due_at < end), order,
              f"/tasks/task/?f_assignee_id={user_id}&f_state=today"),
        part(session, "coming", "Coming tasks", mine.where(Task.due_at >= end), order,
              f"/tasks/task/?f_assignee_id={user_id}&f_state=open"),
        part(session, "undated", "Tasks without a due date", mine.where(Task.due_at.is_(None)), (Task.id.desc(),),
              f"/tasks/task/?f_assignee_id={user_id}&f_state=open"),
        part(session, "sent", "Tasks I referred", sent_tasks(kernel, actor, user_id), (Task.id.desc(),),
              f"/tasks/task/?f_referred_by_id={user_id}"),
    ]


def source_parts(kernel: Any, session: Session, actor: Any, user_id: int, now: dt.datetime) -> list[Part]:
    """Other modules' dates that are due for the user (a follow-up date, a due instalment)."""
    today = local_today(kernel.config.timezone, now)
    parts: list[Part] = []
    for src in queue_sources(kernel, actor):
        res = kernel.resources[src.resource]
        model, col, _ = date_column(kernel, src)
        stmt = due_for_user(kernel, actor, src, user_id, today)
        more = res.url
        if src.date_field in res.filters:  # the full list, cut the same way where the list can
            more += f"?f_{src.date_field}__to={format_jalali(today, 'en')}"
        found = part(session, src.key, src.label, stmt, (col.desc(), model.id.desc()), more)
        found.source = src
        parts.append(found)
    return parts


def reminder_part(kernel: Any, session: Session, actor: Any, user_id: int, now: dt.datetime) -> Part:
    """Reminders still to ring today, after the alarms that already rang."""
    tz = kernel.config.timezone
    _, end = day_bounds(local_today(tz, now), tz)
    stmt = (kernel.scoped_select(actor, Reminder)
            .where(Reminder.user_id == user_id, Reminder.next_at.is_not(None), Reminder.next_at < end))
    return part(session, "reminders", "Reminders due today", stmt, (Reminder.next_at, Reminder.id),
                 f"/kernel/reminder/?f_user_id={user_id}")


def alarm_part(session: Session, user_id: int) -> Part:
    stmt = select(Alarm).where(Alarm.user_id == user_id, Alarm.seen_at.is_(None))
    return part(session, "alarms", "Alarms", stmt, (Alarm.id.desc(),), "/alarms")


def work_queue(kernel: Any, session: Session, actor: Any, user_id: int, now: dt.datetime | None = None) -> list[Part]:
    now = now or utcnow()
    tasks = task_parts(kernel, session, actor, user_id, now)
    parts = [*tasks[:2], *source_parts(kernel, session, actor, user_id, now),
             reminder_part(kernel, session, actor, user_id, now), *tasks[2:]]
    if user_id == actor.user_id:
        parts.insert(0, alarm_part(session, user_id))  # alarms are personal: not in a manager's view
    fill_counts(session, parts)
    return parts
