"""Tasks' entries in records' context menus (KER-17): a new task for the partner."""

from __future__ import annotations

from kernel import RecordAction

NEW_TASK = "/tasks/task/new?partner_id={%s}"


def record_actions() -> list[RecordAction]:
    return [
        RecordAction("tasks.new_task", "New task", NEW_TASK % "id", permission="tasks.task.create",
                     resources=("base.partner",), sequence=30),
        RecordAction("tasks.new_task_linked", "New task", NEW_TASK % "partner_id", permission="tasks.task.create",
                     with_field="partner_id", sequence=30),
    ]
