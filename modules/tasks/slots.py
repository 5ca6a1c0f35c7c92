"""Markup the tasks module adds to other pages: the task's communications under a task (its
reminders are the kernel's panel), the tasks of any record under its page, and the partner's number with a one-click call on
each row of the kernel's daily reminder report (kernel.template_slot)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup
from sqlalchemy import select

from kernel.persian.phones import format_phone
from kernel.web.resource_views import titles_for
from kernel.web.templating import request_lang
from modules.base.models import Communication, Partner
from modules.base.services.links import new_communication_url
from modules.tasks.models import Task

SHOWN_TASKS = 20


def head(context: dict[str, Any], request: Any) -> Markup | None:
    return Markup('<link rel="stylesheet" href="/static/tasks/tasks.css">')


def task_detail(context: dict[str, Any], request: Any) -> Markup | None:
    """Under a task: what was done about it (communications linked to it)."""
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
        linked = task.link_resource if task.link_resource in kernel.resources and task.link_id else ""
        people = titles_for(kernel, session, {"@user": {task.referred_by_id, task.assignee_id} - {None},
                                              **({linked: {task.link_id}} if linked else {})})
    log_url = new_communication_url(tz, partner_id=task.partner_id, subject=task.title,
                                    link=("tasks.task", task.id), back=f"/tasks/task/{task.id}")
    env = request.app.state.jinja
    return Markup(env.get_template("tasks/task_extra.html").render(
        task=task, comms=comms, log_url=log_url, lang=lang, tz=tz, kernel=kernel,
        referred_by=people.get(("@user", task.referred_by_id), ""), assignee=people.get(("@user", task.assignee_id), ""),
        linked=(kernel.resources[linked], people.get((linked, task.link_id), f"#{task.link_id}")) if linked else None,
        can_log=actor.can("base.communication.create")))


def record_tasks(context: dict[str, Any], request: Any) -> Markup | None:
    """Under any record of any module (a partner, an invoice, a contract): its tasks and a "new
    task" that carries the link, so later modules' documents get tasks without code of their own."""
    record, res = context.get("record"), context.get("resource")
    actor = getattr(request.state, "actor", None)
    if record is None or res is None or actor is None or res.module in ("tasks", "kernel") or not actor.can("tasks.task.view"):
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
        can_create=actor.can("tasks.task.create")))


def daily_row(context: dict[str, Any], request: Any) -> Markup | None:
    """On each row of the kernel's daily reminder report: the partner's number (tel: link) and
    "Log a call", a communication prefilled with the partner and a link to the row's record."""
    row, rows, source = context.get("row"), context.get("rows") or [], context.get("source")
    if row is None or source is None or not row.get("partner_id"):
        return None
    kernel = request.app.state.kernel
    actor = request.state.actor
    lang = request_lang(request)
    # Every row's number in one query, remembered for the rest of the page.
    cache = getattr(request.state, "tasks_daily_numbers", None)
    if cache is None or cache[0] is not rows:
        ids = {r["partner_id"] for r in rows if r.get("partner_id")}
        with kernel.sessions() as session:
            found = session.execute(select(Partner.id, Partner.mobile, Partner.phone).where(Partner.id.in_(ids)))
            numbers = {pid: next((n for n in (mobile, phone) if n), "") for pid, mobile, phone in found}
        cache = (rows, numbers)
        request.state.tasks_daily_numbers = cache
    number = cache[1].get(row["partner_id"], "")
    out = Markup("")
    if number:
        out += Markup('<a href="tel:{}" dir="ltr">{}</a> ').format(number, format_phone(number, lang))
    if actor.can("base.communication.create"):
        url = new_communication_url(kernel.config.timezone, partner_id=row["partner_id"], subject=row["title"],
                                    link=(source.resource, row["id"]), back=context.get("back", ""))
        out += Markup('<a class="button" href="{}">{}</a>').format(url, kernel.t(lang, "Log a call"))
    return out


SLOTS = {
    "kernel.head": head,
    "kernel.daily_report.row": daily_row,
    "tasks.task.detail": task_detail,
}


def render(slot: str, context: dict[str, Any], request: Any) -> Markup | None:
    handler = SLOTS.get(slot)
    if handler is None and slot.endswith(".detail"):
        handler = record_tasks  # every resource's record page: "<resource>.detail"
    return handler(context, request) if handler else None

