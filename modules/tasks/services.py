"""Keeping a task's reminder and its assignee's alarm in step with the task (TSK-02/03).

Run from the task's ``RecordChanged`` event, in the same transaction as the edit, so a task
saved from the form, the list's inline cell or the API behaves the same.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from kernel.db import utcnow
from modules.tasks.alarms import referral_alarm
from modules.tasks.models import Reminder, Task


def task_reminder(session: Session, task_id: int) -> Reminder | None:
    stmt = select(Reminder).where(Reminder.task_id == task_id, Reminder.deleted_at.is_(None)).order_by(Reminder.id)
    return session.scalars(stmt).first()


def sync_reminder(session: Session, task: Task) -> None:
    """The task's "remind at" as a one-off reminder for whoever holds the task now."""
    reminder = task_reminder(session, task.id)
    wanted = task.remind_at is not None and task.done_at is None and task.deleted_at is None
    if wanted and reminder is not None and not reminder.active and task.remind_at <= utcnow():  # type: ignore[operator]
        wanted = False  # a task opened again: a reminder time that has passed does not ring again
    if not wanted:
        if reminder is not None and reminder.active:
            reminder.active = False
        return
    if reminder is None:
        reminder = Reminder(task_id=task.id, repeat="none", owner_id=task.owner_id)
        session.add(reminder)
    reminder.title = task.title
    reminder.user_id = task.assignee_id
    reminder.partner_id = task.partner_id
    reminder.first_at = task.remind_at  # type: ignore[assignment]
    reminder.active = True


def on_task_changed(session: Session, event: Any) -> None:
    task = session.get(Task, event.record_id)
    if task is None:
        return
    if event.action in ("create", "update", "delete", "restore"):
        sync_reminder(session, task)
    if getattr(task, "_referred_now", False):
        task._referred_now = False
        if task.assignee_id is not None:
            referral_alarm(session, task)
