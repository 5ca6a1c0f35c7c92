"""The daily reminder report (TSK-06): records whose chosen date falls on a chosen day — a
contract's end, a departure date, a follow-up — each with its partner's number and a one-click
communication. Modules only declare their dates (:class:`kernel.DateSource`)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import Date, func, select
from starlette.requests import Request
from starlette.responses import Response

from kernel import InputError, Route
from kernel.persian.jalali import format_jalali, parse_jalali_date
from kernel.persian.phones import format_phone
from kernel.timezone import day_bounds, local_today, to_local
from kernel.web.forms import error_text
from kernel.web.resource_views import titles_for
from kernel.web.templating import render, request_lang
from modules.base.models import Partner
from modules.base.services.links import new_communication_url

PERM = "tasks.daily_report.view"
SHOWN = 500


def sources_for(kernel: Any, actor: Any) -> list[Any]:
    return [s for s in kernel.date_sources if actor.can(kernel.resources[s.resource].perm("view"))]


def on_day(kernel: Any, actor: Any, source: Any, day: dt.date) -> Any:
    res = kernel.resources[source.resource]
    model: Any = res.model
    col = getattr(model, source.date_field)
    stmt = kernel.scoped_select(actor, model)
    if isinstance(col.type, Date):
        return stmt.where(col == day), col
    start, end = day_bounds(day, kernel.config.timezone)
    return stmt.where(col >= start, col < end), col


def rows_for(kernel: Any, session: Any, actor: Any, source: Any, day: dt.date, lang: str) -> tuple[list[dict[str, Any]], int]:
    res = kernel.resources[source.resource]
    stmt, col = on_day(kernel, actor, source, day)
    records = list(session.scalars(stmt.order_by(col, res.model.id).limit(SHOWN)))
    total = len(records) if len(records) < SHOWN else int(
        session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0)
    partner_ids = {getattr(r, source.partner_field) for r in records if source.partner_field} - {None}
    phones = {pid: (mobile, phone) for pid, mobile, phone in session.execute(
        select(Partner.id, Partner.mobile, Partner.phone).where(Partner.id.in_(partner_ids)))} if partner_ids else {}
    users = {getattr(r, source.user_field) for r in records if source.user_field} - {None}
    titles = titles_for(kernel, session, {"base.partner": partner_ids, "@user": users})
    tz = kernel.config.timezone
    out = []
    for r in records:
        when = getattr(r, source.date_field)
        pid = getattr(r, source.partner_field) if source.partner_field else None
        number = next((n for n in phones.get(pid, ()) if n), "") if pid else ""
        out.append({
            "id": r.id, "title": res.title_of(r), "url": f"{res.url}{r.id}",
            "when": format_jalali(to_local(when, tz) if isinstance(when, dt.datetime) else when, lang,
                                  "datetime" if isinstance(when, dt.datetime) else "short"),
            "partner_id": pid, "partner": titles.get(("base.partner", pid), "") if pid else "",
            "number": number, "number_text": format_phone(number, lang) if number else "",
            "user": titles.get(("@user", getattr(r, source.user_field)), "") if source.user_field else "",
        })
    return out, total


def page(request: Request) -> Response:
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
    back = "/tasks/daily?" + urlencode({"source": source.key if source else "", "day": format_jalali(day, "en")})
    return render(request, "tasks/daily.html", {
        "sources": sources, "source": source, "day": format_jalali(day, lang), "rows": rows, "total": total,
        "error": error, "back": back, "shown": SHOWN,
        "can_log": actor.can("base.communication.create"),
        "log_url": lambda row: new_communication_url(
            kernel.config.timezone, partner_id=row["partner_id"], subject=row["title"],
            link=(source.resource, row["id"]) if source else None, back=back),
    })


def routes() -> list[Route]:
    return [Route("/daily", page, methods=["GET"], permission=PERM, name="daily")]
