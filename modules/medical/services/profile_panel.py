"""The patient's appointments on the partner's 360° profile (place 60): the coming ones and the
last ones, each with its doctor and state, and "Book an appointment" for the desk."""

from __future__ import annotations

from typing import Any

from markupsafe import Markup
from sqlalchemy import select

from kernel import Panel
from kernel.db import utcnow
from kernel.persian.jalali import format_jalali
from kernel.timezone import to_local
from kernel.web.templating import request_lang
from modules.base.panels import PAGE
from modules.medical.models import STATES, Appointment, Doctor

SHOWN = 6


def render(request: Any, kernel: Any, session: Any, actor: Any, record: Any, **_: Any) -> Markup | None:
    now = utcnow()
    mine = kernel.scoped_select(actor, Appointment).where(Appointment.patient_id == record.id)
    coming = list(session.scalars(mine.where(Appointment.start_at >= now).order_by(Appointment.start_at).limit(SHOWN)))
    past = list(session.scalars(mine.where(Appointment.start_at < now).order_by(Appointment.start_at.desc())
                                .limit(SHOWN - min(len(coming), SHOWN - 2))))
    if not coming and not past:
        return None
    lang = request_lang(request)
    tz = kernel.config.timezone
    rows = [*coming, *past]
    names = dict(session.execute(select(Doctor.id, Doctor.name).where(Doctor.id.in_({r.doctor_id for r in rows}))).all())
    labels = dict(STATES)
    items = Markup("").join(Markup('<li><a href="/medical/appointment/{}"><bdi dir="ltr">{}</bdi></a> — {} — {}</li>')
                            .format(r.id, format_jalali(to_local(r.start_at, tz), lang, "datetime"),
                                    names.get(r.doctor_id, ""), kernel.t(lang, labels.get(r.state, r.state)))
                            for r in rows)
    return Markup('<ul class="med-profile">{}</ul><p><a href="/medical/appointment/?f_patient_id={}">{}</a></p>').format(
        items, record.id, kernel.t(lang, "All appointments of this patient"))


def panels() -> list[Panel]:
    return [Panel("medical.appointments", PAGE, "Appointments", render, permission="medical.appointment.view",
                  sequence=60)]
