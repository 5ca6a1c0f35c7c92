"""The events the medical module emits (listed by its ``register_events`` hook)."""

from __future__ import annotations

from dataclasses import dataclass

from kernel import Event


@dataclass(frozen=True)
class AppointmentChanged(Event):
    """An appointment was booked (``from_state`` is ""), moved to another state (arrived, seen,
    no-show, cancelled) or rescheduled (``from_state == to_state``, ``moved`` True), in the
    transaction of the change. After a visit (``to_state == "seen"``) the module sends the
    educational messages of the patient's diseases; a veto refuses the change."""

    appointment_id: int
    patient_id: int  # the patient's base partner
    doctor_id: int  # medical_doctor.id
    from_state: str
    to_state: str
    moved: bool = False
