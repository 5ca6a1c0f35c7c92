"""Dashboard blocks of the tasks module (KER-13): my day, overdue, tasks I referred, alarms."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from kernel import Block
from kernel.db import utcnow
from kernel.timezone import day_bounds, local_today
from kernel.web.templating import request_lang
from modules.tasks import alarms
from modules.tasks.models import Task
from modules.tasks.queue import CAP, capped_count, open_tasks

SHOWN = 10


def _tasks(request: Any, kernel: Any, stmt: Any, order: tuple[Any, ...], empty: str, more: str,
           with_progress: bool = False) -> Markup:
    env = request.app.state.jinja
    lang = request_lang(request)
    with kernel.sessions() as session:
        rows = list(session.scalars(stmt.order_by(*order).limit(SHOWN)))
        total = len(rows) if len(rows) < SHOWN else capped_count(session, stmt)
    return Markup(env.get_template("tasks/block_tasks.html").render(
        rows=rows, total=total, cap=CAP, empty=empty, more=more, with_progress=with_progress, lang=lang,
        tz=kernel.config.timezone))


def my_day(request: Any, kernel: Any, actor: Any) -> Markup:
    tz = kernel.config.timezone
    _, end = day_bounds(local_today(tz), tz)
    stmt = open_tasks(kernel, actor, actor.user_id).where(Task.due_at < end)
    return _tasks(request, kernel, stmt, (Task.due_at, Task.id), "Nothing due today", "/tasks/kartable")


def overdue(request: Any, kernel: Any, actor: Any) -> Markup:
    stmt = open_tasks(kernel, actor, actor.user_id).where(Task.due_at < utcnow())
    return _tasks(request, kernel, stmt, (Task.due_at, Task.id), "No overdue tasks",
                  f"/tasks/task/?f_assignee_id={actor.user_id}&f_state=overdue")


def referred(request: Any, kernel: Any, actor: Any) -> Markup:
    stmt = kernel.scoped_select(actor, Task).where(Task.referred_by_id == actor.user_id,
                                                   Task.assignee_id != actor.user_id)
    return _tasks(request, kernel, stmt, (Task.id.desc(),), "You have referred no tasks",
                  f"/tasks/task/?f_referred_by_id={actor.user_id}", with_progress=True)


def alarm_block(request: Any, kernel: Any, actor: Any) -> Markup:
    env = request.app.state.jinja
    with kernel.sessions() as session:
        rows = alarms.unseen(session, actor.user_id, SHOWN)
    return Markup(env.get_template("tasks/block_alarms.html").render(
        alarms=rows, lang=request_lang(request), tz=kernel.config.timezone,
        csrf=request.session.get("csrf", "")))


BLOCKS = (
    Block("tasks.alarms", "Alarms", alarm_block, permission="tasks.task.view", sequence=5),
    Block("tasks.my_day", "My day", my_day, permission="tasks.task.view", sequence=10),
    Block("tasks.overdue", "Overdue tasks", overdue, permission="tasks.task.view", sequence=11),
    Block("tasks.referred", "Tasks I referred", referred, permission="tasks.task.view", sequence=12),
)
