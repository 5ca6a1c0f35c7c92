"""``/medical/calendar``: the clinic's calendar per doctor or group of doctors (day and week),
booking a free slot, state buttons, moving an appointment (drag and drop, or the move form for
the keyboard), the next free slot; every write through ``services.booking`` in one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import select
from starlette.requests import Request
from starlette.responses import Response

from kernel import Conflict, Field, InputError, NotFound, Route
from kernel.db import utcnow
from kernel.persian.jalali import format_jalali, parse_jalali_date
from kernel.timezone import local_today, to_local
from kernel.web import refs
from kernel.web.forms import error_text, flash, form, redirect, safe_next, tr
from kernel.web.templating import render, request_lang
from modules.base.models import Partner
from modules.medical.models import STATES, Appointment, Doctor, DoctorGroup, Referral
from modules.medical.services import booking, calendar_view, referrals, slots

VIEW, BOOK, STATE = "medical.appointment.view", booking.BOOK, booking.CHANGE
PATIENT = Field(name="patient_id", label="Patient", kind="ref", ref="base.partner", ref_filter={"kind": "person"})
STATE_BUTTONS = {"booked": (("arrived", "Arrived"), ("no_show", "No-show"), ("cancelled", "Cancel appointment")),
                 "arrived": (("seen", "Visited"), ("cancelled", "Cancel appointment"))}


def _day(request: Request, kernel: Any) -> dt.date:
    q = request.query_params
    tz = kernel.config.timezone
    if q.get("jday"):
        try:
            return parse_jalali_date(q["jday"])
        except (InputError, ValueError):
            return local_today(tz)
    try:
        return dt.date.fromisoformat(q.get("day", ""))
    except ValueError:
        return local_today(tz)


def _at(text: Any) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(str(text or "")).replace(tzinfo=None, second=0, microsecond=0)
    except ValueError:
        raise InputError("Choose a free slot") from None


def _scope_query(q: Any) -> dict[str, str]:
    keep = {k: q.get(k) for k in ("doctor", "group", "view", "referral") if q.get(k)}
    return {k: str(v) for k, v in keep.items()}


def page(request: Request) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    lang = request_lang(request)
    q = request.query_params
    view = "week" if q.get("view") == "week" else "day"
    day = _day(request, kernel)
    with kernel.sessions() as session:
        doctors, group = calendar_view.chosen(session, q.get("doctor"), q.get("group"), actor)
        columns = calendar_view.build(kernel, session, actor, doctors, day, view, lang) if doctors else []
        all_doctors = list(session.scalars(select(Doctor).where(Doctor.deleted_at.is_(None), Doctor.active.is_(True))
                                           .order_by(Doctor.name, Doctor.id)))
        groups = list(session.scalars(select(DoctorGroup).where(DoctorGroup.deleted_at.is_(None))
                                      .order_by(DoctorGroup.name)))
        open_refs = referrals.open_for(kernel, session, actor, [d.id for d in doctors], group.id if group else None) \
            if doctors and actor.can("medical.referral.view") else []
        referral = None
        if str(q.get("referral") or "").isdigit():
            referral = next((r for r, _ in open_refs if r.id == int(q["referral"])), None)
    step = 7 if view == "week" else 1
    here = _scope_query(q)
    if group is not None:
        here = {**{k: v for k, v in here.items() if k != "doctor"}, "group": str(group.id)}
    elif doctors:
        here = {**here, "doctor": str(doctors[0].id)}

    def link(**extra: Any) -> str:
        return "/medical/calendar?" + urlencode({**here, **{k: str(v) for k, v in extra.items()}})

    first = calendar_view.week_start(day) if view == "week" else day
    title = (format_jalali(first, lang, "long") + " – " + format_jalali(first + dt.timedelta(days=6), lang, "long")
             if view == "week" else f"{calendar_view.weekday_name(day, lang)} {format_jalali(day, lang, 'long')}")
    return render(request, "medical/calendar.html", {
        "columns": columns, "doctors": doctors, "group": group, "all_doctors": all_doctors, "groups": groups,
        "view": view, "day": day, "title": title, "jday": format_jalali(day, lang),
        "prev_url": link(day=(day - dt.timedelta(days=step)).isoformat()),
        "next_url": link(day=(day + dt.timedelta(days=step)).isoformat()),
        "today_url": link(day=calendar_view.today(kernel).isoformat()),
        "day_url": link(view="day", day=day.isoformat()), "week_url": link(view="week", day=day.isoformat()),
        "here": link(day=day.isoformat()), "here_query": urlencode({**here, "day": day.isoformat()}),
        "next_free_url": "/medical/calendar/next?" + urlencode({k: v for k, v in here.items() if k != "view"}),
        "open_refs": open_refs, "referral": referral, "state_buttons": STATE_BUTTONS, "now": utcnow(),
        "today": calendar_view.today(kernel),
        "state_labels": {value: kernel.t(lang, label) for value, label in STATES},
        "can_book": actor.can(BOOK), "can_state": actor.can(STATE),
        "can_refer": actor.can("medical.referral.create"),
    })


def next_free(request: Request) -> Response:
    kernel = request.app.state.kernel
    q = request.query_params
    with kernel.sessions() as session:
        try:
            found = booking.next_free_for(kernel, session, doctor_id=q.get("doctor"), group_id=q.get("group"))
        except InputError:
            found = None
    if found is None:
        flash(request, "No free slot in the next eight weeks")
        return redirect("/medical/calendar?" + urlencode(_scope_query(q)))
    doctor, at = found
    params = {"doctor": doctor.id, "at": at.isoformat(), **({"referral": q["referral"]} if q.get("referral") else {})}
    return redirect("/medical/calendar/book?" + urlencode(params))


def book_form(request: Request, values: dict[str, Any] | None = None, error: str = "", status: int = 200) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    lang = request_lang(request)
    values = values if values is not None else dict(request.query_params)
    tz = kernel.config.timezone
    with kernel.sessions() as session:
        doctor = session.get(Doctor, int(values["doctor"])) if str(values.get("doctor") or "").isdigit() else None
        try:
            at = _at(values.get("at"))
        except InputError:
            at = None
        if doctor is None or at is None:
            return Response(kernel.t(lang, "Not found"), status_code=404)
        referral = None
        if str(values.get("referral") or "").isdigit():
            referral = session.scalars(kernel.scoped_select(actor, Referral).where(
                Referral.id == int(values["referral"]))).first()
            if referral is not None and not values.get("patient_id"):
                values["patient_id"] = str(referral.patient_id)
        picker = refs.widget(kernel, session, actor, PATIENT, values.get("patient_id", ""))
        patient_name = ""
        if referral is not None:
            patient_name = session.scalar(select(Partner.name).where(Partner.id == referral.patient_id)) or ""
    local = to_local(at, tz)
    return render(request, "medical/calendar_book.html", {
        "doctor": doctor, "at": at, "when": format_jalali(local, lang, "datetime"),
        "weekday": calendar_view.weekday_name(local.date(), lang), "values": values, "picker": picker,
        "referral": referral, "patient_name": patient_name, "error": error,
        "back": calendar_url(doctor.id, local.date()),
    }, status)


def calendar_url(doctor_id: int, day: dt.date) -> str:
    return "/medical/calendar?" + urlencode({"doctor": doctor_id, "day": day.isoformat()})


def book(request: Request) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    data = {k: str(v) for k, v in form(request).items() if k != "csrf"}
    try:
        with kernel.session(actor) as session:
            row = booking.book(kernel, session, actor, doctor_id=data.get("doctor"), patient_id=data.get("patient_id"),
                               start_at=_at(data.get("at")), note=data.get("note"), referral_id=data.get("referral"))
            doctor_id, day = row.doctor_id, to_local(row.start_at, kernel.config.timezone).date()
    except (InputError, Conflict) as exc:
        return book_form(request, data, error_text(request, exc), 409 if isinstance(exc, Conflict) else 422)
    flash(request, "The appointment is booked")
    return redirect(calendar_url(doctor_id, day))


def change_state(request: Request) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    data = form(request)
    back = safe_next(str(data.get("next") or "/medical/calendar"))
    try:
        with kernel.session(actor) as session:
            booking.set_state(kernel, session, actor, request.path_params["id"], str(data.get("state") or ""))
    except NotFound:
        return Response(tr(request, "Not found"), status_code=404)
    except (InputError, Conflict) as exc:
        return render(request, "medical/calendar_refused.html", {"error": error_text(request, exc), "back": back}, 409)
    flash(request, "Saved")
    return redirect(back)


def move_form(request: Request, error: str = "", status: int = 200) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    lang = request_lang(request)
    tz = kernel.config.timezone
    with kernel.sessions() as session:
        row = session.scalars(kernel.scoped_select(actor, Appointment, "edit").where(
            Appointment.id == request.path_params["id"])).first()
        if row is None:
            return Response(kernel.t(lang, "Not found"), status_code=404)
        doctor = session.get(Doctor, row.doctor_id)
        assert doctor is not None
        first = max(calendar_view.today(kernel), to_local(row.start_at, tz).date() - dt.timedelta(days=7))
        grid = slots.offered(session, [doctor], first, first + dt.timedelta(days=20), tz)[doctor.id]
        starts = [s for per_day in grid.values() for s in per_day if s > utcnow()]
        busy = slots.taken(session, [doctor.id], starts[0], starts[-1] + dt.timedelta(seconds=1)) if starts else set()
        free = [(s.isoformat(), format_jalali(to_local(s, tz), lang, "datetime") + " "
                 + calendar_view.weekday_name(to_local(s, tz).date(), lang))
                for s in starts if (doctor.id, s) not in busy][:300]
        patient = session.scalar(select(Partner.name).where(Partner.id == row.patient_id)) or ""
    local = to_local(row.start_at, tz)
    return render(request, "medical/calendar_move.html", {
        "row": row, "doctor": doctor, "patient": patient, "free": free, "error": error,
        "when": format_jalali(local, lang, "datetime"), "back": calendar_url(doctor.id, local.date()),
    }, status)


def move(request: Request) -> Response:
    kernel = request.app.state.kernel
    actor = request.state.actor
    data = form(request)
    try:
        with kernel.session(actor) as session:
            row = booking.reschedule(kernel, session, actor, request.path_params["id"], _at(data.get("at")),
                                     doctor_id=data.get("doctor") or None)
            doctor_id, day = row.doctor_id, to_local(row.start_at, kernel.config.timezone).date()
    except NotFound:
        return Response(tr(request, "Not found"), status_code=404)
    except (InputError, Conflict) as exc:
        if data.get("next"):
            back = safe_next(str(data.get("next")))
            return render(request, "medical/calendar_refused.html", {"error": error_text(request, exc), "back": back},
                          409)
        return move_form(request, error_text(request, exc), 409)
    flash(request, "The appointment is moved")
    return redirect(safe_next(str(data.get("next")))if data.get("next") else calendar_url(doctor_id, day))


def routes() -> list[Route]:
    return [
        Route("/calendar", page, methods=["GET"], permission=VIEW, name="calendar"),
        Route("/calendar/next", next_free, methods=["GET"], permission=VIEW, name="calendar_next"),
        Route("/calendar/book", book_form, methods=["GET"], permission=BOOK, name="calendar_book_form"),
        Route("/calendar/book", book, methods=["POST"], permission=BOOK, name="calendar_book"),
        Route("/calendar/appointment/{id:int}/state", change_state, methods=["POST"], permission=STATE,
              name="calendar_state"),
        Route("/calendar/appointment/{id:int}/move", move_form, methods=["GET"], permission=BOOK,
              name="calendar_move_form"),
        Route("/calendar/appointment/{id:int}/move", move, methods=["POST"], permission=BOOK, name="calendar_move"),
    ]
