"""The tasks module's tables: tasks, reminders and the alarms they raise."""

from modules.tasks.models.alarm import Alarm
from modules.tasks.models.reminder import Reminder
from modules.tasks.models.task import Task

__all__ = ["Alarm", "Reminder", "Task"]
