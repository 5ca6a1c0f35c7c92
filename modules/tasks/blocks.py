"""Dashboard blocks of the tasks module (KER-13): my day, overdue, tasks I referred (the alarms
block is the kernel's)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from kernel import Block
from kernel.db import utcnow
from kernel.web.templating import request_lang
from modules.tasks.models import Task
from modules.tasks.queue import CAP, due_by_tonight, fill_counts, open_tasks, part, sent_tasks

SHOWN = 10


def _tasks(request: Any, kernel: Any, stmt: Any, order: tuple[Any, ...], empty: str, more: str,
           with_progress: bool = False) -> Markup:
    env = request.app.state.jinja
    with kernel.sessions() as session:
        found = part(session, "", "", stmt, order, more, shown=SHOWN)
        fill_counts(session, [found])
    return Markup(env.get_template("tasks/block_tasks.html").render(
        rows=found.rows, total=found.total, cap=CAP, empty=empty, more=more, with_progress=with_progress,
        lang=request_lang(request), tz=kernel.config.timezone))


def my_day(request: Any, kernel: Any, actor: Any) -> Markup:
    return _tasks(request, kernel, due_by_tonight(kernel, actor, actor.user_id), (Task.due_at, Task.id),
                  "Nothing due today", "/tasks/kartable")


def overdue(request: Any, kernel: Any, actor: Any) -> Markup:
    stmt = open_tasks(kernel, actor, actor.user_id).where(Task.due_at < utcnow())
    return _tasks(request, kernel, stmt, (Task.due_at, Task.id), "No overdue tasks",
                  f"/tasks/task/?f_assignee_id={actor.user_id}&f_state=overdue")


def referred(request: Any, kernel: Any, actor: Any) -> Markup:
    return _tasks(request, kernel, sent_tasks(kernel, actor, actor.user_id), (Task.id.desc(),),
                  "You have referred no tasks", f"/tasks/task/?f_referred_by_id={actor.user_id}", with_progress=True)


BLOCKS = (
    Block("tasks.my_day", "My day", my_day, permission="tasks.task.view", sequence=10),
    Block("tasks.overdue", "Overdue tasks", overdue, permission="tasks.task.view", sequence=11),
    Block("tasks.referred", "Tasks I referred", referred, permission="tasks.task.view", sequence=12),
)
