"""Markup the tasks module adds to other pages: the alarm tray on every page, the task's
communications under a task, and the tasks of any record under its page (kernel.template_slot)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup

from kernel.web.resource_views import titles_for
from kernel.web.templating import request_lang
from modules.base.models import Communication
from modules.base.services.links import new_communication_url
from modules.tasks import alarms
from modules.tasks.models import Reminder, Task

TRAY = 5
SHOWN_TASKS = 20


def head(context: dict[str, Any], request: Any) -> Markup | None:
    return Markup('<link rel="stylesheet" href="/static/tasks/tasks.css">'
                  '<script src="/static/tasks/alarms.js" defer></script>')


def tray(context: dict[str, Any], request: Any) -> Markup | None:
    """Unseen alarms on every page (so they are listed right after login); the script polls
    /tasks/alarms.json each minute and adds the ones that ring while the page is open."""
    actor = getattr(request.state, "actor", None)
    if actor is None or not actor.user_id:
        return None
    kernel = request.app.state.kernel
    env = request.app.state.jinja
    with kernel.sessions() as session:
        # One more than shown: "۵+" without a count of its own (the menu's badge counts them all).
        rows = alarms.unseen(session, actor.user_id, TRAY + 1)
    html = env.get_template("tasks/tray.html").render(
        alarms=rows[:TRAY], more=len(rows) > TRAY, csrf=request.session.get("csrf", ""), lang=request_lang(request),
        tz=kernel.config.timezone, back=request.url.path, kernel=kernel)
    return Markup(html)


def task_detail(context: dict[str, Any], request: Any) -> Markup | None:
    """Under a task: what was done about it (communications linked to it) and its reminders."""
    task = context.get("record")
    if task is None:
        return None
    kernel = request.app.state.kernel
    actor = request.state.actor
    lang = request_lang(request)
    tz = kernel.config.timezone
    with kernel.sessions() as session:
        comms = list(session.scalars(
            kernel.scoped_select(actor, Communication)
            .where(Communication.link_resource == "tasks.task", Communication.link_id == task.id)
            .order_by(Communication.started_at.desc(), Communication.id.desc()).limit(200)))
        reminders = list(session.scalars(kernel.scoped_select(actor, Reminder).where(Reminder.task_id == task.id)))
        linked = task.link_resource if task.link_resource in kernel.resources and task.link_id else ""
        people = titles_for(kernel, session, {"@user": {task.referred_by_id, task.assignee_id} - {None},
                                              **({linked: {task.link_id}} if linked else {})})
    log_url = new_communication_url(tz, partner_id=task.partner_id, subject=task.title,
                                    link=("tasks.task", task.id), back=f"/tasks/task/{task.id}")
    env = request.app.state.jinja
    return Markup(env.get_template("tasks/task_extra.html").render(
        task=task, comms=comms, reminders=reminders, log_url=log_url, lang=lang, tz=tz, kernel=kernel,
        referred_by=people.get(("@user", task.referred_by_id), ""), assignee=people.get(("@user", task.assignee_id), ""),
        linked=(kernel.resources[linked], people.get((linked, task.link_id), f"#{task.link_id}")) if linked else None,
        can_log=actor.can("base.communication.create")))


def record_tasks(context: dict[str, Any], request: Any) -> Markup | None:
    """Under any record of any module (a partner, an invoice, a contract): its tasks and a "new
    task" that carries the link, so later modules' documents get tasks without code of their own."""
    record, res = context.get("record"), context.get("resource")
    actor = getattr(request.state, "actor", None)
    if record is None or res is None or actor is None or res.module == "tasks" or not actor.can("tasks.task.view"):
        return None
    kernel = request.app.state.kernel
    if res.name == "base.partner":
        about = Task.partner_id == record.id
        prefill: dict[str, Any] = {"partner_id": record.id}
    else:
        about = (Task.link_resource == res.name) & (Task.link_id == record.id)
        prefill = {"link_resource": res.name, "link_id": record.id}
        if getattr(record, "partner_id", None):
            prefill["partner_id"] = record.partner_id
    with kernel.sessions() as session:
        stmt = kernel.scoped_select(actor, Task).where(about)
        tasks = list(session.scalars(stmt.order_by(Task.done_at.is_not(None), Task.id.desc()).limit(SHOWN_TASKS)))
        people = titles_for(kernel, session, {"@user": {t.assignee_id for t in tasks} - {None}})
    env = request.app.state.jinja
    return Markup(env.get_template("tasks/record_tasks.html").render(
        tasks=tasks, people=people, lang=request_lang(request), tz=kernel.config.timezone,
        new_task="/tasks/task/new?" + urlencode({**prefill, "next": f"{res.url}{record.id}"}),
        new_reminder=f"/tasks/reminder/new?partner_id={record.id}" if res.name == "base.partner" else "",
        can_create=actor.can("tasks.task.create"), can_remind=actor.can("tasks.reminder.create")))


SLOTS = {
    "kernel.head": head,
    "kernel.body_end": tray,
    "tasks.task.detail": task_detail,
}


def render(slot: str, context: dict[str, Any], request: Any) -> Markup | None:
    handler = SLOTS.get(slot)
    if handler is None and slot.endswith(".detail"):
        handler = record_tasks  # every resource's record page: "<resource>.detail"
    return handler(context, request) if handler else None

