"""Patients, diseases, patients' diseases and medical documents as lists, forms, exports and the
API (MED-01). Diseases of patients and documents are seen only with ``medical.records``: the
module's ``record_filter`` (:mod:`modules.medical.privacy`) keeps them out of every path."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select

from kernel import Field, InputError, NumberSeries, Resource, take_number
from kernel.timezone import local_today
from modules.medical.models.disease import KINDS, Disease, PatientDisease
from modules.medical.models.document import DOCUMENT_KINDS, Document
from modules.medical.models.patient import BLOOD_GROUPS, Patient

FILE_SERIES = "medical.patient_file"
PERSON = {"kind": "person"}


def number_series() -> list[NumberSeries]:
    return [NumberSeries(FILE_SERIES, "Patient file numbers", default_prefix="P-")]


def _complete_patient(patient: Any, session: Any = None, **_: Any) -> None:
    """A patient whose file number was left empty takes the next one of the series."""
    if not (patient.file_number or "").strip():
        patient.file_number = take_number(session, FILE_SERIES, local_today())


def _check_patient(values: Mapping[str, Any], record: Any = None, session: Any = None,
                   **_: Any) -> dict[str, InputError] | None:
    errors: dict[str, InputError] = {}
    partner_id, number = values.get("partner_id"), (values.get("file_number") or "").strip()
    others = select(func.count()).select_from(Patient)
    if record is not None:
        others = others.where(Patient.id != record.id)
    if partner_id and session.scalar(others.where(Patient.partner_id == partner_id)):
        errors["partner_id"] = InputError("This person already has a medical file")
    if number and session.scalar(others.where(Patient.file_number == number)):
        errors["file_number"] = InputError("Another patient has this file number")
    return errors


def _check_patient_disease(values: Mapping[str, Any], record: Any = None, session: Any = None,
                           **_: Any) -> dict[str, InputError] | None:
    same = select(func.count()).select_from(PatientDisease).where(
        PatientDisease.partner_id == values.get("partner_id"), PatientDisease.disease_id == values.get("disease_id"),
        PatientDisease.deleted_at.is_(None))
    if record is not None:
        same = same.where(PatientDisease.id != record.id)
    if values.get("partner_id") and values.get("disease_id") and session.scalar(same):
        return {"disease_id": InputError("This patient already has this disease in the file")}
    return None


PATIENT = Resource(
    name="medical.patient", model=Patient, label="Patient", label_plural="Patients",
    columns=("file_number", "partner_id", "insurer", "insurance_number", "blood_group"),
    form=("partner_id", "file_number", "insurer", "insurance_number", "blood_group", "notes"),
    search=("file_number", "insurer", "insurance_number"),
    filters=("blood_group", "partner_id"),
    title_field="file_number", default_sort="-id", icon="users",
    validate=_check_patient, complete=_complete_patient,
    fields={
        "partner_id": Field(label="Person", ref_filter=PERSON),
        "file_number": Field(kind="code", label="File number", required=False,
                             help="Leave empty for the next number of the series"),
        "insurer": Field(label="Insurer"),
        "insurance_number": Field(kind="code", label="Insurance number"),
        "blood_group": Field(label="Blood group", choices=BLOOD_GROUPS),
        "notes": Field(label="Reception notes", help="Not for diagnoses: those belong in the medical file"),
    },
)

DISEASE = Resource(
    name="medical.disease", model=Disease, label="Disease", label_plural="Diseases",
    columns=("name", "kind", "education_sms"), form=("name", "kind", "education_sms"),
    search=("name",), filters=("kind",), title_field="name", default_sort="name", shared=True,
    global_search=False, icon="list",
    fields={
        "name": Field(label="Name"),
        "kind": Field(label="Kind", choices=KINDS),
        "education_sms": Field(label="Educational SMS after a visit",
                               help="Sent once after each visit of a patient with this disease; {name} is the patient"),
    },
)

PATIENT_DISEASE = Resource(
    name="medical.patient_disease", model=PatientDisease, label="Diagnosis", label_plural="Patients by disease",
    columns=("partner_id", "disease_id", "since", "notes"), form=("partner_id", "disease_id", "since", "notes"),
    search=("notes",), filters=("disease_id", "partner_id", "since"), title_field="disease_id",
    default_sort="-id", icon="list", validate=_check_patient_disease,
    fields={
        "partner_id": Field(label="Patient", ref_filter=PERSON),
        "disease_id": Field(label="Disease or allergy"),
        "since": Field(label="Diagnosed since"),
        "notes": Field(label="Notes"),
    },
)

DOCUMENT = Resource(
    name="medical.document", model=Document, label="Medical document", label_plural="Medical documents",
    columns=("taken_on", "partner_id", "kind", "title"), form=("partner_id", "kind", "taken_on", "title", "description"),
    search=("title", "description"), filters=("kind", "partner_id", "taken_on"), title_field="title",
    default_sort="-taken_on", icon="file",
    fields={
        "partner_id": Field(label="Patient", ref_filter=PERSON),
        "kind": Field(label="Document type", choices=DOCUMENT_KINDS),
        "taken_on": Field(label="Document date", starts_today=True),
        "title": Field(label="Title"),
        "description": Field(label="Description"),
    },
)


def resources() -> list[Resource]:
    return [PATIENT, DISEASE, PATIENT_DISEASE, DOCUMENT]
