"""What the patient-file half of the medical module declares (hooks.py delegates here)."""

from __future__ import annotations

from typing import Any

from kernel import MenuItem

MENU = "medical.patients_menu"


def menu_items() -> list[MenuItem]:
    return [
        MenuItem(MENU, "Patients", "", permission="medical.patient.view", sequence=26, icon="users"),
        MenuItem("medical.patients", "Patients", "/medical/patient/", "medical.patient.view", parent=MENU,
                 sequence=10),
        MenuItem("medical.patients_by_disease", "Patients by disease", "/medical/patient_disease/",
                 "medical.records", parent=MENU, sequence=20),
        MenuItem("medical.documents", "Medical documents", "/medical/document/", "medical.records",
                 parent=MENU, sequence=30),
        MenuItem("medical.diseases", "Diseases", "/medical/disease/", "medical.disease.view", parent=MENU,
                 sequence=40),
    ]


def record_filter(actor: Any, model: type, action: str) -> Any:
    from modules.medical.privacy import record_filter as private

    return private(actor, model)


def handle_event(event: Any, session: Any, kernel: Any) -> None:
    from modules.medical.education import on_event

    on_event(event, session, kernel)


def template_slot(slot: str, context: dict[str, Any], request: Any) -> Any:
    from modules.medical.file_panel import detail_slot

    return detail_slot(slot, context, request)
