"""Keeping a task's reminder and its assignee's alarm in step with the task (TSK-02/03).

Run from the task's ``RecordChanged`` event, in the same transaction as the edit, so a task
saved from the form, the list's inline cell or the API behaves the same. The reminder and the
alarm are the kernel's (:mod:`kernel.reminders.services`), linked to the task as
``("tasks.task", id)``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from kernel import Reminder, create_reminder, raise_alarm, reminders_for, utcnow
from modules.tasks.models import Task

LINK = "tasks.task"


def task_reminder(session: Session, task_id: int) -> Reminder | None:
    found = reminders_for(session, (LINK, task_id))
    return found[0] if found else None


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
    assert task.remind_at is not None
    if reminder is None:
        create_reminder(session, user_id=task.assignee_id, at=task.remind_at, title=task.title,
                        link=(LINK, task.id), owner_id=task.owner_id)
        return
    reminder.title = task.title
    reminder.user_id = task.assignee_id
    reminder.first_at = task.remind_at
    reminder.active = True


def referral_alarm(session: Session, task: Task) -> None:
    """Tell the assignee a task was given to them; the alarm opens the task."""
    if task.assignee_id is not None:
        raise_alarm(session, user_id=task.assignee_id, title=task.title, link=(LINK, task.id), kind="referral")


def on_task_changed(session: Session, event: Any) -> None:
    task = session.get(Task, event.record_id)
    if task is None:
        return
    if event.action in ("create", "update", "delete", "restore"):
        sync_reminder(session, task)
    if getattr(task, "_referred_now", False):
        task._referred_now = False
        referral_alarm(session, task)
