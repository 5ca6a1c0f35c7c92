"""Alarms: the list, the JSON the page polls, and dismissing (KER-11, TSK-03)."""

from __future__ import annotations

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from kernel import AUTHENTICATED, Route
from kernel.persian.jalali import format_jalali
from kernel.persian.textnorm import to_ascii_digits
from kernel.timezone import to_local
from kernel.web.forms import form, redirect, safe_next
from kernel.web.templating import render, request_lang
from modules.tasks import alarms as service
from modules.tasks.models import Alarm

SHOWN = 100


def page(request: Request) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    with kernel.sessions() as session:
        rows = list(session.scalars(select(Alarm).where(Alarm.user_id == actor.user_id)
                                    .order_by(Alarm.id.desc()).limit(SHOWN)))
    return render(request, "tasks/alarms.html", {"alarms": rows})


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
        {"id": a.id, "url": a.url, "kind": a.kind,
         "title": (kernel.t(lang, "Task referred to you") + ": " if a.kind == "referral" else "") + a.title,
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
    return redirect(safe_next(str(data.get("back", "")) or "/tasks/alarms"))


def routes() -> list[Route]:
    # Alarms are the user's own: any signed-in user of an edition with tasks has them.
    return [
        Route("/alarms", page, methods=["GET"], permission=AUTHENTICATED, name="alarms"),
        Route("/alarms.json", as_json, methods=["GET"], permission=AUTHENTICATED, name="alarms_json"),
        Route("/alarms/dismiss", dismiss, methods=["POST"], permission=AUTHENTICATED, name="alarms_dismiss"),
    ]
