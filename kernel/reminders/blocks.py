"""Dashboard blocks every edition has (KER-13): the user's unseen alarms, and what of the
modules' date sources falls due for them today (or is overdue)."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from kernel.declarations import Block
from kernel.reminders import alarms
from kernel.reminders.daily import when_text
from kernel.reminders.dates import date_column, due_for_user, queue_sources
from kernel.timezone import local_today
from kernel.web.templating import request_lang

SHOWN = 10


def alarm_block(request: Any, kernel: Any, actor: Any) -> Markup:
    env = request.app.state.jinja
    with kernel.sessions() as session:
        rows = alarms.unseen(session, actor.user_id, SHOWN)
    return Markup(env.get_template("kernel/reminders/block_alarms.html").render(
        alarms=rows, lang=request_lang(request), tz=kernel.config.timezone))


def due_items(kernel: Any, session: Any, actor: Any, user_id: int, shown: int = SHOWN) -> list[dict[str, Any]]:
    """Per source (in its sequence), the user's due records, oldest date first, ``shown`` in all."""
    lang = actor.lang or "fa"
    today = local_today(kernel.config.timezone)
    out: list[dict[str, Any]] = []
    for source in queue_sources(kernel, actor):
        if len(out) >= shown:
            break
        res = kernel.resources[source.resource]
        model, col, _ = date_column(kernel, source)
        stmt = due_for_user(kernel, actor, source, user_id, today).order_by(col, model.id).limit(shown - len(out))
        for r in session.scalars(stmt):
            out.append({"source": source, "title": res.title_of(r), "url": f"{res.url}{r.id}",
                        "when": when_text(getattr(r, source.date_field), lang, kernel.config.timezone)})
    return out


def due_block(request: Any, kernel: Any, actor: Any) -> Markup:
    env = request.app.state.jinja
    with kernel.sessions() as session:
        items = due_items(kernel, session, actor, actor.user_id)
    return Markup(env.get_template("kernel/reminders/block_due.html").render(
        items=items, lang=request_lang(request), can_daily=actor.can("kernel.daily_report.view")))


BLOCKS = (
    Block("kernel.alarms", "Alarms", alarm_block, permission=None, sequence=5),
    Block("kernel.due", "Due today", due_block, permission=None, sequence=6),
)
