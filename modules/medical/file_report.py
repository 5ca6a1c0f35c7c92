"""Patients per disease (MED-01): how many patients each disease and allergy has, read within the
reader's scope. Its data permission is ``medical.records`` itself: a report on diagnoses is for
those who may see diagnoses."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func

from kernel import Report, ReportParam
from modules.medical.models import Disease, PatientDisease
from modules.medical.models.disease import KINDS
from modules.medical.privacy import RECORDS

PARAMS = (ReportParam("kind", "Kind", kind="choice", choices=lambda **_: [("", "All"), *KINDS]),)


def patients_per_disease(session: Any, actor: Any, params: dict[str, str], kernel: Any, lang: str = "fa",
                         **_: Any) -> tuple[list[str], list[list[Any]]]:
    counted = (kernel.scoped_select(actor, PatientDisease)
               .join(Disease, Disease.id == PatientDisease.disease_id).where(Disease.deleted_at.is_(None)))
    kind = (params.get("kind") or "").strip()
    if kind:
        counted = counted.where(Disease.kind == kind)
    patients = func.count(func.distinct(PatientDisease.partner_id))
    rows = session.execute(counted.with_only_columns(Disease.name, Disease.kind, patients)
                           .group_by(Disease.id, Disease.name, Disease.kind)
                           .order_by(patients.desc(), Disease.name)).all()
    labels = dict(KINDS)
    return (["Disease or allergy", "Kind", "Patients"],
            [[name, kernel.t(lang, labels.get(k, k)), int(n)] for name, k, n in rows])


def reports() -> list[Report]:
    return [Report("medical.patients_per_disease", "Patients per disease", patients_per_disease,
                   permission=RECORDS, params=PARAMS)]
