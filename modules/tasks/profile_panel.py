"""The tasks panel of the partner's 360° profile (BASE-11): what is due today and what else is
open about this partner, declared through base's panel mechanism (``register_panels``).

Reminders are not shown here on purpose: they are moving out of this module.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup

from kernel import Panel, hookimpl
from kernel.persian.jalali import format_jalali
from kernel.timezone import day_bounds, local_today, to_local
from kernel.web.templating import request_lang
from modules.base.panels import PAGE
from modules.tasks.models import Task

SHOWN = 10


def _items(tasks: list[Task], lang: str, tz: str, now_end: Any) -> Markup:
    rows = []
    for t in tasks:
        when = format_jalali(to_local(t.due_at, tz), lang, "datetime") if t.due_at else ""
        late = t.due_at is not None and t.due_at < now_end
        rows.append(Markup('<li data-task="{}"{}><a href="/tasks/task/{}">{}</a> <small class="muted">{}</small></li>')
                    .format(t.id, Markup(' class="overdue"') if late else "", t.id, t.title, when))
    return Markup("").join(rows)


def render(request: Any, kernel: Any, session: Any, actor: Any, record: Any) -> Markup:
    tz = kernel.config.timezone
    lang = request_lang(request)
    start, end = day_bounds(local_today(tz), tz)
    mine = kernel.scoped_select(actor, Task).where(Task.partner_id == record.id, Task.done_at.is_(None))
    today = list(session.scalars(mine.where(Task.due_at >= start, Task.due_at < end)
                                 .order_by(Task.due_at, Task.id).limit(SHOWN)))
    others = list(session.scalars(mine.where((Task.due_at < start) | (Task.due_at >= end) | Task.due_at.is_(None))
                                  .order_by(Task.due_at.is_(None), Task.due_at, Task.id).limit(SHOWN)))
    t = kernel.t
    parts = [Markup('<h3>{}</h3><ul class="block-list tasks-today">{}</ul>').format(
        t(lang, "Today's tasks"), _items(today, lang, tz, start) or Markup('<li class="muted">{}</li>').format(
            t(lang, "No tasks for today")))]
    parts.append(Markup('<h3>{}</h3><ul class="block-list tasks-open">{}</ul>').format(
        t(lang, "Other open tasks"), _items(others, lang, tz, start) or Markup('<li class="muted">{}</li>').format(
            t(lang, "No other open tasks"))))
    links = [Markup('<a href="/tasks/task/?{}">{}</a>').format(urlencode({"f_partner_id": record.id}),
                                                                t(lang, "All tasks"))]
    if actor.can("tasks.task.create"):
        url = "/tasks/task/new?" + urlencode({"partner_id": record.id, "next": f"/base/partner/{record.id}/profile"})
        links.insert(0, Markup('<a class="button" href="{}">+ {}</a>').format(url, t(lang, "New task")))
    parts.append(Markup('<p class="actions">{}</p>').format(Markup(" ").join(links)))
    return Markup("").join(parts)


@hookimpl
def register_panels() -> list[Panel]:
    return [Panel("tasks.partner_tasks", PAGE, "Tasks", render, permission="tasks.task.view", sequence=40)]
