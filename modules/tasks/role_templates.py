"""Tasks' role templates: the jobs that live in the work queue."""

from __future__ import annotations

from kernel import RoleTemplate

TEMPLATES = [
    # Works a queue of their own: tasks referred to them and those they refer, their reminders,
    # the calls they log while doing them; sees the partners they work for.
    RoleTemplate("tasks.coordinator", "Task coordinator",
                 ("tasks.task.*", "kernel.reminder.*", "kernel.daily_report.view",
                  "base.partner.view", "base.communication.view", "base.communication.create"),
                 record_scope="own", sequence=40),
    # Follows the whole team's queues (TSK-05): everyone's tasks, referring and reassigning.
    RoleTemplate("tasks.supervisor", "Work queue supervisor",
                 ("tasks.task.*", "tasks.kartable.all_users", "kernel.reminder.*", "kernel.daily_report.view",
                  "base.partner.view", "base.communication.view", "base.communication.create"),
                 record_scope="team", sequence=50),
]
