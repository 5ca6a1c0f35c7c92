"""Administration of occasions and holidays (KER-19): a Jalali year's list with the Hijri date
beside, add / edit / move / remove, refill from the shipped definitions, and the weekend."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response

from kernel.errors import InputError
from kernel.occasions import editing, workweek
from kernel.occasions.corrections import corrections, set_month_start
from kernel.occasions.fill import fill_year
from kernel.occasions.models import Occasion
from kernel.persian.hijri import MONTHS_EN, MONTHS_FA, Corrections, format_hijri, to_hijri
from kernel.persian.jalali import (
    MAX_YEAR,
    MIN_YEAR,
    format_jalali,
    jalali_year_range,
    parse_jalali_date,
    to_jalali,
    today_jalali,
)
from kernel.routing import Route
from kernel.web.forms import error_text, form, redirect
from kernel.web.templating import render, request_lang

PERM = "kernel.admin.occasions"


def _year(raw: object) -> int:
    text = str(raw or "")
    year = int(text) if text.isdigit() else today_jalali().year
    return year if MIN_YEAR <= year <= MAX_YEAR else today_jalali().year


def _hijri_text(obj: Occasion, lang: str, table: Corrections) -> str:
    try:
        return format_hijri(obj.date, lang, table)
    except ValueError:  # outside the Hijri tables (1343–1500 AH)
        return ""


def year_page(request: Request, error: str = "", status: int = 200, year: int | None = None) -> Response:
    kernel = request.app.state.kernel
    lang = request_lang(request)
    year = year or _year(request.query_params.get("year"))
    start, end = jalali_year_range(year)
    with kernel.sessions() as session:
        rows = list(session.scalars(select(Occasion).where(Occasion.date >= start, Occasion.date < end)
                                    .order_by(Occasion.date, Occasion.id)))
        weekend, half = workweek.weekend(session), workweek.half_days(session)
        table = corrections(session)
    live = [r for r in rows if r.deleted_at is None]
    removed = [r for r in rows if r.deleted_at is not None]
    return render(request, "kernel/admin/occasions.html", {
        "year": year, "rows": live, "removed": removed, "hijri": {r.id: _hijri_text(r, lang, table) for r in rows},
        "weekend": weekend, "half": half, "week": [(d, workweek.DAY_NAMES[d]) for d in workweek.WEEK_ORDER],
        "religions": editing.RELIGION_CHOICES, "sects": editing.SECT_CHOICES, "error": error,
        "sources": editing.SOURCE_LABELS, "months": list(enumerate(MONTHS_FA if lang == "fa" else MONTHS_EN, 1)),
    }, status)


def edit_page(request: Request, error: str = "", status: int = 200, values: Any = None) -> Response:
    kernel = request.app.state.kernel
    lang = request_lang(request)
    oid = int(request.path_params["oid"])
    with kernel.sessions() as session:
        obj = session.get(Occasion, oid)
        if obj is None or obj.deleted_at is not None:
            return render(request, "kernel/message.html", {"message": kernel.t(lang, "Not found"), "status": 404}, 404)
        if values is None:
            values = editing.OccasionInput(
                name=obj.name, name_en=obj.name_en, date=format_jalali(obj.date, "en"),
                hijri=_hijri_input(obj, corrections(session)),
                holiday=obj.holiday, religion=obj.religion, sect=obj.sect)
            values.hijri_was = values.hijri
        return render(request, "kernel/admin/occasion_edit.html", {
            "obj": obj, "v": values, "religions": editing.RELIGION_CHOICES,
            "sects": editing.SECT_CHOICES, "error": error, "year": obj.year,
        }, status)


def _hijri_input(obj: Occasion, table: Corrections) -> str:
    """The Hijri date as the form takes it back ("1448/01/10")."""
    try:
        h = to_hijri(obj.date, table)
    except ValueError:
        return ""
    return f"{h.year}/{h.month:02d}/{h.day:02d}"


def edit_save(request: Request) -> Response:
    kernel = request.app.state.kernel
    data = form(request)
    values = editing.OccasionInput.from_form(data)
    oid = int(request.path_params["oid"])
    try:
        with kernel.session(request.state.actor) as session:
            obj = session.get(Occasion, oid)
            if obj is None or obj.deleted_at is not None:
                raise InputError("Not found")
            editing.edit_occasion(session, obj, values)
            year = obj.year
    except InputError as exc:
        return edit_page(request, error_text(request, exc), 400, values)
    return redirect(f"/admin/occasions?year={year}")


def year_save(request: Request) -> Response:
    """The year page's forms: add, remove, restore, refill, weekend (``op``)."""
    kernel = request.app.state.kernel
    data = form(request)
    op = str(data.get("op", ""))
    year = _year(data.get("year"))
    try:
        with kernel.session(request.state.actor) as session:
            if op == "add":
                year = editing.add_occasion(session, editing.OccasionInput.from_form(data)).year
            elif op in ("remove", "restore"):
                oid = str(data.get("id", ""))
                obj = session.get(Occasion, int(oid)) if oid.isdigit() else None
                if obj is None:
                    raise InputError("Not found")
                (editing.remove_occasion if op == "remove" else editing.restore_occasion)(session, obj)
            elif op == "fill":
                fill_year(session, year)
            elif op == "month_start":
                hyear, hmonth = (str(data.get(k, "")).strip() for k in ("hyear", "hmonth"))
                if not (hyear.isdigit() and hmonth.isdigit()):
                    raise InputError("Enter a Hijri date as year/month/day, e.g. 1448/01/10")
                first = parse_jalali_date(str(data.get("first", "")))
                set_month_start(session, int(hyear), int(hmonth), first)
                # Its occasions move now, in the Jalali year(s) the month touches.
                for y in sorted({to_jalali(first).year, to_jalali(first + dt.timedelta(days=29)).year}):
                    fill_year(session, y)
            elif op == "weekend":
                workweek.set_workweek(session, {int(d) for d in data.getlist("weekend") if str(d).isdigit()},
                                      {int(d) for d in data.getlist("half") if str(d).isdigit()})
            else:
                raise InputError("Not a valid value")
    except InputError as exc:
        return year_page(request, error_text(request, exc), 400, year)
    return redirect(f"/admin/occasions?year={year}")


def routes() -> list[Route]:
    return [
        Route("/admin/occasions", year_page, methods=["GET"], permission=PERM, name="admin_occasions"),
        Route("/admin/occasions", year_save, methods=["POST"], permission=PERM, name="admin_occasions_save"),
        Route("/admin/occasions/{oid:int}", edit_page, methods=["GET"], permission=PERM, name="admin_occasion"),
        Route("/admin/occasions/{oid:int}", edit_save, methods=["POST"], permission=PERM,
              name="admin_occasion_save"),
    ]
