"""What tasks look like in lists, forms, filters, exports and the API."""

from __future__ import annotations

from typing import Any

from kernel import Field, Filter, InputError, Resource, Section
from kernel.db import utcnow
from kernel.timezone import day_bounds, local_today
from modules.tasks.models import Task
from modules.tasks.models.task import PRIORITIES

STATES = (("open", "Open"), ("today", "Due today"), ("overdue", "Overdue"), ("done", "Done"))


def _state(value: str, session: Any = None, purpose: str = "page") -> Any:
    now = utcnow()
    start, end = day_bounds(local_today(now=now))
    match value:
        case "open":
            return Task.done_at.is_(None)
        case "done":
            return Task.done_at.is_not(None)
        case "today":
            return Task.done_at.is_(None) & (Task.due_at >= start) & (Task.due_at < end)
        case "overdue":
            return Task.done_at.is_(None) & (Task.due_at < now)
    raise InputError("Choose one of the listed values")


def _states(**_: Any) -> list[tuple[str, str]]:
    return list(STATES)


TASK = Resource(
    name="tasks.task", model=Task, label="Task", label_plural="Tasks",
    columns=("title", "priority", "due_at", "progress", "partner_id", "assignee_id"),
    sections=(
        Section("", ("title", "description", "priority", "due_at", "progress")),
        Section("About", ("partner_id", "internal", "link_resource", "link_id")),
        Section("Referral and reminder", ("assignee_id", "remind_at")),
    ),
    search=("title", "description"),
    sort_key="title",
    filters=("priority", "assignee_id", "referred_by_id", "partner_id", "due_at", "internal"),
    custom_filters=(Filter("state", "State", _state, choices=_states),),
    inline=("progress",),
    fields={
        "title": Field(label="Title"),
        "priority": Field(choices=PRIORITIES),
        "due_at": Field(label="Due"),
        "progress": Field(label="Completion %"),
        "partner_id": Field(label="Partner"),
        "internal": Field(label="About our own company"),
        "assignee_id": Field(label="Assigned to", help="Choose a colleague to refer the task to them"),
        "referred_by_id": Field(label="Referred by", readonly=True),
        "remind_at": Field(label="Remind at"),
        # Set by "new task" under a record; people never type these.
        "link_resource": Field(label="Linked record type", internal=True),
        "link_id": Field(label="Linked record number", internal=True),
        "done_at": Field(label="Done at", readonly=True),
    },
    title_field="title", default_sort="-id", icon="check",
)

def resources() -> list[Resource]:
    return [TASK]
