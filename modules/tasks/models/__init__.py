"""The tasks module's table: tasks (their reminders and alarms are the kernel's)."""

from modules.tasks.models.task import Task

__all__ = ["Task"]
