"""Markup the tasks module adds to other pages: the alarm tray on every page, the task's
communications under a task, and "new task / reminder" on a partner (kernel.template_slot)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup

from kernel.db import utcnow
from kernel.jalali import format_jalali
from kernel.timezone import to_local
from kernel.web.resource_views import titles_for
from kernel.web.templating import request_lang
from modules.base.models import Communication
from modules.tasks import alarms
from modules.tasks.models import Reminder

TRAY = 5


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
        rows = alarms.unseen(session, actor.user_id, TRAY)
        total = alarms.unseen_count(session, actor.user_id) if len(rows) == TRAY else len(rows)
    html = env.get_template("tasks/tray.html").render(
        alarms=rows, total=total, csrf=request.session.get("csrf", ""), lang=request_lang(request),
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
        people = titles_for(kernel, session, {"@user": {task.referred_by_id, task.assignee_id} - {None}})
    now_text = format_jalali(to_local(utcnow(), tz), "en", "datetime")
    log_url = "/base/communication/new?" + urlencode({
        "partner_id": task.partner_id or "", "kind": "call", "subject": task.title[:200], "started_at": now_text,
        "link_resource": "tasks.task", "link_id": task.id, "next": f"/tasks/task/{task.id}"})
    env = request.app.state.jinja
    return Markup(env.get_template("tasks/task_extra.html").render(
        task=task, comms=comms, reminders=reminders, log_url=log_url, lang=lang, tz=tz, kernel=kernel,
        referred_by=people.get(("@user", task.referred_by_id), ""), assignee=people.get(("@user", task.assignee_id), ""),
        can_log=actor.can("base.communication.create")))


def partner_detail(context: dict[str, Any], request: Any) -> Markup | None:
    record = context.get("record")
    actor = request.state.actor
    if record is None or actor is None or not actor.can("tasks.task.create"):
        return None
    kernel = request.app.state.kernel
    lang = request_lang(request)
    return Markup('<div class="actions task-actions"><a class="button" href="/tasks/task/new?partner_id={0}">{1}</a> '
                  '<a class="button" href="/tasks/reminder/new?partner_id={0}">{2}</a></div>').format(
        int(record.id), kernel.t(lang, "New task"), kernel.t(lang, "New reminder"))


SLOTS = {
    "kernel.head": head,
    "kernel.body_end": tray,
    "tasks.task.detail": task_detail,
    "base.partner.detail": partner_detail,
}


def render(slot: str, context: dict[str, Any], request: Any) -> Markup | None:
    handler = SLOTS.get(slot)
    return handler(context, request) if handler else None

