"""Educational messages by disease after a visit (MED-02): when an appointment becomes "seen",
each of the patient's diseases (and allergies) that has an educational text sends it once per
visit, through marketing's service SMS in the transaction of the change."""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import select

from kernel import InputError
from kernel.db import utcnow
from modules.marketing.services.notify import send_sms
from modules.medical.events import AppointmentChanged
from modules.medical.models import Disease, EducationSent, PatientDisease

LABEL = "Educational message after a visit"
log = logging.getLogger("peyvand.medical")


def on_event(event: Any, session: Any, kernel: Any) -> None:
    if isinstance(event, AppointmentChanged) and event.to_state == "seen" and event.from_state != "seen":
        send_after_visit(kernel, session, event.appointment_id, event.patient_id)


def send_after_visit(kernel: Any, session: Any, appointment_id: int, partner_id: int) -> int:
    """Queue the texts of the patient's diseases not yet sent for this visit; answers how many."""
    texts = session.execute(
        select(Disease.id, Disease.education_sms).join(PatientDisease, PatientDisease.disease_id == Disease.id)
        .where(PatientDisease.partner_id == partner_id, PatientDisease.deleted_at.is_(None),
               Disease.deleted_at.is_(None), Disease.education_sms.is_not(None))
        .order_by(Disease.name)).all()
    done = set(session.scalars(select(EducationSent.disease_id).where(EducationSent.appointment_id == appointment_id)))
    sent = 0
    for disease_id, body in texts:
        if disease_id in done or not (body or "").strip():
            continue
        try:
            send = send_sms(kernel, session, body.strip(), partner_id=partner_id, label=kernel.t("fa", LABEL))
        except InputError:  # no send category left: the visit is still seen, the lesson is not sent
            log.warning("educational SMS of disease %s not sent: no send category", disease_id)
            return sent
        session.add(EducationSent(appointment_id=appointment_id, disease_id=disease_id, partner_id=partner_id,
                                  send_id=send.id, sent_at=utcnow()))
        sent += 1
    session.flush()
    return sent
