"""The reminders package's hook implementations, registered by every Kernel beside
``kernel.kernel_hooks``: the reminder resource, its menu and permission, the scan job and the
alarm mail, the dashboard blocks, the alarm tray, and removing a purged record's reminders."""

from __future__ import annotations

from typing import Any

from kernel.declarations import Block, MenuItem, Permission
from kernel.events import RecordChanged
from kernel.plugins import hookimpl
from kernel.resources import Resource


def _alarm_badge(session: Any, actor: Any, kernel: Any) -> int:
    from kernel import memo
    from kernel.reminders.alarms import unseen_count

    return memo.cached(("alarms.count", actor.user_id), lambda: unseen_count(session, actor.user_id))


@hookimpl
def register_resources() -> list[Resource]:
    from kernel.reminders.resource import REMINDER

    return [REMINDER]


@hookimpl
def register_permissions() -> list[Permission]:
    return [Permission("kernel.daily_report.view", "Daily reminder report")]


@hookimpl
def register_menu_items() -> list[MenuItem]:
    return [
        MenuItem("kernel.reminders", "Reminders", "", permission=None, sequence=26, icon="bell"),
        MenuItem("kernel.alarms", "Alarms", "/alarms", permission=None, parent="kernel.reminders", sequence=10,
                 badge=_alarm_badge),
        MenuItem("kernel.reminder", "All reminders", "/kernel/reminder/", "kernel.reminder.view",
                 parent="kernel.reminders", sequence=20),
        MenuItem("kernel.daily", "Daily reminder report", "/reminders/daily", "kernel.daily_report.view",
                 parent="kernel.reminders", sequence=30),
    ]


@hookimpl
def register_jobs() -> list[Any]:
    from kernel.jobs import Job
    from kernel.reminders.scan import JOB, MAIL_TOPIC, scan, send_alarm_mail

    # Every half minute: an alarm rings at most about 30 s (plus the runner's 5 s) after its time.
    return [Job(JOB, scan, every=30),
            Job("kernel.alarm_mail", send_alarm_mail, topic=MAIL_TOPIC, max_attempts=5, retry_after=60)]


@hookimpl
def register_dashboard_blocks() -> list[Block]:
    from kernel.reminders.blocks import BLOCKS

    return list(BLOCKS)


@hookimpl
def template_slot(slot: str, context: dict[str, Any], request: Any) -> Any:
    from kernel.reminders import slots

    return slots.render(slot, context, request)


@hookimpl
def handle_event(event: Any, session: Any) -> None:
    # A record purged from the recycle bin takes its reminders and their alarms with it (the
    # generic link has no foreign key to cascade).
    if isinstance(event, RecordChanged) and event.action == "purge":
        from kernel.reminders.services import delete_reminders_for

        delete_reminders_for(session, (event.resource, event.record_id))
