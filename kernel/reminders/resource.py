"""What reminders look like in lists, forms, filters, exports and the API (``kernel.reminder``:
pages at /kernel/reminder/, API at /api/kernel/reminder)."""

from __future__ import annotations

from kernel.fields import Field
from kernel.reminders.models import REPEATS, Reminder
from kernel.resources import Resource

REMINDER = Resource(
    name="kernel.reminder", model=Reminder, label="Reminder", label_plural="Reminders",
    columns=("title", "first_at", "repeat", "next_at", "user_id"),
    form=("title", "note", "first_at", "repeat", "working_days", "active", "by_email", "user_id", "link_resource",
          "link_id"),
    search=(),
    filters=("repeat", "user_id", "next_at"),
    fields={
        "title": Field(label="Title"),
        "first_at": Field(label="First time"),
        "repeat": Field(choices=REPEATS),
        "next_at": Field(label="Next alarm", readonly=True),
        "user_id": Field(label="For"),
        "working_days": Field(label="Working days only",
                              help="A time on the weekend or an official holiday rings on the next working day"),
        "by_email": Field(label="Also by e-mail", help="Sent to the user's e-mail address when the alarm rings"),
        "link_resource": Field(label="Linked record type"),
        "link_id": Field(label="Linked record number"),
    },
    title_field="title", default_sort="-id", icon="bell",
)
