"""Markup the reminders add to pages: the alarm tray on every page (unseen alarms listed right
after login; the script polls /alarms.json each minute and adds the ones that ring while the page
is open), and a record's reminders with "+ New reminder" under any record of any module."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup

from kernel import memo
from kernel.reminders import alarms
from kernel.reminders.models import Reminder
from kernel.reminders.routes import KIND_PREFIX
from kernel.web.templating import request_lang

TRAY = 5
SHOWN = 20


def head(context: dict[str, Any], request: Any) -> Markup | None:
    return Markup('<link rel="stylesheet" href="/static/kernel/alarms.css">'
                  '<script src="/static/kernel/alarms.js" defer></script>')


def tray(context: dict[str, Any], request: Any) -> Markup | None:
    actor = getattr(request.state, "actor", None)
    if actor is None or not actor.user_id:
        return None
    kernel = request.app.state.kernel
    env = request.app.state.jinja
    # One more than shown: "۵+" without a count of its own (the menu's badge counts them all).
    # Kept until an alarm is written (kernel.memo): most pages of a day show the same tray.
    rows = memo.cached(("alarms.tray", actor.user_id), lambda: _unseen(kernel, actor.user_id))
    lang = request_lang(request)

    def draw() -> Markup:
        return Markup(env.get_template("kernel/reminders/tray.html").render(
            alarms=rows[:TRAY], more=len(rows) > TRAY, csrf=request.session.get("csrf", ""), lang=lang,
            tz=kernel.config.timezone, back=request.url.path, prefix=KIND_PREFIX))

    # The empty tray (folded and hidden until the script adds an alarm) is the same on every page.
    return draw() if rows else memo.cached(("alarms.tray.empty", lang), draw)


def _unseen(kernel: Any, user_id: int) -> tuple[Any, ...]:
    with kernel.sessions() as session:
        return tuple(alarms.unseen(session, user_id, TRAY + 1))


def record_reminders(context: dict[str, Any], request: Any) -> Markup | None:
    """Under a record's page ("<resource>.detail"): its live reminders (the actor's record scope
    applies) and "+ New reminder", the form with the link filled in, coming back here."""
    record, res = context.get("record"), context.get("resource")
    actor = getattr(request.state, "actor", None)
    if record is None or res is None or actor is None or res.name == "kernel.reminder":
        return None
    can_view, can_create = actor.can("kernel.reminder.view"), actor.can("kernel.reminder.create")
    if not (can_view or can_create):
        return None
    kernel = request.app.state.kernel
    rows: list[Reminder] = []
    if can_view:
        with kernel.sessions() as session:
            stmt = kernel.scoped_select(actor, Reminder).where(
                Reminder.link_resource == res.name, Reminder.link_id == record.id)
            rows = list(session.scalars(stmt.order_by(Reminder.next_at.is_(None), Reminder.next_at, Reminder.id)
                                        .limit(SHOWN)))
    new_url = "/kernel/reminder/new?" + urlencode(
        {"link_resource": res.name, "link_id": record.id, "next": f"{res.url}{record.id}"}) if can_create else ""
    env = request.app.state.jinja
    return Markup(env.get_template("kernel/reminders/record_reminders.html").render(
        reminders=rows, new_url=new_url, lang=request_lang(request), tz=kernel.config.timezone))


# Above the page, in its flow: fixed over the page it covered the Save button, rows and fields.
SLOTS = {"kernel.head": head, "kernel.content_start": tray}


def render(slot: str, context: dict[str, Any], request: Any) -> Markup | None:
    handler = SLOTS.get(slot)
    if handler is None and slot.endswith(".detail"):
        handler = record_reminders  # every resource's record page: "<resource>.detail"
    return handler(context, request) if handler else None
