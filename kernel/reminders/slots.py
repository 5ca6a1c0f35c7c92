"""The alarm tray on every page: unseen alarms listed right after login; the script polls
/alarms.json each minute and adds the ones that ring while the page is open."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from kernel.reminders import alarms
from kernel.reminders.routes import KIND_PREFIX
from kernel.web.templating import request_lang

TRAY = 5


def head(context: dict[str, Any], request: Any) -> Markup | None:
    return Markup('<link rel="stylesheet" href="/static/kernel/alarms.css">'
                  '<script src="/static/kernel/alarms.js" defer></script>')


def tray(context: dict[str, Any], request: Any) -> Markup | None:
    actor = getattr(request.state, "actor", None)
    if actor is None or not actor.user_id:
        return None
    kernel = request.app.state.kernel
    env = request.app.state.jinja
    with kernel.sessions() as session:
        # One more than shown: "۵+" without a count of its own (the menu's badge counts them all).
        rows = alarms.unseen(session, actor.user_id, TRAY + 1)
    html = env.get_template("kernel/reminders/tray.html").render(
        alarms=rows[:TRAY], more=len(rows) > TRAY, csrf=request.session.get("csrf", ""), lang=request_lang(request),
        tz=kernel.config.timezone, back=request.url.path, prefix=KIND_PREFIX)
    return Markup(html)


SLOTS = {"kernel.head": head, "kernel.body_end": tray}


def render(slot: str, context: dict[str, Any], request: Any) -> Markup | None:
    handler = SLOTS.get(slot)
    return handler(context, request) if handler else None
