"""Hooks of the tasks module: resources, menu with counts, permissions, dashboard blocks, the
dates it declares, pages and slots. Reminders, alarms and their scan are the kernel's."""

from __future__ import annotations

from typing import Any

from kernel import Block, DateSource, MenuItem, Permission, RecordChanged, Resource, hookimpl
from modules.tasks.profile_panel import register_panels as register_panels


@hookimpl
def register_resources() -> list[Resource]:
    from modules.tasks.resources import resources

    return resources()


@hookimpl
def register_permissions() -> list[Permission]:
    return [
        Permission("tasks.kartable.all_users", "Tasks of all users (open anyone's work queue)"),
    ]


def _queue_badge(session: Any, actor: Any, kernel: Any) -> int:
    from modules.tasks.queue import capped_count, due_by_tonight

    return capped_count(session, due_by_tonight(kernel, actor, actor.user_id))


@hookimpl
def register_menu_items() -> list[MenuItem]:
    return [
        MenuItem("tasks.menu", "Tasks", "", permission="tasks.task.view", sequence=25, icon="check"),
        MenuItem("tasks.kartable", "Work queue", "/tasks/kartable", "tasks.task.view", parent="tasks.menu",
                 sequence=10, badge=_queue_badge),
        MenuItem("tasks.all", "All tasks", "/tasks/task/", "tasks.task.view", parent="tasks.menu", sequence=20),
        MenuItem("tasks.sent", "Sent tasks", "/tasks/sent", "tasks.task.view",
                 parent="tasks.menu", sequence=30),
    ]


@hookimpl
def register_dashboard_blocks() -> list[Block]:
    from modules.tasks.blocks import BLOCKS

    return list(BLOCKS)


@hookimpl
def register_date_sources() -> list[DateSource]:
    from modules.tasks.models import Task

    return [DateSource("tasks.task_due", "Task due date", "tasks.task", "due_at", user_field="assignee_id",
                       partner_field="partner_id", open=lambda m: Task.done_at.is_(None), in_work_queue=False)]


@hookimpl
def register_routes() -> list[Any]:
    from modules.tasks.routes import all_routes

    return all_routes()


@hookimpl
def template_slot(slot: str, context: dict[str, Any], request: Any) -> Any:
    from modules.tasks import slots

    return slots.render(slot, context, request)


@hookimpl
def handle_event(event: Any, session: Any) -> None:
    if isinstance(event, RecordChanged) and event.resource == "tasks.task":
        from modules.tasks.services import on_task_changed

        on_task_changed(session, event)


@hookimpl
def register_record_actions() -> list[Any]:
    from modules.tasks.actions import record_actions

    return record_actions()


@hookimpl
def register_role_templates() -> list[Any]:
    from modules.tasks.role_templates import TEMPLATES

    return list(TEMPLATES)


@hookimpl(optionalhook=True)
def telephony_caller_facts(kernel: Any, session: Any, actor: Any, partner_id: int, lang: str) -> Any:
    # The incoming-call pop-up (telephony, when enabled); nothing of telephony is imported.
    from modules.tasks.caller_facts import facts

    return facts(kernel, session, actor, partner_id, lang)
