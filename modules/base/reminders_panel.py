"""The partner's reminders on the 360° profile (BASE-11): today's first, then the coming ones.

Reminders are the kernel's (every edition has them); a reminder is about a partner through its
link ``("base.partner", id)``. The user sees only the reminders their record scope allows (their
own, unless they may see everyone's).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup

from kernel import Panel, Reminder
from kernel.persian.jalali import format_jalali
from kernel.timezone import day_bounds, local_today, to_local
from kernel.web.templating import request_lang
from modules.base.panels import PAGE

SHOWN = 10


def reminders(request: Any, kernel: Any, session: Any, actor: Any, record: Any) -> Markup:
    tz = kernel.config.timezone
    lang = request_lang(request)
    t = kernel.t
    start, end = day_bounds(local_today(tz), tz)
    live = kernel.scoped_select(actor, Reminder).where(
        Reminder.link_resource == "base.partner", Reminder.link_id == record.id,
        Reminder.active.is_(True), Reminder.next_at.is_not(None))
    today = list(session.scalars(live.where(Reminder.next_at < end).order_by(Reminder.next_at, Reminder.id).limit(SHOWN)))
    coming = list(session.scalars(live.where(Reminder.next_at >= end).order_by(Reminder.next_at, Reminder.id)
                                  .limit(SHOWN)))

    def items(rows: list[Reminder], empty: str) -> Markup:
        if not rows:
            return Markup('<li class="muted">{}</li>').format(t(lang, empty))
        return Markup("").join(
            Markup('<li data-reminder="{}"{}><a href="/kernel/reminder/{}">{}</a> <small class="muted">{}</small></li>')
            .format(r.id, Markup(' class="overdue"') if r.next_at and r.next_at < start else "", r.id, r.title,
                    format_jalali(to_local(r.next_at, tz), lang, "datetime") if r.next_at else "")
            for r in rows)

    parts = [Markup('<h3>{}</h3><ul class="block-list reminders-today">{}</ul>').format(
                 t(lang, "Reminders today"), items(today, "No reminders today")),
             Markup('<h3>{}</h3><ul class="block-list reminders-coming">{}</ul>').format(
                 t(lang, "Coming reminders"), items(coming, "No coming reminders"))]
    if actor.can("kernel.reminder.create"):
        url = "/kernel/reminder/new?" + urlencode({"link_resource": "base.partner", "link_id": record.id,
                                                   "next": f"/base/partner/{record.id}/profile"})
        parts.append(Markup('<p class="actions"><a class="button" href="{}">+ {}</a></p>').format(url, t(lang, "New reminder")))
    return Markup("").join(parts)


PANEL = Panel("base.reminders", PAGE, "Reminders", reminders, permission="kernel.reminder.view", sequence=35)
