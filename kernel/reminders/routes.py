"""The kernel's reminder pages: the alarms list, the JSON the tray polls, dismissing, and the
daily reminder report (KER-11, TSK-03, TSK-06). Alarms are the user's own: any signed-in user
of any edition has them."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kernel.errors import InputError
from kernel.persian.jalali import format_jalali, parse_jalali_date
from kernel.persian.textnorm import to_ascii_digits
from kernel.reminders import alarms as service
from kernel.reminders.daily import SHOWN as DAILY_SHOWN
from kernel.reminders.daily import rows_for
from kernel.reminders.dates import sources_for
from kernel.reminders.models import Alarm
from kernel.routing import AUTHENTICATED, Route
from kernel.timezone import local_today, to_local
from kernel.web.forms import error_text, form, redirect, safe_next
from kernel.web.templating import render, request_lang

SHOWN = 100
DAILY_PERM = "kernel.daily_report.view"
KIND_PREFIX = {"referral": "Referred to you"}


def alarm_title(kernel: Any, lang: str, alarm: Alarm) -> str:
    prefix = KIND_PREFIX.get(alarm.kind)
    return (kernel.t(lang, prefix) + ": " if prefix else "") + alarm.title


def page(request: Request) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    with kernel.sessions() as session:
        rows = list(session.scalars(select(Alarm).where(Alarm.user_id == actor.user_id)
                                    .order_by(Alarm.id.desc()).limit(SHOWN)))
    return render(request, "kernel/reminders/alarms.html", {"alarms": rows, "prefix": KIND_PREFIX})


def as_json(request: Request) -> Response:
    """What the alarm tray polls: the user's unseen alarms, newest first."""
    kernel = request.app.state.kernel
    actor = request.state.actor
    lang = request_lang(request)
    tz = kernel.config.timezone
    with kernel.sessions() as session:
        rows = service.unseen(session, actor.user_id)
        total = service.unseen_count(session, actor.user_id)
    return JSONResponse({"count": total, "alarms": [
        {"id": a.id, "url": a.url, "kind": a.kind, "title": alarm_title(kernel, lang, a),
         "when": format_jalali(to_local(a.due_at, tz), lang, "datetime")} for a in rows]})


def dismiss(request: Request) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    data = form(request)
    raw = to_ascii_digits(str(data.get("alarm", ""))).strip()
    with kernel.session(actor) as session:
        service.dismiss(session, actor.user_id, int(raw) if raw.isdigit() else None)
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"ok": True})
    return redirect(safe_next(str(data.get("back", "")) or "/alarms"))


def daily(request: Request) -> Response:
    """Records of one date source falling on one (Jalali) day; a bad day is a message."""
    kernel = request.app.state.kernel
    actor = request.state.actor
    lang = request_lang(request)
    sources = sources_for(kernel, actor)
    by_key = {s.key: s for s in sources}
    source = by_key.get(request.query_params.get("source", "")) or (sources[0] if sources else None)
    raw_day = request.query_params.get("day", "").strip()
    error = ""
    day = local_today(kernel.config.timezone)
    if raw_day:
        try:
            day = parse_jalali_date(raw_day)
        except InputError as exc:
            error = error_text(request, exc)
    rows: list[dict[str, Any]] = []
    total = 0
    if source is not None and not error:
        with kernel.sessions() as session:
            rows, total = rows_for(kernel, session, actor, source, day, lang)
    back = "/reminders/daily?" + urlencode({"source": source.key if source else "", "day": format_jalali(day, "en")})
    return render(request, "kernel/reminders/daily.html", {
        "sources": sources, "source": source, "day": format_jalali(day, lang), "rows": rows, "total": total,
        "error": error, "back": back, "shown": DAILY_SHOWN,
    })


def routes() -> list[Route]:
    return [
        Route("/alarms", page, methods=["GET"], permission=AUTHENTICATED, name="alarms"),
        Route("/alarms.json", as_json, methods=["GET"], permission=AUTHENTICATED, name="alarms_json"),
        Route("/alarms/dismiss", dismiss, methods=["POST"], permission=AUTHENTICATED, name="alarms_dismiss"),
        Route("/reminders/daily", daily, methods=["GET"], permission=DAILY_PERM, name="reminders_daily"),
    ]
